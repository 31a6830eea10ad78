"""Turn a typed Hanoi address, old or new, into a 2025 ward (or a short list to pick from), offline.

How a text is read:
1. It is cut into words (diacritics folded, the typed spelling kept) with the separator before each word: none, a
   soft one (comma, dash, colon, a full stop) or a hard one between workplaces ("/", ";", "+", "và", "hoặc").
2. Unit words (phường, xã, quận, huyện, thị xã, thị trấn, thành phố, tỉnh, khu vực and P., X., Q., H., TX, TT, TP)
   are taken as units whenever a known name follows them, and never become part of a name; typed with other
   diacritics ("Phương", "Quán") they are not unit words at all.
3. Names are looked up longest first among 2025 wards, old wards, former districts, streets and landmarks, and
   places outside Hanoi. A name after a house number or a street word (số, ngõ, ngách, hẻm, đường, phố) is a street.
4. Names are grouped into places: a hard separator, or a second former district that does not fit the first,
   starts a new place ("Cầu Giấy / Hà Đông", "Hà Nội, Hồ Chí Minh").
5. Each place is read as the most specific consistent reading: a ward (2025, or old through the crosswalk) that
   lies in the named former district wins over the district; a unit word is binding; a street only orders the
   wards offered (it is evidence, never a ward).
"""
from __future__ import annotations

import functools
import itertools
import logging
import re
from dataclasses import dataclass, field

from ..text import clean, fold, nfc
from .index import GeoIndex, OldWardInfo, WardInfo, get_index, name_key

log = logging.getLogger(__name__)

RESOLVED, CHOOSE, NOT_FOUND, EMPTY = "resolved", "choose", "not_found", "empty"
MAX_ADDRESS_CHARS = 300
HANOI_CODE = "01"
MAX_MENTIONS_PER_PLACE = 6

# Unit words: folded words -> (kind, the spellings with diacritics that count). A unit typed without diacritics
# also counts; typed with other diacritics ("Phương", "Quán") it is an ordinary word.
_UNITS: list[tuple[tuple[str, ...], str, frozenset[str]]] = sorted([
    (("thanh", "pho"), "city", frozenset({"thành phố"})), (("tp",), "city", frozenset()),
    (("thu", "do"), "city", frozenset({"thủ đô"})),
    (("thi", "xa"), "district", frozenset({"thị xã"})), (("tx",), "district", frozenset()),
    (("thi", "tran"), "town", frozenset({"thị trấn"})), (("tt",), "town", frozenset()),
    (("quan",), "district", frozenset({"quận"})), (("q",), "district", frozenset()),
    (("huyen",), "district", frozenset({"huyện"})), (("h",), "district", frozenset()),
    (("khu", "vuc"), "district", frozenset({"khu vực"})),
    (("phuong",), "ward", frozenset({"phường"})), (("p",), "ward", frozenset()),
    (("xa",), "ward", frozenset({"xã"})), (("x",), "ward", frozenset()),
    (("tinh",), "province", frozenset({"tỉnh"})),
], key=lambda unit: -len(unit[0]))
# The city itself, however it is written.
_HANOI = sorted([("ha", "noi"), ("hanoi",), ("hn",), ("tphn",), ("ha", "noi", "city"), ("hanoi", "city"),
                 ("viet", "nam"), ("vietnam",), ("vn",)], key=lambda s: -len(s))
# Unit words written after the name, in English: "Cau Giay District", "Long Bien Ward", "Pham Hung Road".
_ENGLISH_UNITS = {"district": "district", "dist": "district", "ward": "ward", "commune": "ward", "town": "town",
                  "province": "province", "street": "street", "road": "street", "st": "street", "avenue": "street"}
