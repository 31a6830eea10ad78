"""A small labour market built by hand (times in Hanoi time), and the indicators computed from it by plain loops.

The oracle below re-states every definition of jobmarket/stats/queries.py in Python over these few dozen rows,
independently of the SQL; tests compare the two, and pin a few totals as literal numbers so the oracle is
checked too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from jobmarket.models import Application, Placement, Skill, Vacancy, VacancySkill, Ward
from jobmarket.stats.filters import AGE_BANDS, add_months

HANOI = timedelta(hours=7)


def local(text: str | None) -> datetime | None:
    """'2025-06-10 12:00' in Hanoi time -> the naive UTC timestamp stored in the database."""
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%d %H:%M") - HANOI


# Wards: two in Ba Đình (001), one in Cầu Giấy (005), one in Đông Anh (017).
BD1, BD2, CG, DA = "00004", "00008", "00166", "00454"
DISTRICT = {BD1: "001", BD2: "001", CG: "005", DA: "017"}

# key: (registered, seeking, ward, sex, birth year, education, occupation, skills)
WORKERS = {
    "w01": ("2024-11-15 10:00", True, BD1, "female", 1990, "university", "2411", ("ke-toan-tong-hop", "giao-tiep")),
    "w02": ("2025-01-20 09:00", True, BD1, "male", 1985, "vocational", "7212", ("han-dien",)),
    "w03": ("2025-03-05 14:00", True, BD2, "female", 2001, "college", "2411", ("ke-toan-tong-hop",)),
    "w04": ("2025-04-10 08:00", False, BD2, "male", 1970, "upper_secondary", "7212", ("han-dien", "han-tig")),
    "w05": ("2025-05-02 16:00", True, CG, "female", 1999, "university", "2421", ("ke-toan-thue", "giao-tiep")),
    "w06": ("2025-06-01 00:30", True, CG, "male", 1996, "college", "7411", ("dien-dan-dung",)),  # June in Hanoi
    "w07": ("2025-06-03 10:00", True, CG, "other", 2003, "upper_secondary", "7212", ("han-dien",)),
    "w08": ("2025-06-05 11:00", True, DA, "male", 1975, "lower_secondary", "7212", ("han-dien",)),
    "w09": ("2025-06-12 09:30", True, DA, "female", 1968, "primary", "9112", ()),
    "w10": ("2025-06-15 15:00", True, BD1, None, None, None, None, ("giao-tiep",)),
    "w11": ("2025-06-18 10:00", False, BD2, "female", 1992, "university", "2411", ("ke-toan-thue",)),
    "w12": ("2025-06-20 13:00", True, DA, "male", 2006, "vocational", "7411", ("dien-dan-dung", "han-dien")),
    "w13": ("2025-06-25 08:00", True, None, "female", 1988, "university", None, ("giao-tiep",)),
    "w14": ("2025-06-30 23:30", True, CG, "male", 1980, "postgraduate", "2421", ("ke-toan-tong-hop",)),
    "w15": ("2025-07-01 00:15", True, BD1, "female", 1995, "college", "2411", ("ke-toan-tong-hop",)),  # July
    "w16": ("2025-07-10 10:00", True, CG, "male", 1990, "university", "7212", ("han-dien",)),
    "w17": ("2024-12-01 10:00", True, DA, "female", 2010, "none", "9112", ()),  # 15 at the end of 2025
    "w18": ("2024-08-08 10:00", True, BD2, "male", 2015, None, "9112", ()),  # 10: age unknown (bad data)
    "w19": ("2025-02-14 10:00", True, CG, "female", 1960, "primary", "9112", ("giao-tiep",)),
    "w20": ("2025-06-08 10:00", True, BD1, "male", 1970, "upper_secondary", "7411", ("dien-dan-dung",)),
    "w21": ("2024-06-15 10:00", True, CG, "female", 1984, "university", "2411", ("ke-toan-tong-hop", "ke-toan-thue")),
    "w22": ("2025-06-22 10:00", True, BD2, "female", 2000, "college", "2421", ("ke-toan-thue",)),
    "w23": ("2025-05-20 10:00", True, DA, "male", 1999, "vocational", "7212", ("han-dien", "han-tig")),
    "w24": ("2025-06-28 10:00", False, DA, "male", 1994, "vocational", "7212", ("han-tig",)),
}

# key: (published, status, closed, updated, positions, filled, ward, occupation, required skills, nice skills)
VACANCIES = {
    "v01": ("2025-05-10 10:00", "open", None, None, 3, 2, BD1, "2411", ("ke-toan-tong-hop",), ("giao-tiep",)),
    "v02": ("2025-06-02 09:00", "closed", "2025-06-25 10:00", None, 2, 2, CG, "7212", ("han-dien",), ()),
    "v03": ("2025-06-10 14:00", "open", None, None, 5, 2, CG, "7212", ("han-dien", "han-tig"), ()),
    "v04": ("2025-06-15 08:00", "expired", "2025-06-29 00:00", None, 1, 0, DA, "9112", (), ()),
    "v05": ("2025-06-20 11:00", "taken_down", None, "2025-06-21 10:00", 2, 0, BD2, "2411", ("ke-toan-thue",), ()),
    "v06": ("2025-06-30 23:00", "open", None, None, 4, 0, DA, "7411", ("dien-dan-dung",), ()),
    "v07": ("2025-07-01 00:30", "open", None, None, 2, 0, BD1, "7212", ("han-dien",), ()),
    "v08": ("2025-03-01 10:00", "closed", "2025-07-05 10:00", None, 2, 1, BD2, "2421", ("ke-toan-thue",), ()),
    "v09": ("2025-04-01 10:00", "expired", "2025-05-01 10:00", None, 1, 0, CG, "2411", ("ke-toan-tong-hop",), ()),
    "v10": (None, "draft", None, None, 1, 0, BD1, "2411", (), ()),
    "v11": ("2025-06-05 10:00", "closed", "2025-06-20 10:00", None, 3, 3, BD1, "7411", ("dien-dan-dung",), ()),
    "v12": ("2024-12-10 10:00", "open", None, None, 1, 0, DA, None, ("han-dien",), ()),
    "v13": ("2025-06-25 10:00", "open", None, None, 2, 0, CG, None, ("giao-tiep",), ()),
    "v14": ("2025-02-10 10:00", "expired", "2025-06-12 10:00", None, 2, 0, BD2, "7212", ("han-tig",), ()),
}

# key: (vacancy, worker, sent, first response, status)
APPLICATIONS = {
    "a01": ("v01", "w01", "2025-05-11 09:00", "2025-05-13 09:00", "hired"),
    "a02": ("v01", "w03", "2025-05-12 10:00", "2025-05-12 16:00", "rejected"),
    "a03": ("v01", "w21", "2025-06-02 10:00", "2025-06-05 10:00", "hired"),
    "a04": ("v01", "w11", "2025-06-19 10:00", None, "received"),
    "a05": ("v02", "w02", "2025-06-03 08:00", "2025-06-04 08:00", "hired"),
    "a06": ("v02", "w07", "2025-06-04 09:00", "2025-06-10 09:00", "hired"),
    "a07": ("v02", "w23", "2025-06-05 12:00", "2025-06-06 00:00", "rejected"),
    "a08": ("v03", "w08", "2025-06-11 10:00", "2025-06-13 10:00", "hired"),
    "a09": ("v03", "w04", "2025-06-12 10:00", None, "received"),
    "a10": ("v03", "w24", "2025-06-29 22:00", "2025-07-02 10:00", "shortlisted"),
    "a11": ("v05", "w11", "2025-06-20 15:00", None, "withdrawn"),
    "a12": ("v06", "w12", "2025-07-01 08:00", None, "received"),
    "a13": ("v08", "w05", "2025-05-05 10:00", "2025-05-20 10:00", "hired"),
    "a14": ("v08", "w22", "2025-06-23 10:00", "2025-06-24 16:00", "interview"),
    "a15": ("v11", "w20", "2025-06-09 10:00", "2025-06-10 10:00", "hired"),
    "a16": ("v11", "w06", "2025-06-09 11:00", "2025-06-30 23:50", "hired"),  # hired on the last evening of June
    "a17": ("v11", "w12", "2025-06-21 10:00", "2025-07-01 00:20", "hired"),  # ... and just after midnight: July
    "a18": ("v11", "w14", "2025-06-30 20:00", None, "received"),
    "a19": ("v13", "w10", "2025-06-26 10:00", "2025-06-26 22:00", "rejected"),
    "a20": ("v12", "w17", "2024-12-15 10:00", "2025-01-10 10:00", "rejected"),
    "a21": ("v14", "w02", "2025-02-11 10:00", None, "received"),
}

# A hire whose worker has since deleted the account: the placement keeps only anonymous facts.
ANONYMOUS_PLACEMENTS = [
    # (vacancy, hired, sex, birth year, education, worker's ward)
    ("v03", "2025-06-14 10:00", "female", 1998, "college", CG),
]


@dataclass
class W:
    key: str
    created: datetime
    seeking: bool
    ward: str | None
    sex: str | None
    birth_year: int | None
    education: str | None
    occupation: str | None
    skills: tuple[str, ...]


@dataclass
class V:
    key: str
    published: datetime | None
    status: str
    closed: datetime | None
    updated: datetime
    positions: int
    filled: int
    ward: str
    occupation: str | None
    required: tuple[str, ...]
    nice: tuple[str, ...]


@dataclass
class A:
    key: str
    vacancy: str
    worker: str
    created: datetime
    responded: datetime | None
    status: str


@dataclass
class P:
    hired: datetime
    vacancy: str
    ward: str
    district: str
    occupation: str | None
    sex: str | None
    birth_year: int | None
    education: str | None
    days_to_fill: float


@dataclass
class World:
    """The fixture as plain objects, with the database ids of what was created."""

    workers: dict[str, W] = field(default_factory=dict)
    vacancies: dict[str, V] = field(default_factory=dict)
    applications: dict[str, A] = field(default_factory=dict)
    placements: list[P] = field(default_factory=list)
    skill_ids: dict[str, int] = field(default_factory=dict)
    skill_labels: dict[str, str] = field(default_factory=dict)


def build(db, factory) -> World:
    """Create the fixture's rows and return it as plain objects."""
    world = World()
    for w, district in DISTRICT.items():
        assert db.session.get(Ward, w).district_code == district
    for key, (created, seeking, ward, sex, birth, edu, occ, skills) in WORKERS.items():
        world.workers[key] = W(key, local(created), seeking, ward, sex, birth, edu, occ, skills)
    ids: dict[str, int] = {}
    for key, w in world.workers.items():
        profile = factory.worker(ward_code=w.ward, skills=w.skills, created_at=w.created, updated_at=w.created,
                                 last_active_at=w.created, is_seeking=w.seeking, sex=w.sex, birth_year=w.birth_year,
                                 education_level=w.education, occupation_code=w.occupation)
        ids[key] = profile.id
    employer = factory.employer()
    for key, (published, status, closed, updated, positions, filled, ward, occ, req, nice) in VACANCIES.items():
        v = V(key, local(published), status, local(closed), local(updated or published or "2025-01-01 00:00"),
              positions, filled, ward, occ, req, nice)
        world.vacancies[key] = v
        row = factory.vacancy(employer=employer, required=req, nice=nice, title=f"Vị trí {key}", ward_code=ward,
                              occupation_code=occ, positions=positions, positions_filled=filled, status=status,
                              published_at=v.published, closed_at=v.closed, created_at=v.updated, updated_at=v.updated)
        ids[key] = row.id
    for key, (vac, worker, created, responded, status) in APPLICATIONS.items():
        a = A(key, vac, worker, local(created), local(responded), status)
        world.applications[key] = a
        row = Application(vacancy_id=ids[vac], worker_id=ids[worker], status=status, created_at=a.created,
                          updated_at=a.responded or a.created, responded_at=a.responded)
        db.session.add(row)
        db.session.flush()
        ids[key] = row.id
        if status == "hired":
            v, w = world.vacancies[vac], world.workers[worker]
            world.placements.append(P(a.responded, vac, v.ward, DISTRICT[v.ward], v.occupation, w.sex, w.birth_year,
                                      w.education, (a.responded - v.published).total_seconds() / 86400))
            db.session.add(Placement(application_id=row.id, vacancy_id=ids[vac], employer_id=employer.id,
                                     hired_at=a.responded, vacancy_published_at=v.published, ward_code=v.ward,
                                     district_code=DISTRICT[v.ward], worker_ward_code=w.ward,
                                     occupation_code=v.occupation, sex=w.sex, birth_year=w.birth_year,
                                     education_level=w.education,
                                     days_to_fill=(a.responded - v.published).total_seconds() / 86400))
    for vac, hired, sex, birth, edu, worker_ward in ANONYMOUS_PLACEMENTS:
        v = world.vacancies[vac]
        p = P(local(hired), vac, v.ward, DISTRICT[v.ward], v.occupation, sex, birth, edu,
              (local(hired) - v.published).total_seconds() / 86400)
        world.placements.append(p)
        db.session.add(Placement(application_id=None, vacancy_id=ids[vac], employer_id=employer.id, hired_at=p.hired,
                                 vacancy_published_at=v.published, ward_code=v.ward, district_code=p.district,
                                 worker_ward_code=worker_ward, occupation_code=v.occupation, sex=sex, birth_year=birth,
                                 education_level=edu, days_to_fill=p.days_to_fill))
    db.session.commit()
    slugs = {s for w in world.workers.values() for s in w.skills} | \
            {s for v in world.vacancies.values() for s in (*v.required, *v.nice)}
    for skill in db.session.scalars(select(Skill).where(Skill.slug.in_(slugs))):
        world.skill_ids[skill.slug] = skill.id
        world.skill_labels[skill.slug] = skill.label_vi
    links = sum(len(v.required) + len(v.nice) for v in world.vacancies.values())
    assert db.session.query(VacancySkill).count() == links
    assert db.session.query(Vacancy).count() == len(VACANCIES)
    return world


