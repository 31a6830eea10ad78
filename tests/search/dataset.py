"""A small fixed data set for the search contract: varied skills, places, wages and dates, ties and ineligible rows.

build(factory, now) creates the rows with the test factory and returns them by name, so the same suite can rank it
on every backend (the database backend on SQLite and PostgreSQL; Elasticsearch once it is merged).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from jobmarket.models import Skill

# Rarity weights set explicitly (instead of recomputed from counts) so the expected scores are stable.
WEIGHTS = {"han-dien": 1.3, "han-tig": 2.1, "han-mig-mag": 1.8, "giao-tiep": 1.0, "lam-viec-nhom": 1.05,
           "ke-toan-tong-hop": 1.6, "misa": 2.7, "ke-toan-thue": 1.9, "lai-xe-tai": 1.4}


@dataclass
class Dataset:
    """The rows of the fixed data set, by name."""

    now: datetime
    vacancies: dict = field(default_factory=dict)
    workers: dict = field(default_factory=dict)
    skills: dict = field(default_factory=dict)

    def vacancy_ids(self, *names: str) -> list[int]:
        """Ids of the named vacancies."""
        return [self.vacancies[n].id for n in names]

    def worker_ids(self, *names: str) -> list[int]:
        """Ids of the named workers."""
        return [self.workers[n].id for n in names]

    @property
    def eligible_vacancies(self) -> set[int]:
        """Vacancies anyone may see."""
        return {v.id for n, v in self.vacancies.items() if n not in INELIGIBLE_VACANCIES}

    @property
    def eligible_workers(self) -> set[int]:
        """Workers employers may see."""
        return {w.id for n, w in self.workers.items() if n not in INELIGIBLE_WORKERS}


INELIGIBLE_VACANCIES = ("weld_closed", "weld_unverified", "weld_draft")
INELIGIBLE_WORKERS = ("welder_hidden", "welder_not_seeking", "welder_disabled")


def build(factory, now: datetime) -> Dataset:
    """Create the data set; `now` is the moment scores are computed for."""
    db = factory.db
    ds = Dataset(now=now)
    for skill in db.session.scalars(select(Skill).where(Skill.slug.in_(WEIGHTS))):
        skill.weight = WEIGHTS[skill.slug]
        ds.skills[skill.slug] = skill.id
    db.session.commit()
    verified = factory.employer()
    other = factory.employer()
    unverified = factory.employer(verified=False)
    day = timedelta(days=1)

    def vacancy(name, employer=verified, **values):
        ds.vacancies[name] = factory.vacancy(employer=employer, **values)

    vacancy("weld_bd", title="Thợ hàn điện", ward_code="00004", required=("han-dien", "han-tig"),
            nice=("giao-tiep",), wage_min=9_000_000, wage_max=12_000_000, published_at=now - 2 * day)
    vacancy("weld_bd_twin", employer=other, title="Thợ hàn điện", ward_code="00004",
            required=("han-dien", "han-tig"), nice=("giao-tiep",), wage_min=9_000_000, wage_max=12_000_000,
            published_at=now - 2 * day)
    vacancy("weld_far", title="Thợ hàn MIG", description="Hàn khung thép nhà xưởng.", ward_code="00376",
            required=("han-mig-mag", "han-dien"), wage_min=8_000_000, wage_max=None, published_at=now - 40 * day)
    vacancy("weld_future", title="Thợ hàn TIG", ward_code="00008", required=("han-tig",), wage_min=14_000_000,
            wage_max=16_000_000, published_at=now + day, job_type="shift")
    vacancy("acc_dd", title="Kế toán tổng hợp", description="Làm sổ sách, báo cáo thuế hằng tháng.",
            ward_code="00235", required=("ke-toan-tong-hop", "misa"), nice=("lam-viec-nhom", "giao-tiep"),
            wage_min=10_000_000, wage_max=15_000_000, published_at=now - day)
    vacancy("acc_cg", title="Nhân viên kế toán thuế", description="Kê khai thuế cho doanh nghiệp nhỏ.",
            ward_code="00166", required=("ke-toan-thue",), wage_min=None, wage_max=None,
            published_at=now - 10 * day, job_type="part_time")
    vacancy("office_nice_only", title="Trợ lý văn phòng", description="Sắp xếp lịch họp, tiếp khách.",
            ward_code="00190", nice=("giao-tiep", "lam-viec-nhom"), wage_min=7_000_000, wage_max=9_000_000,
            published_at=now - 5 * day)
    vacancy("driver_unpublished", title="Lái xe tải", description="Giao hàng nội thành.", ward_code="00070",
            required=("lai-xe-tai",), wage_min=11_000_000, wage_max=13_000_000, published_at=None)
    vacancy("weld_closed", title="Thợ hàn điện", ward_code="00004", required=("han-dien",), status="closed",
            published_at=now - 3 * day)
    vacancy("weld_unverified", employer=unverified, title="Thợ hàn điện", ward_code="00004",
            required=("han-dien",), published_at=now - 3 * day)
    vacancy("weld_draft", title="Thợ hàn điện", ward_code="00004", required=("han-dien",), status="draft",
            published_at=None)

    def worker(name, **values):
        ds.workers[name] = factory.worker(**values)

    worker("welder_bd", skills=("han-dien", "han-tig", "giao-tiep"), ward_code="00004", expected_wage=10_000_000,
           last_active_at=now - day)
    worker("welder_pref", skills=("han-dien",), ward_code="00376", preferred=("00008", "00025"),
           expected_wage=8_000_000, last_active_at=now - 20 * day)
    worker("welder_anywhere", skills=("han-dien", "han-mig-mag"), ward_code="00070", preferred=("00376",),
           anywhere_in_hanoi=True, expected_wage=13_000_000, last_active_at=now - 7 * day)
    worker("welder_nowhere", skills=("han-tig",), ward_code=None, expected_wage=None, last_active_at=now - 2 * day)
    worker("accountant_dd", skills=("ke-toan-tong-hop", "misa", "giao-tiep", "lam-viec-nhom"), ward_code="00190",
           expected_wage=12_000_000, last_active_at=now - 3 * day)
    worker("accountant_tax", skills=("ke-toan-thue", "ke-toan-tong-hop"), ward_code="00166",
           expected_wage=20_000_000, last_active_at=now + day)
    worker("talker", skills=("giao-tiep",), ward_code="00199", expected_wage=7_500_000, last_active_at=now - 60 * day)
    worker("twin_a", skills=("han-dien", "han-tig"), ward_code="00025", expected_wage=9_000_000,
           last_active_at=now - 4 * day)
    worker("twin_b", skills=("han-dien", "han-tig"), ward_code="00025", expected_wage=9_000_000,
           last_active_at=now - 4 * day)
    worker("driver", skills=("lai-xe-tai",), ward_code="00070", expected_wage=12_000_000,
           last_active_at=now - 200 * day)
    worker("no_skills", skills=(), ward_code="00004")
    worker("welder_hidden", skills=("han-dien", "han-tig"), ward_code="00004", is_visible=False,
           last_active_at=now - day)
    worker("welder_not_seeking", skills=("han-dien", "han-tig"), ward_code="00004", is_seeking=False,
           last_active_at=now - day)
    disabled = factory.user("worker")
    disabled.is_enabled = False
    db.session.commit()
    worker("welder_disabled", user=disabled, skills=("han-dien", "han-tig"), ward_code="00004",
           last_active_at=now - day)
    return ds
