"""The trigger-kept figures of the current labour market (jobmarket/models/stats_summary.py) always equal a recount:
job seekers per ward, occupation, person and skill, and unfilled positions of open vacancies per required skill."""
from __future__ import annotations

import random

from sqlalchemy import delete, insert, select, text, update

from jobmarket.models import (Skill, User, Vacancy, VacancySkill, WorkerProfile, stats_summary,
                              worker_skills)

NONE_STALE = {"applications": 0, "worker_skills": 0}
SLUGS = ("ke-toan-tong-hop", "giao-tiep", "han-dien", "han-tig", "ke-toan-thue", "dien-dan-dung")


def _kept(db) -> dict:
    return stats_summary.counted(db.session.connection())


def test_counts_follow_registration_edits_skills_and_deletion(db, factory):
    """Hand-checked counts after each kind of change, made through the ORM."""
    a = factory.worker(ward_code="00004", sex="female", birth_year=1990, education_level="university",
                       occupation_code="2411", skills=("ke-toan-tong-hop", "giao-tiep"))
    kt, gt, hd = (factory.skill(s).id for s in ("ke-toan-tong-hop", "giao-tiep", "han-dien"))
    assert _kept(db) == {("ward", "00004", "", ""): 1, ("occupation", "2411", "", ""): 1,
                         ("person", "female", "1990", "university"): 1,
                         ("skill", str(kt), "", ""): 1, ("skill", str(gt), "", ""): 1}

    b = factory.worker(ward_code="00166", sex=None, birth_year=None, education_level=None, skills=("giao-tiep",))
    counts = _kept(db)
    assert counts[("skill", str(gt), "", "")] == 2
    assert counts[("person", "", "", "")] == 1 and counts[("occupation", "", "", "")] == 1

    # Moving ward, dropping a skill and adding another.
    a.ward_code = "00166"
    a.skills = [factory.skill("han-dien"), factory.skill("giao-tiep")]
    db.session.commit()
    counts = _kept(db)
    assert ("ward", "00004", "", "") not in counts and counts[("ward", "00166", "", "")] == 2
    assert ("skill", str(kt), "", "") not in counts and counts[("skill", str(hd), "", "")] == 1

    # No longer seeking: out of every count, skills included; back in when seeking again.
    b.is_seeking = False
    db.session.commit()
    counts = _kept(db)
    assert counts[("ward", "00166", "", "")] == 1 and counts[("skill", str(gt), "", "")] == 1
    assert ("person", "", "", "") not in counts
    b.is_seeking = True
    db.session.commit()
    assert _kept(db)[("skill", str(gt), "", "")] == 2

    # A deleted account (the user row: profile and skills go by cascade) leaves no trace.
    db.session.execute(delete(User).where(User.id == b.user_id))
    db.session.commit()
    db.session.expire_all()
    counts = _kept(db)
    assert counts[("skill", str(gt), "", "")] == 1 and counts[("ward", "00166", "", "")] == 1
    assert stats_summary.differences(db.session.connection()) == {}