# --- the oracle ----------------------------------------------------------------------------------------------

@dataclass
class Filters:
    """Filters as the oracle reads them (first/last day inclusive, in Hanoi time)."""

    first: date
    last: date
    district: str | None = None
    ward: str | None = None
    occupation: str | None = None
    sex: str | None = None
    age: str | None = None
    education: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time()) - HANOI

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), datetime.min.time()) - HANOI

    @property
    def person(self) -> bool:
        return bool(self.sex or self.age or self.education)


def band(birth_year: int | None, year: int) -> str:
    """The age band at the end of year, by the same table of bands."""
    if birth_year is None:
        return "unknown"
    age = year - birth_year
    for key, _label, lo, hi in AGE_BANDS:
        if lo <= age and (hi is None or age <= hi):
            return key
    return "unknown"


def _area_ok(f: Filters, ward: str | None, district: str | None = None) -> bool:
    if f.ward:
        return ward == f.ward
    if f.district:
        return (district or DISTRICT.get(ward)) == f.district
    return True


def _person_ok(f: Filters, sex, birth_year, education) -> bool:
    if f.sex and (sex or "unknown") != f.sex:
        return False
    if f.age and band(birth_year, f.last.year) != f.age:
        return False
    if f.education and (education or "unknown") != f.education:
        return False
    return True


