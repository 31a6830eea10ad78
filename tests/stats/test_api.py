"""Open data: no login, aggregates only, never a count under 5, no hidden count recoverable, in the OpenAPI
document, and bad parameters answered with a clear message."""
from __future__ import annotations

from datetime import timedelta

import pytest

from jobmarket.models import Placement, WorkerProfile
from jobmarket.stats import queries
from jobmarket.stats.filters import StatsFilters

from .world import local

ENDPOINTS = ["summary", "monthly", "districts", "wards", "occupations", "sex-age", "education", "skills"]
COUNT_KEYS = {"new_registrations", "vacancies_notified", "positions_offered", "positions_filled", "vacancies_ended",
              "applications", "applications_responded", "placements", "active_seekers", "vacancies_open", "demand",
              "supply"}


def counts_in(body) -> list:
    """Every count cell anywhere in a response (by key)."""
    found = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key in COUNT_KEYS and not isinstance(value, (dict, list)):
                found.append(value)
            else:
                found.extend(counts_in(value))
    elif isinstance(body, list):
        for item in body:
            found.extend(counts_in(item))
    return found


@pytest.fixture
def busier(world, db, factory):
    """The hand-built market plus a dozen more hires and seekers in Cầu Giấy in 2025, so some cells reach 5."""
    employer = factory.employer()
    vacancy = factory.vacancy(employer=employer, ward_code="00166", occupation_code="7212",
                              published_at=local("2025-03-01 09:00"), positions=20, positions_filled=12)
    for i in range(12):
        worker = factory.worker(ward_code="00166", sex="male", birth_year=1990, education_level="vocational",
                                created_at=local("2025-03-02 09:00") + timedelta(days=i))
        db.session.add(Placement(vacancy_id=vacancy.id, employer_id=employer.id, ward_code="00166",
                                 district_code="005", worker_ward_code=worker.ward_code, occupation_code="7212",
                                 sex="male", birth_year=1990, education_level="vocational",
                                 hired_at=local("2025-03-20 09:00") + timedelta(days=i), days_to_fill=19 + i,
                                 vacancy_published_at=vacancy.published_at))
    db.session.commit()
    return world


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_open_data_needs_no_login_and_never_shows_a_count_under_5(client, busier, endpoint):
    response = client.get(f"/api/v1/stats/{endpoint}", query_string={"year": "2025"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    cells = counts_in(response.json)
    assert cells, endpoint
    for value in cells:
        assert value in ("<5", "x") or (isinstance(value, int) and value >= 5), (endpoint, value)
    assert "<5" in cells
    text = response.get_data(as_text=True)
    assert "Nguyễn" not in text and "@example.vn" not in text  # no row describes a person


def test_published_figures_add_up_and_hide_what_subtraction_would_give(client, busier, db, ref):
    """Rebuild what a reader knows from the published district and ward tables alone (numbers, "<5" = 0-4,
    "x" = 5 or more, a district is the sum of its wards, the districts sum to the total) and check that no "<5"
    figure can be pinned - here the 28 districts without hires sum to exactly 0, so one more must be hidden."""
    from jobmarket.stats.filters import Period
    from jobmarket.stats.suppression import PRIMARY, SECONDARY, SuppressionProblem
    from datetime import date

    districts = client.get("/api/v1/stats/districts", query_string={"year": "2025"}).json
    wards = client.get("/api/v1/stats/wards", query_string={"year": "2025"}).json
    assert districts["total"]["placements"] == 22  # 10 hires of the hand-built market in 2025, 12 more
    truth_w, truth_d = queries.area_breakdown(StatsFilters(Period("year", date(2025, 1, 1), date(2025, 12, 31))), ref)
    for measure in ("placements", "active_seekers", "new_registrations"):
        shown_d = {r["code"]: r["values"][measure] for r in districts["rows"]}
        shown_w = {r["code"]: r["values"][measure] for r in wards["rows"]}
        problem = SuppressionProblem()
        for code, value in shown_d.items():
            problem.cell(("d", code), getattr(truth_d.get(code, queries.Counts()), measure))
            problem.cells[("d", code)].status = value if isinstance(value, str) else None
        for code, value in shown_w.items():
            problem.cell(("w", code), getattr(truth_w.get(code, queries.Counts()), measure))
            problem.cells[("w", code)].status = value if isinstance(value, str) else None
        total = districts["total"][measure]
        problem.cell("T", sum(getattr(c, measure) for c in truth_d.values()))
        problem.cells["T"].status = total if isinstance(total, str) else None
        problem.equation("T", [("d", c) for c in shown_d])
        for code in shown_d:
            problem.equation(("d", code), [("w", r["code"]) for r in wards["rows"] if r["district_code"] == code])
        assert problem.exposed() == [], measure
        assert all(v.status in (None, PRIMARY, SECONDARY) for v in problem.cells.values())
        assert all(isinstance(v, str) or v >= 5 for v in [*shown_d.values(), *shown_w.values()])
    placements = {r["code"]: r["values"]["placements"] for r in districts["rows"]}
    assert placements["002"] == "<5"
    assert {r["code"]: r["values"]["placements"] for r in wards["rows"]}["00166"] == 16
    assert {r["code"]: r["values"]["placements"] for r in wards["rows"]}["00008"] == "<5"
    assert sum(1 for v in placements.values() if v == SECONDARY) >= 1  # the zeros alone would be pinned at 0


def test_months_quarters_and_year_are_suppressed_together(client, busier):
    months = client.get("/api/v1/stats/monthly", query_string={"year": "2025"}).json
    placements = {m["month"]: m["values"]["placements"] for m in months["months"]}
    assert len(placements) == 12 and months["total"]["placements"] == 22
    q1 = client.get("/api/v1/stats/summary", query_string={"period": "quarter", "year": "2025", "quarter": "1"}).json
    q2 = client.get("/api/v1/stats/summary", query_string={"period": "quarter", "year": "2025", "quarter": "2"}).json
    # March has 12 hires, April and May 0 and 2 ("<5"), June 7; a quarter's figure must not give a hidden month back.
    for quarter, names in ((q1, ("2025-01", "2025-02", "2025-03")), (q2, ("2025-04", "2025-05", "2025-06"))):
        q_value = quarter["figures"]["placements"]
        hidden = [placements[n] for n in names if isinstance(placements[n], str)]
        assert len(hidden) != 1 or isinstance(q_value, str), (names, q_value, placements)
    june = client.get("/api/v1/stats/summary", query_string={"period": "month", "month": "2025-06"}).json
    assert june["figures"]["placements"] == placements["2025-06"] == 7


@pytest.mark.parametrize("args, code, message", [
    ({"year": "abcd"}, "invalid_period", "Năm không hợp lệ"),
    ({"year": "1999"}, "invalid_period", "Năm không hợp lệ"),
    ({"period": "custom"}, "invalid_period", "Kỳ không hợp lệ"),
    ({"period": "month", "month": "2025-13"}, "invalid_period", "Tháng không hợp lệ"),
    ({"period": "quarter", "year": "2025", "quarter": "9"}, "invalid_period", "Quý không hợp lệ"),
    ({"period": "year", "quarter": "5"}, "invalid_period", "Quý không hợp lệ"),
    ({"year": "2099"}, "period_not_closed", "chưa kết thúc"),
])
def test_bad_parameters_get_a_clear_message(client, db, args, code, message):
    status = 404 if code == "period_not_closed" else 400  # a period not over yet has no figures yet
    response = client.get("/api/v1/stats/summary", query_string=args)
    assert response.status_code == status
    assert response.json["error"]["code"] == code and message in response.json["error"]["message"]
    if "period" not in args:
        for endpoint in ENDPOINTS[1:]:
            other = client.get(f"/api/v1/stats/{endpoint}", query_string=args)
            assert other.status_code == status and other.json["error"]["code"] == code


def test_the_current_year_is_not_published_until_it_ends(client, db):
    from jobmarket.stats.service import today

    year = today().year
    response = client.get("/api/v1/stats/districts", query_string={"year": str(year)})
    assert response.status_code == 404 and response.json["error"]["code"] == "period_not_closed"
    assert client.get("/api/v1/stats/districts").status_code == 200  # default: last year


def test_open_data_is_in_the_openapi_document(client, db):
    doc = client.get("/api/v1/openapi.json").json
    for endpoint in ENDPOINTS:
        op = doc["paths"][f"/api/v1/stats/{endpoint}"]["get"]
        assert op["security"] == [] and op["tags"] == ["stats"] and {"400", "404"} <= set(op["responses"])
        assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].startswith(
            "#/components/schemas/Stats")
    count = doc["components"]["schemas"]["StatsCount"]
    assert {"type": "integer", "minimum": 5} in count["oneOf"]


def test_responses_match_their_schemas(app, client, busier):
    """Schemathesis generates requests from the OpenAPI document (valid and invalid parameters) and checks
    every answer: no server error, a declared status, and a body that matches the declared schema."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).include(path_regex="^/api/v1/stats/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(ENDPOINTS)
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call()
            case.validate_response(response)
            assert response.status_code in (200, 400, 404)

        check()


def test_summary_matches_the_dashboard_definitions(client, busier, ref, db, filters):
    body = client.get("/api/v1/stats/summary", query_string={"period": "year", "year": "2025"}).json["figures"]
    h = queries.headline(filters(period="year", year="2025"), ref)
    assert body["active_seekers"] == h.active_seekers and body["applications"] == h.applications
    assert body["placements"] == h.placements and body["median_days_to_fill"] == round(h.median_days_to_fill, 4)
    assert body["placement_rate"] == round(h.placement_rate, 4)
    assert db.session.query(WorkerProfile).count() == 36  # 24 by hand and 12 more: counts, never rows
