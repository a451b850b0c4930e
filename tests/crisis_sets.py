"""The labelled crisis-language sets in ``tests/data/crisis`` (see the README there).

Shared by the unit test that holds the floor and by ``bench/crisis.py``. A set is a folder
of ``<lang>.tsv`` files: ``""`` (the folder itself) is the tuning set; every other folder
that exists among ``SETS`` is a set the patterns were never tuned on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data" / "crisis"
LANGUAGES = ("en", "de", "es", "fr", "pt", "ru")
TUNING = ""
#: Folder → label, in report order. ``blind2`` is written by someone who never saw the
#: patterns; every folder is read when it exists. Only the tuning set holds the floor.
SETS = {
    TUNING: "tuning",
    "heldout2": "held-out 2 (misses seen once)",
    "heldout3": "held-out 3 (written before round 3)",
    "blind2": "blind 2 (never tuned on)",
    "blind3": "blind 3 (never tuned on, measured once)",
    "blind8": "blind 8 (never tuned on, measured once)",
}


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    crisis: bool
    category: str
    text: str


@dataclass(slots=True)
class Score:
    """How one detector did on one set: counts and the ids it got wrong."""

    crisis: int = 0
    safe: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return (self.crisis - len(self.missed)) / self.crisis if self.crisis else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.safe if self.safe else 0.0


def available() -> list[str]:
    """The sets (folders) present, tuning first."""
    return [name for name in SETS if (DATA / name / f"{LANGUAGES[0]}.tsv").is_file()]


def has(lang: str, folder: str = TUNING) -> bool:
    """Whether the set has a file for this language (a new set may not cover all six yet)."""
    return (DATA / folder / f"{lang}.tsv").is_file()


def load(lang: str, folder: str = TUNING) -> list[Row]:
    path = DATA / folder / f"{lang}.tsv"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        id_, label, category, text = line.split("\t")
        if label not in ("crisis", "safe"):
            raise ValueError(f"{path}: {id_}: label {label!r}")
        rows.append(Row(id_, label == "crisis", category, text))
    return rows


def score(rows: list[Row], detect: Callable[[str], bool]) -> Score:
    out = Score()
    for row in rows:
        found = detect(row.text)
        if row.crisis:
            out.crisis += 1
            if not found:
                out.missed.append(row.id)
        else:
            out.safe += 1
            if found:
                out.false_alarms.append(row.id)
    return out