_COMPANY_WORDS = {"cty", "tnhh", "jsc", "ltd"}
_LOCATION_WORDS = {"tai", "o", "dia", "chi", "tru", "so"}  # "tại", "ở", "địa chỉ", "trụ sở": the place follows
_UNIT_FIRST = {seq[0] for seq, _, _ in _UNITS}
_HANOI_FIRST = {seq[0] for seq in _HANOI}
_COUNTRY = {("viet", "nam"), ("vietnam",), ("vn",)}
# Words after which a name is a street (house numbers count too).
_STREET_WORDS = {"so", "ngo", "ngach", "hem", "kiet", "duong", "pho", "dai", "lo", "ql", "cao", "toc", "nha", "can",
                 "lo", "kiot"}
_OLD_MARK = {"cu"}           # "(Trung Hòa cũ)", "khu vực Cầu Giấy cũ"
_HARD_WORDS = {"va", "hoac"}  # "Cầu Giấy và Hà Đông", "Q. Cầu Giấy hoặc Q. Nam Từ Liêm"
_ASCII = re.compile(r"[a-z0-9]+")
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)
_NUMBERED_UNIT = re.compile(r"^(q|p)(\d{1,2})$")  # "Q1", "P12": Ho Chi Minh City style


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
    via_code: str | None = None


@dataclass(frozen=True)
class Resolution:
    """What an address resolved to: one ward, a choice of wards, or nothing (with why).

    kind says how: "ward" (a 2025 name), "old_ward" / "old_ward_split" / "old_ward_ambiguous" (through the
    crosswalk), "district" (a former district alone), "street" (wards of the named streets, within the district
    when one was named), "places" (several workplaces: `places` holds each one's own resolution), "hanoi" (only the
    city was named), "outside" (a place outside Hanoi, named in `outside`).
    """

    status: str
    kind: str = ""
    candidates: tuple[WardOption, ...] = ()
    outside_hanoi: bool = False
    outside: str = ""
    streets: tuple[str, ...] = ()
    text: str = ""
    places: tuple["Resolution", ...] = field(default=(), compare=False)

    @property
    def resolved(self) -> bool:
        """True when exactly one 2025 ward was found."""
        return self.status == RESOLVED

    @property
    def ward(self) -> WardOption | None:
        """The ward when resolved, else None."""
        return self.candidates[0] if self.status == RESOLVED else None

    @property
    def best(self) -> WardOption | None:
        """The ward when resolved, else the first (default) ward of the choice, else None."""
        return self.candidates[0] if self.candidates else None

    def pick(self, code: str | None) -> WardOption | None:
        """The offered ward with this code, if it was offered."""
        return next((c for c in self.candidates if code and c.code == code), None)


@dataclass
class _Token:
    """A folded word, as typed, with the kind of separator before it (None, "soft" or "hard")."""

    word: str
    typed: str
    sep: str | None
    dash: bool = False
    plain: bool = True  # typed without diacritics


@dataclass
class _Mention:
    """A name found in the text and everything it could stand for, given the unit word before it."""

    key: str
    typed: str
    prefix: str | None
    sep: str | None
    new: list[str] = field(default_factory=list)
    old: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    streets: list[int] = field(default_factory=list)
    outside: str = ""
    outside_kind: str = ""
    hanoi: bool = False
    old_marked: bool = False

    @property
    def is_area(self) -> bool:
        """A ward or former district reading exists."""
        return bool(self.new or self.old or self.districts)


# --- words ---------------------------------------------------------------------------------------------------

