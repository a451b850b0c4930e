"""The closeness ladder's order and pacing (bot/services/pacing.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import pacing


@dataclass
class Rung:
    id: int | None
    expected: int | None


@dataclass
class Log:
    rung_id: int | None
    before: int | None = None
    peak: int | None = None
    after: int | None = None
    decision: str | None = None


LADDER = [Rung(1, 6), Rung(2, 2), Rung(3, None), Rung(4, 2), Rung(5, 9)]


def ids(rungs: list[Rung]) -> list[int | None]:
    return [r.id for r in rungs]


def test_the_ladder_is_ordered_by_expected_distress_then_by_when_added() -> None:
    assert ids(pacing.ordered(LADDER)) == [2, 4, 1, 5, 3]
    assert pacing.ordered([]) == []


def test_a_rung_is_steady_after_two_tries_with_the_distress_down_afterwards() -> None:
    logs = [Log(2, 5, 6, 5), Log(2, 5, 7, 3), Log(2, None, 4, 1), Log(4, 6, 6, 2)]
    assert pacing.settled(2, logs) == 1 and not pacing.steady(2, logs)
    logs.append(Log(2, 4, 5, 2))
    assert pacing.steady(2, logs) and not pacing.steady(4, logs)
    assert not pacing.steady(None, [Log(None, 5, 5, 1)] * 3)


def test_the_next_rung_is_the_lowest_not_yet_steady() -> None:
    assert pacing.next_rung(LADDER, []) is not None
    assert pacing.next_rung(LADDER, []) == LADDER[1]
    steady_2 = [Log(2, 5, 6, 2), Log(2, 5, 6, 3)]
    assert pacing.next_rung(LADDER, steady_2) == LADDER[3]
    every = [Log(r.id, 5, 5, 1) for r in LADDER for _ in range(2)]
    assert pacing.next_rung(LADDER, every) is None
    assert pacing.next_rung([], []) is None


def test_the_next_rung_follows_the_users_own_decision_one_step_at_most() -> None:
    stay = [Log(2, 5, 6, 2), Log(2, 5, 6, 3, pacing.STAY)]
    assert pacing.next_rung(LADDER, stay) == LADDER[1]  # steady, but they chose to stay
    up = [Log(2, 5, 6, 6, pacing.STEP_UP)]
    assert pacing.next_rung(LADDER, up) == LADDER[3]  # one rung up, even before steady
    top = [Log(3, 5, 6, 6, pacing.STEP_UP)]
    assert pacing.next_rung(LADDER, top) == LADDER[2]  # nothing above: the same rung
    gone = [Log(99, 5, 6, 6, pacing.STAY)]
    assert pacing.next_rung(LADDER, gone) == LADDER[1]  # a deleted rung: the lowest not steady


def test_pacing_stays_until_the_distress_came_down_twice() -> None:
    first = pacing.pace(LADDER, [], Log(2, 6, 7, 4))
    assert (first.advice, first.came_down, first.target) == (pacing.STAY, 1, None)
    not_down = pacing.pace(LADDER, [Log(2, 6, 7, 4)], Log(2, 6, 7, 6))
    assert (not_down.advice, not_down.came_down) == (pacing.STAY, 1)
    second = pacing.pace(LADDER, [Log(2, 6, 7, 4)], Log(2, 5, 6, 3))
    assert (second.advice, second.came_down, second.target) == (pacing.STEP_UP, 2, LADDER[3])


def test_never_more_than_one_step_up_and_the_top_says_so() -> None:
    logs = [Log(2, 6, 6, 1)] * 5
    assert pacing.pace(LADDER, logs, Log(2, 6, 6, 1)).target == LADDER[3]
    top = pacing.pace(LADDER, [Log(3, 6, 6, 1)], Log(3, 6, 6, 1))
    assert (top.advice, top.target) == (pacing.TOP, None)


def test_a_peak_of_eight_or_more_suggests_a_smaller_rung() -> None:
    high = pacing.pace(LADDER, [Log(1, 6, 6, 1)], Log(1, 6, 8, 2))
    assert (high.advice, high.came_down, high.target) == (pacing.SMALLER, 2, LADDER[3])
    lowest = pacing.pace(LADDER, [], Log(2, 6, 10, 6))
    assert (lowest.advice, lowest.target) == (pacing.SMALLER, None)
    assert pacing.pace(LADDER, [], Log(2, 6, 7, 6)).advice == pacing.STAY