def test_random_changes_by_orm_and_bulk_sql_keep_the_counts_exact(db, factory):
    """Two hundred random registrations, edits, skill changes and deletions, by the ORM and by plain SQL
    statements touching many rows at once: after each batch the kept counts equal a recount."""
    rng = random.Random(2025)
    skills = [factory.skill(s).id for s in SLUGS]
    wards = ["00004", "00008", "00166", "00454", None]
    occupations = ["2411", "7212", "2421", None]
    workers: list[int] = []
    conn = lambda: db.session.connection()  # noqa: E731
    for step in range(200):
        op = rng.random()
        if op < 0.3 or not workers:
            w = factory.worker(ward_code=rng.choice(wards), occupation_code=rng.choice(occupations),
                               sex=rng.choice(["female", "male", None]), birth_year=rng.choice([1980, 1995, None]),
                               education_level=rng.choice(["college", None]), is_seeking=rng.random() < 0.7,
                               skills=tuple(rng.sample(SLUGS, rng.randint(0, 3))))
            workers.append(w.id)
        elif op < 0.5:
            w = db.session.get(WorkerProfile, rng.choice(workers))
            field = rng.choice(["ward_code", "occupation_code", "sex", "is_seeking", "birth_year"])
            value = {"ward_code": wards, "occupation_code": occupations, "sex": ["male", "other", None],
                     "is_seeking": [True, False], "birth_year": [1970, 2000, None]}[field]
            setattr(w, field, rng.choice(value))
            db.session.commit()
        elif op < 0.65:
            w = db.session.get(WorkerProfile, rng.choice(workers))
            w.skills = [db.session.get(Skill, s) for s in rng.sample(skills, rng.randint(0, 4))]
            db.session.commit()
        elif op < 0.75:
            # Bulk SQL: many profiles at once (seeking flipped for a whole ward).
            ward = rng.choice(wards[:-1])
            db.session.execute(update(WorkerProfile).where(WorkerProfile.ward_code == ward)
                               .values(is_seeking=rng.random() < 0.5))
            db.session.commit()
        elif op < 0.85:
            # Bulk SQL on the association table: one skill removed from everybody, another given to a few.
            db.session.execute(delete(worker_skills).where(worker_skills.c.skill_id == rng.choice(skills)))
            target = rng.choice(skills)
            have = set(db.session.scalars(select(worker_skills.c.worker_id).where(worker_skills.c.skill_id == target)))
            chosen = [w for w in rng.sample(workers, min(5, len(workers))) if w not in have]
            if chosen:
                db.session.execute(insert(worker_skills), [{"worker_id": w, "skill_id": target} for w in chosen])
            db.session.commit()
        else:
            victim = workers.pop(rng.randrange(len(workers)))
            if rng.random() < 0.5:
                db.session.delete(db.session.get(WorkerProfile, victim))
            else:
                db.session.execute(text("DELETE FROM worker_profiles WHERE id = :id"), {"id": victim})
            db.session.commit()
            db.session.expire_all()
        if step % 20 == 19:
            assert stats_summary.differences(conn()) == {}, step
            assert stats_summary.stale_copies(conn()) == NONE_STALE, step  # worker_skills' copies of the holder
    kept = _kept(db)
    assert kept == stats_summary.recounted(conn())
    assert sum(n for (d, *_k), n in kept.items() if d == "ward") == db.session.scalar(
        select(text("count(*)")).select_from(WorkerProfile).where(WorkerProfile.is_seeking.is_(True)))


def test_recount_repairs_counts_edited_by_hand(db, factory):
    """`recount` rebuilds from the base tables, and `differences` shows what was wrong before."""
    factory.worker(ward_code="00004", skills=("han-dien",))
    conn = db.session.connection()
    conn.execute(text("UPDATE stats_counts SET value = value + 5 WHERE dimension = 'ward'"))
    assert stats_summary.differences(conn) == {("ward", "00004", "", ""): (6, 1)}
    stats_summary.recount(conn)
    assert stats_summary.differences(conn) == {}
    db.session.commit()


