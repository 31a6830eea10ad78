"""database search backend: derived tables (skill postings by ward, weight totals, words)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dbsearch_vacancies',
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('req_total', sa.Float(), nullable=False),
    sa.Column('nice_total', sa.Float(), nullable=False),
    sa.Column('nice_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_dbsearch_vacancies_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vacancy_id', name=op.f('pk_dbsearch_vacancies'))
    )
    op.create_table('dbsearch_vacancy_skills',
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('rest', sa.Float(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('offered', sa.BigInteger(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_dbsearch_vacancy_skills_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('skill_id', 'ward_code', 'required', 'rest', 'vacancy_id', name=op.f('pk_dbsearch_vacancy_skills')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('dbsearch_vacancy_skills', schema=None) as batch_op:
        batch_op.create_index('ix_dbsearch_vacancy_skills_vacancy_id', ['vacancy_id'], unique=False)

    op.create_table('dbsearch_worker_skills',
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('ward_code', sa.String(length=5), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('expected_wage', sa.BigInteger(), nullable=True),
    sa.Column('last_active_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['worker_id'], ['worker_profiles.id'], name=op.f('fk_dbsearch_worker_skills_worker_id_worker_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('skill_id', 'ward_code', 'worker_id', name=op.f('pk_dbsearch_worker_skills')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('dbsearch_worker_skills', schema=None) as batch_op:
        batch_op.create_index('ix_dbsearch_worker_skills_worker_id', ['worker_id'], unique=False)

    op.create_table('dbsearch_vacancy_words',
    sa.Column('word', sa.Text(), nullable=False),
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_dbsearch_vacancy_words_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('word', 'vacancy_id', name=op.f('pk_dbsearch_vacancy_words')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('dbsearch_vacancy_words', schema=None) as batch_op:
        batch_op.create_index('ix_dbsearch_vacancy_words_vacancy_id', ['vacancy_id'], unique=False)

    op.create_table('dbsearch_ward_distances',
    sa.Column('ward_a', sa.String(length=5), nullable=False),
    sa.Column('ward_b', sa.String(length=5), nullable=False),
    sa.Column('km', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('ward_a', 'ward_b', name=op.f('pk_dbsearch_ward_distances')),
    sqlite_with_rowid=False
    )

    # Existing rows (a database migrated with data in it) get their derived rows now.
    from jobmarket.search.dbindex import rebuild

    rebuild(op.get_bind(), words=False)  # the words are derived by 0012, in the shape they have since


def downgrade():
    for table in ('dbsearch_vacancy_words', 'dbsearch_worker_skills', 'dbsearch_vacancy_skills'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_{"worker_id" if "worker" in table else "vacancy_id"}')
        op.drop_table(table)
    op.drop_table('dbsearch_vacancies')
    op.drop_table('dbsearch_ward_distances')
