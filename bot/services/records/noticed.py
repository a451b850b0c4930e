"""A moment noticed in /history: who, the old fear, what they did, what it tells me."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.content import t
from bot.models import NoticedMoment
from bot.services import history as h
from bot.services.care import quotable
from bot.services.textsplit import clip
from bot.store.records.noticed import NoticedStats

SUMMARY_CLIP = 200  # a lesson quoted in the weekly summary


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


def summary_lines(stats: NoticedStats) -> list[str]:
    """The weekly summary's lines: how many moments, and one thing they told the user, in
    their words (never words that carried crisis language)."""
    if not stats.noticed:
        return []
    lines = [t("noticed.week_moments", n=stats.noticed)]
    meaning = next((m for m, _ in stats.meanings if quotable(m)), None)
    if meaning is not None:
        lines.append(t("noticed.week_lesson", value=clip(" ".join(meaning.split()), SUMMARY_CLIP)))
    return lines