def test_demand_follows_vacancies_skills_hires_and_closing(db, factory):
    """Unfilled positions of open vacancies per required skill, by hand: nice-to-have skills, drafts and closed
    vacancies do not count; hiring and closing take positions out; deleting an employer removes its vacancies."""
    hd, ht, gt = (factory.skill(s).id for s in ("han-dien", "han-tig", "giao-tiep"))
    employer = factory.employer()
    a = factory.vacancy(employer=employer, required=("han-dien", "han-tig"), nice=("giao-tiep",), positions=3)
    factory.vacancy(employer=employer, required=("han-dien",), positions=2, status="draft", published_at=None)
    demand = lambda: {k[1]: n for k, n in _kept(db).items() if k[0] == "demand"}  # noqa: E731
    assert demand() == {str(hd): 3, str(ht): 3}

    a.positions_filled = 1
    db.session.commit()
    assert demand() == {str(hd): 2, str(ht): 2}
    b = factory.vacancy(employer=employer, required=("han-dien", "giao-tiep"), positions=4)
    assert demand() == {str(hd): 6, str(ht): 2, str(gt): 4}

    # A skill made nice-to-have, another dropped; the vacancy filled beyond its positions counts 0, not less.
    b.skill_links[1].required = False
    a.skill_links = [link for link in a.skill_links if link.skill_id != ht]
    db.session.commit()
    assert demand() == {str(hd): 6}
    b.positions_filled = 5
    db.session.commit()
    assert demand() == {str(hd): 2}

    # Closed (expired) and reopened; then the employer's account goes, vacancies and skills with it.
    a.status, a.closed_at = "expired", a.published_at
    db.session.commit()
    assert demand() == {}
    a.status, a.closed_at = "open", None
    db.session.commit()
    assert demand() == {str(hd): 2}
    db.session.execute(delete(User).where(User.id == employer.owner_id))
    db.session.commit()
    db.session.expire_all()
    assert demand() == {} and db.session.scalar(select(text("count(*)")).select_from(Vacancy)) == 0
    assert stats_summary.differences(db.session.connection()) == {}


def test_random_vacancy_changes_by_orm_and_bulk_sql_keep_demand_exact(db, factory):
    """Random vacancies, edits of status, positions and skills, by the ORM and by statements over many rows."""
    rng = random.Random(7)
    skills = [factory.skill(s).id for s in SLUGS]
    employers = [factory.employer() for _ in range(2)]
    vacancies: list[int] = []
    for step in range(150):
        op = rng.random()
        if op < 0.3 or not vacancies:
            chosen = rng.sample(SLUGS, rng.randint(0, 3))
            v = factory.vacancy(employer=rng.choice(employers), required=tuple(chosen[:2]), nice=tuple(chosen[2:]),
                                positions=rng.randint(1, 5), status=rng.choice(["open", "open", "draft"]))
            vacancies.append(v.id)
        elif op < 0.5:
            v = db.session.get(Vacancy, rng.choice(vacancies))
            field = rng.choice(["status", "positions", "positions_filled", "closed_at"])
            value = {"status": ["open", "closed", "expired", "taken_down"], "positions": [1, 3, 6],
                     "positions_filled": [0, 1, 2, 7], "closed_at": [None, v.published_at]}[field]
            setattr(v, field, rng.choice(value))
            db.session.commit()
        elif op < 0.65:
            v = db.session.get(Vacancy, rng.choice(vacancies))
            v.skill_links = [VacancySkill(skill_id=s, required=rng.random() < 0.7)
                             for s in rng.sample(skills, rng.randint(0, 3))]
            db.session.commit()
        elif op < 0.75:
            # Bulk SQL: every vacancy of one employer gets a hire; every link of one skill becomes required.
            db.session.execute(update(Vacancy).where(Vacancy.employer_id == rng.choice(employers).id)
                               .values(positions_filled=Vacancy.positions_filled + 1))
            db.session.execute(update(VacancySkill).where(VacancySkill.skill_id == rng.choice(skills))
                               .values(required=True))
            db.session.commit()
        elif op < 0.85:
            db.session.execute(delete(VacancySkill).where(VacancySkill.skill_id == rng.choice(skills)))
            db.session.commit()
            db.session.expire_all()
        else:
            victim = vacancies.pop(rng.randrange(len(vacancies)))
            db.session.execute(text("DELETE FROM vacancies WHERE id = :id"), {"id": victim})
            db.session.commit()
            db.session.expire_all()
        if step % 15 == 14:
            assert stats_summary.differences(db.session.connection()) == {}, step
    assert any(k[0] == "demand" for k in _kept(db))
    assert _kept(db) == stats_summary.recounted(db.session.connection())


