"""A thought record in /history: every step's answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.content import t
from bot.models import TriggerEntry
from bot.services import history as h


def label(entry: TriggerEntry) -> str:
    return h.label(entry, t("history.trigger"), entry.status == "completed", entry.person)


def fields(entry: TriggerEntry) -> list[h.Field]:
    """Every answer's field (label key, value, free text?)."""
    action = " — ".join(
        part for part in (h.option("actions", entry.action_id), entry.action) if part
    )
    return [
        ("person", h.option("people", entry.person), False),
        ("context", h.option("contexts", entry.context), False),
        ("situation", entry.situation, True),
        ("feelings", h.emotions(entry.emotions), False),
        ("intensity_before", h.scale(entry.intensity_before), False),
        ("body", entry.body, True),
        ("story", entry.story, True),
        ("distortions", h.traps(entry.distortions), False),
        ("evidence_for", entry.evidence_for, True),
        ("evidence_against", entry.evidence_against, True),
        ("balanced", entry.balanced, True),
        ("action", action or None, True),
        ("intensity_after", h.scale(entry.intensity_after), False),
    ]


def detail(entry: TriggerEntry, related: Sequence[Any] = ()) -> str:
    return h.detail(entry, t("history.trigger"), entry.status == "completed", fields(entry))