def _tokens(text: str) -> list[_Token]:
    """The words of a text with the separator before each."""
    out: list[_Token] = []
    sep: str | None = None
    dash = False
    raw = _TOKEN.findall(nfc(text).lower())
    for i, piece in enumerate(raw):
        if piece.isalnum():
            folded_piece, folded = _fold_word(piece)
            if not folded:
                continue
            if folded[0] in _HARD_WORDS and len(folded) == 1:
                sep = "hard"
                continue
            for n, word in enumerate(folded):
                out.append(_Token(word, piece, sep if n == 0 else None, dash and n == 0 and sep == "soft",
                                  folded_piece == piece))
                sep, dash = None, False
            continue
        if piece in "/\\":
            between_digits = out and out[-1].word.isdigit() and i + 1 < len(raw) and raw[i + 1][:1].isdigit()
            if not between_digits:
                sep = "hard"
        elif piece in ";|+&\n":
            sep = "hard"
        elif piece in "-–—":
            dash = sep is None
            sep = sep or "soft"
        elif piece in ",:()[]":
            sep = sep or "soft"
        elif piece == ".":
            # "P.Trung Văn", "Tp.Hà Nội": a full stop after an abbreviation is not a separator.
            if not (out and (len(out[-1].word) <= 2 or out[-1].word in {"tp", "tx", "tt", "so"})):
                sep = sep or "soft"
    return out


@functools.lru_cache(maxsize=50_000)
def _fold_word(word: str) -> tuple[str, tuple[str, ...]]:
    """A typed word folded, and the ASCII pieces of it (words repeat a lot across addresses)."""
    folded = fold(word)
    return folded, tuple(_ASCII.findall(folded))


def _seq_at(tokens: list[_Token], i: int, seq: tuple[str, ...]) -> bool:
    """True when the words from i are exactly seq, with no separator inside."""
    if i + len(seq) > len(tokens):
        return False
    return all(tokens[i + k].word == seq[k] and (k == 0 or tokens[i + k].sep is None) for k in range(len(seq)))


def _unit_at(tokens: list[_Token], i: int) -> tuple[int, str] | None:
    """(length, kind) of a unit word at i, when it is typed as one (see _UNITS)."""
    if tokens[i].word not in _UNIT_FIRST:
        return None
    for seq, kind, spellings in _UNITS:
        if _seq_at(tokens, i, seq):
            words = tokens[i:i + len(seq)]
            if all(t.plain for t in words) or " ".join(t.typed for t in words) in spellings:
                return len(seq), kind
    return None


def _hanoi_at(tokens: list[_Token], i: int) -> int:
    """Length of a name of the city (or the country) at i, else 0."""
    if tokens[i].word not in _HANOI_FIRST:
        return 0
    for seq in _HANOI:
        if _seq_at(tokens, i, seq):
            return len(seq)
    return 0


def _name_at(index: GeoIndex, tokens: list[_Token], i: int) -> int:
    """Length of the longest known name starting at word i, else 0. A name never spans a separator, but for a dash
    inside names that have one ("Văn Miếu - Quốc Tử Giám")."""
    for size in range(min(index.max_name_tokens, len(tokens) - i), 0, -1):
        inner = tokens[i + 1:i + size]
        if any(t.sep and not t.dash for t in inner):
            continue
        key = " ".join(t.word for t in tokens[i:i + size])
        if any(t.dash for t in inner) and key not in index.dashed_names:
            continue
        if index.has_name(key):
            return size
    return 0


# --- mentions ------------------------------------------------------------------------------------------------