def test_response_days_follow_the_first_response(db, factory):
    """applications.response_days is set by the database from responded_at - created_at, whichever way the
    application is written (ORM, bulk SQL, a response taken back), and is what the median response time reads."""
    from datetime import datetime

    from jobmarket.models import Application

    worker, other = factory.worker(), factory.worker()
    vacancy = factory.vacancy()
    sent = datetime(2025, 6, 1, 8, 0)
    app = Application(vacancy_id=vacancy.id, worker_id=worker.id, created_at=sent, responded_at=sent.replace(hour=20))
    db.session.add(app)
    db.session.commit()
    days = lambda a: db.session.scalar(select(Application.response_days).where(Application.id == a.id))  # noqa: E731
    assert abs(days(app) - 0.5) < 1e-6
    app.responded_at = datetime(2025, 6, 3, 8, 0)
    db.session.commit()
    assert abs(days(app) - 2.0) < 1e-6 and abs(app.response_days - 2.0) < 1e-6  # the ORM reloads it
    app.responded_at = None
    db.session.commit()
    assert days(app) is None
    db.session.execute(insert(Application), [{"vacancy_id": vacancy.id, "worker_id": other.id, "created_at": sent,
                                              "responded_at": datetime(2025, 6, 11, 8, 0), "status": "received",
                                              "note": "", "via_invitation": False, "updated_at": sent}])
    db.session.execute(update(Application).where(Application.id == app.id).values(responded_at=sent))
    db.session.execute(update(Application).where(Application.worker_id == other.id).values(response_days=99))
    db.session.commit()
    rows = dict(db.session.execute(select(Application.worker_id, Application.response_days)).all())
    assert rows[worker.id] == 0 and abs(rows[other.id] - 10.0) < 1e-6  # a direct write is recomputed


def test_created_month_is_the_month_in_hanoi(db, factory):
    """applications.created_month is the Hanoi month: 17:30 UTC on 31 May is 00:30 on 1 June in Hanoi."""
    from datetime import datetime

    from jobmarket.models import Application

    worker, vacancy = factory.worker(), factory.vacancy()
    app = Application(vacancy_id=vacancy.id, worker_id=worker.id, created_at=datetime(2025, 5, 31, 16, 59))
    db.session.add(app)
    db.session.commit()
    month = lambda: db.session.scalar(select(Application.created_month).where(Application.id == app.id))  # noqa: E731
    assert month() == "2025-05"
    app.created_at = datetime(2025, 5, 31, 17, 30)
    db.session.commit()
    assert month() == "2025-06"
    db.session.execute(update(Application).values(created_month="1999-01"))
    db.session.commit()
    assert month() == "2025-06"


def test_the_recount_command_checks_and_repairs(db, factory, runner):
    """`flask stats recount --check` says what is wrong and fails; `flask stats recount` repairs it."""
    factory.worker(ward_code="00004", skills=("han-dien",))
    db.session.execute(text("UPDATE stats_counts SET value = value + 2 WHERE dimension = 'skill'"))
    db.session.commit()
    result = runner.invoke(args=["stats", "recount", "--check"])
    assert result.exit_code == 1 and "kept 3, recounted 1" in result.output and "1 figures differ" in result.output
    result = runner.invoke(args=["stats", "recount"])
    assert result.exit_code == 0 and "(1 were wrong)" in result.output
    assert runner.invoke(args=["stats", "recount", "--check"]).exit_code == 0
    db.session.expire_all()
    assert stats_summary.differences(db.session.connection()) == {}

    # A copy gone stale while the triggers were off (a restore): found by the check, written again by the repair.
    conn = db.session.connection()
    stats_summary.uninstall_copies(conn)
    conn.execute(text("UPDATE worker_skills SET sex = 'x'"))
    stats_summary.install_copies(conn)
    db.session.commit()
    result = runner.invoke(args=["stats", "recount", "--check"])
    assert result.exit_code == 1 and "worker_skills: 1 rows with stale copies" in result.output
    result = runner.invoke(args=["stats", "recount"])
    assert result.exit_code == 0 and "(1 were stale)" in result.output
    assert runner.invoke(args=["stats", "recount", "--check"]).exit_code == 0


FACT_COLUMNS = ("ward_code", "occupation_code", "sex", "birth_year", "education_level")


