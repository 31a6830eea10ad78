"""job exchange sessions: floors, sessions, employers and seekers taking part, interview requests and plan; session_id on applications and placements

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-04 21:20:00

applications and placements gain a nullable session_id (the session a hire was made at). It is added with a plain
ALTER TABLE ... ADD COLUMN on both databases, never a batch copy of the table: a batch rebuild on SQLite would
drop the statistics' triggers on those tables (jobmarket/models/stats_summary.py). No trigger reads the column,
and it has no foreign key (SQLite cannot add one in place; sessions are cancelled, never deleted).
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None

CENTRAL_FLOOR = {"name": "Sàn giao dịch việc làm Hà Nội (trụ sở chính)",
                 "address": "215 Trung Kính, Yên Hòa, Cầu Giấy, Hà Nội", "capacity": 1500, "rooms": 6}


def upgrade():
    op.create_table(
        "session_floors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("ward_code", sa.String(length=5), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["ward_code"], ["wards.code"], name=op.f("fk_session_floors_ward_code_wards")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_floors")),
    )
    op.create_table(
        "job_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("target_group", sa.String(length=200), nullable=False),
        sa.Column("floor_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("registration_deadline", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("status_reason", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("planned_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_job_sessions_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["floor_id"], ["session_floors.id"],
                                name=op.f("fk_job_sessions_floor_id_session_floors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_sessions")),
    )
    op.create_index(op.f("ix_job_sessions_day"), "job_sessions", ["day"], unique=False)
    op.create_index(op.f("ix_job_sessions_floor_id"), "job_sessions", ["floor_id"], unique=False)
    op.create_index(op.f("ix_job_sessions_status"), "job_sessions", ["status"], unique=False)
    op.create_table(
        "session_employers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decision_reason", sa.String(length=500), nullable=True),
        sa.Column("booth_needs", sa.String(length=500), nullable=False),
        sa.Column("interviewers", sa.Integer(), nullable=False),
        sa.Column("booth", sa.String(length=40), nullable=True),
        sa.Column("room_token", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"],
                                name=op.f("fk_session_employers_employer_id_employers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["job_sessions.id"],
                                name=op.f("fk_session_employers_session_id_job_sessions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_employers")),
        sa.UniqueConstraint("room_token", name=op.f("uq_session_employers_room_token")),
        sa.UniqueConstraint("session_id", "employer_id", name=op.f("uq_session_employers_session_id")),
    )
    op.create_index(op.f("ix_session_employers_employer_id"), "session_employers", ["employer_id"], unique=False)
    op.create_index(op.f("ix_session_employers_session_id"), "session_employers", ["session_id"], unique=False)
    op.create_table(
        "session_vacancies",
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["participation_id"], ["session_employers.id"],
                                name=op.f("fk_session_vacancies_participation_id_session_employers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancies.id"],
                                name=op.f("fk_session_vacancies_vacancy_id_vacancies"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("participation_id", "vacancy_id", name=op.f("pk_session_vacancies")),
    )
    op.create_index(op.f("ix_session_vacancies_vacancy_id"), "session_vacancies", ["vacancy_id"], unique=False)
    op.create_table(
        "session_seekers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("ticket_code", sa.String(length=40), nullable=False),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("checked_in_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["checked_in_by_id"], ["users.id"],
                                name=op.f("fk_session_seekers_checked_in_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["registered_by_id"], ["users.id"],
                                name=op.f("fk_session_seekers_registered_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["session_id"], ["job_sessions.id"],
                                name=op.f("fk_session_seekers_session_id_job_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["worker_id"], ["worker_profiles.id"],
                                name=op.f("fk_session_seekers_worker_id_worker_profiles"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_seekers")),
        sa.UniqueConstraint("session_id", "worker_id", name=op.f("uq_session_seekers_session_id")),
        sa.UniqueConstraint("ticket_code", name=op.f("uq_session_seekers_ticket_code")),
    )
    op.create_index(op.f("ix_session_seekers_session_id"), "session_seekers", ["session_id"], unique=False)
    op.create_index(op.f("ix_session_seekers_worker_id"), "session_seekers", ["worker_id"], unique=False)
    op.create_table(
        "interview_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("move_requested", sa.String(length=500), nullable=True),
        sa.Column("outcome", sa.String(length=14), nullable=True),
        sa.Column("outcome_at", sa.DateTime(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_interview_requests_application_id_applications"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["participation_id"], ["session_employers.id"],
                                name=op.f("fk_interview_requests_participation_id_session_employers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["seeker_id"], ["session_seekers.id"],
                                name=op.f("fk_interview_requests_seeker_id_session_seekers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancies.id"],
                                name=op.f("fk_interview_requests_vacancy_id_vacancies"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_requests")),
        sa.UniqueConstraint("seeker_id", "vacancy_id", name=op.f("uq_interview_requests_seeker_id")),
    )
    op.create_index(op.f("ix_interview_requests_participation_id"), "interview_requests", ["participation_id"],
                    unique=False)
    op.create_index(op.f("ix_interview_requests_seeker_id"), "interview_requests", ["seeker_id"], unique=False)
    op.create_table(
        "session_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["job_sessions.id"],
                                name=op.f("fk_session_notices_session_id_job_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_session_notices_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_notices")),
    )
    op.create_index(op.f("ix_session_notices_session_id"), "session_notices", ["session_id"], unique=False)
    op.create_index(op.f("ix_session_notices_user_id"), "session_notices", ["user_id"], unique=False)

    bind = op.get_bind()
    for table in ("applications", "placements"):
        # A plain ADD COLUMN (no foreign key, which SQLite could only add by rebuilding the table).
        op.add_column(table, sa.Column("session_id", sa.Integer(), nullable=True))
        op.create_index(op.f(f"ix_{table}_session_id"), table, ["session_id"], unique=False)

    # The central floor, so a session can be planned on a fresh install.
    ward = bind.execute(sa.text("SELECT code FROM wards WHERE code = '00175'")).scalar()  # phường Yên Hòa
    if ward is None:  # reference data not loaded yet (a fresh database): sessions.services.ensure_central_floor
        return
    bind.execute(sa.text("INSERT INTO session_floors (name, address, ward_code, capacity, rooms, active) "
                         "VALUES (:name, :address, :ward, :capacity, :rooms, :active)"),
                 {**CENTRAL_FLOOR, "ward": ward, "active": True})


def downgrade():
    bind = op.get_bind()
    for table in ("placements", "applications"):
        op.drop_index(op.f(f"ix_{table}_session_id"), table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN session_id")  # SQLite >= 3.35 and PostgreSQL, no rebuild
    for table in ("session_notices", "interview_requests", "session_seekers", "session_vacancies",
                  "session_employers", "job_sessions", "session_floors"):
        op.drop_table(table)