def _mention(index: GeoIndex, tokens: list[_Token], i: int, size: int, prefix: str | None, sep: str | None,
             street_context: bool) -> _Mention:
    """What the name tokens[i:i+size] can stand for, given its unit word and whether it follows a house number."""
    key = " ".join(t.word for t in tokens[i:i + size])
    typed = " ".join(t.typed for t in tokens[i:i + size])
    new, old, districts = (list(x) for x in index.names_for(key))
    streets = list(index.street_by_name.get(key, []))
    outside = index.outside_by_name.get(key)
    m = _Mention(key, typed, prefix, sep)
    if prefix == "province":
        if outside:
            m.outside, m.outside_kind = outside
        return m
    if prefix == "city":  # "TP Hà Đông", "Tp. Sơn Tây" (once cities), "TP Hải Phòng"
        if outside:
            m.outside, m.outside_kind = outside
        m.districts = districts
        return m
    if outside and _outside_spelling_fits(outside[0], typed):
        m.outside, m.outside_kind = outside
    if street_context and streets and prefix is None:
        m.streets = streets
        return m
    if prefix in {"ward", "town"}:
        unit_types = {"ward": {"phường", "xã"}, "town": {"thị trấn"}}[prefix]
        typed_unit = None
        if prefix == "ward" and i > 0 and tokens[i - 1].typed in {"phường", "xã"}:
            typed_unit = tokens[i - 1].typed
        old = [c for c in old if index.old_wards[c].unit_type in unit_types] or old
        if typed_unit:
            old = [c for c in old if index.old_wards[c].unit_type == typed_unit] or old
            new = [c for c in new if index.wards[c].unit_type == typed_unit] or new
        m.old = old
        m.new = new if prefix == "ward" else []
        return m
    if prefix == "district":
        m.districts = districts
        if not districts and outside:
            m.outside, m.outside_kind = outside
        return m
    m.new, m.old, m.districts, m.streets = new, old, districts, streets
    return m


def _outside_spelling_fits(name: str, typed: str) -> bool:
    """Typed with diacritics, a name outside Hanoi must be spelled so ('Yên Bái' the province, 'Yên Bài' the
    commune in Ba Vì)."""
    return typed == fold(typed) or fold(typed) != fold(name) or nfc(name).lower() == typed


def _scan(index: GeoIndex, text: str) -> list[_Mention]:
    """Every name in the text, in order, with the unit word that announced it."""
    tokens = _tokens(text)
    mentions: list[_Mention] = []
    i, prefix, prefix_sep = 0, None, None
    street_context = False
    carry: str | None = None  # the strongest separator since the last name
    company = False  # inside a company's name ("Công ty TNHH Thành Công"): no place names there
    while i < len(tokens):
        tok = tokens[i]
        if tok.sep is not None:
            street_context = company = False
            carry = "hard" if "hard" in (carry, tok.sep) else "soft"
        if tok.word in _COMPANY_WORDS or _seq_at(tokens, i, ("cong", "ty")):
            company = True
        if company and tok.word in _LOCATION_WORDS:
            company = False
        if company:
            i += 1
            continue
        sep = prefix_sep if prefix is not None else carry
        numbered = _NUMBERED_UNIT.match(tok.word)
        if numbered or (prefix in {"district", "ward"} and tok.word.isdigit() and len(tok.word) <= 2
                        and i > 0 and tokens[i - 1].word in {"q", "quan", "p", "phuong"}):
            mentions.append(_Mention(tok.word, tok.typed, prefix, sep, outside="Hồ Chí Minh",
                                     outside_kind="numbered"))
            i, prefix, carry = i + 1, None, None
            continue
        hanoi = _hanoi_at(tokens, i)
        if hanoi and not (prefix == "ward" and _name_at(index, tokens, i)):
            seq = tuple(t.word for t in tokens[i:i + hanoi])
            if seq not in _COUNTRY:
                typed = " ".join(t.typed for t in tokens[i:i + hanoi])
                mentions.append(_Mention(" ".join(seq), typed, prefix, sep, hanoi=True))
            i, prefix, street_context, carry = i + hanoi, None, False, None
            continue
        unit = _unit_at(tokens, i)
        if unit and prefix is None:
            after = i + unit[0]
            if after < len(tokens) and tokens[after].sep != "hard" and (
                    _name_at(index, tokens, after) or _hanoi_at(tokens, after)
                    or _NUMBERED_UNIT.match(tokens[after].word) or tokens[after].word.isdigit()):
                prefix, prefix_sep = unit[1], carry
                i = after
                continue
        size = _name_at(index, tokens, i)
        if size:
            end = i + size
            after = tokens[end].word if end < len(tokens) and tokens[end].sep is None else None
            if prefix is None and after in _ENGLISH_UNITS:  # "Cau Giay District", "Lang Ha Street"
                kind = _ENGLISH_UNITS[after]
                street_context = street_context or kind == "street"
                prefix = None if kind == "street" else kind
                end += 1
            m = _mention(index, tokens, i, size, prefix, sep, street_context)
            if end < len(tokens) and tokens[end].word in _OLD_MARK and tokens[end].sep is None:
                m.old_marked = True
            mentions.append(m)
            i, prefix, street_context, carry = end, None, False, None
            continue
        if tok.word.isdigit() or (tok.word[:1].isdigit()) or tok.word in _STREET_WORDS:
            street_context = True
        elif tok.word not in _OLD_MARK:
            street_context = street_context and tok.word in _STREET_WORDS
        prefix = None
        i += 1
    return mentions