def _facts(db, application_id: int) -> tuple:
    from jobmarket.models import Application

    columns = [getattr(Application, c) for c in FACT_COLUMNS]
    return tuple(db.session.execute(select(*columns).where(Application.id == application_id)).one())


def test_applications_carry_their_vacancys_and_applicants_facts(db, factory):
    """Set by the database when an application is sent (ORM or plain SQL), rewritten when the vacancy or the
    applicant changes them (ORM or bulk SQL), restored when written directly; the repair copies them all."""
    from datetime import datetime

    from jobmarket.models import Application

    ann = factory.worker(sex="female", birth_year=1990, education_level="university")
    bao = factory.worker(sex=None, birth_year=None, education_level=None)
    welding = factory.vacancy(ward_code="00166", occupation_code="7212")
    accounts = factory.vacancy(ward_code="00004", occupation_code="2411")
    sent = datetime(2025, 6, 1, 8, 0)
    first = Application(vacancy_id=welding.id, worker_id=ann.id, created_at=sent)
    db.session.add(first)
    db.session.commit()
    assert _facts(db, first.id) == ("00166", "7212", "female", 1990, "university")
    assert (first.ward_code, first.sex) == ("00166", "female")  # the ORM reads back what the database set
    db.session.execute(insert(Application), [{"vacancy_id": accounts.id, "worker_id": bao.id, "created_at": sent,
                                              "status": "received", "note": "", "via_invitation": False,
                                              "updated_at": sent}])
    db.session.commit()
    second = db.session.scalar(select(Application.id).where(Application.worker_id == bao.id))
    assert _facts(db, second) == ("00004", "2411", None, None, None)

    # The vacancy moves and changes occupation; the applicant gives her education, then bulk SQL edits both.
    welding.ward_code, welding.occupation_code = "00454", "7223"
    ann.education_level = "college"
    db.session.commit()
    assert _facts(db, first.id) == ("00454", "7223", "female", 1990, "college")
    db.session.execute(update(WorkerProfile).values(birth_year=1985))
    db.session.execute(update(Vacancy).where(Vacancy.id == accounts.id).values(occupation_code=None))
    db.session.commit()
    assert _facts(db, first.id)[3] == 1985 and _facts(db, second) == ("00004", None, None, 1985, None)

    # A copy written directly is put back; an application moved to another applicant takes their facts.
    db.session.execute(update(Application).values(sex="male", ward_code="00008"))
    db.session.commit()
    assert _facts(db, first.id) == ("00454", "7223", "female", 1985, "college")
    assert _facts(db, second) == ("00004", None, None, 1985, None)
    db.session.execute(update(Application).where(Application.id == second).values(worker_id=ann.id))
    db.session.commit()
    assert _facts(db, second) == ("00004", None, "female", 1985, "college")

    # With the triggers bypassed (a restore), the check counts the stale rows and the repair copies them again.
    conn = db.session.connection()
    assert stats_summary.stale_copies(conn) == NONE_STALE
    stats_summary.uninstall_copies(conn)
    conn.execute(text("UPDATE applications SET sex = NULL, occupation_code = '9999'"))
    assert stats_summary.stale_copies(conn) == {"applications": 2, "worker_skills": 0}
    stats_summary.copy_all(conn)
    stats_summary.install_copies(conn)
    assert stats_summary.stale_copies(conn) == NONE_STALE
    assert _facts(db, first.id) == ("00454", "7223", "female", 1985, "college")
    db.session.commit()


