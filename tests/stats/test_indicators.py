"""Every indicator against the hand computation, for every period kind and with and without each filter."""
from __future__ import annotations

from datetime import date

import pytest

from jobmarket.stats import queries

from .world import DISTRICT, Filters, band, expected_groups, expected_headline, expected_series, expected_skill_gap

PERIODS = [
    ({"period": "month", "month": "2025-06"}, date(2025, 6, 1), date(2025, 6, 30)),
    ({"period": "month", "month": "2025-05"}, date(2025, 5, 1), date(2025, 5, 31)),
    ({"period": "month", "month": "07/2025"}, date(2025, 7, 1), date(2025, 7, 31)),
    ({"period": "quarter", "year": "2025", "quarter": "2"}, date(2025, 4, 1), date(2025, 6, 30)),
    ({"period": "year", "year": "2025"}, date(2025, 1, 1), date(2025, 12, 31)),
    ({"period": "year", "year": "2024"}, date(2024, 1, 1), date(2024, 12, 31)),
    ({"period": "custom", "start": "10/06/2025", "end": "2025-06-20"}, date(2025, 6, 10), date(2025, 6, 20)),
]
FILTERS = [
    {}, {"district": "001"}, {"district": "005"}, {"district": "017"}, {"ward": "00166"}, {"ward": "00008"},
    {"district": "005", "ward": "00166"}, {"occupation": "7"}, {"occupation": "72"}, {"occupation": "2"},
    {"occupation": "24"}, {"occupation": "9"}, {"sex": "female"}, {"sex": "male"}, {"sex": "other"},
    {"sex": "unknown"}, {"age": "15-24"}, {"age": "25-34"}, {"age": "35-44"}, {"age": "55+"}, {"age": "unknown"},
    {"education": "university"}, {"education": "vocational"}, {"education": "unknown"},
    {"district": "005", "sex": "male"}, {"occupation": "7", "age": "25-34"}, {"ward": "00454", "education": "vocational"},
]

COUNT_FIELDS = ("active_seekers", "new_registrations", "vacancies_notified", "positions_offered", "positions_filled",
                "placements")


def _oracle_filters(args: dict, first: date, last: date) -> Filters:
    return Filters(first, last, args.get("district"), args.get("ward"), args.get("occupation"), args.get("sex"),
                   args.get("age"), args.get("education"))


def _nonzero(groups: dict) -> dict:
    out = {}
    for key, counts in groups.items():
        values = counts if isinstance(counts, dict) else {k: getattr(counts, k) for k in COUNT_FIELDS}
        if any(values.values()):
            out[key] = values
    return out


def _approx(a, b):
    return a == b if a is None or b is None else abs(a - b) < 1e-5


@pytest.mark.parametrize("args", FILTERS, ids=lambda a: ",".join(f"{k}={v}" for k, v in a.items()) or "none")
def test_every_indicator_matches_the_hand_computation(world, ref, filters, args):
    _check_every_indicator(world, ref, filters, args)


@pytest.mark.parametrize("from_counts", [True, False], ids=["kept-counts", "base-tables"])
def test_stocks_and_demand_from_the_kept_counts_or_the_base_tables_match_the_hand_computation(
        world, ref, filters, monkeypatch, from_counts):
    """Without filters the stocks of job seekers, the skill supply and the skill demand come from the trigger-kept
    figures of now, corrected by what happened since the period's end, or (a period far back) from the base
    tables; the flows of whole months from the kept monthly flows or from the base tables: both ways give the
    hand-computed figures, for every period."""
    monkeypatch.setattr(queries, "_stock_from_counts", lambda f, ref: from_counts)
    monkeypatch.setattr(queries, "_demand_from_counts", lambda f, ref: from_counts)
    if not from_counts:
        monkeypatch.setattr(queries, "KEPT_FLOWS", False)
    _check_every_indicator(world, ref, filters, {})


