"""Administrative rules: staff accounts, roles, enabling and disabling logins, editing the skill vocabulary.

Every change is written to the audit log in its own transaction."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..auth.services import AccountError, create_user
from ..extensions import db
from ..models import Role, Skill, User
from ..refdata.loader import skill_search_text
from ..security.audit import record as audit, snapshot
from ..text import clean, fold


class AdminError(ValueError):
    """A rule was broken; the message is for the administrator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def find_users(q: str = "", role: str | None = None, page: int = 1, per_page: int = 50) -> tuple[list[User], int]:
    """Accounts filtered by email fragment and role, newest first."""
    stmt = select(User)
    if q:
        stmt = stmt.where(User.email.contains(clean(q).lower()))
    if role:
        stmt = stmt.where(User.role == role)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    users = list(db.session.scalars(stmt.order_by(User.id.desc()).limit(per_page).offset((page - 1) * per_page)))
    return users, total


USER_AUDIT = ("email", "role", "is_enabled")
SKILL_AUDIT = ("slug", "label_vi", "label_en", "category", "occupation_group", "synonyms")
ROLES = tuple(r.value for r in Role)


def create_staff(email: str, password: str, role: str, actor: User | None = None) -> User:
    """Create an officer or administrator account."""
    if role not in (Role.OFFICER.value, Role.ADMIN.value):
        raise AdminError(_("Chỉ tạo được tài khoản cán bộ hoặc quản trị tại đây."))
    try:
        user = create_user(email, password, role, commit=False)
    except AccountError as exc:
        raise AdminError(exc.message)
    audit("account.create_staff", target=user, actor=actor, after=snapshot(user, USER_AUDIT), summary=user.email)
    db.session.commit()
    return user


def set_enabled(actor: User, user: User, enabled: bool) -> None:
    """Enable or disable an account; an administrator cannot lock themself out."""
    if user.id == actor.id and not enabled:
        raise AdminError(_("Bạn không thể tự khóa tài khoản của mình."))
    before = snapshot(user, USER_AUDIT)
    user.is_enabled = enabled
    audit("account.enable" if enabled else "account.disable", target=user, actor=actor, before=before,
          after=snapshot(user, USER_AUDIT), summary=user.email)
    db.session.commit()


def set_role(actor: User, user: User, role: str) -> None:
    """Change an account's role (a privilege change: the account's open sessions end and it logs in again)."""
    if role not in ROLES:
        raise AdminError(_("Vai trò không hợp lệ."))
    if user.id == actor.id:
        raise AdminError(_("Bạn không thể tự đổi vai trò của mình."))
    if user.role == role:
        raise AdminError(_("Tài khoản đã có vai trò này."))
    before = snapshot(user, USER_AUDIT)
    user.role = role
    audit("account.role_change", target=user, actor=actor, before=before, after=snapshot(user, USER_AUDIT),
          summary=user.email)
    db.session.commit()


def find_skills(q: str = "", category: str | None = None, limit: int = 100) -> list[Skill]:
    """Skills whose labels or synonyms contain the folded query."""
    stmt = select(Skill)
    folded = fold(q)
    if folded:
        stmt = stmt.where(or_(Skill.search_text.contains(folded), Skill.slug.contains(folded)))
    if category:
        stmt = stmt.where(Skill.category == category)
    return list(db.session.scalars(stmt.order_by(Skill.category, Skill.label_vi).limit(limit)))


def _slugify(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:80]


def save_skill(skill: Skill | None, *, label_vi: str, label_en: str, category: str, occupation_group: str,
               synonyms: str, commit: bool = True, actor: User | None = None) -> Skill:
    """Create or update a skill; labels must stay unique so type-ahead is unambiguous.

    commit=False leaves the transaction to a caller that changes more in it (the reader's phrase list)."""
    label_vi, label_en = clean(label_vi), clean(label_en)
    synonyms = ";".join(s for s in (clean(x) for x in synonyms.replace(",", ";").split(";")) if s)
    clash = db.session.scalar(select(Skill).where(func.lower(Skill.label_vi) == label_vi.lower()))
    if clash is not None and (skill is None or clash.id != skill.id):
        raise AdminError(_("Đã có kỹ năng với nhãn tiếng Việt này."))
    before = snapshot(skill, SKILL_AUDIT) if skill is not None else None
    if skill is None:
        slug = _slugify(label_vi)
        if not slug:
            raise AdminError(_("Nhãn tiếng Việt không hợp lệ."))
        if db.session.scalar(select(Skill.id).where(Skill.slug == slug)) is not None:
            slug = f"{slug}-{db.session.scalar(select(func.count(Skill.id))) + 1}"
        skill = Skill(slug=slug, weight=1.0)
        db.session.add(skill)
    skill.label_vi, skill.label_en, skill.category = label_vi, label_en, category
    skill.occupation_group, skill.synonyms = occupation_group, synonyms
    skill.search_text = skill_search_text(label_vi, label_en, synonyms)
    db.session.flush()
    from ..reading.services import refresh_search_text
    from ..reading.vocab import clear_cache

    refresh_search_text(skill)  # its aliases (shipped or added from the reader's phrases) stay findable
    audit("skill.update" if before else "skill.create", target=skill, actor=actor, before=before,
          after=snapshot(skill, SKILL_AUDIT), summary=label_vi)
    if commit:
        db.session.commit()
        clear_cache()  # the reader sees the change at once in this process
    return skill
