"""A practice in /history: the rung, with whom, distress before · peak · after, the body,
what they did, what I feared and what happened, what I learned, and the decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.content import i18n, t
from bot.content.keys import Family
from bot.models import PracticeLog, PracticeRung
from bot.services import history as h
from bot.services import pacing
from bot.services.care import quotable
from bot.services.practice import LOG_TEXTS
from bot.services.textsplit import clip
from bot.store.records.practice import PracticeStats, RungFigures

#: The label of each free-text answer.
HISTORY = Family("practice.history_{}", LOG_TEXTS)


def label(entry: PracticeLog) -> str:
    return h.label(entry, t("history.practice"), entry.status == "completed", entry.person)


def _distress(entry: PracticeLog) -> str | None:
    values = (entry.before, entry.peak, entry.after)
    if all(v is None for v in values):
        return None
    return " · ".join("–" if v is None else f"{v}/10" for v in values)


def detail(entry: PracticeLog, related: Sequence[Any] = ()) -> str:
    rung = next((r for r in related if isinstance(r, PracticeRung)), None)
    decided = t(f"practice.decide_{entry.decision}") if entry.decision in pacing.DECISIONS else None
    fields: list[h.Field] = [
        ("practice.history_rung", rung.text if rung is not None else None, True),
        ("person", h.option("people", entry.person), False),
        ("practice.history_distress", _distress(entry), False),
        *((f"practice.history_{name}", getattr(entry, name), True) for name in LOG_TEXTS),
        ("practice.history_decision", decided, False),
    ]
    return h.detail(entry, t("history.practice"), entry.status == "completed", fields)


def summary_lines(stats: PracticeStats) -> list[str]:
    """The summary's practice lines: how many, the distress before → after on average, and one
    of the user's own lessons quoted (never one that carried crisis language)."""
    if not stats.done:
        return []
    if stats.before is None or stats.after is None:
        lines = [t("practice.summary_week", n=stats.done)]
    else:
        before, after = i18n.decimal(stats.before), i18n.decimal(stats.after)
        lines = [t("practice.summary_week_distress", n=stats.done, before=before, after=after)]
    if len(stats.rungs) > 1 or stats.rungs and stats.rungs[0].text:
        lines += [_rung_line(rung) for rung in stats.rungs[:MAX_RUNGS]]
    lesson = next((text for text, _ in stats.lessons if quotable(text) and text.strip()), None)
    if lesson is not None:
        lines.append(t("practice.summary_lesson", lesson=clip(" ".join(lesson.split()), 200)))
    return lines


MAX_RUNGS = 4  # rungs listed with their distress in the summary


def _rung_line(rung: RungFigures) -> str:
    """ "• Tell someone one small feeling: 6 → 3" (a rung's words only if they may be quoted)."""
    text = clip(" ".join(rung.text.split()), 60) if rung.text and quotable(rung.text) else None
    before, after = i18n.decimal(rung.before), i18n.decimal(rung.after)
    if text is None:
        return t("practice.week_rung_unnamed", before=before, after=after)
    return t("practice.week_rung", rung=text, before=before, after=after)