def _occ_ok(f: Filters, occupation: str | None) -> bool:
    return not f.occupation or (occupation or "").startswith(f.occupation)


def worker_ok(f: Filters, w: W) -> bool:
    return _area_ok(f, w.ward) and _occ_ok(f, w.occupation) and _person_ok(f, w.sex, w.birth_year, w.education)


def vacancy_ok(f: Filters, v: V) -> bool:
    return v.published is not None and _area_ok(f, v.ward) and _occ_ok(f, v.occupation)


def placement_ok(f: Filters, p: P) -> bool:
    return _area_ok(f, p.ward, p.district) and _occ_ok(f, p.occupation) and \
        _person_ok(f, p.sex, p.birth_year, p.education)


def _in(t: datetime | None, f: Filters) -> bool:
    return t is not None and f.start <= t < f.end


def median(values: list[float]) -> float | None:
    values = sorted(values)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def active(world: World, f: Filters) -> list[W]:
    return [w for w in world.workers.values() if w.seeking and w.created < f.end and worker_ok(f, w)]


def expected_headline(world: World, f: Filters) -> dict:
    """Every headline figure, by the definitions."""
    seekers = active(world, f)
    new = [w for w in world.workers.values() if _in(w.created, f) and worker_ok(f, w)]
    out = {"active_seekers": len(seekers), "new_registrations": len(new)}
    if f.person:
        out.update(vacancies_notified=None, vacancies_open=None, positions_offered=None, positions_filled=None,
                   vacancies_ended=None)
    else:
        notified = [v for v in world.vacancies.values() if vacancy_ok(f, v) and _in(v.published, f)]
        is_open = [v for v in world.vacancies.values() if vacancy_ok(f, v) and v.published < f.end and (
            (v.closed is not None and v.closed >= f.end) or (v.closed is None and v.status == "open"))]
        ended = [v for v in world.vacancies.values() if _area_ok(f, v.ward) and _occ_ok(f, v.occupation)
                 and v.status in ("expired", "taken_down") and _in(v.closed or v.updated, f)]
        out.update(vacancies_notified=len(notified), vacancies_open=len(is_open),
                   positions_offered=sum(v.positions for v in notified),
                   positions_filled=sum(v.filled for v in notified), vacancies_ended=len(ended))
    apps = [a for a in world.applications.values() if _in(a.created, f)
            and vacancy_ok(f, world.vacancies[a.vacancy])
            and _person_ok(f, world.workers[a.worker].sex, world.workers[a.worker].birth_year,
                           world.workers[a.worker].education)]
    answered = [a for a in apps if a.responded]
    placed = [p for p in world.placements if _in(p.hired, f) and placement_ok(f, p)]
    out.update(applications=len(apps), applications_responded=len(answered),
               median_response_days=median([(a.responded - a.created).total_seconds() / 86400 for a in answered]),
               placements=len(placed), median_days_to_fill=median([p.days_to_fill for p in placed]))
    return out


