"""statistics: applications and job seekers' skills carry copies of the facts the statistics filter on, kept by triggers

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 07:10:00

A filtered dashboard looked up each counted row's parent: every application of the period its applicant or
vacancy (37,000 lookups for a month of 1,000,000 applications, twice: count and median, 100-125 ms), every skill
row of the top skills its holder (68,000 lookups, 45-90 ms). Applications now carry their vacancy's ward and
occupation and their applicant's sex, birth year and education; worker_skills their holder's is_seeking,
created_at, ward, occupation, sex, birth year and education. Triggers keep the copies equal to the originals
(jobmarket/models/stats_summary.py, COPIES), and the statistics indexes carry them, so each count is an
index-only scan. Response counts read response_days (NULL exactly when responded_at is), so the index on
(created_at, responded_at, vacancy_id, worker_id) goes.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

APPLICATION_FACTS = ["ward_code", "occupation_code", "sex", "birth_year", "education_level"]
HOLDER_FACTS = ["is_seeking", "created_at", "ward_code", "occupation_code", "sex", "birth_year", "education_level"]


def _fact_columns(names):
    types = {"ward_code": sa.String(length=5), "occupation_code": sa.String(length=5), "sex": sa.String(length=8),
             "birth_year": sa.Integer(), "education_level": sa.String(length=20), "is_seeking": sa.Boolean(),
             "created_at": sa.DateTime()}
    return [sa.Column(name, types[name], nullable=True) for name in names]


def upgrade():
    from jobmarket.models import stats_summary

    bind = op.get_bind()
    for column in _fact_columns(APPLICATION_FACTS):
        op.add_column("applications", column)
    for column in _fact_columns(HOLDER_FACTS):
        op.add_column("worker_skills", column)
    if bind.dialect.name == "sqlite":
        # The skill counts' update trigger fires only when a row moves, not when its copies are written.
        stats_summary.recreate_sqlite_trigger(bind, "stats_worker_skills_update")
    stats_summary.copy_all(bind)
    stats_summary.install_copies(bind)
    op.drop_index("ix_stats_applications_created", table_name="applications")
    op.drop_index("ix_stats_applications_month_response", table_name="applications")
    op.drop_index("ix_stats_applications_response", table_name="applications")
    op.drop_index("ix_stats_worker_skills_skill", table_name="worker_skills")
    op.create_index("ix_stats_applications_month_response", "applications",
                    ["created_month", "response_days", *APPLICATION_FACTS], unique=False)
    op.create_index("ix_stats_applications_response", "applications",
                    ["created_at", "response_days", *APPLICATION_FACTS], unique=False)
    op.create_index("ix_stats_worker_skills_supply", "worker_skills", ["skill_id", *HOLDER_FACTS], unique=False)


def downgrade():
    from jobmarket.models import stats_summary

    bind = op.get_bind()
    op.drop_index("ix_stats_worker_skills_supply", table_name="worker_skills")
    op.drop_index("ix_stats_applications_response", table_name="applications")
    op.drop_index("ix_stats_applications_month_response", table_name="applications")
    op.create_index("ix_stats_worker_skills_skill", "worker_skills", ["skill_id", "worker_id"], unique=False)
    op.create_index("ix_stats_applications_response", "applications",
                    ["created_at", "response_days", "vacancy_id", "worker_id"], unique=False)
    op.create_index("ix_stats_applications_month_response", "applications", ["created_month", "response_days"],
                    unique=False)
    op.create_index("ix_stats_applications_created", "applications",
                    ["created_at", "responded_at", "vacancy_id", "worker_id"], unique=False)
    stats_summary.uninstall_copies(bind)
    # SQLite rebuilds both tables below, without their triggers: they are dropped first and created again after.
    stats_summary.uninstall_response_days(bind)
    if bind.dialect.name == "sqlite":
        stats_summary.uninstall(bind)
    for table, names in (("applications", APPLICATION_FACTS), ("worker_skills", HOLDER_FACTS)):
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(names):
                batch_op.drop_column(column)
    stats_summary.install_response_days(bind)
    if bind.dialect.name == "sqlite":
        stats_summary.install(bind)  # its skill-update trigger names worker_id and skill_id: the same at 0009
