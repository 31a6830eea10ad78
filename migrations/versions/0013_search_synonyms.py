"""search: curated query-time synonyms and abbreviations (search_synonyms), seeded by `flask refdata load`

Revision ID: 0013
Revises: 0016
Create Date: 2026-12-04 21:10:00

"NV KD", "accountant", "driver" and "HR" found nothing: the vacancies say "nhân viên kinh doanh", "kế toán",
"lái xe", "nhân sự". search_synonyms holds the curated list (jobmarket/search/synonyms.py applies it at query time);
officers extend it from the admin pages.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(length=120), nullable=False),
        sa.Column("phrase_folded", sa.String(length=120), nullable=False),
        sa.Column("equivalents", sa.Text(), nullable=False),
        sa.Column("equivalents_folded", sa.Text(), nullable=False),
        sa.Column("two_way", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonyms")),
        sa.UniqueConstraint("phrase_folded", name=op.f("uq_search_synonyms_phrase_folded")),
    )


def downgrade():
    op.drop_table("search_synonyms")
