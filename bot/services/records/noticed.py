"""A moment noticed in /history: who, the old fear, what they did, what it tells me."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.content import t
from bot.models import NoticedMoment
from bot.services import history as h


def label(entry: NoticedMoment) -> str:
    return h.label(entry, t("history.noticed"), entry.status == "completed", entry.person)


def detail(entry: NoticedMoment, related: Sequence[Any] = ()) -> str:
    fields: list[h.Field] = [
        ("person", h.option("people", entry.person), False),
        ("noticed.history_expected", entry.expected, True),
        ("noticed.history_actual", entry.actual, True),
        ("noticed.history_meaning", entry.meaning, True),
    ]
    return h.detail(entry, t("history.noticed"), entry.status == "completed", fields)
