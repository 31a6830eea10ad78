"""indexes for the labour office statistics

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-26 16:30:00

Covering and grouping indexes for jobmarket/stats/queries.py (see jobmarket/models/stats_indexes.py).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = {
    "worker_profiles": [
        ("ix_stats_workers_seeking_ward", ["is_seeking", "ward_code", "created_at"]),
        ("ix_stats_workers_seeking_occupation", ["is_seeking", "occupation_code", "created_at"]),
        ("ix_stats_workers_seeking_person", ["is_seeking", "sex", "birth_year", "education_level", "created_at"]),
        ("ix_stats_workers_active", ["id", "is_seeking", "created_at"]),
        ("ix_stats_workers_created", ["created_at", "is_seeking", "ward_code", "occupation_code", "sex", "birth_year",
                                      "education_level"]),
    ],
    "vacancies": [
        ("ix_stats_vacancies_published", ["published_at", "ward_code", "occupation_code", "positions",
                                          "positions_filled"]),
        ("ix_stats_vacancies_open", ["status", "closed_at", "published_at"]),
        ("ix_stats_vacancies_closed", ["closed_at", "published_at"]),
    ],
    "applications": [
        ("ix_stats_applications_created", ["created_at", "responded_at", "vacancy_id", "worker_id"]),
    ],
    "placements": [
        ("ix_stats_placements_hired", ["hired_at", "ward_code", "district_code", "occupation_code", "sex", "birth_year",
                                       "education_level", "days_to_fill"]),
    ],
    "worker_skills": [
        ("ix_stats_worker_skills_skill", ["skill_id", "worker_id"]),
    ],
}


def upgrade():
    # Plain CREATE INDEX (no table rebuild) works the same on SQLite and PostgreSQL.
    for table, indexes in INDEXES.items():
        for name, columns in indexes:
            op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, indexes in INDEXES.items():
        for name, _columns in reversed(indexes):
            op.drop_index(name, table_name=table)
