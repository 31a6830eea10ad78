"""The reference data statistics group by: former districts, 2025 wards and VSCO occupation groups (levels 1-2)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import FormerDistrict, Occupation, Ward


@dataclass(frozen=True)
class Place:
    """A former district or a 2025 ward: code, name, centre point and (for a ward) its former district."""

    code: str
    name: str
    lat: float
    lon: float
    district_code: str | None = None
    urban: bool = False  # a former quận (the urban core)
    short: str = ""  # the name without its unit: "Cầu Giấy"


@dataclass(frozen=True)
class Reference:
    """Districts, wards and occupation groups, each in display order."""

    districts: dict[str, Place]
    wards: dict[str, Place]
    occupation_groups: dict[str, str]  # VSCO code (1 or 2 digits) -> Vietnamese title

    def wards_of(self, district_code: str) -> list[str]:
        """The 2025 wards whose former district is district_code."""
        return [w.code for w in self.wards.values() if w.district_code == district_code]

    def occupation_children(self, code: str) -> list[str]:
        """The level-2 groups under a level-1 group."""
        return [c for c in self.occupation_groups if len(c) == 2 and c.startswith(code)]


def load_reference() -> Reference:
    """Read the reference tables (a few hundred rows) in display order."""
    districts = {d.code: Place(d.code, d.full_name_vi, d.lat, d.lon, urban=d.unit_type == "quận", short=d.name_vi)
                 for d in db.session.scalars(select(FormerDistrict).order_by(FormerDistrict.code))}
    wards = {w.code: Place(w.code, w.full_name_vi, w.lat, w.lon, w.district_code, short=w.name_vi)
             for w in db.session.execute(select(Ward.code, Ward.full_name_vi, Ward.lat, Ward.lon, Ward.district_code,
                                                Ward.name_vi).order_by(Ward.code))}
    groups = {code: title for code, title in db.session.execute(
        select(Occupation.code, Occupation.title_vi).where(Occupation.level <= 2).order_by(Occupation.code))}
    return Reference(districts=districts, wards=wards, occupation_groups=groups)