def test_whole_month_periods_read_the_kept_flows_and_custom_ones_the_base_tables(world, ref, filters, monkeypatch):
    """A month, quarter or year is the sum of its months' kept flows; a custom period cuts months."""
    assert queries._flows_for(filters(period="month", month="2025-06")) == ["2025-06"]
    assert queries._flows_for(filters(period="quarter", year="2025", quarter="2")) == ["2025-04", "2025-05", "2025-06"]
    assert len(queries._flows_for(filters(period="year", year="2025"))) == 12
    assert queries._flows_for(filters(period="custom", start="2025-06-01", end="2025-06-30")) is None
    # The unfiltered June dashboard reads no registration, vacancy, placement or application rows for its flows.
    read = []
    monkeypatch.setattr(queries, "_flow_groups", lambda d, m, g=queries._flow_groups: read.append(d) or g(d, m))
    queries.area_breakdown(filters(period="month", month="2025-06"), ref)
    assert read == ["reg_ward", "vac_ward", "place_area"]
    read.clear()
    queries.area_breakdown(filters(period="month", month="2025-06", sex="female"), ref)
    assert read == []  # sex filters job seekers and placements; vacancies do not follow it


def test_open_datas_monthly_flows_are_the_same_from_the_kept_flows_and_the_base_tables(world, monkeypatch):
    """What open data publishes per month (city-wide, no filters) read both ways."""
    months = [date(2025, m, 1) for m in range(1, 13)] + [date(2024, 6, 1)]
    kept = queries.monthly_flows(months)
    monkeypatch.setattr(queries, "KEPT_FLOWS", False)
    assert kept == queries.monthly_flows(months)
    assert sum(m.new_registrations for m in kept) > 0 and sum(m.placements for m in kept) > 0
    assert sum(m.applications_responded for m in kept) > 0 and sum(m.positions_offered for m in kept) > 0


def test_the_kept_counts_serve_recent_periods_and_the_base_tables_old_ones(world, ref, filters):
    """Registrations run from June 2024 to July 2025: July 2025 is read from the counts, July 2024 from the
    profiles, and any filter on job seekers reads the profiles (any area or occupation filter, the vacancies)."""
    recent, old = filters(period="month", month="2025-07"), filters(period="month", month="2024-07")
    assert queries._stock_from_counts(recent, ref) and queries._demand_from_counts(recent, ref)
    assert queries._stock_from_counts(filters(period="year", year="2025"), ref)
    assert not queries._stock_from_counts(old, ref) and not queries._demand_from_counts(old, ref)
    assert not queries._stock_from_counts(filters(period="month", month="2025-07", sex="female"), ref)
    assert queries._demand_from_counts(filters(period="month", month="2025-07", sex="female"), ref)
    assert not queries._stock_from_counts(filters(period="month", month="2025-07", district="005"), ref)
    assert not queries._demand_from_counts(filters(period="month", month="2025-07", occupation="7"), ref)


def _check_every_indicator(world, ref, filters, args):
    for period_args, first, last in PERIODS:
        f = filters(**period_args, **args)
        assert (f.period.first_day, f.period.last_day) == (first, last)
        o = _oracle_filters(args, first, last)
        where = f"{period_args} {args}"
        d = queries.dashboard(f, ref)

        expected = expected_headline(world, o)
        h = d.headline
        for name, value in expected.items():
            got = getattr(h, name)
            assert _approx(got, value), f"{name} {where}: {got} != {value}"
        assert _approx(h.response_rate, expected["applications_responded"] / expected["applications"]
                       if expected["applications"] else None), where
        assert _approx(h.placement_rate, expected["placements"] / expected["active_seekers"]
                       if expected["active_seekers"] else None), where
        fill = None if not expected["positions_offered"] else expected["positions_filled"] / expected["positions_offered"]
        assert _approx(h.fill_rate, fill), where

        series = [{"month": m.month, "new_registrations": m.new_registrations, "active_seekers": m.active_seekers,
                   "placements": m.placements, "vacancies_notified": m.vacancies_notified,
                   "positions_offered": m.positions_offered} for m in d.series]
        assert series == expected_series(world, o), where

        wards = expected_groups(world, o, lambda w: w.ward or "unknown", lambda v: v.ward, lambda p: p.ward)
        districts = expected_groups(world, o, lambda w: DISTRICT.get(w.ward, "unknown"), lambda v: DISTRICT[v.ward],
                                    lambda p: p.district)
        assert _nonzero(d.by_ward) == _nonzero(wards), where
        assert _nonzero(d.by_district) == _nonzero(districts), where

        level = 2 if args.get("occupation") else 1
        assert d.occupation_level == level
        occupations = expected_groups(world, o, lambda w: (w.occupation or "")[:level] or "unknown",
                                      lambda v: (v.occupation or "")[:level] or "unknown",
                                      lambda p: (p.occupation or "")[:level] or "unknown")
        assert _nonzero(d.by_occupation) == _nonzero(occupations), where

        sex_age = expected_groups(world, o, lambda w: (w.sex or "unknown", band(w.birth_year, last.year)), None,
                                  lambda p: (p.sex or "unknown", band(p.birth_year, last.year)))
        education = expected_groups(world, o, lambda w: w.education or "unknown", None,
                                    lambda p: p.education or "unknown")
        assert _nonzero(d.by_sex_age) == _nonzero(sex_age), where
        assert _nonzero(d.by_education) == _nonzero(education), where

        gaps = [(g.skill_id, g.demand, g.supply) for g in d.skills]
        assert gaps == [(world.skill_ids[s], dm, sp) for s, dm, sp in expected_skill_gap(world, o)], where