# --- places --------------------------------------------------------------------------------------------------

def _fits(index: GeoIndex, a: _Mention, b: _Mention) -> bool:
    """Two names that can both be former districts belong to one place when they name the same district or one
    can be a ward inside the other ("Cầu Giấy, Hà Nội" yes; "Cầu Giấy, Hà Đông" no: two workplaces)."""
    da, db = set(a.districts), set(b.districts)
    if da & db:
        return True

    def inside(m: _Mention, districts: set[str]) -> bool:
        """m can be an old ward of, or a 2025 ward mostly from, one of the districts."""
        return any(index.old_wards[c].district_code in districts for c in m.old) or (
            m.prefix == "ward" and any(index.wards[c].district_code in districts for c in m.new))

    return inside(a, db) or inside(b, da)


def _group(index: GeoIndex, mentions: list[_Mention]) -> list[list[_Mention]]:
    """Mentions grouped into places (see the module docstring)."""
    places: list[list[_Mention]] = [[]]
    for m in mentions:
        place = places[-1]
        has_area = any(p.is_area or p.outside or p.hanoi for p in place)
        new_place = False
        if place and m.sep == "hard" and has_area:
            new_place = True
        elif place and m.hanoi:
            new_place = any(p.outside and not p.is_area for p in place) or any(
                p.outside and p.prefix in {"province", "city"} for p in place)
        elif place and m.outside and not m.is_area and not m.streets:
            new_place = any(p.hanoi for p in place)
        elif place and m.districts and not any(p.hanoi for p in place) and any(
                p.outside and not p.is_area for p in place):
            new_place = True  # "Quận 3, TP HCM, Cầu Giấy": a Hanoi name after a place outside Hanoi
        elif place and m.districts:
            others = [p for p in place if p.districts]
            new_place = bool(others) and not any(_fits(index, m, p) for p in others)
        if new_place:
            places.append([])
        places[-1].append(m)
    return [p for p in places if p]


@dataclass
class _Reading:
    """One way of reading a place: a choice per mention, scored."""

    score: float
    districts: set[str] | None
    new: list[str] | None
    old: list[str] | None
    streets: list[int]


def _choices(m: _Mention) -> list[str]:
    """How a mention can be read: as a 2025 ward, an old ward, a former district, a street, or left out."""
    out = []
    if m.new:
        out.append("new")
    if m.old:
        out.append("old")
    if m.districts:
        out.append("district")
    if m.streets:
        out.append("street")
    out.append("skip")
    return out


def _weight(index: GeoIndex, m: _Mention, choice: str, other_district: bool) -> float:
    """What reading m this way is worth: specific readings more, leaving out a unit-announced name costs most."""
    bound = m.prefix is not None
    if choice == "skip":
        if bound:
            return -4.5 if m.prefix == "district" else -3.0
        return -2.5 if m.districts else -1.0  # a former district's name is strong evidence
    if choice == "street":
        return 1.0
    if choice == "district":
        return 3.0 if bound else 2.0
    base = 3.0 + (1.0 if bound else 0.0)
    if not bound and m.districts and not other_district:
        base = 1.5  # "Cầu Giấy", "Trần Duy Hưng, Cầu Giấy": the former district (its namesake ward comes first)
    codes = m.new if choice == "new" else m.old
    if not bound and m.streets and all(_unit_type(index, choice, c) == "xã" for c in codes):
        base = 0.5  # "Nguyễn Trãi, Hà Nội" is the street, not the commune of Thường Tín
    if not _spelled_so(index, m, choice):
        base -= 2.0  # "Trung Tự" typed with diacritics is not the commune "Trung Tú"
    if choice == "old" and m.old_marked:
        base += 0.5
    if choice == "new" and m.old_marked:
        base -= 0.5
    return base


