"""A safety plan of the user's own: the Stanley–Brown steps, in their words.

Seven parts, each optional: warning signs; what I can do on my own; people and places that
help; people I can ask for help (and how to reach them); professionals and services (begun
with the helplines for the user's country and language, editable); making my surroundings
safer; what matters to me. One plan per user, written part by part as answers arrive.

No Telegram; takes ``now``.
"""

from __future__ import annotations

from datetime import datetime
from types import EllipsisType

from bot.content import t
from bot.content.keys import Family
from bot.models import SafetyPlan, User
from bot.services.care import country_of
from bot.services.crisis import helplines
from bot.services.profile import local_today
from bot.store import safetyplans
from bot.store.db import Database
from bot.store.safetyplans import SECTIONS

__all__ = [
    "HEADINGS",
    "SECTIONS",
    "next_section",
    "prefilled_professionals",
    "sections",
    "start",
    "text",
]

#: Each part's heading where the plan is shown (/safetyplan, /history, the crisis reply).
HEADINGS = Family("safetyplan.short.{}", SECTIONS)


def sections(plan: SafetyPlan | None) -> dict[str, str | None] | None:
    """The plan's parts by name (None: no plan, or nothing written in it)."""
    if plan is None:
        return None
    found = {name: getattr(plan, name) for name in SECTIONS}
    return found if any(v and v.strip() for v in found.values()) else None


def next_section(section: str | None) -> str | None:
    """The part after ``section`` (the first for None); None after the last."""
    if section is None or section not in SECTIONS:
        return SECTIONS[0]
    index = SECTIONS.index(section) + 1
    return SECTIONS[index] if index < len(SECTIONS) else None


def prefilled_professionals(language_code: str | None, zone: str | None) -> str | None:
    """The helplines for the user's country (else for their language), one per line; None
    when none is known."""
    country = country_of(language_code, zone)
    lang = (language_code or "").split("-")[0] or "xx"
    found = helplines(f"{lang}-{country}" if country else language_code)
    local = [line for line in found if country in line.countries]
    return "\n".join(line.text for line in local or found) or None


def start(
    db: Database, user: User, now: datetime, found: SafetyPlan | None | EllipsisType = ...
) -> SafetyPlan:
    """The user's plan, begun now (professionals pre-filled) if they have none (``found``:
    their plan, or None, as just read)."""
    if isinstance(found, EllipsisType):
        found = safetyplans.get(db, user.id)
    if found is not None:
        return found
    professionals = prefilled_professionals(user.language_code, user.timezone)
    return safetyplans.create(db, user.id, local_today(user, now), now, professionals=professionals)


def save(
    db: Database, user_id: int, section: str, value: str | None, now: datetime
) -> SafetyPlan | None:
    return safetyplans.set_section(db, user_id, section, value, now)


def text(plan: SafetyPlan) -> str:
    """The whole plan: each part's heading and the user's words (— where nothing is written)."""
    blocks = []
    for name in SECTIONS:
        value = getattr(plan, name)
        shown = value.strip() if value and value.strip() else t("safetyplan.empty_section")
        blocks.append(f"{t(f'safetyplan.short.{name}')}:\n{shown}")
    return "\n\n".join(blocks)
