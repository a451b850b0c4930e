"""The closeness ladder's pacing: the order of the rungs, which one comes next, and what to
suggest after a practice. Pure: no database, no clock, no texts.

- The ladder is ordered by the distress the user expects (lowest first; a rung without one
  goes last), then by when it was added.
- A rung is *steady* once the distress afterwards came down (after < before) on two tries.
- After a practice: a peak of 8 or more suggests a smaller rung (the one below, if any);
  otherwise a steady rung suggests stepping up (exactly one rung: never more than one step
  at a time); otherwise staying on the rung.
- The next rung: the user's own last decision first (stay: the same rung; step up: the one
  right above it), else the lowest rung not yet steady.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

STEADY_TRIES = 2  # tries with the distress down afterwards that make a rung steady
SMALLER_PEAK = 8  # a peak at least this high suggests a smaller rung
STAY, STEP_UP = "stay", "step_up"
DECISIONS = (STAY, STEP_UP)
#: The suggestions after a practice.
SMALLER, TOP = "smaller", "top"
ADVICE = (STAY, STEP_UP, SMALLER, TOP)
UNRATED = 11  # where a rung without an expected distress sorts


class RungLike(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def expected(self) -> int | None: ...


class LogLike(Protocol):
    @property
    def rung_id(self) -> int | None: ...
    @property
    def before(self) -> int | None: ...
    @property
    def peak(self) -> int | None: ...
    @property
    def after(self) -> int | None: ...
    @property
    def decision(self) -> str | None: ...


R = TypeVar("R", bound=RungLike)


def ordered(rungs: Sequence[R]) -> list[R]:
    """The ladder, lowest expected distress first (ties: the order they were added in)."""
    indexed = list(enumerate(rungs))
    indexed.sort(key=lambda p: (UNRATED if p[1].expected is None else p[1].expected, p[0]))
    return [rung for _, rung in indexed]


def came_down(log: LogLike) -> bool:
    """The distress afterwards was lower than before."""
    return log.before is not None and log.after is not None and log.after < log.before


def tries(rung_id: int | None, logs: Sequence[LogLike]) -> list[LogLike]:
    return [log for log in logs if rung_id is not None and log.rung_id == rung_id]


def settled(rung_id: int | None, logs: Sequence[LogLike]) -> int:
    """On how many tries of the rung the distress came down afterwards."""
    return sum(1 for log in tries(rung_id, logs) if came_down(log))


def steady(rung_id: int | None, logs: Sequence[LogLike]) -> bool:
    return settled(rung_id, logs) >= STEADY_TRIES


def _neighbour(ladder: Sequence[R], rung_id: int | None, step: int) -> R | None:
    ids = [rung.id for rung in ladder]
    if rung_id not in ids:
        return None
    index = ids.index(rung_id) + step
    return ladder[index] if 0 <= index < len(ladder) else None


def above(rungs: Sequence[R], rung_id: int | None) -> R | None:
    """The rung right above (one step: never more)."""
    return _neighbour(ordered(rungs), rung_id, 1)


def below(rungs: Sequence[R], rung_id: int | None) -> R | None:
    return _neighbour(ordered(rungs), rung_id, -1)


def next_rung(rungs: Sequence[R], logs: Sequence[LogLike]) -> R | None:
    """The rung to suggest next (``logs`` oldest first): the user's last decision, else the
    lowest rung not yet steady; None when there are no rungs or every one is steady."""
    ladder = ordered(rungs)
    known = {rung.id: rung for rung in ladder}
    last = next((log for log in reversed(logs) if log.rung_id in known), None)
    if last is not None and last.decision == STAY:
        return known[last.rung_id]
    if last is not None and last.decision == STEP_UP:
        return above(ladder, last.rung_id) or known[last.rung_id]
    return next((rung for rung in ladder if not steady(rung.id, logs)), None)


@dataclass(frozen=True, slots=True)
class Pacing:
    """A suggestion after a practice: ``advice`` (stay, step_up, smaller, top), on how many
    tries the distress came down, and the rung it points to (above or below; None: none)."""

    advice: str
    came_down: int
    target: RungLike | None = None


def pace(rungs: Sequence[R], logs: Sequence[LogLike], current: LogLike) -> Pacing:
    """What to suggest after ``current`` (a practice on one rung; ``logs``: the earlier ones)."""
    down = settled(current.rung_id, [*logs, current])
    if current.peak is not None and current.peak >= SMALLER_PEAK:
        return Pacing(SMALLER, down, below(rungs, current.rung_id))
    if down >= STEADY_TRIES:
        up = above(rungs, current.rung_id)
        return Pacing(STEP_UP, down, up) if up is not None else Pacing(TOP, down)
    return Pacing(STAY, down)
