"""The trigger log (a thought record): its steps, drafts, the summary and the intensity change.

A user has at most one draft at a time: the latest entry with status ``draft``. Each answer is
written the moment it arrives and ``step`` records the last step answered (or skipped), so a
draft can be resumed after /cancel or a restart. Starting fresh puts the old draft aside
(status ``closed``); the last step completes the entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import EllipsisType

from bot.content import t
from bot.content.keys import Family
from bot.models import TriggerEntry, User
from bot.services import drafts, vocab
from bot.services.care import quotable
from bot.services.textsplit import LIMIT, clip
from bot.store import triggers
from bot.store.db import Database

STEPS: tuple[str, ...] = (
    "situation",
    "emotions",
    "intensity_before",
    "body",
    "person",
    "story",
    "distortions",
    "evidence_for",
    "evidence_against",
    "balanced",
    "action",
    "intensity_after",
    "context",
)
FIELD_CLIP = 300  # characters of each answer shown in the summary
#: The summary's line of each answer shown as it was given (feelings and intensity: below).
SUMMARY_LINES = Family(
    "trigger.summary_{}",
    ("situation", "body", "story", "distortions", "evidence_for", "evidence_against")
    + ("balanced", "action", "person", "context"),
)


def next_step(step: str | None) -> str | None:
    """The step after ``step`` (the first one for None); None after the last one."""
    return drafts.next_step(STEPS, step)


def answered(entry: TriggerEntry) -> int:
    """How many steps have been answered or skipped."""
    return drafts.answered(STEPS, entry.step)


def has_answers(entry: TriggerEntry) -> bool:
    return entry.step is not None or bool(entry.emotions)


def current(db: Database, user_id: int) -> TriggerEntry | None:
    return triggers.latest_draft(db, user_id)


def user_and_current(db: Database, user_id: int) -> tuple[User, TriggerEntry | None] | None:
    """The user and their open draft, in one statement (every step reads both)."""
    return triggers.TABLE.user_and_draft(db, user_id)


def start(
    db: Database, user: User, now: datetime, found: TriggerEntry | None | EllipsisType = ...
) -> TriggerEntry:
    """A draft to fill: an untouched draft is reused, otherwise a new one is created
    (``found``: the open draft as just read)."""
    return drafts.start(db, triggers.TABLE, user, now, has_answers, found)


def start_fresh(db: Database, user: User, now: datetime) -> TriggerEntry:
    """Put every draft aside and begin a new entry."""
    return drafts.start_fresh(db, triggers.TABLE, user, now)


def save(
    db: Database, user_id: int, entry_id: int, step: str, now: datetime, **fields: object
) -> TriggerEntry | None:
    """Store the answer of ``step`` (no fields: skipped) and mark the step as answered."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    return triggers.update(db, user_id, entry_id, now, step=step, **fields)


def toggled(values: list[str], item: str) -> list[str]:
    """``values`` with ``item`` added at the end, or removed if it was there."""
    return [v for v in values if v != item] if item in values else [*values, item]


def set_choices(
    db: Database, user_id: int, entry_id: int, field: str, values: list[str], now: datetime
) -> TriggerEntry | None:
    """Store a multiple choice in progress (emotions, distortions) without finishing the step."""
    if field not in ("emotions", "distortions"):
        raise ValueError(f"not a multiple choice: {field!r}")
    return triggers.update(db, user_id, entry_id, now, **{field: values})


def finish(db: Database, user_id: int, entry_id: int, now: datetime) -> TriggerEntry | None:
    return triggers.update(db, user_id, entry_id, now, status=triggers.COMPLETED, completed_at=now)


def discard(db: Database, user_id: int, entry_id: int, now: datetime) -> bool:
    """Put one draft aside; False if it is not the user's open draft."""
    entry = triggers.get(db, user_id, entry_id)
    if entry is None or entry.status != triggers.DRAFT:
        return False
    return triggers.update(db, user_id, entry_id, now, status=triggers.CLOSED) is not None


# --- reading an entry back -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntensityChange:
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def arrow(self) -> str:
        return f"{self.before} → {self.after}"

    def text(self) -> str:
        line = t("trigger.change_line", before=self.before, after=self.after)
        if self.delta < 0:
            return line + "\n" + t("trigger.change_down", delta=-self.delta)
        if self.delta == 0:
            return line + "\n" + t("trigger.change_same")
        return line + "\n" + t("trigger.change_up")


def intensity_change(before: int | None, after: int | None) -> IntensityChange | None:
    """Both ratings, or None when either was skipped."""
    if before is None or after is None:
        return None
    return IntensityChange(before, after)


def _labels(ids: list[str], lookup: Callable[[str], str]) -> str:
    found = []
    for item in ids:
        try:
            found.append(lookup(item))
        except KeyError:
            continue  # an id retired from the vocabulary
    return ", ".join(found)


def emotions_text(ids: list[str]) -> str:
    return _labels(ids, vocab.emotion_label)


def distortions_text(ids: list[str]) -> str:
    return _labels(ids, lambda d: vocab.distortion(d).label)


def action_text(entry: TriggerEntry) -> str:
    return entry.action or vocab.option_label("actions", entry.action_id) or ""


def _field(key: str, value: str | None) -> str | None:
    if value is None or not quotable(value):
        return None
    return t(f"trigger.summary_{key}", value=clip(value.strip(), FIELD_CLIP))


def summary(entry: TriggerEntry) -> str:
    """A short read-back of the entry, with the intensity change; at most one message long."""
    feelings = emotions_text(entry.emotions)
    if feelings and entry.intensity_before is not None:
        felt: str | None = t(
            "trigger.summary_emotions_intensity", value=feelings, before=entry.intensity_before
        )
    elif feelings:
        felt = t("trigger.summary_emotions", value=feelings)
    elif entry.intensity_before is not None:
        felt = t("trigger.summary_intensity_only", before=entry.intensity_before)
    else:
        felt = None
    lines = [
        _field("situation", entry.situation),
        felt,
        _field("body", entry.body),
        _field("story", entry.story),
        _field("distortions", distortions_text(entry.distortions)),
        _field("evidence_for", entry.evidence_for),
        _field("evidence_against", entry.evidence_against),
        _field("balanced", entry.balanced),
        _field("action", action_text(entry)),
        _field("person", entry.person),
        _field("context", entry.context),
    ]
    body = [line for line in lines if line]
    blocks = [t("trigger.summary_heading"), "\n".join(body) or t("trigger.summary_empty")]
    change = intensity_change(entry.intensity_before, entry.intensity_after)
    if change is not None:
        blocks.append(change.text())
    blocks.append(t("trigger.closing"))
    return clip("\n\n".join(blocks), LIMIT)
