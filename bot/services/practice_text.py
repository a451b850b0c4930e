"""What the closeness ladder says: the ladder as a list, a practice read back, the pacing
suggestion, the reminder and the follow-up. Words that carried crisis language are never
quoted back (``care.quotable``)."""

from __future__ import annotations

from datetime import tzinfo

from bot.content import t
from bot.content.keys import Family
from bot.models import PracticeLog, PracticePlan, PracticeRung
from bot.services import pacing
from bot.services.care import quotable
from bot.services.noticed import person_label
from bot.services.parse import moments
from bot.services.practice import AREAS, LOG_TEXTS, STARTERS, Progress
from bot.services.textsplit import clip

FIELD_CLIP = 300  # characters of each answer read back
RUNG_CLIP = 120  # characters of a rung named in a sentence

AREA_LABELS = Family("ladder.area_{}", AREAS)
STARTER_LABELS = Family("ladder.starter_{}", tuple(f"{a}_{n}" for a in AREAS for n in STARTERS))
DECISIONS = Family("practice.decide_{}", pacing.DECISIONS)
DECIDED = Family("practice.decided_{}", pacing.DECISIONS)
READBACK = Family("practice.summary_{}", LOG_TEXTS)


def shown(value: str | None) -> str | None:
    """A user's words as they may be read back (None: nothing, or crisis language)."""
    if value is None or not value.strip() or not quotable(value):
        return None
    return value.strip()


def rung_name(rung: PracticeRung | None) -> str:
    """The rung in the user's words, clipped for a sentence (a placeholder when unreadable)."""
    text = shown(rung.text) if rung is not None else None
    return clip(text, RUNG_CLIP) if text else t("practice.rung_unnamed")


def ladder_text(rows: list[Progress]) -> str:
    """ "My ladder": the rungs in order with their progress, the next one marked."""
    if not rows:
        return t("practice.ladder_empty")
    lines = [t("practice.ladder_heading")]
    for number, row in enumerate(rows, start=1):
        expected = "–" if row.rung.expected is None else str(row.rung.expected)
        line = t("practice.ladder_line", n=number, rung=rung_name(row.rung), expected=expected)
        if row.tries:
            line += " · " + t("practice.ladder_tries", tries=row.tries, down=row.came_down)
        if row.steady:
            line += " · " + t("practice.ladder_steady")
        if row.next:
            line += " · " + t("practice.ladder_next")
        lines.append(line)
    return "\n".join(lines) + "\n\n" + t("practice.ladder_footer")


def pace_note(found: pacing.Pacing, peak: int | None) -> str:
    """The suggestion shown above "stay on this rung or step up?"."""
    target = found.target if isinstance(found.target, PracticeRung) else None
    if found.advice == pacing.SMALLER and target is None:
        return t("practice.pace_smaller_none", peak=peak)
    if found.advice == pacing.SMALLER:
        return t("practice.pace_smaller", peak=peak, rung=rung_name(target))
    if found.advice == pacing.STEP_UP:
        return t("practice.pace_step_up", rung=rung_name(target))
    if found.advice == pacing.TOP:
        return t("practice.pace_top")
    return t("practice.pace_stay", n=found.came_down)


def readback(log: PracticeLog, rung: PracticeRung | None) -> str:
    """The practice read back in the user's words, with their decision."""
    lines = []
    if rung is not None:
        lines.append(t("practice.summary_rung", value=rung_name(rung)))
    who = shown(person_label(log.person))
    if who:
        lines.append(t("practice.summary_person", value=clip(who, FIELD_CLIP)))
    if any(v is not None for v in (log.before, log.peak, log.after)):
        dash = "–"
        values = [dash if v is None else str(v) for v in (log.before, log.peak, log.after)]
        lines.append(
            t("practice.summary_distress", before=values[0], peak=values[1], after=values[2])
        )
    for step in LOG_TEXTS:
        value = shown(getattr(log, step))
        if value:
            lines.append(t(f"practice.summary_{step}", value=clip(value, FIELD_CLIP)))
    decided = t(f"practice.decided_{log.decision}") if log.decision in pacing.DECISIONS else ""
    body = (
        t("practice.saved_heading") + "\n\n" + "\n".join(lines)
        if lines
        else t("practice.saved_empty")
    )
    return "\n\n".join(part for part in (body, decided, t("practice.closing")) if part)


def with_whom(person: str | None) -> str:
    """ " with Sam" or "" for a reminder."""
    who = shown(person_label(person))
    return t("practice.with_whom", person=clip(who, 64)) if who else ""


def reminder(plan: PracticePlan, rung: PracticeRung | None) -> str:
    return t("practice.reminder", rung=rung_name(rung), with_whom=with_whom(plan.person))


def followup(plan: PracticePlan, rung: PracticeRung | None) -> str:
    return t("practice.followup", rung=rung_name(rung), with_whom=with_whom(plan.person))


def booked(plan: PracticePlan, rung: PracticeRung | None, zone: tzinfo) -> str:
    """After planning: when the reminder and the follow-up come (or that none will)."""
    name, who = rung_name(rung), with_whom(plan.person)
    if plan.planned_at is None or plan.followup_at is None:
        return t("practice_plan.saved_untimed", rung=name, with_whom=who)
    return t(
        "practice_plan.saved",
        rung=name,
        with_whom=who,
        when=moments.describe(plan.planned_at, zone),
        followup=moments.describe(plan.followup_at, zone),
    )