def months_of_series(f: Filters) -> list[date]:
    last = f.last.replace(day=1)
    first = min(f.first.replace(day=1), add_months(last, -11))
    months, m = [], first
    while m <= last:
        months.append(m)
        m = add_months(m, 1)
    return months


def expected_series(world: World, f: Filters) -> list[dict]:
    """Per month of the series: registrations, seekers active at the month's end, vacancies, placements."""
    rows = []
    for m in months_of_series(f):
        mf = Filters(m, add_months(m, 1) - timedelta(days=1), f.district, f.ward, f.occupation, f.sex, f.age,
                     f.education)
        # the age band stays the period's (the filter is a cohort of birth years fixed by the period's end)
        mf_age = Filters(m, add_months(m, 1) - timedelta(days=1), f.district, f.ward, f.occupation, f.sex, None,
                         f.education)

        def age_ok(birth_year):
            return not f.age or band(birth_year, f.last.year) == f.age

        new = [w for w in world.workers.values() if _in(w.created, mf_age) and worker_ok(mf_age, w) and age_ok(w.birth_year)]
        stock = [w for w in world.workers.values() if w.seeking and w.created < mf.end and worker_ok(mf_age, w)
                 and age_ok(w.birth_year)]
        placed = [p for p in world.placements if _in(p.hired, mf_age) and placement_ok(mf_age, p)
                  and age_ok(p.birth_year)]
        row = {"month": m, "new_registrations": len(new), "active_seekers": len(stock), "placements": len(placed)}
        if f.person:
            row.update(vacancies_notified=None, positions_offered=None)
        else:
            notified = [v for v in world.vacancies.values() if vacancy_ok(mf, v) and _in(v.published, mf)]
            row.update(vacancies_notified=len(notified), positions_offered=sum(v.positions for v in notified))
        rows.append(row)
    return rows