def _spelled_so(index: GeoIndex, m: _Mention, choice: str) -> bool:
    """False when the name was typed with diacritics and none of the places it may be is spelled so."""
    if m.typed == fold(m.typed):
        return True
    if choice == "district":
        names = [index.districts[c].name for c in m.districts]
    elif choice == "new":
        names = [index.wards[c].name for c in m.new]
    else:
        names = [index.old_wards[c].name for c in m.old]
    return any(m.typed in _spelling(n) for n in names) or m.key not in {name_key(n) for n in names}


def _spelling(name: str) -> str:
    """A name's words as typed with diacritics, punctuation dropped: 'văn miếu quốc tử giám'."""
    return " ".join(_WORDS.findall(nfc(name).lower()))


def _unit_type(index: GeoIndex, choice: str, code: str) -> str:
    """phường, xã or thị trấn of a 2025 ward (choice "new") or an old ward."""
    return (index.wards[code] if choice == "new" else index.old_wards[code]).unit_type


def _prefer_typed(codes: list[str], typed: str, names: dict) -> list[str]:
    """When the user typed diacritics, keep the names spelled exactly so (if any); 'Phú' is not 'Phù'."""
    if len(codes) < 2 or typed == fold(typed):
        return codes
    exact = [c for c in codes if typed in _spelling(names[c].name)]
    return exact or codes


def _best_reading(index: GeoIndex, area: list[_Mention]) -> _Reading | None:
    """The highest-scoring consistent reading of a place's mentions."""
    area = area[:MAX_MENTIONS_PER_PLACE]
    best: _Reading | None = None
    options = [_choices(m) for m in area]
    weights = [{(choice, other): _weight(index, m, choice, other) for choice in choices for other in (False, True)}
               for m, choices in zip(area, options)]
    for combo in itertools.product(*options):
        districts: set[str] | None = None
        for m, choice in zip(area, combo):
            if choice == "district":
                codes = set(_prefer_typed(m.districts, m.typed, index.districts))
                districts = codes if districts is None else districts & codes
        if districts is not None and not districts:
            continue
        has_district = districts is not None
        score, new, old, streets = 0.0, None, None, []
        ok = True
        for n, (m, choice) in enumerate(zip(area, combo)):
            if choice == "new":
                codes = _prefer_typed(m.new, m.typed, index.wards)
                if districts is not None:
                    codes = [c for c in codes if index.ward_district_codes[c] & districts]
                new = codes if new is None else [c for c in new if c in codes]
            elif choice == "old":
                codes = _prefer_typed(m.old, m.typed, index.old_wards)
                if districts is not None:
                    codes = [c for c in codes if index.old_wards[c].district_code in districts]
                old = codes if old is None else [c for c in old if c in codes]
            elif choice == "street":
                keep = [s for s in m.streets
                        if districts is None or set(index.streets[s].district_codes) & districts]
                if not keep:
                    ok = False
                    break
                streets.extend(keep)
            if (choice == "new" and not new) or (choice == "old" and not old):
                ok = False
                break
            other_district = any(c == "district" for k, c in enumerate(combo) if k != n)
            score += weights[n][(choice, other_district)]
        if not ok:
            continue
        if streets and (new is not None or old is not None):
            ward_districts = set().union(*(index.ward_district_codes[c] for c in new or [])) | {
                index.old_wards[c].district_code for c in old or []}
            if not any(set(index.streets[s].district_codes) & ward_districts for s in streets):
                continue
        if new is not None and old is not None:
            joined = {c for o in old for c in index.old_wards[o].successors}
            new = [c for c in new if c in joined]
            if not new:
                continue
        # Tie-breaks: an old-style address (ward, district) reads the ward as old; without a district, as new.
        if old is not None and has_district:
            score += 0.1
        if new is not None and not has_district:
            score += 0.1
        reading = _Reading(score, districts, new, old, streets)
        if best is None or reading.score > best.score:
            best = reading
    return best


