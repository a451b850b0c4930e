"""Entries as the user wrote them: list labels, the whole entry, and splitting under 4096.

The pieces every kind of entry is rendered with; each feature's own fields are in
``bot/services/records/``. Free text is shown verbatim; choices (emotion ids, option ids) get
their labels, and an id the vocabulary no longer knows is shown as stored rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.content import data, i18n, t
from bot.content.keys import Family
from bot.services import vocab
from bot.services.summary_text import format_day

MAX_TEXT = 4096
LABEL_PERSON_CHARS = 24

Field = tuple[str, str | None, bool]  # (field key, value, free text?)


def option(name: str, value: str | None) -> str | None:
    if not value:
        return None
    # else typed by the user, or an id the vocabulary no longer has
    return vocab.option_label(name, value) or value


def emotions(ids: Iterable[str]) -> str | None:
    labels = []
    for value in ids:
        try:
            labels.append(i18n.inline(vocab.emotion_label(value)))
        except KeyError:
            labels.append(value)
    return ", ".join(labels) or None


def traps(ids: Iterable[str]) -> str | None:
    labels = []
    for value in ids:
        try:
            labels.append(vocab.distortion(value).label)
        except KeyError:
            labels.append(value)
    return ", ".join(labels) or None


def scale(value: int | None) -> str | None:
    return None if value is None else f"{value}/10"


def value(group: str, found: str | None) -> str | None:
    if found is None:
        return None
    table = data("history.values")
    return str(table.get(f"{group}_{found}", found))


def yes_no(found: str | None) -> str | None:
    if found is None:
        return None
    return {"yes": t("history.yes"), "no": t("history.no")}.get(found, found)


def label(entry: Any, kind: str, finished: bool, person: str | None = None) -> str:
    """A short button label: ``Mon 2 Mar · Trigger log · Partner``."""
    parts = [format_day(entry.local_date), kind]
    if person:
        shown = option("people", person) or ""
        if len(shown) > LABEL_PERSON_CHARS:
            shown = shown[: LABEL_PERSON_CHARS - 1] + "…"
        parts.append(shown)
    text = " · ".join(parts)
    return text if finished else f"{text} ({t('history.unfinished')})"


#: The label of each field the entries show (the safety plan's: its part headings).
FIELDS = Family(
    "history.fields.{}",
    ("feelings", "intensity", "need", "commitment", "interactions", "interactions_note")
    + ("triggered", "repair", "commitment_kept", "lesson", "person", "context", "situation")
    + ("intensity_before", "body", "story", "distortions", "evidence_for", "evidence_against")
    + ("balanced", "action", "intensity_after", "what_happened", "impact", "my_part")
    + ("feel_need", "next_step", "question", "when", "followup", "followup_note"),
)


def detail(entry: Any, kind: str, finished: bool, fields: Sequence[Field]) -> str:
    """The whole entry: a heading, then every answer given (verbatim for free text).

    A field key with a dot is a content key of its own; else it is ``history.fields.<key>``.
    """
    key = "history.heading" if finished else "history.heading_unfinished"
    date = f"{format_day(entry.local_date)} {entry.local_date.year}"
    blocks = [t(key, kind=kind, date=date)]
    for name, found, free in fields:
        if found is None or found == "":
            continue
        name_label = t(name if "." in name else f"history.fields.{name}")
        blocks.append(f"{name_label}:\n{found}" if free else f"{name_label}: {found}")
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