def expected_groups(world: World, f: Filters, key_worker, key_vacancy, key_placement) -> dict:
    """Counts per group for a breakdown: keys map a row to its group (None: not counted)."""
    out: dict = {}

    def c(key):
        return out.setdefault(key, {"active_seekers": 0, "new_registrations": 0, "vacancies_notified": 0,
                                    "positions_offered": 0, "positions_filled": 0, "placements": 0})

    for w in active(world, f):
        c(key_worker(w))["active_seekers"] += 1
    for w in world.workers.values():
        if _in(w.created, f) and worker_ok(f, w):
            c(key_worker(w))["new_registrations"] += 1
    if key_vacancy and not f.person:
        for v in world.vacancies.values():
            if vacancy_ok(f, v) and _in(v.published, f):
                g = c(key_vacancy(v))
                g["vacancies_notified"] += 1
                g["positions_offered"] += v.positions
                g["positions_filled"] += v.filled
    for p in world.placements:
        if _in(p.hired, f) and placement_ok(f, p):
            c(key_placement(p))["placements"] += 1
    return out


def expected_skill_gap(world: World, f: Filters, top: int = 10) -> list[tuple[str, int, int]]:
    """(skill slug, demand, supply) for the top skills by demand, ties by skill id."""
    demand: dict[str, int] = {}
    for v in world.vacancies.values():
        if not vacancy_ok(f, v) or not (v.published < f.end and ((v.closed is not None and v.closed >= f.end)
                                                                or (v.closed is None and v.status == "open"))):
            continue
        for s in v.required:
            demand[s] = demand.get(s, 0) + max(0, v.positions - v.filled)
    ranked = sorted([(s, d) for s, d in demand.items() if d > 0], key=lambda x: (-x[1], world.skill_ids[x[0]]))[:top]
    seekers = active(world, f)
    return [(s, d, sum(1 for w in seekers if s in w.skills)) for s, d in ranked]
