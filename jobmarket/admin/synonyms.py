"""Officers' rules for the search synonym list: find, add, edit and delete entries, one commit each."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..extensions import db
from ..models import SearchSynonym
from ..search import synonyms
from ..text import clean, fold
from .services import AdminError

MAX_EQUIVALENTS = 20


def find_synonyms(q: str = "", limit: int = 500) -> list[SearchSynonym]:
    """Active entries whose phrase or equivalents contain the folded query, by phrase."""
    stmt = select(SearchSynonym).where(SearchSynonym.is_active.is_(True))
    folded = fold(q)
    if folded:
        stmt = stmt.where(or_(SearchSynonym.phrase_folded.contains(folded),
                              SearchSynonym.equivalents_folded.contains(folded)))
    return list(db.session.scalars(stmt.order_by(SearchSynonym.phrase_folded).limit(limit)))


def save_synonym(entry: SearchSynonym | None, *, phrase: str, equivalents: str, two_way: bool, kind: str,
                 note: str = "") -> SearchSynonym:
    """Create or update an entry; a phrase is listed once, and an edited seed entry becomes the officer's."""
    phrase = clean(phrase)
    folded = synonyms.fold_phrase(phrase)
    if not folded:
        raise AdminError(_("Cụm từ cần có ít nhất một chữ hoặc số."))
    items: list[str] = []
    for item in (clean(x) for x in equivalents.replace(",", ";").replace("\n", ";").split(";")):
        item_folded = synonyms.fold_phrase(item)
        if item_folded and item_folded != folded and item_folded not in (synonyms.fold_phrase(i) for i in items):
            items.append(item)
    if not items:
        raise AdminError(_("Cần ít nhất một từ tương đương khác với cụm từ."))
    if len(items) > MAX_EQUIVALENTS:
        raise AdminError(_("Tối đa %(n)d từ tương đương cho một cụm từ.", n=MAX_EQUIVALENTS))
    clash = db.session.scalar(select(SearchSynonym).where(SearchSynonym.phrase_folded == folded))
    if clash is not None and (entry is None or clash.id != entry.id):
        if clash.is_active:
            raise AdminError(_("Cụm từ này đã có trong danh sách."))
        if entry is None:
            entry = clash  # a deleted seed entry comes back as the officer's
        else:
            db.session.delete(clash)
            db.session.flush()
    if entry is None:
        entry = SearchSynonym()
        db.session.add(entry)
    entry.phrase, entry.phrase_folded = phrase, folded
    entry.equivalents = ";".join(items)
    entry.equivalents_folded = ";".join(synonyms.fold_phrase(i) for i in items)
    entry.two_way, entry.kind, entry.note = bool(two_way), kind, clean(note)
    entry.source, entry.is_active = "officer", True
    db.session.commit()
    synonyms.invalidate()
    return entry


def delete_synonym(entry: SearchSynonym) -> None:
    """Remove an entry from search; a seed entry is only deactivated so `flask refdata load` does not restore it."""
    if entry.source == "seed":
        entry.is_active = False
    else:
        db.session.delete(entry)
    db.session.commit()
    synonyms.invalidate()
