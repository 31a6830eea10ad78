"""audit log: audit_events, append-only (PostgreSQL refuses UPDATE and DELETE on it by trigger)

Revision ID: 0018
Revises: 0012
Create Date: 2026-12-04 21:20:00
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0012"
branch_labels = None
depends_on = None

PG_FORBID = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


def upgrade():
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_email", sa.String(length=254), nullable=True),
        sa.Column("actor_role", sa.String(length=16), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events") as batch:
        batch.create_index(batch.f("ix_audit_events_occurred_at"), ["occurred_at"])
        batch.create_index(batch.f("ix_audit_events_actor_id"), ["actor_id"])
        batch.create_index(batch.f("ix_audit_events_action"), ["action"])
        batch.create_index("ix_audit_events_target", ["target_type", "target_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FORBID)
        # Row triggers: UPDATE and DELETE refused for everyone but a superuser who drops the trigger on purpose.
        # TRUNCATE (the test suite's reset, an operator's deliberate purge) is a separate, table-level statement.
        op.execute("CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events "
                   "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update_delete ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    op.drop_table("audit_events")
