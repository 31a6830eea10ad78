"""search relevance: vacancy terms (syllables, adjacent-syllable pairs, exact spellings) with levels and weights,
and each term's document frequency

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-04 21:30:00

dbsearch_vacancy_words held one folded syllable per vacancy with a rank (2 in the title, 1 elsewhere). The relevance
rule of jobmarket/search/relevance.py reads terms (syllables, pairs of adjacent syllables, exact spellings) with
their field-weighted frequency (level) and saturated weight, and their rarity from dbsearch_terms. The words are
derived data: the table is recreated and filled from the vacancies.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None


def _words_table(extra_columns):
    """Create dbsearch_vacancy_words with the given value columns, and its vacancy index."""
    op.create_table(
        "dbsearch_vacancy_words",
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        *extra_columns,
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancies.id"],
                                name=op.f("fk_dbsearch_vacancy_words_vacancy_id_vacancies"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("word", "vacancy_id", name=op.f("pk_dbsearch_vacancy_words")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("dbsearch_vacancy_words", schema=None) as batch_op:
        batch_op.create_index("ix_dbsearch_vacancy_words_vacancy_id", ["vacancy_id"], unique=False)


def _drop_words_table():
    """Drop dbsearch_vacancy_words and its index."""
    with op.batch_alter_table("dbsearch_vacancy_words", schema=None) as batch_op:
        batch_op.drop_index("ix_dbsearch_vacancy_words_vacancy_id")
    op.drop_table("dbsearch_vacancy_words")


def upgrade():
    _drop_words_table()
    _words_table([sa.Column("level", sa.SmallInteger(), nullable=False),
                  sa.Column("weight", sa.Float(), nullable=False)])
    op.create_table(
        "dbsearch_terms",
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.Column("max_level", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_dbsearch_terms")),
        sqlite_with_rowid=False,
    )
    from jobmarket.search.dbindex import rebuild_words

    rebuild_words(op.get_bind())


def downgrade():
    op.drop_table("dbsearch_terms")
    _drop_words_table()
    _words_table([sa.Column("rank", sa.SmallInteger(), nullable=False)])  # empty: the old code's rebuild refills it