def test_random_changes_keep_the_applications_facts_exact(db, factory):
    """Random applications, vacancies and applicants edited by the ORM and by statements over many rows: no
    application's copies ever differ from the originals."""
    from datetime import datetime

    from jobmarket.models import Application

    rng = random.Random(11)
    wards = ["00004", "00008", "00166", "00454"]
    occupations = ["2411", "7212", "2421", None]
    employer = factory.employer()
    workers = [factory.worker(sex=rng.choice(["female", "male", None]), birth_year=rng.choice([1980, 1999, None]),
                              education_level=rng.choice(["college", None])).id for _ in range(6)]
    vacancies = [factory.vacancy(employer=employer, ward_code=rng.choice(wards),
                                 occupation_code=rng.choice(occupations)).id for _ in range(6)]
    pairs: set[tuple[int, int]] = set()
    conn = lambda: db.session.connection()  # noqa: E731
    for step in range(120):
        op = rng.random()
        if op < 0.35:
            v, w = rng.choice(vacancies), rng.choice(workers)
            if (v, w) in pairs:
                continue
            pairs.add((v, w))
            if rng.random() < 0.5:
                db.session.add(Application(vacancy_id=v, worker_id=w, created_at=datetime(2025, 6, 1)))
            else:
                db.session.execute(text("INSERT INTO applications (vacancy_id, worker_id, status, note, "
                                        "via_invitation, created_at, updated_at) "
                                        "VALUES (:v, :w, 'received', '', :no, :t, :t)"),
                                   {"v": v, "w": w, "no": False, "t": datetime(2025, 6, 1)})
        elif op < 0.55:
            w = db.session.get(WorkerProfile, rng.choice(workers))
            field = rng.choice(["sex", "birth_year", "education_level", "ward_code"])
            setattr(w, field, rng.choice({"sex": ["female", "male", "other", None], "birth_year": [1970, 2001, None],
                                          "education_level": ["university", None], "ward_code": wards}[field]))
        elif op < 0.75:
            v = db.session.get(Vacancy, rng.choice(vacancies))
            field = rng.choice(["ward_code", "occupation_code", "positions"])
            setattr(v, field, rng.choice({"ward_code": wards, "occupation_code": occupations,
                                          "positions": [1, 4]}[field]))
        elif op < 0.85:
            db.session.execute(update(Vacancy).where(Vacancy.ward_code == rng.choice(wards))
                               .values(ward_code=rng.choice(wards), occupation_code=rng.choice(occupations)))
            db.session.execute(update(WorkerProfile).where(WorkerProfile.id.in_(rng.sample(workers, 3)))
                               .values(sex=rng.choice(["female", None]), birth_year=rng.choice([1990, None])))
        elif op < 0.92 and pairs:
            v, w = rng.choice(sorted(pairs))
            db.session.execute(delete(Application).where(Application.vacancy_id == v, Application.worker_id == w))
            pairs.discard((v, w))
        else:
            db.session.execute(update(Application).where(Application.id % 2 == step % 2)
                               .values(sex="x", birth_year=1, education_level="x", ward_code="x", occupation_code="x"))
        db.session.commit()
        db.session.expire_all()
        if step % 10 == 9:
            assert stats_summary.stale_copies(conn()) == NONE_STALE, step
    assert len(pairs) > 10
    assert stats_summary.stale_copies(conn()) == NONE_STALE


def _flows(db, dimension: str) -> dict:
    return {k[1:]: v for k, v in stats_summary.flows_counted(db.session.connection()).items() if k[0] == dimension}


