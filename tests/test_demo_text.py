"""Demo vacancy text reads like Vietnamese job boards (sections, bullets, shorthand, old districts) and is seeded."""
from __future__ import annotations

import random
import re
from datetime import timedelta

from sqlalchemy import select

from jobmarket import demo_text
from jobmarket.demo import CATEGORY_MIX, TITLES, generate
from jobmarket.models import Vacancy
from jobmarket.models._common import utcnow
from jobmarket.text import fold

DISTRICTS = ["Cầu Giấy", "Đống Đa", "Đông Anh", "Ba Vì", "Nam Từ Liêm", "Hà Đông", "Sơn Tây", "Mê Linh"]


def _sample(seed: int, n: int = 300) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        category = rng.choice(sorted(CATEGORY_MIX))
        title = rng.choice(TITLES[category])
        district = rng.choice(DISTRICTS)
        wage = rng.randint(5, 20) * 1_000_000
        out.append((demo_text.posting_title(rng, title, district, wage, wage + 3_000_000, 2),
                    demo_text.description(rng, category, title, district, "Nghĩa Đô", wage, wage + 3_000_000, 2,
                                          rng.choice(["full_time", "part_time", "shift", "seasonal"]))))
    return out


def test_same_seed_same_text_other_seed_other_text():
    assert _sample(1, 40) == _sample(1, 40)
    assert _sample(1, 40) != _sample(2, 40)


def test_board_styles_appear():
    texts = [d for _, d in _sample(3)]
    joined = "\n".join(texts)
    for heading in ("MÔ TẢ CÔNG VIỆC", "1. Mô tả công việc:", "[Mô tả công việc]", "Yêu cầu", "Quyền lợi",
                    "Requirements", "Benefit"):
        assert heading in joined, heading
    for shorthand in ("NV", "BHXH", "KPI", "CV", "T2-T6", "tr", "KN"):
        assert shorthand in joined, shorthand
    assert re.search(r"\b\d{1,2}-\d{1,2}tr\b", joined)  # "10-15tr"
    assert re.search(r"\d{1,3}(\.000){2} - \d{1,3}(\.000){2} VNĐ", joined)
    assert re.search(r"(Q\. ?|quận )(Cầu Giấy|Đống Đa|Nam Từ Liêm|Hà Đông)", joined)  # former districts
    assert "huyện Đông Anh" in joined or "huyện Mê Linh" in joined
    assert all(t.count("\n\n") >= 3 for t in texts), "every description has several paragraphs"
    bullets = sum(1 for t in texts if re.search(r"^[-•+✔★] ", t, re.M))
    assert bullets > len(texts) / 2
    titles = [t for t, _ in _sample(3)]
    assert any(t.startswith("Tuyển gấp") for t in titles) and any(t.startswith("[") for t in titles)
    assert any(" NV " in f" {t} " for t in titles)


def test_no_contact_details_in_the_text():
    for title, text in _sample(4):
        assert not re.search(r"\b0\d{9}\b|@", title + text)


def test_demo_seed_has_recent_open_vacancies_with_deadlines_ahead(db):
    now = utcnow()
    generate(workers=40, vacancies=120, seed=9, now=now)
    vacancies = list(db.session.scalars(select(Vacancy)))
    open_ones = [v for v in vacancies if v.status == "open"]
    assert len(open_ones) >= 0.6 * len(vacancies)
    for v in open_ones:
        assert now - timedelta(days=60) <= v.published_at <= now
        assert v.deadline > v.published_at.date() and v.deadline >= now.date()
    for v in vacancies:
        assert v.description.count("\n\n") >= 3
        assert fold(v.title)
    styles = {v.description.split("\n", 1)[0][:12] for v in vacancies}
    assert len(styles) > 5
