"""A lease's slots are placed on the database's clock by the quickest recent round trip
(bot/replicas/pace.py ``_ClockOffset``): a reply held up on its way back does not shift them."""

from __future__ import annotations

import time
from typing import Any, cast

from bot.replicas.pace import SharedPace, _ClockOffset


def test_a_reply_held_up_on_its_way_back_does_not_move_the_slots_late() -> None:
    clock = _ClockOffset()
    # Database clock = loop clock + 1000 s; a quick round trip of 2 ms.
    assert clock.offset(asked=10.000, heard=10.002, at=1010.001) == 1010.001 - 10.001
    # The next reply waited 80 ms for the interpreter after the statement ran at 1011.001:
    # its slots stay placed by the quick round trip (the old rule put them 80 ms late).
    assert abs(clock.offset(asked=11.000, heard=11.082, at=1011.001) - 1000.0) < 0.001


def test_the_offset_follows_the_quickest_of_the_recent_round_trips() -> None:
    clock = _ClockOffset()
    clock.offset(asked=0.0, heard=0.010, at=500.005)  # 10 ms: offset 500.0
    for i in range(_ClockOffset.SAMPLES):  # later, quicker ones on a clock 1 ms further on
        found = clock.offset(asked=1.0 + i, heard=1.002 + i, at=502.002 + i)
    assert abs(found - 501.001) < 1e-9  # the old 10 ms sample has left the window


class _LateReplies:
    """A database whose clock is the loop's plus 1000 s, and whose first lease names slots
    already 0.2 s past when it answers (its reply was held up): later ones are on time."""

    def __init__(self) -> None:
        self.leases = 0

    def single(self, statement: object, params: dict[str, float]) -> dict[str, float]:
        at = time.monotonic() + 1000.0
        self.leases += 1
        first = at - 0.2 if self.leases == 1 else at + 0.01
        return {"first": first, "at": at}


async def test_slots_already_past_when_their_lease_is_heard_are_let_go_not_used_late() -> None:
    db = _LateReplies()
    pace = SharedPace(cast(Any, db), "1", 30)
    await pace.slot(waiting=3)
    assert db.leases == 2  # the late lease's four slots were let go; the next lease's used
    assert pace.counts["let_go"] == 4 and pace.counts["used"] == 1
