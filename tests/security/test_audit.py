"""The audit log: every officer and admin action is recorded with its actor, address and before/after, in the
action's own transaction; admins read it with filters; nobody can edit it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from jobmarket.models import AuditEvent, Skill

from ..factories import PASSWORD
from ..dbutil import backend


def _client(app, user, ip="192.0.2.10"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def _events(db, action=None):
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt))


def test_officer_actions_are_recorded_with_before_and_after(app, db, factory):
    officer = factory.user("officer", email="canbo@example.vn")
    employer = factory.employer(verified=False)
    vacancy = factory.vacancy(employer=factory.employer(verified=True))
    client = _client(app, officer)
    assert client.post(f"/can-bo/doanh-nghiep/{employer.id}/xac-minh").status_code == 302
    assert client.post(f"/can-bo/tin/{vacancy.id}/go", data={"reason": "Lừa đảo"}).status_code == 302
    assert client.post(f"/can-bo/tin/{vacancy.id}/khoi-phuc").status_code == 302
    verify, take_down, restore = (_events(db, a)[0] for a in ("employer.verify", "vacancy.take_down",
                                                                "vacancy.restore"))
    assert (verify.actor_id, verify.actor_email, verify.actor_role) == (officer.id, "canbo@example.vn", "officer")
    assert verify.target_type == "employers" and verify.target_id == employer.id
    assert verify.before["status"] != "verified" and verify.after["status"] == "verified"
    assert verify.ip_address == "192.0.2.10" and verify.occurred_at is not None
    assert take_down.before["status"] == "open" and take_down.after == {**take_down.after, "status": "taken_down",
                                                                          "status_reason": "Lừa đảo"}
    assert restore.before["status"] == "taken_down" and restore.after["status"] == "open"


def test_a_refused_action_writes_nothing(app, db, factory):
    officer = factory.user("officer")
    employer = factory.employer(verified=True)
    client = _client(app, officer)
    client.post(f"/can-bo/doanh-nghiep/{employer.id}/xac-minh")  # already verified: refused
    client.post(f"/can-bo/doanh-nghiep/{employer.id}/tu-choi", data={"reason": ""})  # no reason: refused
    assert _events(db) == []


def test_admin_actions_are_recorded(app, db, factory):
    admin = factory.user("admin", email="qt@example.vn")
    worker = factory.user(email="nld1@example.vn")
    client = _client(app, admin)
    client.post("/quan-tri/tai-khoan", data={"email": "canbo9@example.vn", "password": PASSWORD, "role": "officer"})
    client.post(f"/quan-tri/tai-khoan/{worker.id}/trang-thai", data={"enabled": "0"})
    client.post(f"/quan-tri/tai-khoan/{worker.id}/vai-tro", data={"role": "employer"})
    client.post("/quan-tri/ky-nang", data={"label_vi": "Hàn thử nghiệm kiểm toán", "label_en": "Audit test welding", "category": "welding",
                                           "occupation_group": "7", "synonyms": "tig"})
    skill = db.session.scalar(select(Skill).where(Skill.label_vi == "Hàn thử nghiệm kiểm toán"))
    client.post(f"/quan-tri/ky-nang/{skill.id}", data={"label_vi": "Hàn thử nghiệm kiểm toán", "label_en": "Audit test welding",
                                                        "category": "welding", "occupation_group": "7",
                                                        "synonyms": "tig; hàn argon"})
    actions = [e.action for e in _events(db)]
    assert actions == ["account.create_staff", "account.disable", "account.role_change", "skill.create",
                       "skill.update"]
    role = _events(db, "account.role_change")[0]
    assert role.before["role"] == "worker" and role.after["role"] == "employer" and role.actor_id == admin.id
    edit = _events(db, "skill.update")[0]
    assert edit.before["synonyms"] == "tig" and edit.after["synonyms"] == "tig;hàn argon"


def test_walk_in_registration_is_recorded(app, db, factory):
    officer = factory.user("officer")
    client = _client(app, officer)
    response = client.post("/can-bo/nguoi-lao-dong/moi", data={
        "account_email": "", "full_name": "Phạm Thị Hoa", "phone": "0987 654 321", "address": "xã Đông Anh",
        "skills": [str(factory.skill("han-dien").id)], "experience_years": "5", "is_visible": "y",
        "anywhere_in_hanoi": "y", "consent": "y"})
    assert response.status_code == 302
    event = _events(db, "worker.walkin_register")[0]
    assert event.actor_id == officer.id and event.target_type == "users" and event.after["consent_at"]


def test_admins_read_the_log_with_filters_and_others_cannot(app, db, factory):
    admin = factory.user("admin", email="reader@example.vn")
    officer = factory.user("officer", email="actor@example.vn")
    first, second = factory.employer(verified=False), factory.employer(verified=False)
    officer_client = _client(app, officer)
    officer_client.post(f"/can-bo/doanh-nghiep/{first.id}/xac-minh")
    officer_client.post(f"/can-bo/doanh-nghiep/{second.id}/tu-choi", data={"reason": "Mã số thuế sai"})
    assert officer_client.get("/quan-tri/nhat-ky").status_code == 403
    client = _client(app, admin)
    page = client.get("/quan-tri/nhat-ky")
    assert page.status_code == 200 and "employer.verify" in page.text and "employer.reject" in page.text
    filtered = client.get("/quan-tri/nhat-ky?action=employer.reject&actor=actor%40")
    assert "employer.reject" in filtered.text and "<code>employer.verify</code>" not in filtered.text
    by_record = client.get(f"/quan-tri/nhat-ky?target_type=employers&target_id={first.id}")
    assert "<code>employer.verify</code>" in by_record.text and "<code>employer.reject</code>" not in by_record.text
    bad = client.get("/quan-tri/nhat-ky?since=2026-13-40&until=hôm-qua&target_id=-1")
    assert bad.status_code == 422 and "Ngày không hợp lệ" in bad.text and "Mã bản ghi không hợp lệ" in bad.text
    english = _client(app, factory.user("admin", email="en@example.vn", locale="en"))
    assert "Invalid date" in english.get("/quan-tri/nhat-ky?since=x").text


def test_the_log_has_no_route_that_changes_it(app):
    for rule in app.url_map.iter_rules():
        if "nhat-ky" in rule.rule or rule.endpoint.startswith("admin.audit"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_recorded_events_cannot_be_changed_or_deleted(app, db, factory):
    """The ORM refuses on both databases; PostgreSQL's trigger also refuses raw SQL UPDATE and DELETE."""
    from jobmarket.security.audit import AuditLogIsAppendOnly

    officer = factory.user("officer")
    employer = factory.employer(verified=False)
    _client(app, officer).post(f"/can-bo/doanh-nghiep/{employer.id}/xac-minh")
    event = db.session.scalar(select(AuditEvent))
    event.summary = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(AuditEvent)))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    if backend() == "postgresql":
        from sqlalchemy.exc import DBAPIError

        for statement in ("UPDATE audit_events SET summary = 'forged'", "DELETE FROM audit_events"):
            with pytest.raises(DBAPIError, match="append-only"):
                with db.engine.begin() as conn:
                    conn.execute(text(statement))
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 1
    assert db.session.scalar(select(AuditEvent.summary)) != "forged"
