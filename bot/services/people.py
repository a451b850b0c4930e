"""Who a trigger or a repair was about: labels the user used before, then the defaults.

A choice is referred to by a short key that is safe in callback data and never holds what the
user wrote: ``v.<vocab id>`` for a default, ``t.<entry id>`` / ``r.<plan id>`` /
``n.<moment id>`` / ``p.<practice id>`` / ``q.<practice plan id>`` for a label the user typed
on an earlier trigger entry, repair plan, moment noticed, practice logged or practice planned.
Resolving a key reads only the pressing user's own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.columns import is_unreadable
from bot.services.vocab import option_label, options
from bot.store import noticed, practice, repairs, triggers
from bot.store.db import Database
from bot.store.drafts import PeopleTable, people_everywhere

MAX_OWN = 6
MAX_MERGE = 40  # own labels listed in /settings → People
MAX_LABEL = 64


@dataclass(frozen=True, slots=True)
class PersonChoice:
    key: str
    label: str


def clean_label(text: str) -> str:
    """A typed label as stored: spaces collapsed, at most ``MAX_LABEL`` characters."""
    return " ".join(text.split())[:MAX_LABEL]


#: Where a label the user typed was stored, by the letter of its key (the letters are in
#: callback data in users' chats: never change one). ``KEY`` matches a choice's key.
SOURCES: dict[str, PeopleTable[Any]] = {
    "t": triggers.TABLE,
    "r": repairs.TABLE,
    "n": noticed.TABLE,
    "p": practice.LOGS,
    "q": practice.PLANS,
}
KEY = rf"[v{''.join(SOURCES)}]\.[a-z0-9_]{{1,32}}"
_SOURCES = tuple(SOURCES.items())


def folded(label: str | None) -> str:
    """A label as compared: a default's label for its id, spaces collapsed, case folded."""
    if not label:
        return ""
    return clean_label(option_label("people", label) or label).casefold()


def same_person(a: str | None, b: str | None) -> bool:
    """Whether two stored labels name the same person ("Sam" and " sam ", "partner" and
    "Partner"); unreadable or empty labels name no one."""
    if not a or not b or is_unreadable(a) or is_unreadable(b):
        return False
    return folded(a) == folded(b) != ""


def choices(db: Database, user_id: int, limit: int = MAX_OWN) -> list[PersonChoice]:
    """The user's own recent labels (no repeats; triggers, repairs, moments, practices), then
    the defaults."""
    own = people_everywhere(db, _SOURCES, user_id)
    seen: set[str] = set()
    result: list[PersonChoice] = []
    for source, row_id, label in own:
        folded = label.strip().casefold()
        if not folded or folded in seen or len(result) >= limit or is_unreadable(label):
            continue
        seen.add(folded)
        result.append(PersonChoice(f"{source}.{row_id}", label.strip()))
    for role in options("people"):
        if role.label.casefold() not in seen and role.id not in seen:
            result.append(PersonChoice(f"v.{role.id}", role.label))
    return result


def resolve(db: Database, user_id: int, key: str) -> str | None:
    """The label a key stands for, or None (unknown, malformed, or another user's row)."""
    source, _, ref = key.partition(".")
    if source == "v":
        return option_label("people", ref)
    store = SOURCES.get(source)
    if store is None or not ref.isdigit() or len(ref) > 12:
        return None
    row = store.get(db, user_id, int(ref))
    if row is None or not row.person or is_unreadable(row.person):
        return None
    return row.person.strip() or None


def own(db: Database, user_id: int) -> list[PersonChoice]:
    """The labels the user wrote themselves (no defaults), newest first, without repeats."""
    return [c for c in choices(db, user_id, limit=MAX_MERGE) if not c.key.startswith("v.")]


def merge(db: Database, user_id: int, source: str, target: str, now: datetime) -> int:
    """Every entry of the user's (thought records, repair plans, moments noticed, practices)
    that names ``source`` names ``target`` instead; returns how many changed. Labels are
    encrypted at rest, so they are compared here, not in SQL."""
    if same_person(source, target):
        return 0
    return _relabel(db, user_id, source, target, now)


def rename(db: Database, user_id: int, source: str, typed: str, now: datetime) -> int:
    """Every entry naming ``source`` names the typed label instead ("sammy" → "Sam W.");
    unlike a merge, changing only capitals or spaces ("sam" → "Sam") is a rename too.
    Returns how many entries changed: 0 when the label is empty or exactly the same."""
    if clean_label(typed) == clean_label(source):
        return 0
    return _relabel(db, user_id, source, typed, now)


def _relabel(db: Database, user_id: int, source: str, target: str, now: datetime) -> int:
    label = clean_label(target)
    if not label:
        return 0
    return sum(
        table.relabel(db, user_id, lambda found: same_person(found, source), label, now)
        for table in SOURCES.values()
    )
