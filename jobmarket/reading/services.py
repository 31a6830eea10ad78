"""The reader's vocabulary that grows: counting unmatched phrases, and mapping them to skills (each commits once)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import ReadingPhrase, Skill, SkillAlias
from ..models._common import utcnow
from ..text import clean, fold
from .vocab import clear_cache

MAX_EXAMPLES, EXAMPLE_CHARS = 5, 160


class PhraseError(ValueError):
    """A rule was broken; the message is for the administrator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _example(text: str, raw: str) -> str:
    """A short excerpt of text around raw (or its beginning), on one line."""
    at = text.find(raw)
    start = max(0, at - 50) if at >= 0 else 0
    return clean(text[start:start + EXAMPLE_CHARS])


def record_unmatched(items: list[tuple[tuple[tuple[str, str], ...], str]]) -> int:
    """Count each (folded, as written) phrase once per text it came from, keeping up to five examples; commits."""
    counts: dict[str, tuple[str, int, list[str]]] = {}
    for phrases, text in items:
        for folded, raw in phrases:
            folded = folded[:160]
            phrase, n, examples = counts.get(folded, (clean(raw)[:160], 0, []))
            if len(examples) < MAX_EXAMPLES:
                examples.append(_example(text, raw))
            counts[folded] = (phrase, n + 1, examples)
    if not counts:
        return 0
    existing = {p.folded: p for p in db.session.scalars(select(ReadingPhrase).where(ReadingPhrase.folded.in_(counts)))}
    now = utcnow()
    for folded, (phrase, n, examples) in counts.items():
        row = existing.get(folded)
        if row is None:
            row = ReadingPhrase(folded=folded, phrase=phrase, count=0, examples="", status="open", first_seen=now)
            db.session.add(row)
        row.count = (row.count or 0) + n
        kept = [e for e in (row.examples or "").split("\n") if e]
        row.examples = "\n".join((kept + [e for e in examples if e not in kept])[:MAX_EXAMPLES])
        row.last_seen = now
    db.session.commit()
    return len(counts)


def open_phrases(min_count: int = 1, limit: int = 100) -> list[ReadingPhrase]:
    """Phrases still to decide, most frequent first."""
    return list(db.session.scalars(
        select(ReadingPhrase).where(ReadingPhrase.status == "open", ReadingPhrase.count >= min_count)
        .order_by(ReadingPhrase.count.desc(), ReadingPhrase.folded).limit(limit)))


def _refresh_search_text(skill: Skill) -> None:
    """Type-ahead finds a skill by its aliases too: rebuild its folded search text."""
    from ..refdata.loader import skill_search_text

    aliases = db.session.scalars(select(SkillAlias.alias).where(SkillAlias.skill_id == skill.id)).all()
    skill.search_text = skill_search_text(skill.label_vi, skill.label_en, ";".join([skill.synonyms or "", *aliases]))


def add_alias(skill: Skill, alias: str, source: str = "admin") -> SkillAlias:
    """Make alias another way of writing skill (no commit); an alias another skill already has is refused."""
    alias = clean(alias)[:160]
    folded = fold(alias)
    if not folded:
        raise PhraseError(_("Cụm từ trống."))
    other = db.session.scalar(select(SkillAlias).where(SkillAlias.folded == folded, SkillAlias.skill_id != skill.id))
    if other is not None or fold(skill.label_vi) == folded:
        if other is not None:
            raise PhraseError(_("Cụm từ này đã là cách viết của một kỹ năng khác."))
    row = db.session.scalar(select(SkillAlias).where(SkillAlias.folded == folded, SkillAlias.skill_id == skill.id))
    if row is None:
        row = SkillAlias(skill_id=skill.id, alias=alias, folded=folded, source=source, created_at=utcnow())
        db.session.add(row)
        db.session.flush()
        _refresh_search_text(skill)
    return row


def map_phrase(phrase: ReadingPhrase, skill: Skill) -> SkillAlias:
    """The admin says the phrase is a way of writing skill: it becomes an alias the reader and type-ahead use."""
    if phrase.status != "open":
        raise PhraseError(_("Cụm từ này đã được xử lý."))
    row = add_alias(skill, phrase.phrase)
    phrase.status, phrase.skill_id = "mapped", skill.id
    db.session.commit()
    clear_cache()
    return row


def add_phrase_as_skill(phrase: ReadingPhrase, *, label_vi: str, label_en: str, category: str,
                        occupation_group: str) -> Skill:
    """The admin adds the phrase as a new skill (labels may tidy its writing); the phrase itself stays an alias."""
    from ..admin.services import AdminError, save_skill

    if phrase.status != "open":
        raise PhraseError(_("Cụm từ này đã được xử lý."))
    try:
        skill = save_skill(None, label_vi=label_vi or phrase.phrase, label_en=label_en or label_vi or phrase.phrase,
                           category=category, occupation_group=occupation_group, synonyms="")
    except AdminError as exc:
        raise PhraseError(exc.message)
    if fold(skill.label_vi) != phrase.folded:
        add_alias(skill, phrase.phrase)
    phrase.status, phrase.skill_id = "added", skill.id
    db.session.commit()
    clear_cache()
    return skill


def ignore_phrase(phrase: ReadingPhrase) -> None:
    """The phrase is not a skill ("chịu khó", "nhanh nhẹn"): hidden from the list."""
    phrase.status = "ignored"
    db.session.commit()


def phrase_count() -> int:
    """How many phrases wait for a decision."""
    return db.session.scalar(select(func.count(ReadingPhrase.id)).where(ReadingPhrase.status == "open")) or 0
