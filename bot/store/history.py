"""A user's entries newest first, a page at a time, over whatever the features list.

Each feature that shows entries in /history declares a ``Listing`` (its one-letter kind, its
table, the time it is ordered by and which rows are worth reading; ``bot/store/records/``). One
UNION ALL over the listed tables picks the page's (kind, id) pairs in SQL; the page's rows are
then loaded by id, always together with ``user_id`` so another user's ids find nothing.
Entries with no answer at all (prompts skipped, paused or left unanswered, empty drafts) are
left out by each listing's ``readable`` condition: there is nothing to read in them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all
from sqlmodel import Session, col

from bot.store.db import Database


@dataclass(frozen=True, eq=False)  # holds SQL expressions: compared as itself
class Listing:
    """What one kind of entry puts on the history page (SQL only)."""

    #: One letter, in callback data (``hi:<kind>:<id>.<page>``) in users' chats: never change it.
    kind: str
    #: The table: a model with ``id``, ``user_id`` and ``local_date``.
    model: Any
    #: The column the list is ordered by (newest first).
    at: Any
    #: SQL condition: the row holds something to read.
    readable: Any

    def select(self, user_id: int) -> Any:
        """(kind, id, at) of the user's readable rows."""
        return select(
            literal(self.kind).label("kind"),
            col(self.model.id).label("id"),
            col(self.at).label("at"),
        ).where(col(self.model.user_id) == user_id, self.readable)


def begun(model: Any, *answers: Any) -> Any:
    """SQL: a step-by-step entry worth reading: finished, a step reached, or an answer given."""
    return or_(
        col(model.status) == "completed",
        col(model.step).is_not(None),
        *(col(answer).is_not(None) for answer in answers),
    )


@dataclass(frozen=True, slots=True)
class Page:
    entries: list[tuple[str, Any]]  # (kind, row), newest first
    total: int
    offset: int


def _listed(listings: Sequence[Listing], user_id: int) -> Any:
    """(kind, id, at) of every entry worth reading, as one UNION ALL."""
    return union_all(*(listing.select(user_id) for listing in listings)).subquery()


def _load(s: Session, user_id: int, model: Any, ids: list[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = s.exec(select(model).where(model.user_id == user_id, model.id.in_(ids)))  # type: ignore[call-overload]
    return {row.id: row for row in rows.scalars()}


def page(db: Database, listings: Sequence[Listing], user_id: int, offset: int, limit: int) -> Page:
    """Up to ``limit`` entries from ``offset`` (newest first) and how many there are in all."""
    if not listings:
        return Page([], 0, offset)
    models = {listing.kind: listing.model for listing in listings}
    with db.session() as s:
        listed = _listed(listings, user_id)
        total = s.connection().execute(select(func.count()).select_from(listed)).scalar_one()
        refs = list(
            s.connection().execute(
                select(listed.c.kind, listed.c.id)
                .order_by(listed.c.at.desc(), listed.c.kind, listed.c.id.desc())
                .offset(offset)
                .limit(limit)
            )
        )
        loaded = {
            kind: _load(s, user_id, model, [i for k, i in refs if k == kind])
            for kind, model in models.items()
        }
    entries = [(k, loaded[k][i]) for k, i in refs if i in loaded[k]]
    return Page(entries, int(total), offset)


def entry(
    db: Database, listings: Sequence[Listing], user_id: int, kind: str, entry_id: int
) -> Any | None:
    """One entry, only if it belongs to ``user_id``."""
    model = next((listing.model for listing in listings if listing.kind == kind), None)
    if model is None:
        return None
    with db.session() as s:
        found = s.get(model, entry_id)
        return found if found is not None and found.user_id == user_id else None
