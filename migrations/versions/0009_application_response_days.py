"""statistics: applications carry their response time in days, set by triggers, and an index on it

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 04:30:00

The median response time computed julianday() twice per application of the period and sorted the results
(30-50 ms for a month of 1,000,000 applications). The difference is now stored (triggers in
jobmarket/models/stats_summary.py) and read in index order. (A generated column would be simpler, but SQLite can
only add a VIRTUAL one, and SQLite 3.40 cannot read a virtual column from an index.)
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    from jobmarket.models import stats_summary
    from jobmarket.models.sqlfunctions import DaysBetween

    bind = op.get_bind()
    op.add_column("applications", sa.Column("response_days", sa.Float(), nullable=True))
    days = DaysBetween(sa.literal_column("responded_at"), sa.literal_column("created_at")).compile(dialect=bind.dialect)
    op.execute(f"UPDATE applications SET response_days = {days} WHERE responded_at IS NOT NULL")
    stats_summary.install_response_days(bind)
    op.create_index("ix_stats_applications_response", "applications",
                    ["created_at", "response_days", "vacancy_id", "worker_id"], unique=False)


def downgrade():
    from jobmarket.models import stats_summary

    op.drop_index("ix_stats_applications_response", table_name="applications")
    stats_summary.uninstall_response_days(op.get_bind())
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("response_days")
