"""Indexes for the labour office statistics (migrations 0006 and 0007), kept apart so the model modules stay untouched.

Each serves one query shape of jobmarket/stats/queries.py: stocks of active job seekers grouped by one
dimension (leading is_seeking, so an index range feeds a streaming GROUP BY); flows by time range, covering the
filtered and grouped columns (index-only scans); vacancies open at a date; the skill-gap join.
"""
from sqlalchemy import Index

from .applications import Application, Placement
from .employers import Vacancy
from .workers import WorkerProfile, worker_skills

W, V, A, P = WorkerProfile, Vacancy, Application, Placement
APPLICATION_FACTS = (A.ward_code, A.occupation_code, A.sex, A.birth_year, A.education_level)

STATS_INDEXES = (
    # The three stock indexes carry every filter column after their own (migration 0007), so a filtered stock
    # (women only, one district...) is still an index-only scan instead of one table lookup per job seeker.
    Index("ix_stats_workers_seeking_ward", W.is_seeking, W.ward_code, W.created_at, W.occupation_code, W.sex,
          W.birth_year, W.education_level),
    Index("ix_stats_workers_seeking_occupation", W.is_seeking, W.occupation_code, W.created_at, W.ward_code, W.sex,
          W.birth_year, W.education_level),
    Index("ix_stats_workers_seeking_person", W.is_seeking, W.sex, W.birth_year, W.education_level, W.created_at,
          W.ward_code, W.occupation_code),
    Index("ix_stats_workers_active", W.id, W.is_seeking, W.created_at),
    Index("ix_stats_workers_created", W.created_at, W.is_seeking, W.ward_code, W.occupation_code, W.sex,
          W.birth_year, W.education_level),
    Index("ix_stats_vacancies_published", V.published_at, V.ward_code, V.occupation_code, V.positions,
          V.positions_filled),
    Index("ix_stats_vacancies_open", V.status, V.closed_at, V.published_at),
    Index("ix_stats_vacancies_closed", V.closed_at, V.published_at),
    # Applications of a month (its Hanoi month) or of any period, with every filter column (the copies of
    # migration 0010): counts and the median response time are index-only scans, a month's median in index order.
    Index("ix_stats_applications_month_response", A.created_month, A.response_days, *APPLICATION_FACTS),
    Index("ix_stats_applications_response", A.created_at, A.response_days, *APPLICATION_FACTS),
    Index("ix_stats_placements_hired", P.hired_at, P.ward_code, P.district_code, P.occupation_code, P.sex,
          P.birth_year, P.education_level, P.days_to_fill),
    # Job seekers holding a skill, with any filter: an index-only range per skill over the copies (0010).
    Index("ix_stats_worker_skills_supply", *(worker_skills.c[c] for c in ("skill_id", "is_seeking", "created_at",
                                             "ward_code", "occupation_code", "sex", "birth_year", "education_level"))),
)
