"""reading: skill and occupation aliases, and the phrases the reader met that matched no skill

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-04 21:10:00

The reader of job text (jobmarket/reading) finds skills and occupations by their labels and by aliases kept as
data (refdata/data/skill_aliases.csv, occupation_aliases.csv, loaded by `flask refdata load`) or added by an
administrator; phrases it meets often in requirements and cannot map are counted for administrators.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "skill_aliases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("skill_id", sa.Integer(), sa.ForeignKey("skills.id", ondelete="CASCADE"), nullable=False),
        sa.Column("alias", sa.String(length=160), nullable=False),
        sa.Column("folded", sa.String(length=160), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("skill_id", "folded", name="uq_skill_aliases_skill_folded"),
    )
    op.create_index("ix_skill_aliases_skill_id", "skill_aliases", ["skill_id"])
    op.create_index("ix_skill_aliases_folded", "skill_aliases", ["folded"])
    op.create_table(
        "occupation_aliases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("occupation_code", sa.String(length=5), sa.ForeignKey("occupations.code", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("alias", sa.String(length=160), nullable=False),
        sa.Column("folded", sa.String(length=160), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.UniqueConstraint("occupation_code", "folded", name="uq_occupation_aliases_code_folded"),
    )
    op.create_index("ix_occupation_aliases_occupation_code", "occupation_aliases", ["occupation_code"])
    op.create_index("ix_occupation_aliases_folded", "occupation_aliases", ["folded"])
    op.create_table(
        "reading_phrases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("folded", sa.String(length=160), nullable=False, unique=True),
        sa.Column("phrase", sa.String(length=160), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("examples", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("skill_id", sa.Integer(), sa.ForeignKey("skills.id", ondelete="SET NULL"), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_reading_phrases_status", "reading_phrases", ["status"])


def downgrade():
    op.drop_table("reading_phrases")
    op.drop_table("occupation_aliases")
    op.drop_table("skill_aliases")
