"""How wards are named to people: the 2025 name, its former district, and the old ward it came through."""
from __future__ import annotations

from flask_babel import gettext as _

from ..models import Ward


def ward_label(place) -> str:
    """'Phường Cầu Giấy (khu vực Cầu Giấy cũ)', plus 'trước đây: Phường Dịch Vọng Hậu, Cầu Giấy' when it was
    found through an old ward. Takes a Ward row, a WardOption or a WardHit."""
    if place is None:
        return ""
    if isinstance(place, Ward):
        name, district, via, via_district = place.full_name_vi, place.district.name_vi, None, None
    else:
        name, district = place.name, place.district_name
        via, via_district = getattr(place, "via", None), getattr(place, "via_district", None)
    label = _("%(ward)s (khu vực %(district)s cũ)", ward=name, district=district)
    if via:
        label += " · " + _("trước đây: %(old)s, %(district)s", old=via, district=via_district)
    return label
