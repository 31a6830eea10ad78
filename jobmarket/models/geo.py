"""Hanoi's geography: 2025 wards, the 30 former districts, their borders and the 2024 to 2025 crosswalk."""
from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class FormerDistrict(db.Model):
    """A district-level unit abolished on 1 July 2025 (quận, huyện, thị xã); still how people name areas."""

    __tablename__ = "former_districts"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(64))
    full_name_vi: Mapped[str] = mapped_column(String(80))
    name_ascii: Mapped[str] = mapped_column(String(64))
    unit_type: Mapped[str] = mapped_column(String(24))
    slug: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    area_km2: Mapped[float] = mapped_column(Float)


class DistrictAdjacency(db.Model):
    """Two former districts that share a border (stored once, a < b)."""

    __tablename__ = "district_adjacency"

    district_a: Mapped[str] = mapped_column(ForeignKey("former_districts.code"), primary_key=True)
    district_b: Mapped[str] = mapped_column(ForeignKey("former_districts.code"), primary_key=True)
    border_km: Mapped[float] = mapped_column(Float)


class Ward(db.Model):
    """A 2025 communal unit (phường or xã) with its centre point and the former district it mostly came from."""

    __tablename__ = "wards"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(64))
    full_name_vi: Mapped[str] = mapped_column(String(80))
    name_ascii: Mapped[str] = mapped_column(String(64))
    unit_type: Mapped[str] = mapped_column(String(8))
    slug: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    area_km2: Mapped[float] = mapped_column(Float)
    district_code: Mapped[str] = mapped_column(ForeignKey("former_districts.code"), index=True)
    old_district_codes: Mapped[str] = mapped_column(String(64))

    district: Mapped[FormerDistrict] = relationship(lazy="joined")

    @property
    def label(self) -> str:
        """Ward name with its former district, as people say it."""
        return f"{self.full_name_vi} (khu vực {self.district.name_vi})"


class OldWard(db.Model):
    """A ward or commune as it was before 1 July 2025."""

    __tablename__ = "old_wards"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(64))
    full_name_vi: Mapped[str] = mapped_column(String(80))
    unit_type: Mapped[str] = mapped_column(String(16))
    district_code: Mapped[str] = mapped_column(ForeignKey("former_districts.code"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class WardCrosswalk(db.Model):
    """One link from an old ward to a 2025 ward; a split old ward has several, one of them the default."""

    __tablename__ = "ward_crosswalk"

    old_ward_code: Mapped[str] = mapped_column(ForeignKey("old_wards.code"), primary_key=True)
    new_ward_code: Mapped[str] = mapped_column(ForeignKey("wards.code"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(8))
    is_default: Mapped[bool]
