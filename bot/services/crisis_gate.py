"""The pattern gate (issue 14, rounds 7 and 8): which pattern hits need the learned model near
its threshold before they count (``crisis.detect_crisis``).

A hit is one of four kinds (:func:`gate_kind`), each with a margin below the model's threshold
within which it still counts (``GATE_MARGINS``; ``inf``: never gated). Danger from another
person and a first-person subject ("i want to die") are never gated: a miss there costs the
most. The margins were chosen on blind 5 and blind 6 (round 8), then blind 4 to 7 (round 9),
scored by models not trained on them (``bench.crisis_leave_out``), and checked in
cross-validation (``bench.crisis_cv``); BENCHMARKS.md.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from math import inf
from typing import Any

from bot.content import data
from bot.services.crisis_phrases import compile_phrases

#: A suicide or self-harm pattern hit without a first-person word whose message the model
#: scores more than this below its threshold is not crisis (round 7, :func:`gated`; round 8
#: kept it: 0.6 saved 2-3 false alarms on blind 5 and 6 scored by models not trained on them
#: and lost a crisis line; BENCHMARKS.md). Round 9: 0.75, with the model that reads character
#: n-grams too (blind 4-7 each left out in turn: 1.0 read 84.8 % / 2.9 %, 0.75 84.5 % / 2.7 %,
#: the round-8 model 83.1 % / 2.7 %).
PATTERN_GATE = 0.75

#: The kinds of pattern hit the gate tells apart (:func:`gate_kind`) and, for each, how far
#: below the model's threshold a message may score and the hit still count (``inf``: never
#: gated). Round 8 gates a suicide or self-harm hit whose only first person is an object or a
#: possessive too ("essa prova vai me matar", "este finde me mato estudiando"): on blind 5 and
#: 6 scored by models not trained on them, such hits the model missed were mostly safe lines
#: far below its threshold (BENCHMARKS.md). A first-person subject ("i want to die") and danger
#: from another person stay ungated: a miss there costs the most. Round 9: object 0.5 (with
#: ``other`` at 0.75, above).
GATE_KINDS = ("other", "object", "first", "danger")
GATE_MARGINS: dict[str, float] = {
    "other": PATTERN_GATE,
    "object": 0.5,
    "first": inf,
    "danger": inf,
}


#: How many words before a pattern hit :func:`gate_kind` reads for a first-person word.
BEFORE_WORDS = 4


@dataclass(frozen=True, slots=True)
class CrisisMatch:
    """What was found: the category and the (normalised) words that matched."""

    category: str
    phrase: str
    #: Up to ``BEFORE_WORDS`` words just before the match, within its sentence ("made me want
    #: to die" → "made me"), for :func:`gate_kind`.
    before: str = ""


@cache
def _first_person() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Any first-person word, and those that are a subject or "myself" (not only an object or a
    possessive: ``frames.object_only``)."""
    frames: dict[str, Any] = data("crisis_patterns.frames")
    object_only = set(frames["object_only"])
    return (
        compile_phrases((w, {}) for w in frames["first_person"]),
        compile_phrases((w, {}) for w in frames["first_person"] if w not in object_only),
    )


def gate_kind(found: CrisisMatch) -> str:
    """Which of ``GATE_KINDS`` a pattern hit is: ``danger`` (from another person); ``first``,
    a suicide or self-harm hit with a first-person word before its words (within
    ``BEFORE_WORDS``: "i keep thinking about suicide", "made me want to die") or a first-person
    subject or "myself" ("i want to die", "ich will mich umbringen"); ``object`` when its
    words' only first person is an object or a possessive ("vai me matar", "este finde me
    mato"); ``other`` when it has none ("se suicida")."""
    if found.category == "danger":
        return "danger"
    first_person, subject = _first_person()
    words = f"{found.before} {found.phrase}"
    if first_person.search(words) is None:
        return "other"
    if first_person.search(found.phrase) is None:  # "made me want to die"
        return "first"
    return "first" if subject.search(words) is not None else "object"


def gated(found: CrisisMatch) -> bool:
    """Whether a pattern hit needs the model within its kind's margin of its threshold
    (:func:`gate_kind`, ``GATE_MARGINS``)."""
    return GATE_MARGINS[gate_kind(found)] != inf


def passes_gate(found: CrisisMatch, score: Callable[[], float], threshold: float) -> bool:
    """Whether a hit counts given the model's score (asked only when its kind is gated)."""
    margin = GATE_MARGINS[gate_kind(found)]
    return margin == inf or score() >= threshold - margin


def warm_up() -> None:
    _first_person()