def _option(index: GeoIndex, code: str, via: OldWardInfo | None = None, is_default: bool = True) -> WardOption:
    """A WardOption for a 2025 ward code, reached directly or through an old ward."""
    ward: WardInfo = index.wards[code]
    return WardOption(code=ward.code, name=ward.full_name, district_code=ward.district_code,
                      district_name=ward.district_name, via=via.full_name if via else None,
                      via_district=via.district_name if via else None, is_default=is_default,
                      via_code=via.code if via else None)


def _street_order(index: GeoIndex, streets: list[int], districts: set[str] | None) -> list[str]:
    """2025 wards the named streets cross (within the districts when given): wards every street crosses first."""
    lists = []
    for s in streets:
        street = index.streets[s]
        codes = [c for c in street.ward_codes if districts is None or index.ward_district_codes[c] & districts]
        if codes:
            lists.append(codes)
    if not lists:
        return []
    common = [c for c in lists[0] if all(c in other for other in lists[1:])]
    rest = [c for codes in lists for c in codes if c not in common]
    return list(dict.fromkeys(common + rest))


def _evidence_first(options: list[WardOption], order: list[str]) -> list[WardOption]:
    """Options reordered so that wards the streets cross come first (stable otherwise)."""
    if not order:
        return options
    rank = {code: n for n, code in enumerate(order)}
    return sorted(options, key=lambda o: rank.get(o.code, len(rank)))


def _old_path(index: GeoIndex, old_codes: list[str], order: list[str] | None = None) -> Resolution:
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
    return Resolution(CHOOSE, kind, tuple(_evidence_first(options, order or [])))


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


def _resolve_place(index: GeoIndex, place: list[_Mention]) -> Resolution:
    """One place's mentions to a Resolution."""
    hanoi = any(m.hanoi for m in place)
    outside = [m for m in place if m.outside]
    hard_outside = [m for m in outside if not m.is_area and not m.streets or m.prefix in {"province", "city"}
                    and not m.districts]
    area = [m for m in place if (m.is_area or m.streets) and not m.hanoi]
    if outside and not hanoi and (hard_outside or not any(m.districts or m.prefix for m in area if not m.outside)):
        return Resolution(NOT_FOUND, "outside", outside_hanoi=True, outside=outside[-1].outside)
    area = [m for m in area if m.is_area or m.streets]
    if not area:
        return Resolution(NOT_FOUND, "hanoi" if hanoi else "")
    reading = _best_reading(index, area)
    if reading is None:
        return Resolution(NOT_FOUND, "hanoi" if hanoi else "")
    street_names = tuple(dict.fromkeys(index.streets[s].name for s in reading.streets))
    order = _street_order(index, reading.streets, reading.districts)
    if reading.new is not None:
        new = reading.new
        via = None
        if reading.old is not None:
            via = next((index.old_wards[o] for o in reading.old
                        if any(c in index.old_wards[o].successors for c in new)), None)
        options = _evidence_first([_option(index, c, via) for c in new], order)
        if len(options) == 1:
            kind = "old_ward" if via else "ward"
            return Resolution(RESOLVED, kind, tuple(options), streets=street_names)
        return Resolution(CHOOSE, "ward", tuple(options), streets=street_names)
    if reading.old is not None:
        r = _old_path(index, reading.old, order)
        return Resolution(r.status, r.kind, r.candidates, streets=street_names)
    if reading.districts:
        r = _district_path(index, sorted(reading.districts))
        if order:
            return Resolution(CHOOSE, "street", tuple(_evidence_first(list(r.candidates), order)),
                              streets=street_names)
        return r
    if order:
        return Resolution(CHOOSE, "street", tuple(_option(index, c, is_default=n == 0) for n, c in enumerate(order)),
                          streets=street_names)
    return Resolution(NOT_FOUND, "hanoi" if hanoi else "")


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

    folded = fold(text)
    named_hanoi = "ha noi" in folded or "hanoi" in folded
    bare = parse(text, "LEGACY", 3)
    if bare is not None and bare.province_code and bare.province_code != HANOI_CODE and not named_hanoi:
        return Resolution(NOT_FOUND, "outside", outside_hanoi=True)
    hanoi_text = text if named_hanoi else f"{text}, Hà Nội"
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


