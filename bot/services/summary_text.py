"""The summary as a message: factual lines, kind words, one suggestion for next week.

Lines with nothing to say are left out (no zeros for what did not happen); an empty week gets
a short, warm note instead of numbers. Also the text going in: ``/summary 4w``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from bot.content import i18n, t, words
from bot.content.keys import Family
from bot.services import vocab
from bot.services.parse.words import one_of
from bot.services.summary import MAX_WEEKS, TOP_EMOTIONS, TOP_THEMES, Summary

SAME_INTENSITY = 0.5  # a change smaller than this reads as "about the same"
HIGH_INTENSITY = 7.0
#: Repair outcomes, in the order the repairs line names them.
OUTCOMES = Family("summary.outcome_{}", ("happened", "not_yet", "badly"))


def format_day(day: date) -> str:
    """``Mon 2 Mar``, ``Mo., 2. März``, ``пн, 2 мар.`` (CLDR, in the current language)."""
    return i18n.day_month(day)


_WEEKS = re.compile(r"(\d{1,3})\s*([^\W\d_]*)\.?")


def parse_weeks(text: str) -> int | None:
    """``""`` → 1; ``"4"``, ``"4w"``, ``"4 weeks"``, ``"4 Wochen"``, ``"4 недели"`` → 4 (the
    current language's words for weeks, or English's); anything else or out of 1–52 → None."""
    text = text.strip()
    if not text:
        return 1
    match = _WEEKS.fullmatch(text)
    if match is None:
        return None
    unit = match.group(2)
    if unit and not one_of(unit, words("summary.week_words")):
        return None
    weeks = int(match.group(1))
    return weeks if 1 <= weeks <= MAX_WEEKS else None


def days(n: int) -> str:
    return t("summary.day_one") if n == 1 else t("summary.days_many", n=n)


def _number(value: float) -> str:
    return i18n.decimal(value)


def _items(items: Iterable[tuple[str, int]]) -> str:
    """``anxious (3), hopeful (2), calm`` — a count only where it says something."""
    return ", ".join(label if n == 1 else f"{label} ({n})" for label, n in items)


def title(summary: Summary) -> str:
    p = summary.period
    start, end = format_day(p.start), format_day(p.end)
    if p.weeks == 1:
        return t("summary.title_week", start=start, end=end)
    return t("summary.title_weeks", weeks=p.weeks, start=start, end=end)


def chart_title(summary: Summary) -> str:
    weeks = summary.period.weeks
    if weeks == 1:
        return t("summary.chart_title_week")
    if len(summary.chart) < (summary.period.end - summary.period.start).days + 1:
        return t("summary.chart_title_buckets", weeks=weeks)
    return t("summary.chart_title_weeks", weeks=weeks)


def _intensity_line(summary: Summary) -> str | None:
    now, before = summary.intensity, summary.previous_intensity
    if now is None:
        return None
    if before is None:
        return t("summary.intensity", value=_number(now))
    weeks = summary.period.weeks
    previous_period = (
        t("summary.previous_week") if weeks == 1 else t("summary.previous_weeks", weeks=weeks)
    )
    if abs(now - before) < SAME_INTENSITY:
        key = "summary.intensity_same"
    else:
        key = "summary.intensity_higher" if now > before else "summary.intensity_lower"
    return t(key, value=_number(now), previous=_number(before), previous_period=previous_period)


def _trigger_lines(summary: Summary) -> list[str]:
    logged, started = summary.triggers, summary.triggers_started
    if not logged and not started:
        return []
    if not started:
        first = t("summary.triggers", n=logged)
    elif not logged:
        first = t("summary.triggers_started", started=started)
    else:
        first = t("summary.triggers_and_started", n=logged, started=started)
    lines = [first]
    for key, found in (
        ("summary.trigger_people", summary.people),
        ("summary.trigger_contexts", summary.contexts),
        ("summary.trigger_traps", summary.traps),
    ):
        if found.items:
            lines.append(t(key, items=_items(found.top(TOP_THEMES))))
    if summary.trigger_before is not None and summary.trigger_after is not None:
        lines.append(
            t(
                "summary.trigger_intensity",
                before=_number(summary.trigger_before),
                after=_number(summary.trigger_after),
            )
        )
    return lines


def _repair_line(summary: Summary) -> str | None:
    planned, started = summary.repairs_planned, summary.repairs_started
    if not planned:
        return t("summary.repairs_started", started=started) if started else None
    followed = summary.repairs_followed
    if not summary.repair_outcomes:
        plain = "summary.repairs_and_started" if started else "summary.repairs"
        return t(plain, planned=planned, followed=followed, started=started)
    order = {outcome: i for i, outcome in enumerate(OUTCOMES.values)}
    outcomes = sorted(summary.repair_outcomes, key=lambda o: order.get(o[0], 9))
    items = ", ".join(f"{t(f'summary.outcome_{o}')}: {n}" for o, n in outcomes if o in order)
    with_items = "summary.repairs_outcomes_and_started" if started else "summary.repairs_outcomes"
    return t(with_items, planned=planned, followed=followed, items=items, started=started)


def _commitment_line(summary: Summary) -> str | None:
    made, kept, partly = (
        summary.commitments_made,
        summary.commitments_kept,
        summary.commitments_partly,
    )
    if not made:
        return None
    if partly:
        return t("summary.commitments_partly", kept=kept, made=made, partly=partly)
    return t("summary.commitments", kept=kept, made=made)


def suggestion(summary: Summary) -> str:
    """One gentle suggestion; the first rule that fits wins."""
    trap, person = summary.traps.recurring(), summary.people.recurring()
    mornings, evenings = summary.done["morning"], summary.done["evening"]
    if summary.repairs_planned > summary.repairs_followed:
        return t("summary.suggestions.repair_followup")
    if trap is not None:
        return t("summary.suggestions.trap", trap=trap[0])
    if person is not None:
        return t("summary.suggestions.person", person=person[0], n=person[1])
    if summary.commitments_made >= 2 and summary.commitments_kept * 2 < summary.commitments_made:
        return t("summary.suggestions.smaller_commitment")
    if summary.commitments_made == 0 and mornings + evenings > 0:
        example = vocab.commitments()[0].label
        return t("summary.suggestions.try_commitment", example=example)
    if mornings >= 3 and evenings * 2 < mornings:
        return t("summary.suggestions.evening")
    if summary.intensity is not None and summary.intensity >= HIGH_INTENSITY:
        return t("summary.suggestions.support")
    if summary.streak.current >= 3:
        return t("summary.suggestions.keep_going", days=days(summary.streak.current))
    return t("summary.suggestions.default")


def render(summary: Summary) -> str:
    """The message text (plain text, well under 4096 characters)."""
    if summary.empty:
        parts = [title(summary), t("summary.empty")]
        if summary.streak.best:
            parts.append(t("summary.empty_best", days=days(summary.streak.best)))
        return "\n\n".join(parts)

    blocks = [
        [title(summary)],
        *figures(summary),
        *(list(block) for block in summary.more),  # parts with lines of their own
        [t("summary.suggestion", text=suggestion(summary))],
    ]
    return "\n\n".join("\n".join(line for line in b if line) for b in blocks if any(b))


def figures(
    summary: Summary, *, compare: bool = True, records: bool = True, repairs: bool = True
) -> list[list[str]]:
    """The summary's figures as blocks of lines (empty lines are left out when shown):
    streaks, check-ins and feelings, thought records, repairs and commitments. ``compare``:
    the intensity compared with the period before (/report: the plain average); ``records``
    and ``repairs``: whether the thought records' and repairs' lines are wanted."""
    streaks = []
    if summary.streak.best:  # no "0 days" before there has ever been a streak
        streaks += [
            t("summary.current_streak", days=days(summary.streak.current)),
            t("summary.best_streak", days=days(summary.streak.best)),
        ]
    if summary.commitment_streak.best:
        streaks.append(
            t(
                "summary.commitment_streak",
                current=summary.commitment_streak.current,
                best=summary.commitment_streak.best,
            )
        )
    week = [
        t(
            "summary.checkins_partly" if summary.partly else "summary.checkins",
            mornings=summary.done["morning"],
            mornings_possible=summary.possible["morning"],
            evenings=summary.done["evening"],
            evenings_possible=summary.possible["evening"],
            partly=summary.partly,
        )
    ]
    if summary.emotions.items:
        week.append(t("summary.emotions", items=_items(summary.emotions.top(TOP_EMOTIONS))))
    if compare:
        week.append(_intensity_line(summary) or "")
    elif summary.intensity is not None:
        week.append(t("summary.intensity", value=_number(summary.intensity)))
    practice = [_repair_line(summary) or "" if repairs else "", _commitment_line(summary) or ""]
    return [streaks, week, _trigger_lines(summary) if records else [], practice]
