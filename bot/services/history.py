"""Entries as the user wrote them: list labels, the whole entry, and splitting under 4096.

Free text is shown verbatim; choices (emotion ids, option ids) get their labels, and an id the
vocabulary no longer knows is shown as stored rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.content import data, i18n, t
from bot.models import CheckIn, Commitment, RepairPlan, SafetyPlan, TriggerEntry
from bot.services import vocab
from bot.services.safetyplan import SECTIONS
from bot.services.summary_text import format_day

MAX_TEXT = 4096
LABEL_PERSON_CHARS = 24

Entry = CheckIn | TriggerEntry | RepairPlan | SafetyPlan
Field = tuple[str, str | None, bool]  # (field key, value, free text?)


def _kind(entry: Entry) -> str:
    if isinstance(entry, CheckIn):
        return t("history.morning") if entry.kind == "morning" else t("history.evening")
    if isinstance(entry, SafetyPlan):
        return t("safetyplan.history_kind")
    return t("history.trigger") if isinstance(entry, TriggerEntry) else t("history.repair")


def _finished(entry: Entry) -> bool:
    return isinstance(entry, SafetyPlan) or entry.status == "completed"


def _option(name: str, value: str | None) -> str | None:
    if not value:
        return None
    # else typed by the user, or an id the vocabulary no longer has
    return vocab.option_label(name, value) or value


def _emotions(ids: Iterable[str]) -> str | None:
    labels = []
    for value in ids:
        try:
            labels.append(i18n.inline(vocab.emotion_label(value)))
        except KeyError:
            labels.append(value)
    return ", ".join(labels) or None


def _traps(ids: Iterable[str]) -> str | None:
    labels = []
    for value in ids:
        try:
            labels.append(vocab.distortion(value).label)
        except KeyError:
            labels.append(value)
    return ", ".join(labels) or None


def _scale(value: int | None) -> str | None:
    return None if value is None else f"{value}/10"


def _value(group: str, value: str | None) -> str | None:
    if value is None:
        return None
    table = data("history.values")
    return str(table.get(f"{group}_{value}", value))


def _yes_no(value: str | None) -> str | None:
    if value is None:
        return None
    return {"yes": t("history.yes"), "no": t("history.no")}.get(value, value)


def label(entry: Entry) -> str:
    """A short button label: ``Mon 2 Mar · Trigger log · Partner``."""
    parts = [format_day(entry.local_date), _kind(entry)]
    if isinstance(entry, TriggerEntry | RepairPlan) and entry.person:
        person = _option("people", entry.person) or ""
        if len(person) > LABEL_PERSON_CHARS:
            person = person[: LABEL_PERSON_CHARS - 1] + "…"
        parts.append(person)
    text = " · ".join(parts)
    return text if _finished(entry) else f"{text} ({t('history.unfinished')})"


def _commitment(c: Commitment) -> str:
    text = c.text or _option("commitments", c.suggestion_id) or ""
    outcome = _value("kept", c.outcome)
    return f"{text} — {outcome}" if outcome else text


def _checkin_fields(entry: CheckIn, commitments: Sequence[Commitment]) -> list[Field]:
    return [
        ("feelings", _emotions(entry.emotions), False),
        ("intensity", _scale(entry.intensity), False),
        ("need", entry.need, True),
        *(("commitment", _commitment(c), True) for c in commitments),
        ("interactions", _option("interactions", entry.interactions), False),
        ("interactions_note", entry.interactions_note, True),
        ("triggered", _yes_no(entry.triggered), False),
        ("repair", _value("repair", entry.repair), False),
        ("commitment_kept", _value("kept", entry.commitment_kept), False),
        ("lesson", entry.lesson, True),
    ]


def _trigger_fields(entry: TriggerEntry) -> list[Field]:
    action = " — ".join(
        part for part in (_option("actions", entry.action_id), entry.action) if part
    )
    return [
        ("person", _option("people", entry.person), False),
        ("context", _option("contexts", entry.context), False),
        ("situation", entry.situation, True),
        ("feelings", _emotions(entry.emotions), False),
        ("intensity_before", _scale(entry.intensity_before), False),
        ("body", entry.body, True),
        ("story", entry.story, True),
        ("distortions", _traps(entry.distortions), False),
        ("evidence_for", entry.evidence_for, True),
        ("evidence_against", entry.evidence_against, True),
        ("balanced", entry.balanced, True),
        ("action", action or None, True),
        ("intensity_after", _scale(entry.intensity_after), False),
    ]


def _repair_fields(entry: RepairPlan) -> list[Field]:
    return [
        ("person", _option("people", entry.person), False),
        ("what_happened", entry.what_happened, True),
        ("impact", entry.impact, True),
        ("my_part", entry.my_part, True),
        ("feel_need", entry.feel_need, True),
        ("next_step", entry.next_step, True),
        ("question", entry.question, True),
        ("when", entry.when_text, True),
        ("followup", _value("outcome", entry.followup_outcome), False),
        ("followup_note", entry.followup_note, True),
    ]


def detail(entry: Entry, commitments: Sequence[Commitment] = ()) -> str:
    """The whole entry: a heading, then every answer given (verbatim for free text)."""
    key = "history.heading" if _finished(entry) else "history.heading_unfinished"
    date = f"{format_day(entry.local_date)} {entry.local_date.year}"
    blocks = [t(key, kind=_kind(entry), date=date)]
    if isinstance(entry, CheckIn):
        fields = _checkin_fields(entry, commitments)
    elif isinstance(entry, TriggerEntry):
        fields = _trigger_fields(entry)
    elif isinstance(entry, SafetyPlan):
        fields = [(f"safetyplan.short.{name}", getattr(entry, name), True) for name in SECTIONS]
    else:
        fields = _repair_fields(entry)
    for name, value, free in fields:
        if value is None or value == "":
            continue
        name_label = t(name if "." in name else f"history.fields.{name}")
        blocks.append(f"{name_label}:\n{value}" if free else f"{name_label}: {value}")
    return "\n\n".join(blocks)


def split_message(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` characters, each as full as it can be: cut at the last
    paragraph break in the second half of the window, else a line break, else a space, else
    anywhere. Only the separator at a cut is dropped; blank pieces are never returned."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut, width = limit, 0
        for separator in ("\n\n", "\n", " "):
            found = window.rfind(separator, limit // 2)
            if found > 0:
                cut, width = found, len(separator)
                break
        pieces.append(rest[:cut])
        rest = rest[cut + width :]
    pieces.append(rest)
    return [piece for piece in pieces if piece.strip()] or [text[:limit]]