def _place_text(place: list[_Mention]) -> str:
    """The names a place was read from, as typed."""
    return ", ".join(m.typed for m in place)


def resolve_places(text: str | None, index: GeoIndex | None = None) -> list[Resolution]:
    """Every place a text names, each resolved on its own ("Cầu Giấy / Hà Đông" gives two; "Hà Nội, Hồ Chí Minh"
    gives Hanoi and a place outside Hanoi). Empty when the text names no place at all."""
    text = clean(text)[:MAX_ADDRESS_CHARS]
    if not text:
        return []
    return _places(index or get_index(), text)


def _places(index: GeoIndex, text: str) -> list[Resolution]:
    """resolve_places on a cleaned text."""
    mentions = _scan(index, text)
    out = []
    for place in _group(index, mentions):
        r = _resolve_place(index, place)
        out.append(Resolution(r.status, r.kind, r.candidates, r.outside_hanoi, r.outside, r.streets,
                              _place_text(place)))
    if not any(r.candidates or r.outside_hanoi for r in out):
        fallback = _parser_fallback(index, text)
        if fallback.candidates or fallback.outside_hanoi:
            return [Resolution(fallback.status, fallback.kind, fallback.candidates, fallback.outside_hanoi,
                               text=text)]
    return out


def resolve_address(text: str | None, index: GeoIndex | None = None) -> Resolution:
    """Resolve a typed address (new or old, with or without diacritics) to a 2025 ward or a choice of wards.

    A 2025 ward name resolves to that ward; an old ward resolves to its successor when it went whole, or offers its
    successors (default first) when it was split; a former district alone offers the wards it went into, and
    streets put the wards they cross first. A text naming several workplaces gives a choice (kind "places") of
    each place's wards, each place's best first, with the places themselves in `places`.
    """
    text = clean(text)[:MAX_ADDRESS_CHARS]
    if not text:
        return Resolution(EMPTY)
    index = index or get_index()
    places = _places(index, text)
    found = [p for p in places if p.candidates]
    if len(found) == 1:
        return found[0]
    if found:
        heads = [p.candidates[0] for p in found]
        tails = [c for p in found for c in p.candidates[1:]]
        options: list[WardOption] = []
        for option in heads + tails:
            if all(o.code != option.code for o in options):
                options.append(option)
        return Resolution(CHOOSE, "places", tuple(options), outside_hanoi=any(p.outside_hanoi for p in places),
                          places=tuple(places))
    outside = next((p for p in places if p.outside_hanoi), None)
    if outside is not None and not any(p.kind == "hanoi" for p in places):
        return Resolution(NOT_FOUND, "outside", outside_hanoi=True, outside=outside.outside, places=tuple(places))
    return Resolution(NOT_FOUND, "hanoi" if any(p.kind == "hanoi" for p in places) else "",
                      places=tuple(places) if len(places) > 1 else ())
