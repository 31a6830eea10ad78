"""Administration pages: accounts and roles, the skill vocabulary, phrases the reader could not map, the search
synonym list, the audit log (read only)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..authz import authorize
from ..extensions import db
from ..models import SearchSynonym, Skill, User
from .forms import PhraseMapForm, SkillForm, StaffForm, SynonymForm
from .services import AdminError, create_staff, find_skills, find_users, save_skill, set_enabled, set_role
from .synonyms import delete_synonym, find_synonyms, save_synonym

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")


def _page() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 10_000))
    except ValueError:
        return 1


@bp.route("/tai-khoan", methods=["GET", "POST"])
@login_required
def users():
    """List accounts and create staff accounts."""
    authorize("admin.users")
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = create_staff(form.email.data, form.password.data, form.role.data, actor=current_user)
        except AdminError as exc:
            form.email.errors.append(exc.message)
        else:
            flash(_("Đã tạo tài khoản %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    role = request.args.get("role") if request.args.get("role") in ("worker", "employer", "officer", "admin") else None
    found, total = find_users(request.args.get("q", "")[:200], role, _page())
    return render_template("admin/users.html", form=form, users=found, total=total, page=_page(),
                           q=request.args.get("q", "")[:200], role=role), (422 if form.errors else 200)


@bp.post("/tai-khoan/<int:user_id>/trang-thai")
@login_required
def toggle_user(user_id: int):
    """Enable or disable an account."""
    authorize("admin.users")
    user = db.session.get(User, user_id) or abort(404)
    try:
        set_enabled(current_user, user, request.form.get("enabled") == "1")
    except AdminError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Đã cập nhật tài khoản %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/tai-khoan/<int:user_id>/vai-tro")
@login_required
def change_role(user_id: int):
    """Give an account another role."""
    authorize("admin.users")
    user = db.session.get(User, user_id) or abort(404)
    try:
        set_role(current_user, user, (request.form.get("role") or "")[:16])
    except AdminError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Đã đổi vai trò của %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.get("/nhat-ky")
@login_required
def audit_log():
    """The audit log, filtered by actor, action, record and date; there is no route that edits or deletes it."""
    authorize("admin.audit")
    from ..security.audit import find_events, known_actions
    from .forms import AuditFilterForm

    form = AuditFilterForm(request.args, meta={"csrf": False})
    valid = form.validate()
    data = form.data if valid else {}
    events, total = find_events(actor=data.get("actor") or "", action=data.get("action") or "",
                                target_type=data.get("target_type") or "", target_id=data.get("target_id"),
                                since=data.get("since"), until=data.get("until"), page=_page())
    return render_template("admin/audit.html", form=form, events=events, total=total, page=_page(),
                           actions=known_actions()), (200 if valid else 422)


@bp.route("/ky-nang", methods=["GET", "POST"])
@login_required
def skills():
    """Browse the skill vocabulary and add a skill."""
    authorize("admin.vocabulary")
    form = SkillForm()
    if form.validate_on_submit():
        try:
            skill = save_skill(None, label_vi=form.label_vi.data, label_en=form.label_en.data,
                               category=form.category.data, occupation_group=form.occupation_group.data,
                               synonyms=form.synonyms.data or "", actor=current_user)
        except AdminError as exc:
            form.label_vi.errors.append(exc.message)
        else:
            flash(_("Đã thêm kỹ năng %(label)s.", label=skill.label_vi), "success")
            return redirect(url_for("admin.skills", q=skill.label_vi))
    q = request.args.get("q", "")[:200]
    return render_template("admin/skills.html", form=form, skills=find_skills(q), q=q), (422 if form.errors else 200)


@bp.route("/ky-nang/<int:skill_id>", methods=["GET", "POST"])
@login_required
def skill_edit(skill_id: int):
    """Edit one skill's labels, group and synonyms."""
    authorize("admin.vocabulary")
    skill = db.session.get(Skill, skill_id) or abort(404)
    form = SkillForm(obj=skill)
    if form.validate_on_submit():
        try:
            save_skill(skill, label_vi=form.label_vi.data, label_en=form.label_en.data, category=form.category.data,
                       occupation_group=form.occupation_group.data, synonyms=form.synonyms.data or "",
                       actor=current_user)
        except AdminError as exc:
            form.label_vi.errors.append(exc.message)
        else:
            flash(_("Đã lưu kỹ năng %(label)s.", label=skill.label_vi), "success")
            return redirect(url_for("admin.skills", q=skill.label_vi))
    return render_template("admin/skill_edit.html", form=form, skill=skill), (422 if form.errors else 200)


@bp.post("/ky-nang/tinh-lai-trong-so")
@login_required
def recompute_weights():
    """Recount demand and supply and recompute every skill's rarity weight now."""
    authorize("admin.vocabulary")
    from ..vocabulary import recompute_skill_weights

    result = recompute_skill_weights()
    flash(_("Đã tính lại trọng số: %(n)d kỹ năng thay đổi, %(d)d hồ sơ/tin cần cập nhật chỉ mục.",
            n=result["weights_changed"], d=result["documents_queued"]), "success")
    return redirect(url_for("admin.skills"))