def test_monthly_flows_by_hand(db, factory):
    """What each Hanoi month added, per key: registrations (and how many still seek), vacancies published with
    their positions, applications sent (and answered), placements (and how many have a time to fill)."""
    from datetime import datetime

    from jobmarket.models import Application, Placement

    ann = factory.worker(ward_code="00004", sex="female", birth_year=1990, education_level="university",
                         occupation_code="2411")
    bao = factory.worker(ward_code="00004", sex=None, birth_year=None, education_level=None, is_seeking=False)
    for w, at in ((ann, datetime(2025, 5, 31, 16, 59)), (bao, datetime(2025, 5, 31, 17, 0))):  # May / June in Hanoi
        w.created_at = at
    db.session.commit()
    assert _flows(db, "reg_ward") == {("2025-05", "00004", "", ""): (1, 1, 0), ("2025-06", "00004", "", ""): (1, 0, 0)}
    assert _flows(db, "reg_person") == {("2025-05", "female", "1990", "university"): (1, 1, 0),
                                        ("2025-06", "", "", ""): (1, 0, 0)}
    bao.is_seeking = True
    ann.ward_code = "00166"
    db.session.commit()
    assert _flows(db, "reg_ward") == {("2025-05", "00166", "", ""): (1, 1, 0), ("2025-06", "00004", "", ""): (1, 1, 0)}

    v = factory.vacancy(ward_code="00166", occupation_code="7212", positions=3, published_at=datetime(2025, 6, 2))
    factory.vacancy(ward_code="00166", positions=9, status="draft", published_at=None)  # not published: no flow
    v.positions_filled = 1
    db.session.commit()
    assert _flows(db, "vac_ward") == {("2025-06", "00166", "", ""): (1, 3, 1)}
    assert _flows(db, "vac_occupation") == {("2025-06", "7212", "", ""): (1, 3, 1)}

    app = Application(vacancy_id=v.id, worker_id=ann.id, created_at=datetime(2025, 6, 3))
    db.session.add(app)
    db.session.commit()
    assert _flows(db, "app") == {("2025-06", "", "", ""): (1, 0, 0)}
    app.responded_at = datetime(2025, 6, 4)
    db.session.commit()
    assert _flows(db, "app") == {("2025-06", "", "", ""): (1, 1, 0)}

    db.session.add(Placement(application_id=app.id, vacancy_id=v.id, employer_id=v.employer_id,
                             hired_at=datetime(2025, 6, 30, 18, 0), ward_code="00166", district_code="005",
                             occupation_code="7212", sex="female", birth_year=1990, education_level="university",
                             days_to_fill=28.0))
    db.session.commit()
    assert _flows(db, "place_area") == {("2025-07", "00166", "005", ""): (1, 1, 0)}  # 01:00 on 1 July in Hanoi
    assert _flows(db, "place_person") == {("2025-07", "female", "1990", "university"): (1, 1, 0)}

    # Deleting the vacancy takes its application (cascade) out of the flows; the placement stays (anonymous facts).
    db.session.execute(delete(Vacancy).where(Vacancy.id == v.id))
    db.session.commit()
    assert _flows(db, "vac_ward") == {} and _flows(db, "app") == {}
    assert _flows(db, "place_occupation") == {("2025-07", "7212", "", ""): (1, 1, 0)}
    assert stats_summary.differences(db.session.connection()) == {}


def test_random_applications_and_placements_keep_the_flows_exact(db, factory):
    """Applications and placements written, answered, moved in time and deleted by the ORM and by statements over
    many rows: the kept flows always equal a recount, and a hand edit is found and repaired."""
    from datetime import datetime, timedelta

    from jobmarket.models import Application, Placement

    rng = random.Random(5)
    employer = factory.employer()
    workers = [factory.worker().id for _ in range(5)]
    vacancies = [factory.vacancy(employer=employer, ward_code=rng.choice(["00004", "00166"])).id for _ in range(5)]
    start = datetime(2025, 1, 1)
    pairs: set[tuple[int, int]] = set()
    for step in range(100):
        op = rng.random()
        if op < 0.3:
            v, w = rng.choice(vacancies), rng.choice(workers)
            if (v, w) not in pairs:
                pairs.add((v, w))
                sent = start + timedelta(days=rng.randint(0, 200), hours=rng.randint(0, 23))
                db.session.add(Application(vacancy_id=v, worker_id=w, created_at=sent))
        elif op < 0.45:
            db.session.add(Placement(vacancy_id=rng.choice(vacancies), employer_id=employer.id,
                                     hired_at=start + timedelta(days=rng.randint(0, 200)), ward_code="00166",
                                     district_code="005", sex=rng.choice(["male", None]),
                                     birth_year=rng.choice([1990, None]), days_to_fill=rng.choice([3.5, None])))
        elif op < 0.6:
            db.session.execute(update(Application).where(Application.id % 3 == step % 3)
                               .values(responded_at=rng.choice([None, datetime(2025, 8, 1)])))
        elif op < 0.7:
            db.session.execute(update(Placement).where(Placement.id % 2 == step % 2)
                               .values(hired_at=Placement.hired_at + timedelta(days=17), days_to_fill=None))
        elif op < 0.8:
            db.session.execute(update(Application).where(Application.id % 4 == step % 4)
                               .values(created_at=start + timedelta(days=rng.randint(0, 300))))
        elif op < 0.9 and pairs:
            v, w = pairs.pop()
            db.session.execute(delete(Application).where(Application.vacancy_id == v, Application.worker_id == w))
        else:
            db.session.execute(text("DELETE FROM placements WHERE id IN (SELECT min(id) FROM placements)"))
        db.session.commit()
        db.session.expire_all()
        if step % 10 == 9:
            assert stats_summary.differences(db.session.connection()) == {}, step
    flows = stats_summary.flows_counted(db.session.connection())
    assert any(k[0] == "app" for k in flows) and any(k[0] == "place_area" for k in flows)
    conn = db.session.connection()
    conn.execute(text("UPDATE stats_flows SET n = n + 1 WHERE dimension = 'app'"))
    assert any(k[0] == "flow" and k[1] == "app" for k in stats_summary.differences(conn))
    stats_summary.recount_flows(conn)
    assert stats_summary.differences(conn) == {}
    db.session.commit()