def test_june_2025_figures_worked_out_by_hand(world, ref, filters):
    """The oracle itself, pinned: June 2025 across the whole city, counted on paper from tests/stats/world.py."""
    d = queries.dashboard(filters(period="month", month="2025-06"), ref)
    h = d.headline
    assert (h.active_seekers, h.new_registrations) == (19, 12)
    assert (h.vacancies_notified, h.vacancies_open, h.positions_offered, h.positions_filled, h.vacancies_ended) == \
        (7, 6, 19, 7, 3)
    assert (h.applications, h.applications_responded) == (15, 11)
    assert h.median_response_days == 2.0  # 11 answered: 0.5 0.5 1 1 1.25 [2] 2.5 3 6 9.6 21.5
    assert h.placements == 7 and h.median_days_to_fill == 5.0  # 1.96 2.83 3.83 [5] 8 25.6 26
    assert round(h.placement_rate, 4) == round(7 / 19, 4) and round(h.response_rate, 4) == round(11 / 15, 4)
    june = d.series[-1]
    assert (june.month, june.new_registrations, june.active_seekers, june.placements, june.vacancies_notified,
            june.positions_offered) == (date(2025, 6, 1), 12, 19, 7, 7, 19)
    assert len(d.series) == 12 and d.series[0].month == date(2024, 7, 1)
    by_slug = {g.label: (g.demand, g.supply) for g in d.skills}
    assert by_slug["Hàn điện"] == (4, 5) and by_slug["Điện dân dụng"] == (4, 3) and by_slug["Hàn TIG"] == (3, 1)
    assert [g.demand for g in d.skills] == [4, 4, 3, 2, 1, 1]
    assert d.by_district["005"].placements == 4 and d.by_district["001"].placements == 3
    assert d.by_ward["00166"].active_seekers == 6 and d.by_ward["unknown"].active_seekers == 1


def test_months_are_cut_at_midnight_in_hanoi(world, ref, filters):
    """Registered at 00:30 on 1 June in Hanoi (17:30 UTC on 31 May) counts in June; hired at 00:20 on 1 July
    in Hanoi counts in July, at 23:50 on 30 June in June."""
    may = queries.headline(filters(period="month", month="2025-05"), ref)
    june = queries.headline(filters(period="month", month="2025-06"), ref)
    july = queries.headline(filters(period="month", month="2025-07"), ref)
    assert may.new_registrations == 2  # w05 and w23, not w06
    assert july.new_registrations == 2  # w15 (00:15 on 1 July) and w16
    assert june.placements == 7 and july.placements == 1
    assert july.vacancies_notified == 1  # v07, published 00:30 on 1 July; v06 (23:00 on 30 June) is June's


def test_vacancy_figures_do_not_follow_person_filters(world, ref, filters):
    d = queries.dashboard(filters(period="month", month="2025-06", sex="female"), ref)
    assert d.headline.vacancies_notified is None and d.headline.fill_rate is None
    assert not d.vacancies_apply and d.series[-1].vacancies_notified is None
    assert d.headline.placements == 2  # a03 (w21) and the anonymous hire


def test_an_empty_exchange_gives_zeros_not_errors(db, ref, filters):
    d = queries.dashboard(filters(period="year", year="2025"), ref)
    assert d.headline.active_seekers == 0 and d.headline.placement_rate is None
    assert d.headline.median_days_to_fill is None and d.skills == [] and len(d.series) == 12
