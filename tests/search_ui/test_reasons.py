"""The reasons module: Parts and a little context become short phrases, in Vietnamese and in English (no app needed)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from jobmarket.search.reasons import (VACANCIES_FOR_WORKER, WORKERS_FOR_VACANCY, Area, ReasonContext, explain,
                                      format_km, summary)
from jobmarket.search.scoring import Parts

NOW = datetime(2026, 3, 10, 9, 0)
YEN_HOA = Area("00175", "Phường Yên Hòa", "Yen Hoa", "005", "Cầu Giấy", "Cau Giay")
CAU_GIAY = Area("00166", "Phường Cầu Giấy", "Cau Giay", "005", "Cầu Giấy", "Cau Giay")
LANG = Area("00199", "Phường Láng", "Lang", "006", "Đống Đa", "Dong Da")
DONG_ANH = Area("00454", "Xã Đông Anh", "Dong Anh", "017", "Đông Anh", "Dong Anh")
ADJACENT = frozenset({frozenset({"005", "006"})})
LABELS = {1: "Kế toán tổng hợp", 2: "Kế toán thuế", 3: "Excel", 4: "Word", 5: "Hàn điện", 6: "Tin học văn phòng"}


def parts(matched=(1, 2, 3, 4), missing=(5,), nice=(), km=2.1, location=0.76) -> Parts:
    """Parts as the scorer would give them."""
    return Parts(skills=0.8, location=location, wage=1.0, freshness=0.93, matched_required=list(matched),
                 missing_required=list(missing), matched_nice=list(nice), distance_km=km)


def ctx(**changes) -> ReasonContext:
    """A worker in Yên Hòa looking at a vacancy in the ward of Cầu Giấy, posted three days ago."""
    values = dict(direction=VACANCIES_FOR_WORKER, skill_labels=LABELS, vacancy_area=CAU_GIAY, worker_areas=[YEN_HOA],
                  adjacent_districts=ADJACENT, expected_wage=11_000_000, offered_wage=12_000_000,
                  moment=NOW - timedelta(days=3, hours=2), now=NOW)
    values.update(changes)
    return ReasonContext(**values)


def test_the_issue_example_in_vietnamese():
    reasons = explain(parts(), ctx(), "vi")
    assert summary(reasons) == "4/5 kỹ năng yêu cầu · cách 2,1 km · cùng khu vực Cầu Giấy · lương phù hợp · " \
                               "đăng 3 ngày trước"


def test_the_issue_example_in_english():
    reasons = explain(parts(), ctx(), "en")
    assert summary(reasons) == "4/5 required skills · 2.1 km away · same area: Cau Giay · wage fits · posted 3 days ago"


def test_skill_names_matched_missing_and_nice():
    reasons = explain(parts(matched=(1, 2), missing=(5,), nice=(3,)), ctx(), "vi")
    details = {r.kind: r for r in reasons if r.kind in ("matched", "missing", "nice")}
    assert details["matched"].text == "Bạn có: Kế toán tổng hợp, Kế toán thuế" and details["matched"].positive
    assert details["missing"].text == "Còn thiếu: Hàn điện" and not details["missing"].positive
    assert details["nice"].text == "Kỹ năng ưu tiên đạt: Excel"
    english = {r.kind: r.text for r in explain(parts(matched=(1,), missing=(5,), nice=()),
                                              ctx(skill_labels={1: "General accounting", 5: "Arc welding"}), "en")}
    assert english["matched"] == "You have: General accounting" and english["missing"] == "Missing: Arc welding"
    # The details are not part of the one-line summary.
    assert "Bạn có" not in summary(reasons)


def test_employer_view_names_the_candidate_side():
    reasons = explain(parts(matched=(1,), missing=()), ctx(direction=WORKERS_FOR_VACANCY, expected_wage=14_000_000,
                                                           moment=NOW - timedelta(hours=5)), "vi")
    texts = [r.text for r in reasons]
    assert "Có: Kế toán tổng hợp" in texts
    assert "mong muốn cao hơn 2.000.000 ₫" in texts
    assert "hoạt động hôm nay" in texts
    english = summary(explain(parts(matched=(1,), missing=()),
                              ctx(direction=WORKERS_FOR_VACANCY, expected_wage=14_000_000,
                                  moment=NOW - timedelta(days=1, hours=1)), "en"))
    assert english == "1/1 required skills · 2.1 km away · same area: Cau Giay · expects 2.000.000 ₫ more · " \
                      "active yesterday"


def test_same_ward_replaces_the_distance():
    reasons = explain(parts(km=0.0, location=1.0), ctx(worker_areas=[CAU_GIAY]), "vi")
    assert [r.kind for r in reasons if r.kind in ("distance", "area")] == ["area"]
    assert next(r.text for r in reasons if r.kind == "area") == "cùng phường Cầu Giấy"
    english = explain(parts(km=0.0, location=1.0), ctx(worker_areas=[CAU_GIAY]), "en")
    assert next(r.text for r in english if r.kind == "area") == "same ward: Cau Giay"


def test_neighbouring_former_district_and_far_away():
    near = explain(parts(km=3.4, location=0.48), ctx(vacancy_area=LANG), "vi")
    assert "khu vực lân cận Đống Đa" in [r.text for r in near]
    assert "neighbouring area: Dong Da" in [r.text for r in explain(parts(km=3.4), ctx(vacancy_area=LANG), "en")]
    far = explain(parts(km=14.0, location=0.0), ctx(vacancy_area=DONG_ANH), "vi")
    assert not [r for r in far if r.kind == "area"]
    distance = next(r for r in far if r.kind == "distance")
    assert distance.text == "cách 14,0 km" and not distance.positive


def test_the_closest_of_the_workers_places_counts():
    # Lives far away in Đông Anh, but also prefers to work in the ward of the vacancy.
    reasons = explain(parts(km=0.0, location=1.0), ctx(worker_areas=[DONG_ANH, CAU_GIAY]), "vi")
    assert next(r.text for r in reasons if r.kind == "area") == "cùng phường Cầu Giấy"


def test_wage_phrases():
    short = explain(parts(), ctx(expected_wage=13_500_000, offered_wage=12_000_000), "vi")
    wage = next(r for r in short if r.kind == "wage")
    assert wage.text == "lương thấp hơn mong muốn 1.500.000 ₫" and not wage.positive
    assert next(r.text for r in explain(parts(), ctx(expected_wage=13_500_000), "en") if r.kind == "wage") == \
        "wage 1.500.000 ₫ below expectation"
    assert not [r for r in explain(parts(), ctx(expected_wage=None), "vi") if r.kind == "wage"]
    assert not [r for r in explain(parts(), ctx(offered_wage=None), "vi") if r.kind == "wage"]
    exact = explain(parts(), ctx(expected_wage=12_000_000, offered_wage=12_000_000), "vi")
    assert next(r.text for r in exact if r.kind == "wage") == "lương phù hợp"


@pytest.mark.parametrize("age,vi,en", [
    (timedelta(hours=3), "đăng hôm nay", "posted today"),
    (timedelta(days=1, hours=2), "đăng hôm qua", "posted yesterday"),
    (timedelta(days=12), "đăng 12 ngày trước", "posted 12 days ago"),
    (timedelta(days=95), "đăng 3 tháng trước", "posted 3 months ago"),
    (timedelta(days=-2), "đăng hôm nay", "posted today"),  # a clock a little ahead is not the future
])
def test_freshness(age, vi, en):
    assert next(r.text for r in explain(parts(), ctx(moment=NOW - age), "vi") if r.kind == "freshness") == vi
    assert next(r.text for r in explain(parts(), ctx(moment=NOW - age), "en-GB") if r.kind == "freshness") == en


def test_nothing_is_said_about_what_is_unknown():
    reasons = explain(parts(km=None, location=0.0), ctx(worker_areas=[], moment=None, expected_wage=None), "vi")
    assert [r.kind for r in reasons] == ["skills", "matched", "missing"]


def test_a_vacancy_with_only_nice_to_have_skills():
    reasons = explain(parts(matched=(), missing=(), nice=(3, 4)), ctx(), "vi")
    assert reasons[0].text == "2 kỹ năng ưu tiên"
    assert explain(parts(matched=(), missing=(), nice=(3,)), ctx(), "en")[0].text == "1 nice-to-have skill"


def test_no_required_skill_met_is_not_positive():
    reasons = explain(parts(matched=(), missing=(1, 2)), ctx(), "vi")
    assert reasons[0].text == "0/2 kỹ năng yêu cầu" and not reasons[0].positive


def test_unknown_skill_ids_still_read():
    reasons = explain(parts(matched=(99,), missing=()), ctx(skill_labels={}), "vi")
    assert "Bạn có: #99" in [r.text for r in reasons]


def test_format_km():
    assert format_km(2.14, "vi") == "2,1" and format_km(2.15, "en") in ("2.1", "2.2") and format_km(0, "vi") == "0,0"
