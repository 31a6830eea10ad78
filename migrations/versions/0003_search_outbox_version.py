"""search outbox: the row's version when the change was recorded

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:30:00

A deleted row can no longer be read, so its outbox entry carries the version to delete the document with: the
index keeps that version as a tombstone, and a late, stale write of an older version cannot bring it back.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_column('version')
