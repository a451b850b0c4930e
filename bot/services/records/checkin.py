"""A check-in in /history: every answer, and the commitments made in it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.content import t
from bot.models import CheckIn, Commitment
from bot.services import history as h


def _kind(entry: CheckIn) -> str:
    return t("history.morning") if entry.kind == "morning" else t("history.evening")


def label(entry: CheckIn) -> str:
    return h.label(entry, _kind(entry), entry.status == "completed")


def _commitment(c: Commitment) -> str:
    text = c.text or h.option("commitments", c.suggestion_id) or ""
    outcome = h.value("kept", c.outcome)
    return f"{text} — {outcome}" if outcome else text


def fields(entry: CheckIn, related: Sequence[Any] = ()) -> list[h.Field]:
    """Every answer's field; ``related``: the commitments made in it
    (``store.records.checkin.commitments_of``)."""
    return [
        ("feelings", h.emotions(entry.emotions), False),
        ("intensity", h.scale(entry.intensity), False),
        ("need", entry.need, True),
        *(("commitment", _commitment(c), True) for c in related),
        ("interactions", h.option("interactions", entry.interactions), False),
        ("interactions_note", entry.interactions_note, True),
        ("triggered", h.yes_no(entry.triggered), False),
        ("repair", h.value("repair", entry.repair), False),
        ("commitment_kept", h.value("kept", entry.commitment_kept), False),
        ("lesson", entry.lesson, True),
    ]


def detail(entry: CheckIn, related: Sequence[Any] = ()) -> str:
    """``related``: the commitments made in it (``store.records.checkin.commitments_of``)."""
    return h.detail(entry, _kind(entry), entry.status == "completed", fields(entry, related))