def test_the_median_response_time_from_the_kept_hours_is_exact(db, factory):
    """Answers on whole-hour boundaries, duplicates, a negative time (bad data) and answers spread over two months:
    the median found from the kept count per hour equals the median of the stored durations, for odd and even
    counts; when the kept counts disagree with the applications, the slow way answers."""
    import statistics
    from datetime import datetime, timedelta

    from jobmarket.models import Application
    from jobmarket.stats import queries

    vacancy = factory.vacancy()
    hours = [0, 1, 1, 1, 2, 2.5, 23.999, 24, 24, 48, -0.5, 0.25, 719.9, 5, 5, 5, 6]
    for i, h in enumerate(hours):
        sent = datetime(2025, 5 + i % 2, 3 + i, 9, 0)
        db.session.add(Application(vacancy_id=vacancy.id, worker_id=factory.worker().id, created_at=sent,
                                   responded_at=sent + timedelta(hours=h)))
        db.session.commit()
        stored = db.session.scalars(select(Application.response_days)).all()
        months = ["2025-05", "2025-06"]
        fast = queries._median_response_from_flows(months, len(stored), lambda: "slow")
        assert fast == round(statistics.median(stored), 6), (i, sorted(stored))
    conn = db.session.connection()
    conn.execute(text("UPDATE stats_flows SET n = n - 1 WHERE dimension = 'app_days'"))
    assert queries._median_response_from_flows(["2025-05", "2025-06"], len(hours), lambda: "slow") == "slow"
    db.session.rollback()


def test_the_median_time_to_fill_from_the_kept_hours_is_exact(db, factory):
    """The same for placements' time to fill (place_days), with placements without one left out."""
    import statistics
    from datetime import date, datetime

    from jobmarket.models import Placement
    from jobmarket.stats import queries
    from jobmarket.stats.filters import Period, StatsFilters

    f = StatsFilters(period=Period(kind="quarter", first_day=date(2025, 4, 1), last_day=date(2025, 6, 30)))
    months = ["2025-04", "2025-05", "2025-06"]
    days = [1 / 24, 1 / 24, 2.0, 0.5, None, 30.25, 14.0, 14.0, 14.0 + 1 / 24, 7.999, 8.0, None, 60.0, 3.0]
    for i, d in enumerate(days):
        db.session.add(Placement(hired_at=datetime(2025, 4 + i % 3, 10, 3, 0), ward_code="00166",
                                 district_code="005", days_to_fill=d))
        db.session.commit()
        stored = [v for v in db.session.scalars(select(Placement.days_to_fill)) if v is not None]
        fast = queries._median_fill_from_flows(f, months, len(stored), lambda: "slow")
        assert fast == (round(statistics.median(stored), 6) if stored else None), (i, sorted(stored))
