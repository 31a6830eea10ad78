"""statistics: current job seekers per ward, occupation, person and skill, and open positions per skill, kept by triggers

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 04:00:00

The dashboard scanned every seeking profile once per breakdown, and joined the skills of every open vacancy and
~70,000 skill rows of job seekers for the skill gap, on every view: 150-300 ms at 200,000 job seekers.
jobmarket/models/stats_summary.py explains the table and its triggers; the figures of an existing database are
computed here.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    from jobmarket.models import stats_summary

    op.create_table(
        "stats_counts",
        sa.Column("dimension", sa.String(length=12), nullable=False),
        sa.Column("k1", sa.String(length=20), nullable=False),
        sa.Column("k2", sa.String(length=20), nullable=False),
        sa.Column("k3", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dimension", "k1", "k2", "k3", name=op.f("pk_stats_counts")),
    )
    bind = op.get_bind()
    stats_summary.install(bind)
    stats_summary.recount(bind)


def downgrade():
    from jobmarket.models import stats_summary

    stats_summary.uninstall(op.get_bind())
    op.drop_table("stats_counts")
