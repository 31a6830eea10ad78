"""notifications: in-app notices, settings, the job queue's table, job alerts; users' session version and verified email

Revision ID: 0016
Revises: 0017
Create Date: 2026-12-04 21:10:00
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no table copy): SQLite adds a column with a constant default in place.
    op.add_column("users", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(), nullable=True))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_notifications_user_id_users",
                                                         ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
    )
    op.create_index("ix_notifications_user_unread", "notifications", ["user_id", "read_at"])
    op.create_index("ix_notifications_created_at", "notifications", ["created_at"])
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", name="fk_notification_settings_user_id_users",
                                                         ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "kind", "channel", name="pk_notification_settings"),
    )
    op.create_table(
        "queued_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("task", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("run_after", sa.DateTime(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_queued_jobs"),
        sa.UniqueConstraint("key", name="uq_queued_jobs_key"),
    )
    op.create_index("ix_queued_jobs_status_run_after", "queued_jobs", ["status", "run_after"])
    op.create_table(
        "job_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("worker_profiles.id", ondelete="CASCADE",
                                                           name="fk_job_alerts_worker_id_worker_profiles"),
                  nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("q", sa.String(200), nullable=False),
        sa.Column("words", sa.String(400), nullable=False),
        sa.Column("lead_word", sa.String(60), nullable=True),
        sa.Column("ward_code", sa.String(5), nullable=True),
        sa.Column("district_code", sa.String(5), nullable=True),
        sa.Column("job_type", sa.String(16), nullable=True),
        sa.Column("min_wage", sa.Integer(), nullable=True),
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_job_alerts"),
    )
    op.create_index("ix_job_alerts_worker_id", "job_alerts", ["worker_id"])
    op.create_index("ix_job_alerts_lead_word", "job_alerts", ["lead_word"])
    op.create_table(
        "alert_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("job_alerts.id", ondelete="CASCADE",
                                                          name="fk_alert_hits_alert_id_job_alerts"), nullable=False),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("worker_profiles.id", ondelete="CASCADE",
                                                           name="fk_alert_hits_worker_id_worker_profiles"),
                  nullable=False),
        sa.Column("vacancy_id", sa.Integer(), sa.ForeignKey("vacancies.id", ondelete="CASCADE",
                                                            name="fk_alert_hits_vacancy_id_vacancies"), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_alert_hits"),
        sa.UniqueConstraint("worker_id", "vacancy_id", name="uq_alert_hits_worker_id"),
    )
    op.create_index("ix_alert_hits_alert_id", "alert_hits", ["alert_id"])
    op.create_index("ix_alert_hits_vacancy_id", "alert_hits", ["vacancy_id"])
    op.create_index("ix_alert_hits_worker_sent", "alert_hits", ["worker_id", "sent_at"])
    op.create_table(
        "alerted_vacancies",
        sa.Column("vacancy_id", sa.Integer(), sa.ForeignKey("vacancies.id", ondelete="CASCADE",
                                                            name="fk_alerted_vacancies_vacancy_id_vacancies"),
                  nullable=False),
        sa.Column("matched_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("vacancy_id", name="pk_alerted_vacancies"),
    )
    # Vacancies already on the exchange are not "new": the first alerts run sends only what is published after it.
    op.execute("INSERT INTO alerted_vacancies (vacancy_id, matched_at) SELECT id, CURRENT_TIMESTAMP FROM vacancies")


def downgrade():
    for table in ("alerted_vacancies", "alert_hits", "job_alerts", "queued_jobs", "notification_settings",
                  "notifications"):
        op.drop_table(table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email_verified_at")
        batch.drop_column("session_version")
