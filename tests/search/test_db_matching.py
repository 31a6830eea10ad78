"""The database backend ranks exactly as the exhaustive scorer (exact.py), in both directions, and stays in sync."""
from __future__ import annotations

import math

import pytest
from sqlalchemy import delete, insert, select, text, update

from jobmarket.models import Skill, User, Vacancy, VacancySkill, WorkerProfile, worker_preferred_wards, worker_skills
from jobmarket.search import dbbackend, dbindex, exact, service
from jobmarket.search.scoring import Weights

TOL = 1e-6


def assert_same_ranking(got, want):
    """Same ids in the same order, totals and parts equal to 1e-6, same reasons."""
    assert [i for i, _, _ in got] == [i for i, _, _ in want]
    for (gid, gscore, gparts), (_, wscore, wparts) in zip(got, want):
        assert math.isclose(gscore, wscore, abs_tol=TOL), gid
        for part in ("skills", "location", "wage", "freshness"):
            assert math.isclose(getattr(gparts, part), getattr(wparts, part), abs_tol=TOL), (gid, part)
        assert gparts.matched_required == wparts.matched_required
        assert gparts.missing_required == wparts.missing_required
        assert gparts.matched_nice == wparts.matched_nice
        if wparts.distance_km is None:
            assert gparts.distance_km is None
        else:
            assert math.isclose(gparts.distance_km, wparts.distance_km, abs_tol=TOL)


def both_directions_match_exact(db, weights, now, limit=50, worker_ids=None, vacancy_ids=None):
    """Every worker's and every vacancy's ranking equals the exact scorer's."""
    worker_ids = worker_ids or db.session.scalars(select(WorkerProfile.id)).all()
    vacancy_ids = vacancy_ids or db.session.scalars(select(Vacancy.id)).all()
    for wid in worker_ids:
        assert_same_ranking(dbbackend.match_vacancies_for_worker(wid, limit=limit, weights=weights, now=now),
                            exact.rank_vacancies_for_worker(wid, weights, now, limit=limit))
    for vid in vacancy_ids:
        assert_same_ranking(dbbackend.match_workers_for_vacancy(vid, limit=limit, weights=weights, now=now),
                            exact.rank_workers_for_vacancy(vid, weights, now, limit=limit))


def test_vacancies_for_every_worker_are_ranked_as_the_exact_scorer(db, dataset, backend, weights, now):
    for wid in dataset.worker_ids(*dataset.workers):
        got = backend.match_vacancies_for_worker(wid, limit=50, weights=weights, now=now)
        assert_same_ranking(got, exact.rank_vacancies_for_worker(wid, weights, now, limit=50))
    welder = backend.match_vacancies_for_worker(dataset.workers["welder_bd"].id, limit=50, weights=weights, now=now)
    assert {i for i, _, _ in welder} >= set(dataset.vacancy_ids("weld_bd", "weld_bd_twin", "weld_far", "weld_future"))


def test_workers_for_every_vacancy_are_ranked_as_the_exact_scorer(db, dataset, backend, weights, now):
    for vid in dataset.vacancy_ids(*dataset.vacancies):
        got = backend.match_workers_for_vacancy(vid, limit=50, weights=weights, now=now)
        assert_same_ranking(got, exact.rank_workers_for_vacancy(vid, weights, now, limit=50))
    office = backend.match_workers_for_vacancy(dataset.vacancies["office_nice_only"].id, limit=50,
                                                 weights=weights, now=now)
    assert set(dataset.worker_ids("talker", "accountant_dd", "welder_bd")) <= {i for i, _, _ in office}


def test_the_parts_explain_the_match(db, dataset, backend, weights, now):
    (vid, total, parts), *_ = backend.match_vacancies_for_worker(dataset.workers["accountant_dd"].id, limit=1,
                                                                   weights=weights, now=now)
    assert vid == dataset.vacancies["acc_dd"].id
    s = dataset.skills
    assert parts.matched_required == sorted([s["ke-toan-tong-hop"], s["misa"]]) and parts.missing_required == []
    assert parts.matched_nice == sorted([s["lam-viec-nhom"], s["giao-tiep"]]) and parts.skills == pytest.approx(1.0)
    assert parts.wage == 1.0 and 0 < parts.distance_km < 3 and 0.5 < parts.location < 1
    assert total == pytest.approx(parts.total(weights))
    nowhere = backend.match_vacancies_for_worker(dataset.workers["welder_nowhere"].id, limit=5, weights=weights,
                                                   now=now)
    assert nowhere and all(p.location == 0 and p.distance_km is None and p.wage == 0.5 for _, _, p in nowhere)


