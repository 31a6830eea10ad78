"""Type-ahead endpoints: small JSON lists of skills, occupations and wards for the enhanced form fields."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..extensions import limiter
from ..geo import search_wards
from ..geo.labels import ward_label
from ..i18n import current_locale
from .services import suggest_occupations, suggest_skills

bp = Blueprint("lookup", __name__, url_prefix="/goi-y")

DEFAULT_LIMIT, MAX_LIMIT = 8, 20
# A type-ahead fires on keystrokes (debounced in the page); this bounds a runaway client, not a person.
RATE = "240/minute"


def _limit() -> int:
    """The requested number of suggestions, clamped to [1, MAX_LIMIT]."""
    try:
        return max(1, min(MAX_LIMIT, int(request.args.get("limit", DEFAULT_LIMIT))))
    except ValueError:
        return DEFAULT_LIMIT


def _reply(items: list[dict]):
    """JSON answer that browsers and proxies may cache briefly (vocabulary data is public)."""
    response = jsonify(items=items)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.get("/ky-nang")
@limiter.limit(RATE)
def skills():
    """Skills matching ?q= (diacritics ignored; labels, English labels and synonyms)."""
    english = current_locale() == "en"
    return _reply([{"id": s.key, "label": s.label_en if english else s.label_vi, "label_vi": s.label_vi,
                    "label_en": s.label_en, "category": s.group}
                   for s in suggest_skills(request.args.get("q"), _limit())])


@bp.get("/nghe")
@limiter.limit(RATE)
def occupations():
    """VSCO occupations matching ?q=."""
    english = current_locale() == "en"
    return _reply([{"code": s.key, "label": s.label_en if english else s.label_vi, "label_vi": s.label_vi}
                   for s in suggest_occupations(request.args.get("q"), _limit())])


@bp.get("/phuong")
@limiter.limit(RATE)
def wards():
    """2025 wards matching ?q= by their name, an old ward's name or their former district."""
    return _reply([{"code": h.code, "name": h.name, "district_code": h.district_code, "district": h.district_name,
                    "via": h.via, "via_district": h.via_district, "default": h.is_default,
                    "label": ward_label(h)}
                   for h in search_wards(request.args.get("q"), _limit())])
