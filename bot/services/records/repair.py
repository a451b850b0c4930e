"""A repair plan in /history: every answer, and how the follow-up went."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.content import t
from bot.models import RepairPlan
from bot.services import history as h


def label(entry: RepairPlan) -> str:
    return h.label(entry, t("history.repair"), entry.status == "completed", entry.person)


def fields(entry: RepairPlan) -> list[h.Field]:
    """Every answer's field (label key, value, free text?)."""
    return [
        ("person", h.option("people", entry.person), False),
        ("what_happened", entry.what_happened, True),
        ("impact", entry.impact, True),
        ("my_part", entry.my_part, True),
        ("feel_need", entry.feel_need, True),
        ("next_step", entry.next_step, True),
        ("question", entry.question, True),
        ("when", entry.when_text, True),
        ("followup", h.value("outcome", entry.followup_outcome), False),
        ("followup_note", entry.followup_note, True),
    ]


def detail(entry: RepairPlan, related: Sequence[Any] = ()) -> str:
    return h.detail(entry, t("history.repair"), entry.status == "completed", fields(entry))