def test_ineligible_rows_never_appear(db, dataset, backend, weights, now):
    hidden = set(dataset.worker_ids("welder_hidden", "welder_not_seeking", "welder_disabled"))
    closed = set(dataset.vacancy_ids("weld_closed", "weld_unverified", "weld_draft"))
    for vid in dataset.vacancy_ids(*dataset.vacancies):
        found = {i for i, _, _ in backend.match_workers_for_vacancy(vid, limit=100, weights=weights, now=now)}
        assert not found & hidden and found <= dataset.eligible_workers
    for wid in dataset.worker_ids(*dataset.workers):
        found = {i for i, _, _ in backend.match_vacancies_for_worker(wid, limit=100, weights=weights, now=now)}
        assert not found & closed and found <= dataset.eligible_vacancies
    no_skills = dataset.workers["no_skills"].id
    assert backend.match_vacancies_for_worker(no_skills, limit=10, weights=weights, now=now) == []


def test_ties_are_broken_by_id(db, dataset, backend, weights, now):
    ranked = backend.match_vacancies_for_worker(dataset.workers["welder_bd"].id, limit=50, weights=weights, now=now)
    twins = dataset.vacancy_ids("weld_bd", "weld_bd_twin")
    positions = [n for n, (i, _, _) in enumerate(ranked) if i in twins]
    assert positions[1] == positions[0] + 1 and ranked[positions[0]][1] == ranked[positions[1]][1]
    assert [ranked[p][0] for p in positions] == sorted(twins)
    ranked = backend.match_workers_for_vacancy(dataset.vacancies["weld_bd"].id, limit=50, weights=weights, now=now)
    twins = dataset.worker_ids("twin_a", "twin_b")
    positions = [n for n, (i, _, _) in enumerate(ranked) if i in twins]
    assert positions[1] == positions[0] + 1 and [ranked[p][0] for p in positions] == sorted(twins)


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_pages_are_slices_of_the_full_ranking(db, dataset, backend, weights, now, limit):
    wid, vid = dataset.workers["welder_bd"].id, dataset.vacancies["weld_bd"].id
    full_v = backend.match_vacancies_for_worker(wid, limit=100, weights=weights, now=now)
    full_w = backend.match_workers_for_vacancy(vid, limit=100, weights=weights, now=now)
    for offset in range(0, 8, limit):
        page = backend.match_vacancies_for_worker(wid, limit=limit, offset=offset, weights=weights, now=now)
        assert [i for i, _, _ in page] == [i for i, _, _ in full_v[offset:offset + limit]]
        page = backend.match_workers_for_vacancy(vid, limit=limit, offset=offset, weights=weights, now=now)
        assert [i for i, _, _ in page] == [i for i, _, _ in full_w[offset:offset + limit]]


def test_unknown_ids_give_no_matches(db, dataset, backend, weights, now):
    assert backend.match_vacancies_for_worker(10**9, limit=5, weights=weights, now=now) == []
    assert backend.match_workers_for_vacancy(10**9, limit=5, weights=weights, now=now) == []


def test_other_weights_and_shapes_rank_as_the_exact_scorer(db, dataset, now):
    for weights in (Weights(skills=0.3, location=0.5, wage=0.1, freshness=0.1, nice_share=0.5, location_half_km=1.5),
                    Weights(skills=0.9, location=0.05, wage=0.05, freshness=0.0, nice_share=0.0),
                    Weights(skills=0.25, location=0.25, wage=0.25, freshness=0.25, nice_share=1.0,
                            wage_tolerance_vnd=10_000_000, freshness_half_days=3)):
        both_directions_match_exact(db, weights, now)


def derived_rows(db):
    """Every derived table's rows, floats rounded (a refresh and a rebuild may sum in another order)."""
    out = {}
    for table in dbindex.DERIVED_TABLES:
        if table == "dbsearch_ward_distances":  # reference data, refilled on demand: checked on its own
            continue
        # a term's highest level is kept as an upper bound (never lowered): compare the frequencies
        rows = db.session.execute(text("SELECT word, df FROM dbsearch_terms" if table == "dbsearch_terms"
                                       else f"SELECT * FROM {table}")).all()
        out[table] = sorted(tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows)
    return out


def assert_derived_rows_are_a_rebuild(db):
    """The derived rows kept in sync equal those rebuilt from scratch."""
    kept = derived_rows(db)
    dbindex.rebuild(db.session.connection())
    assert derived_rows(db) == kept


def test_a_skill_weight_change_keeps_the_derived_rows_in_sync(db, dataset, weights, now):
    skill = db.session.get(Skill, dataset.skills["han-tig"])
    skill.weight = 2.9
    db.session.commit()
    both_directions_match_exact(db, weights, now)
    from jobmarket.vocabulary import recompute_skill_weights

    recompute_skill_weights(queue=False)
    assert db.session.get(Skill, dataset.skills["han-tig"]).weight != 2.9
    both_directions_match_exact(db, weights, now)
    assert_derived_rows_are_a_rebuild(db)


