"""Turn a typed Hanoi address, old or new, into a 2025 ward (or a short list to pick from), offline."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ..text import clean, fold, nfc
from .index import GeoIndex, OldWardInfo, WardInfo, get_index

log = logging.getLogger(__name__)

RESOLVED, CHOOSE, NOT_FOUND, EMPTY = "resolved", "choose", "not_found", "empty"
MAX_ADDRESS_CHARS = 300
HANOI_CODE = "01"

# Words that say what kind of unit the next name is. Longest first, so "thị xã" wins over "xã".
_PREFIXES: list[tuple[tuple[str, ...], str]] = sorted([
    (("thi", "tran"), "town"), (("phuong",), "ward"), (("xa",), "ward"), (("p",), "ward"), (("tt",), "town"),
    (("thi", "xa"), "district"), (("khu", "vuc"), "district"), (("quan",), "district"), (("huyen",), "district"),
    (("q",), "district"), (("h",), "district"), (("tx",), "district"),
], key=lambda item: -len(item[0]))
# Words naming the city or the country: skipped.
_PROVINCE = sorted([("thanh", "pho", "ha", "noi"), ("tp", "ha", "noi"), ("tp", "hn"), ("ha", "noi"), ("hanoi",),
                    ("hn",), ("viet", "nam"), ("vietnam",), ("vn",), ("thanh", "pho")], key=lambda s: -len(s))
# A part of an address that starts like this is a street or smaller (house number, lane, hamlet).
_STREET_WORDS = {"so", "ngo", "ngach", "hem", "duong", "pho", "thon", "xom", "toa", "to", "ap", "lo", "kiot", "nha",
                 "can", "tang", "phong", "khu", "cum", "ngo", "km"}
_PARTS = re.compile(r"[,;\n/|]+")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class WardOption:
    """A 2025 ward offered to the user, and the old ward it was reached through, if any."""

    code: str
    name: str
    district_code: str
    district_name: str
    via: str | None = None
    via_district: str | None = None
    is_default: bool = True


@dataclass(frozen=True)
class Resolution:
    """What an address resolved to: one ward, a choice of wards, or nothing (with why)."""

    status: str
    kind: str = ""
    candidates: tuple[WardOption, ...] = ()
    outside_hanoi: bool = False

    @property
    def resolved(self) -> bool:
        """True when exactly one 2025 ward was found."""
        return self.status == RESOLVED

    @property
    def ward(self) -> WardOption | None:
        """The ward when resolved, else None."""
        return self.candidates[0] if self.status == RESOLVED else None

    def pick(self, code: str | None) -> WardOption | None:
        """The offered ward with this code, if it was offered."""
        return next((c for c in self.candidates if code and c.code == code), None)


@dataclass
class _Mention:
    """A place name found in the text: which tables know it and what prefix, if any, announced it."""

    key: str
    typed: str
    prefix: str | None
    new: list[str]
    old: list[str]
    districts: list[str]
    can_district: bool = field(init=False)
    can_ward: bool = field(init=False)

    def __post_init__(self) -> None:
        """Work out what the name can stand for, given the prefix that announced it."""
        self.can_district = bool(self.districts) and self.prefix not in {"ward", "town"}
        self.can_ward = bool(self.new or self.old) and self.prefix != "district"


def _option(index: GeoIndex, code: str, via: OldWardInfo | None = None, is_default: bool = True) -> WardOption:
    """A WardOption for a 2025 ward code, reached directly or through an old ward."""
    ward: WardInfo = index.wards[code]
    return WardOption(code=ward.code, name=ward.full_name, district_code=ward.district_code,
                      district_name=ward.district_name, via=via.full_name if via else None,
                      via_district=via.district_name if via else None, is_default=is_default)


def _words(text: str) -> list[tuple[str, str]]:
    """(folded, typed) word pairs of a text, in order."""
    out = []
    for word in _WORD.findall(nfc(text).lower()):
        for piece in re.findall(r"[a-z0-9]+", fold(word)):
            out.append((piece, word))
    return out


def _starts_with(words: list[tuple[str, str]], i: int, seq: tuple[str, ...]) -> bool:
    """True when the words from position i are exactly seq."""
    return tuple(w for w, _ in words[i:i + len(seq)]) == seq


def _scan(index: GeoIndex, text: str) -> list[_Mention]:
    """Every place name in the text, part by part (comma-separated), longest names first."""
    mentions: list[_Mention] = []
    for part in _PARTS.split(text):
        words = _words(part)
        if not words:
            continue
        whole_key = " ".join(w for w, _ in words)
        street = (words[0][0].isdigit() or words[0][0] in _STREET_WORDS) and not any(index.names_for(whole_key)) \
            and not _starts_with(words, 0, ("khu", "vuc"))
        i, prefix = 0, None
        while i < len(words):
            province = next((p for p in _PROVINCE if _starts_with(words, i, p)), None)
            if province:
                i, prefix = i + len(province), None
                continue
            found = _name_at(index, words, i, prefix) if (prefix or not street) else None
            announced = next(((p, kind) for p, kind in _PREFIXES if _starts_with(words, i, p)), None)
            if announced and i + len(announced[0]) < len(words) \
                    and (found is None or len(found.key.split()) <= len(announced[0])):
                i, prefix = i + len(announced[0]), announced[1]  # "quận Hoàn Kiếm"; but "Quan Hoa" is a name
                continue
            if found:
                mentions.append(found)
                i += len(found.key.split())
            else:
                i += 1
            prefix = None
    return mentions


def _name_at(index: GeoIndex, words: list[tuple[str, str]], i: int, prefix: str | None) -> _Mention | None:
    """The longest known place name starting at word i."""
    for size in range(min(index.max_name_tokens, len(words) - i), 0, -1):
        key = " ".join(w for w, _ in words[i:i + size])
        new, old, districts = index.names_for(key)
        if new or old or districts:
            typed = " ".join(t for _, t in words[i:i + size])
            return _Mention(key, typed, prefix, list(new), list(old), list(districts))
    return None


def _prefer_typed(codes: list[str], typed: str, names: dict) -> list[str]:
    """When the user typed diacritics, keep the names spelled exactly so (if any); 'Phú' is not 'Phù'."""
    if len(codes) < 2 or typed == fold(typed):
        return codes
    exact = [c for c in codes if typed in nfc(names[c].name).lower()]
    return exact or codes


def _old_path(index: GeoIndex, old_codes: list[str]) -> Resolution:
    """Old wards to their 2025 successors: a whole ward resolves; a split or ambiguous one offers a choice."""
    olds = sorted((index.old_wards[c] for c in old_codes),
                  key=lambda o: (index.districts[o.district_code].folded, o.folded))
    if len({code for old in olds for code in old.successors}) == 1:  # whole, or namesakes that merged
        return Resolution(RESOLVED, "old_ward", (_option(index, olds[0].successors[0], olds[0]),))
    options: list[WardOption] = []
    seen: set[str] = set()
    for old in olds:
        for rank, code in enumerate(old.successors):
            if code not in seen:
                seen.add(code)
                options.append(_option(index, code, old, is_default=rank == 0))
    kind = "old_ward_split" if len(olds) == 1 else "old_ward_ambiguous"
    return Resolution(CHOOSE, kind, tuple(options))


def _district_path(index: GeoIndex, district_codes: list[str]) -> Resolution:
    """A former district alone: the 2025 wards it went into, the same-named ward first."""
    options: list[WardOption] = []
    for dcode in district_codes:
        for rank, code in enumerate(index.district_successors.get(dcode, [])):
            if all(o.code != code for o in options):
                options.append(_option(index, code, is_default=rank == 0))
    if not options:
        return Resolution(NOT_FOUND)
    return Resolution(CHOOSE, "district", tuple(options))


def _decide(index: GeoIndex, mentions: list[_Mention]) -> Resolution | None:
    """Pick the ward and district mentions (addresses run from small to large) and resolve them."""
    district = next((m for m in reversed(mentions) if m.prefix == "district" and m.districts), None)
    if district is None and len(mentions) >= 2:
        district = next((m for m in reversed(mentions) if m.can_district), None)
    if district is None and len(mentions) == 1 and mentions[0].can_district and mentions[0].prefix is None:
        district = mentions[0]  # "Cầu Giấy": the former district (its namesake ward is offered first)
    ward = next((m for m in reversed(mentions) if m.can_ward and m is not district), None)
    district_codes = _prefer_typed(district.districts, district.typed, index.districts) if district else []
    if ward is None:
        return _district_path(index, district_codes) if district_codes else None
    old = _prefer_typed(ward.old, ward.typed, index.old_wards)
    if ward.prefix in {"ward", "town"}:  # "xã Yên Viên" is not "thị trấn Yên Viên"
        unit = {"ward": {"phường", "xã"}, "town": {"thị trấn"}}[ward.prefix]
        old = [c for c in old if index.old_wards[c].unit_type in unit] or old
    old_in_district = [c for c in old if index.old_wards[c].district_code in district_codes]
    new = _prefer_typed(ward.new, ward.typed, index.wards)
    if district_codes and old_in_district:
        return _old_path(index, old_in_district)  # an old-style address: ward, district
    if new and ward.prefix != "town":
        if len(new) == 1:
            return Resolution(RESOLVED, "ward", (_option(index, new[0]),))
        return Resolution(CHOOSE, "ward", tuple(_option(index, c) for c in new))
    if old:
        return _old_path(index, old)
    return _district_path(index, district_codes) if district_codes else None


def _parser_fallback(index: GeoIndex, text: str) -> Resolution:
    """Words the name tables did not know (typos, run-together addresses): ask vietnamadminunits, offline only.

    Only parse_address is used: its convert_address path calls an online geocoder for split wards, which would
    send a person's address to a third party (and there is no network here).
    """
    from vietnamadminunits import parse_address

    def parse(address: str, mode: str, level: int):
        """parse_address, or None when the parser fails."""
        try:
            return parse_address(address, mode=mode, level=level)
        except Exception:  # the parser raises on some odd inputs; that just means "not understood"
            log.debug("parse_address failed on %r (%s)", address, mode, exc_info=True)
            return None

    bare = parse(text, "LEGACY", 3)
    if bare is not None and bare.province_code and bare.province_code != HANOI_CODE \
            and "ha noi" not in fold(text) and "hanoi" not in fold(text):
        return Resolution(NOT_FOUND, outside_hanoi=True)
    hanoi_text = text if ("ha noi" in fold(text) or "hanoi" in fold(text)) else f"{text}, Hà Nội"
    legacy = parse(hanoi_text, "LEGACY", 3)
    if legacy is not None and legacy.province_code == HANOI_CODE:
        old = index.old_wards.get(legacy.ward_code or "")
        if old is not None and old.district_code == legacy.district_code:
            return _old_path(index, [old.code])
    modern = parse(hanoi_text, "FROM_2025", 2)
    if modern is not None and modern.province_code == HANOI_CODE and modern.ward_code in index.wards:
        return Resolution(RESOLVED, "ward", (_option(index, modern.ward_code),))
    if legacy is not None and legacy.province_code == HANOI_CODE and legacy.district_code in index.districts:
        return _district_path(index, [legacy.district_code])
    return Resolution(NOT_FOUND)


def resolve_address(text: str | None, index: GeoIndex | None = None) -> Resolution:
    """Resolve a typed address (new or old, with or without diacritics) to a 2025 ward or a choice of wards.

    A 2025 ward name resolves to that ward; an old ward resolves to its successor when it went whole, or offers its
    successors (default first) when it was split; a former district alone offers the wards it went into.
    """
    text = clean(text)[:MAX_ADDRESS_CHARS]
    if not text:
        return Resolution(EMPTY)
    index = index or get_index()
    mentions = _scan(index, text)
    decided = _decide(index, mentions) if mentions else None
    if decided is not None and decided.candidates:
        return decided
    return _parser_fallback(index, text)
