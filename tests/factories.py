"""Builders of test rows with sensible Hanoi defaults; every argument can be overridden."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy import select

from jobmarket.auth.passwords import hash_password
from jobmarket.employers.taxcode import check_digit
from jobmarket.models import Employer, Skill, User, Vacancy, VacancySkill, WorkerProfile
from jobmarket.models._common import utcnow

PASSWORD = "mat-khau-dai-10"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


def valid_tax_code(n: int) -> str:
    """A valid 10-digit tax code, different for each n."""
    for k in itertools.count(n * 37):
        head = f"01{k:07d}"[-9:]
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)
    raise AssertionError("unreachable")


class Factory:
    """Creates and commits rows."""

    def __init__(self, db):
        self.db = db

    def skill(self, slug: str) -> Skill:
        skill = self.db.session.scalar(select(Skill).where(Skill.slug == slug))
        assert skill is not None, f"no skill {slug!r} in the vocabulary"
        return skill

    def user(self, role: str = "worker", email: str | None = None, password: str = PASSWORD, locale: str = "vi") -> User:
        n = next(_counter)
        if password not in _hash_cache:
            _hash_cache[password] = hash_password(password)
        user = User(email=email or f"{role}{n}@example.vn", password_hash=_hash_cache[password], role=role,
                    locale=locale)
        self.db.session.add(user)
        self.db.session.commit()
        return user

    def worker(self, *, user: User | None = None, skills: tuple[str, ...] = (), ward_code: str = "00004",
               preferred: tuple[str, ...] = (), **values) -> WorkerProfile:
        user = user or self.user("worker", email=values.pop("email", None))
        n = next(_counter)
        defaults = dict(full_name=f"Nguyễn Văn {n}", phone=f"09{n:08d}", contact_email=f"lienhe{n}@example.vn",
                        ward_code=ward_code, anywhere_in_hanoi=not preferred, expected_wage=8_000_000,
                        job_type="full_time", education_level="upper_secondary", is_visible=True, is_seeking=True)
        defaults.update(values)
        profile = WorkerProfile(user_id=user.id, **defaults)
        profile.skills = [self.skill(s) for s in skills]
        if preferred:
            from jobmarket.models import Ward

            profile.preferred_wards = [self.db.session.get(Ward, c) for c in preferred]
        self.db.session.add(profile)
        self.db.session.commit()
        return profile

    def employer(self, *, user: User | None = None, verified: bool = True, **values) -> Employer:
        user = user or self.user("employer", email=values.pop("email", None))
        n = next(_counter)
        defaults = dict(name=f"Công ty TNHH Thử Nghiệm {n}", tax_code=valid_tax_code(n), ward_code="00004",
                        sector="Xây dựng", contact_person="Trần Thị Lan", contact_phone=f"08{n:08d}",
                        status="verified" if verified else "unverified",
                        verified_at=utcnow() if verified else None)
        defaults.update(values)
        employer = Employer(owner_id=user.id, **defaults)
        self.db.session.add(employer)
        self.db.session.commit()
        return employer

    def vacancy(self, *, employer: Employer | None = None, required: tuple[str, ...] = (), nice: tuple[str, ...] = (),
                **values) -> Vacancy:
        employer = employer or self.employer()
        defaults = dict(title="Thợ hàn điện", description="Hàn kết cấu thép tại xưởng.", ward_code="00004",
                        wage_min=9_000_000, wage_max=12_000_000, positions=2, job_type="full_time",
                        deadline=date.today() + timedelta(days=30), status="open", published_at=utcnow())
        defaults.update(values)
        vacancy = Vacancy(employer_id=employer.id, **defaults)
        vacancy.skill_links = [VacancySkill(skill_id=self.skill(s).id, required=True) for s in required] + \
                              [VacancySkill(skill_id=self.skill(s).id, required=False) for s in nice]
        self.db.session.add(vacancy)
        self.db.session.commit()
        return vacancy