def test_edits_through_the_session_keep_the_derived_rows_in_sync(db, dataset, factory, weights, now):
    vacancy = db.session.get(Vacancy, dataset.vacancies["weld_far"].id)
    vacancy.ward_code = "00025"
    vacancy.title = "Thợ hàn kết cấu"
    vacancy.skill_links = [VacancySkill(skill_id=dataset.skills["han-tig"], required=True),
                           VacancySkill(skill_id=dataset.skills["giao-tiep"], required=False)]
    worker = db.session.get(WorkerProfile, dataset.workers["welder_pref"].id)
    worker.anywhere_in_hanoi = True
    worker.skills = worker.skills + [factory.skill("han-mig-mag")]
    talker = db.session.get(WorkerProfile, dataset.workers["talker"].id)
    talker.ward_code = None
    db.session.commit()
    new = factory.vacancy(title="Thợ hàn inox", ward_code="00199", required=("han-tig", "han-dien"),
                          published_at=now)
    db.session.delete(db.session.get(Vacancy, dataset.vacancies["acc_cg"].id))
    db.session.commit()
    both_directions_match_exact(db, weights, now)
    assert new.id in {i for i, _, _ in dbbackend.match_vacancies_for_worker(dataset.workers["twin_a"].id, limit=20,
                                                                            weights=weights, now=now)}
    assert_derived_rows_are_a_rebuild(db)


def test_bulk_statements_keep_the_derived_rows_in_sync(db, dataset, weights, now):
    talker, driver = dataset.worker_ids("talker", "driver")
    db.session.execute(insert(worker_skills), [{"worker_id": talker, "skill_id": dataset.skills["han-tig"]},
                                               {"worker_id": driver, "skill_id": dataset.skills["misa"]}])
    db.session.execute(insert(worker_preferred_wards).values(worker_id=driver, ward_code="00376"))
    db.session.execute(update(WorkerProfile).where(WorkerProfile.id == driver)
                       .values(anywhere_in_hanoi=False, ward_code="00199"))
    db.session.execute(delete(worker_skills).where(worker_skills.c.worker_id == dataset.workers["twin_b"].id))
    db.session.execute(update(Vacancy).where(Vacancy.title == "Trợ lý văn phòng").values(ward_code="00008"))
    db.session.execute(update(Skill).where(Skill.id == dataset.skills["giao-tiep"]).values(weight=2.5))
    db.session.execute(delete(VacancySkill).where(VacancySkill.vacancy_id == dataset.vacancies["weld_bd"].id,
                                                  VacancySkill.skill_id == dataset.skills["giao-tiep"]))
    db.session.commit()
    both_directions_match_exact(db, weights, now)
    assert_derived_rows_are_a_rebuild(db)


def test_deleting_an_account_removes_its_derived_rows(db, dataset, weights, now):
    worker_id, user_id = dataset.workers["welder_bd"].id, dataset.workers["welder_bd"].user_id
    db.session.delete(db.session.get(User, user_id))  # the profile goes by database cascade
    db.session.commit()
    db.session.expunge_all()
    left = db.session.execute(text("SELECT COUNT(*) FROM dbsearch_worker_skills WHERE worker_id = :w"),
                              {"w": worker_id}).scalar()
    assert left == 0
    both_directions_match_exact(db, weights, now)


def test_generated_data_ranks_as_the_exact_scorer_at_every_depth(db, weights, now):
    """Demo data (bulk inserts, realistic skill mix): deep and shallow pages, where pruning does the most."""
    from jobmarket.demo import generate

    generate(workers=160, vacancies=70, seed=4, now=now)
    assert_derived_rows_are_a_rebuild(db)
    workers = db.session.scalars(select(WorkerProfile.id).order_by(WorkerProfile.id)).all()
    vacancies = db.session.scalars(select(Vacancy.id).order_by(Vacancy.id)).all()
    for limit in (1, 5, 20):
        both_directions_match_exact(db, weights, now, limit=limit, worker_ids=workers[::3],
                                    vacancy_ids=vacancies[::2])


def test_the_service_answers_with_the_database_backend(db, dataset, app):
    page = service.match_vacancies_for_worker(dataset.workers["welder_bd"].id, limit=3)
    assert page.backend == "database" and not page.degraded and len(page.matches) == 3
    assert page.matches[0].score >= page.matches[1].score >= page.matches[2].score
    page = service.match_workers_for_vacancy(dataset.vacancies["weld_bd"].id, limit=2, offset=1)
    assert page.backend == "database" and len(page.matches) == 2
    with pytest.raises(LookupError):
        service.backend_named("nonexistent")


def test_ward_distances_are_filled_when_missing(db, dataset, weights, now):
    db.session.execute(text("DELETE FROM dbsearch_ward_distances"))
    db.session.commit()
    ranked = dbbackend.match_workers_for_vacancy(dataset.vacancies["weld_bd"].id, limit=50, weights=weights, now=now)
    assert_same_ranking(ranked, exact.rank_workers_for_vacancy(dataset.vacancies["weld_bd"].id, weights, now, limit=50))
    wards = db.session.execute(text("SELECT COUNT(*) FROM wards")).scalar()
    assert db.session.execute(text("SELECT COUNT(*) FROM dbsearch_ward_distances")).scalar() == wards * wards