@bp.get("/cum-tu")
@login_required
def phrases():
    """Requirement phrases the reader met often and could not map to a skill, most frequent first."""
    authorize("admin.vocabulary")
    from ..reading.services import open_phrases

    try:
        min_count = max(1, min(int(request.args.get("min", 1)), 1_000_000))
    except ValueError:
        min_count = 1
    return render_template("admin/phrases.html", phrases=open_phrases(min_count), min_count=min_count,
                           map_form=PhraseMapForm(), skill_form=SkillForm())


def _phrase(phrase_id: int):
    """The phrase or 404."""
    from ..models import ReadingPhrase

    return db.session.get(ReadingPhrase, phrase_id) or abort(404)


@bp.post("/cum-tu/<int:phrase_id>/gan")
@login_required
def phrase_map(phrase_id: int):
    """Make the phrase an alias of an existing skill."""
    authorize("admin.vocabulary")
    from sqlalchemy import func, select

    from ..reading.services import PhraseError, map_phrase
    from ..text import clean

    phrase = _phrase(phrase_id)
    form = PhraseMapForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("admin.phrases"))
    label = clean(form.skill.data)
    skill = db.session.scalar(select(Skill).where(func.lower(Skill.label_vi) == label.lower()))
    if skill is None:
        flash(_("Không có kỹ năng với nhãn “%(label)s”.", label=label), "error")
        return redirect(url_for("admin.phrases"))
    try:
        map_phrase(phrase, skill)
    except PhraseError as exc:
        flash(exc.message, "error")
    else:
        flash(_("“%(phrase)s” là một cách viết của %(label)s.", phrase=phrase.phrase, label=skill.label_vi), "success")
    return redirect(url_for("admin.phrases"))


@bp.post("/cum-tu/<int:phrase_id>/them")
@login_required
def phrase_add(phrase_id: int):
    """Add the phrase as a new skill of the vocabulary."""
    authorize("admin.vocabulary")
    from ..reading.services import PhraseError, add_phrase_as_skill

    phrase = _phrase(phrase_id)
    form = SkillForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("admin.phrases"))
    try:
        skill = add_phrase_as_skill(phrase, label_vi=form.label_vi.data, label_en=form.label_en.data,
                                    category=form.category.data, occupation_group=form.occupation_group.data)
    except PhraseError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Đã thêm kỹ năng %(label)s.", label=skill.label_vi), "success")
    return redirect(url_for("admin.phrases"))


@bp.post("/cum-tu/<int:phrase_id>/bo-qua")
@login_required
def phrase_ignore(phrase_id: int):
    """The phrase is not a skill: hide it from the list."""
    authorize("admin.vocabulary")
    from ..reading.services import ignore_phrase

    phrase = _phrase(phrase_id)
    ignore_phrase(phrase)
    flash(_("Đã bỏ qua “%(phrase)s”.", phrase=phrase.phrase), "success")
    return redirect(url_for("admin.phrases"))


# Search synonyms and abbreviations: officers and administrators keep the list search applies at query time.

@bp.route("/tu-dong-nghia", methods=["GET", "POST"])
@login_required
def synonyms():
    """List the search synonyms and add one."""
    authorize("search.synonyms")
    form = SynonymForm()
    if form.validate_on_submit():
        try:
            entry = save_synonym(None, phrase=form.phrase.data, equivalents=form.equivalents.data,
                                 two_way=form.two_way.data, kind=form.kind.data, note=form.note.data or "")
        except AdminError as exc:
            form.phrase.errors.append(exc.message)
        else:
            flash(_("Đã thêm từ đồng nghĩa %(phrase)s.", phrase=entry.phrase), "success")
            return redirect(url_for("admin.synonyms", q=entry.phrase))
    q = request.args.get("q", "")[:200]
    return render_template("admin/synonyms.html", form=form, entries=find_synonyms(q), q=q), \
        (422 if form.errors else 200)


@bp.route("/tu-dong-nghia/<int:entry_id>", methods=["GET", "POST"])
@login_required
def synonym_edit(entry_id: int):
    """Edit one search synonym."""
    authorize("search.synonyms")
    entry = db.session.get(SearchSynonym, entry_id)
    if entry is None or not entry.is_active:
        abort(404)
    form = SynonymForm(obj=entry)
    if form.validate_on_submit():
        try:
            save_synonym(entry, phrase=form.phrase.data, equivalents=form.equivalents.data,
                         two_way=form.two_way.data, kind=form.kind.data, note=form.note.data or "")
        except AdminError as exc:
            form.phrase.errors.append(exc.message)
        else:
            flash(_("Đã lưu từ đồng nghĩa %(phrase)s.", phrase=entry.phrase), "success")
            return redirect(url_for("admin.synonyms", q=entry.phrase))
    return render_template("admin/synonym_edit.html", form=form, entry=entry), (422 if form.errors else 200)


@bp.post("/tu-dong-nghia/<int:entry_id>/xoa")
@login_required
def synonym_delete(entry_id: int):
    """Delete one search synonym."""
    authorize("search.synonyms")
    entry = db.session.get(SearchSynonym, entry_id) or abort(404)
    phrase = entry.phrase
    if entry.is_active:  # deleting twice (a second tab, a retry) is not an error
        delete_synonym(entry)
    flash(_("Đã xóa từ đồng nghĩa %(phrase)s.", phrase=phrase), "success")
    return redirect(url_for("admin.synonyms"))
