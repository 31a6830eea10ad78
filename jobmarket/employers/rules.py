"""Checks a vacancy must pass to be published: no sex demanded, no wage below the minimum, fee wording flagged.

Pure functions over text and numbers, no database: the services call them and decide what to do.
Matching works on lower-cased NFC text. Each Vietnamese word of a pattern matches either its exact spelling or
its bare ASCII form (people type without diacritics), but never a *different* diacritic spelling: the pattern
word "nam" (male) matches "nam" and never "năm" (year); "nữ" matches "nữ" and "nu".
Neutral phrases ("nam/nữ", "không phân biệt nam nữ") and place names ("Nam Từ Liêm", "Hà Nam", "miền Nam")
are masked before the demand patterns run, so they never count.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Sequence

from ..text import fold, nfc

BARRIER = " ¦ "  # sentence breaks: a phrase never spans them
_WORD_CHARS = r"\w"


def normalise(text: str | None) -> str:
    """Lower-case NFC text; sentence punctuation becomes a barrier, other punctuation a space ('/' and '&' kept)."""
    value = nfc(text or "").lower()
    value = re.sub(r"[.;!?\n\r•·]+", BARRIER, value)
    value = re.sub(r"[^\w/&+¦]+", " ", value)
    value = re.sub(r"\s*([/&+])\s*", r" \1 ", value)
    return re.sub(r"\s+", " ", value).strip()


def _word(word: str) -> str:
    """Regex for one pattern word: its exact spelling or its ASCII fold."""
    folded = fold(word)
    options = [re.escape(word)] if folded == word else [re.escape(word), re.escape(folded)]
    return "(?:" + "|".join(options) + ")"


def _phrase(phrase: str) -> str:
    """Regex for a phrase of words separated by spaces; '\\d' tokens mean a number."""
    parts = []
    for token in phrase.split():
        parts.append(r"\d{1,2}" if token == r"\d" else _word(token))
    return r"\s+".join(parts)


def _alt(phrases: Iterable[str]) -> str:
    """Alternation of phrases, longest first so the longest wins."""
    return "(?:" + "|".join(_phrase(p) for p in sorted(set(phrases), key=len, reverse=True)) + ")"


def _bounded(pattern: str) -> re.Pattern:
    """Compile pattern so it starts and ends at word boundaries (Vietnamese letters count as word characters)."""
    return re.compile(rf"(?<!{_WORD_CHARS}){pattern}(?!{_WORD_CHARS})")


# --- Sex demands -------------------------------------------------------------------------------------------------

MALE = ["nam", "nam giới", "phái nam", "đàn ông", "con trai", "giới tính nam"]
FEMALE = ["nữ", "nữ giới", "phái nữ", "phụ nữ", "đàn bà", "con gái", "chị em", "giới tính nữ"]
SEX = _alt(MALE + FEMALE)

# Places and words that contain "nam" or "nữ" without meaning a sex (Hanoi wards, provinces, regions, nouns).
NOT_SEX = [
    "nam từ liêm", "bắc từ liêm", "hà nam", "cửa nam", "lĩnh nam", "nam phù", "nam định", "quảng nam", "việt nam",
    "miền nam", "phía nam", "hướng nam", "nam bộ", "nam trung bộ", "tây nam bộ", "đông nam bộ",
    "nam á", "đông nam á", "nam mỹ", "nam phi", "nam hàn", "nam sách", "phương nam", "sơn nam",
    "nam đồng", "nam hồng", "nam thăng long", "nam an khánh", "nam cao", "nam dư", "nam trung yên", "vân nam",
    "thanh nam", "nam sơn", "nam triều", "nam châm", "kim chỉ nam", "nam bắc", "bắc nam", "nam tiến", "nam việt",
    "nam long", "nam hải", "nam trực", "nam hà", "hải nam", "trường nam", "thành nam", "nam thành",
    "hội phụ nữ", "hội liên hiệp phụ nữ", "ngày phụ nữ", "quốc tế phụ nữ", "nữ hoàng", "thời trang nữ",
    "quần áo nữ", "giày nữ", "đồ nữ", "thời trang nam", "quần áo nam", "giày nam", "đồ nam", "anh chị em",
]
# A person called Nam ("liên hệ anh Nam").
NAME_TITLES = ["anh", "chị", "ông", "bà", "em", "cô", "chú", "bác", "mr", "ms", "mrs"]

_SEX_JOIN = r"\s+(?:/|&|\+|hoặc|hoac|hay|và|va|lẫn|lan|cũng như|cung nhu|-)?\s*"
NEUTRAL_SEX = [
    _bounded(rf"(?:{_word('cả')}\s+)?{SEX}{_SEX_JOIN}{SEX}"),
    _bounded(_alt(["không phân biệt giới tính", "không yêu cầu giới tính", "mọi giới tính", "bất kể giới tính",
                   "không giới hạn giới tính"])),
    re.compile(r"\b(?:male\s*(?:/|or|and|&)\s*female|female\s*(?:/|or|and|&)\s*male|men\s+(?:and|or|&)\s+women|"
               r"women\s+(?:and|or|&)\s+men|m\s*/\s*f|any\s+gender|all\s+genders|regardless\s+of\s+(?:gender|sex)|"
               r"both\s+genders|both\s+(?:male|men)\s+and\s+(?:female|women)|equal\s+opportunit\w*)\b"),
    _bounded(_alt(NOT_SEX)),
    _bounded(rf"{_alt(NAME_TITLES)}\s+{_word('nam')}"),
]

_HIRE = _alt(["tuyển", "tuyển dụng", "tuyển gấp", "cần tuyển", "cần tuyển gấp", "chỉ tuyển", "nhận", "chỉ nhận",
              "cần", "chỉ cần", "tìm", "cần tìm", "thuê", "cần thuê", "chỉ nhận hồ sơ", "nhận hồ sơ"])
_WHO = _alt(["người", "bạn", "các bạn", "lao động", "người lao động", "nhân viên", "ứng viên", "công nhân",
             "thợ", "bảo vệ", "tài xế", "lái xe", "phục vụ", "lễ tân", "giúp việc", "tạp vụ", "kỹ thuật viên",
             "kỹ sư", "kế toán", "thu ngân", "bán hàng", "sinh viên", "học sinh", "nhân sự", "trợ lý", "thư ký",
             "điều dưỡng", "giáo viên", "quản lý", "công nhân viên", "nhân công", "thực tập sinh", "shipper"])
_ASK = _alt(["ưu tiên", "chỉ ưu tiên", "yêu cầu", "chỉ", "giới tính", "dành cho", "chỉ dành cho", "phù hợp với",
             "thích hợp với", "chỉ phù hợp", "phù hợp cho", "chỉ dành riêng cho", "dành riêng cho", "đối tượng"])
_NOT_YEAR = r"(?!\s+\d{3,})"

SEX_DEMANDS = [
    # "chỉ tuyển nam", "tuyển nữ", "cần 2 nữ", "tuyển gấp 5 lao động nam"
    _bounded(rf"{_HIRE}(?:\s+\d{{1,3}})?(?:\s+{_WHO})?\s+{SEX}{_NOT_YEAR}"),
    # "ưu tiên nữ", "yêu cầu nam", "giới tính nam", "ưu tiên ứng viên nữ", "dành cho phụ nữ"
    _bounded(rf"{_ASK}(?:\s+{_WHO})?\s+{SEX}{_NOT_YEAR}"),
    # "nhân viên nữ", "lao động nam", "bảo vệ nam"
    _bounded(rf"{_WHO}\s+{SEX}{_NOT_YEAR}"),
    # "nam giới", "nữ giới", "phái nữ" on their own are always about sex
    _bounded(_alt(["nam giới", "nữ giới", "phái nam", "phái nữ"])),
    # "nữ từ 18 đến 30 tuổi", "nam 18-35 tuổi", "nữ dưới 30", "nam độ tuổi"
    _bounded(rf"{SEX}\s+(?:(?:{_alt(['từ', 'dưới', 'trên', 'tuổi từ', 'tuổi'])})\s+)?\d{{1,2}}"
             rf"(?:\s*(?:-|{_alt(['đến', 'tới'])})\s*\d{{1,2}})?(?:\s+{_alt(['tuổi'])})?(?!\d)"),
    _bounded(rf"{SEX}\s+{_alt(['độ tuổi', 'tuổi'])}"),
    # "nữ ưu tiên", "nam được ưu tiên", "nữ là lợi thế"
    _bounded(rf"{SEX}\s+{_alt(['ưu tiên', 'được ưu tiên', 'là lợi thế', 'là một lợi thế'])}"),
    # English
    re.compile(r"\b(?:males?|females?|men|women|man|woman|boys?|girls?|lad(?:y|ies)|gentlemen)\s+only\b"),
    re.compile(r"\bonly\s+(?:hire\s+|hiring\s+|accept\s+|accepting\s+|for\s+)?(?:males?|females?|men|women|lad(?:y|ies))\b"),
    re.compile(r"\b(?:male|female)\s+(?:candidates?|applicants?|staff|workers?|employees?|preferred|required|"
               r"needed|wanted|only)\b"),
    re.compile(r"\b(?:prefer(?:ably|red)?|must\s+be|should\s+be|looking\s+for|seeking|hiring|we\s+need|gender|sex)"
               r"\s*:?\s+(?:an?\s+)?(?:males?|females?|men|women|man|woman|lad(?:y|ies))\b"),
]


def _mask(text: str, patterns: Sequence[re.Pattern]) -> str:
    """Replace every match of patterns with a barrier, so no demand pattern can use those words."""
    for pattern in patterns:
        text = pattern.sub(BARRIER, text)
    return text


def _findall(texts: Iterable[str | None], neutral: Sequence[re.Pattern], flags: Sequence[re.Pattern]) -> list[str]:
    """Phrases of texts matched by flags once neutral phrases are masked; a phrase inside a longer one is dropped."""
    found: list[str] = []
    for text in texts:
        masked = _mask(normalise(text), neutral)
        for pattern in flags:
            found.extend(m.group(0).strip() for m in pattern.finditer(masked))
    unique = list(dict.fromkeys(found))
    return [p for p in unique if not any(p != other and p in other for other in unique)]


def sex_demands(*texts: str | None) -> list[str]:
    """The phrases of texts that ask for a particular sex (empty when there are none)."""
    return _findall(texts, NEUTRAL_SEX, SEX_DEMANDS)


# --- Fees, deposits and too-good-to-be-true promises --------------------------------------------------------------

FEE_PHRASES = [
    "đặt cọc", "tiền cọc", "cọc trước", "cọc tiền", "ký quỹ", "tiền ký quỹ", "thế chân", "tiền thế chân",
    "tiền thế chấp", "phí hồ sơ", "phí đào tạo", "phí giới thiệu", "phí môi giới", "phí đăng ký", "phí tuyển dụng",
    "phí xử lý hồ sơ", "phí nhận việc", "phí giữ chỗ", "lệ phí", "phí đồng phục", "tiền đồng phục",
    "mua đồng phục", "nộp tiền", "đóng tiền", "nộp phí", "đóng phí", "thu phí", "mất phí", "chuyển khoản trước",
    "giữ bằng", "giữ bằng gốc", "giữ giấy tờ", "giữ căn cước", "giữ cccd", "giữ cmnd", "nộp bằng gốc",
    "nộp bản gốc", "thu giữ giấy tờ",
]
TOO_GOOD = ["việc nhẹ lương cao", "lương cao việc nhẹ", "việc nhàn lương cao", "việc nhẹ thu nhập cao",
            "việc nhẹ lương khủng", "ngồi nhà kiếm tiền", "việc nhẹ lương hấp dẫn"]
_NEGATOR = _alt(["không", "miễn", "chẳng", "khỏi", "không hề", "tuyệt đối không", "cam kết không", "hoàn toàn không"])
_NEG_VERB = _alt(["thu", "mất", "cần", "phải", "yêu cầu", "đòi", "đòi hỏi", "đóng", "nộp", "có", "lấy", "thu bất kỳ",
                  "yêu cầu đóng", "yêu cầu nộp", "phải đóng", "phải nộp", "cần đóng", "cần nộp"])
NEUTRAL_FEE = [
    _bounded(rf"{_NEGATOR}(?:\s+{_NEG_VERB})?(?:\s+{_alt(['bất kỳ', 'bất cứ', 'khoản', 'loại', 'tiền', 'bất kỳ khoản'])})?"
             rf"\s+{_alt(FEE_PHRASES)}"),
    _bounded(rf"{_alt(['phí đào tạo', 'đào tạo', 'phí hồ sơ', 'hồ sơ'])}\s+{_alt(['miễn phí', 'free'])}"),
    re.compile(r"\b(?:no|without|free\s+of|never|not|zero)\s+(?:any\s+|an?\s+|upfront\s+)?(?:\w+\s+)?"
               r"(?:fees?|deposits?|charges?|payments?)\b"),
    re.compile(r"\bfree\s+(?:training|registration|application|uniforms?)\b"),
]
FEE_FLAGS = [
    _bounded(_alt(FEE_PHRASES)),
    _bounded(_alt(TOO_GOOD)),
    re.compile(r"\b(?:deposit|(?:registration|training|application|processing|recruitment|placement|uniform|"
               r"admin(?:istration)?|agency)\s+fees?|pay\s+(?:a\s+|the\s+)?fees?|upfront\s+payment|pay\s+upfront|"
               r"(?:easy|light)\s+(?:work|jobs?)\s*,?\s+high\s+(?:pay|salary|income))\b"),
]


def fee_flags(*texts: str | None) -> list[str]:
    """Phrases of texts that ask job seekers for money or deposits, or promise easy work for high pay."""
    return _findall(texts, NEUTRAL_FEE, FEE_FLAGS)


# --- Minimum wage ------------------------------------------------------------------------------------------------

# Part-time work is paid for fewer hours than the monthly minimum assumes (the decree sets an hourly minimum for it),
# so a part-time vacancy's monthly wage is not held to the monthly minimum.
EXEMPT_JOB_TYPES = frozenset({"part_time"})


def minimum_wage_on(day: date, table: Sequence[Sequence]) -> int | None:
    """The monthly minimum wage in force on day: the latest (effective date, amount) entry on or before it."""
    best: tuple[date, int] | None = None
    for effective, amount in table:
        effective_date = effective if isinstance(effective, date) else date.fromisoformat(str(effective))
        if effective_date <= day and (best is None or effective_date > best[0]):
            best = (effective_date, int(amount))
    return best[1] if best else None


def wage_below_minimum(wage_min: int | None, wage_max: int | None, job_type: str | None, day: date,
                       table: Sequence[Sequence]) -> int | None:
    """The minimum the offer falls below (its lowest figure counts), or None when it is lawful or exempt."""
    if job_type in EXEMPT_JOB_TYPES:
        return None
    minimum = minimum_wage_on(day, table)
    lowest = wage_min if wage_min is not None else wage_max
    if minimum is None or lowest is None:
        return None
    return minimum if lowest < minimum else None
