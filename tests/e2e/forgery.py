"""Forged callbacks across users: a helper for every feature's tests.

Telegram only ever sends a callback with the id of the user who pressed, but the callback data
itself is whatever the client sends: a modified client can press any data on any message. So
every id taken from callback data must be checked against the pressing user in the store query
(``WHERE id = :id AND user_id = :presser``), and a miss must read and change nothing.

Usage, after the victim has seen the feature's buttons::

    await assert_forgeries_harmless(rig, victim, intruder, secrets=["words only victim wrote"])

It replays every callback data the bot ever sent the victim as the intruder, then checks that
the victim's rows in every table are unchanged, that nothing reached the victim's chat, and that
none of ``secrets`` reached the intruder (in texts or documents).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.store import export as store
from bot.store.db import Database
from tests.e2e.rig import BotRig
from tests.fakebot import BotEvent, FakeUser


def callback_data_seen_by(user: FakeUser) -> list[str]:
    """Every callback data the bot ever attached to a message in the user's chat (in order)."""
    seen: dict[str, None] = {}
    for event in user.events:
        markup = event.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                if button.get("callback_data"):
                    seen[button["callback_data"]] = None
    return list(seen)


def snapshot(db: Database, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """The user's rows in every table (what /export would contain)."""
    return {table.name: list(store.iter_rows(db, table, user_id)) for table in store.tables()}


async def press_forged(user: FakeUser, data: str) -> list[BotEvent]:
    """Press ``data`` on the user's latest bot message, as a modified client could."""
    before = len(user.events)
    update_id = await user.press_data(data)
    await user.server.wait_processed(update_id)
    events = user.events[before:]
    for event in events:
        event.consumed = True
    return events


def _leaks(events: Iterable[BotEvent], secrets: Sequence[str]) -> list[str]:
    found = []
    for event in events:
        shown = (event.text or "").encode() + (event.document or b"")
        found += [s for s in secrets if s.encode() in shown]
    return found


async def assert_forgeries_harmless(
    rig: BotRig,
    victim: FakeUser,
    intruder: FakeUser,
    datas: Sequence[str] | None = None,
    secrets: Sequence[str] = (),
) -> list[str]:
    """Replay the victim's callback data as the intruder; returns the data replayed."""
    datas = list(datas if datas is not None else callback_data_seen_by(victim))
    if not intruder.events:
        await intruder.ask("/help")  # a bot message in the intruder's chat to press on
    before = snapshot(rig.db, victim.id)
    victim_events = len(victim.events)
    for data in datas:
        events = await press_forged(intruder, data)
        assert not _leaks(events, secrets), f"forged {data!r} showed the victim's data"
        assert not any(e.kind == "document" for e in events), f"forged {data!r} sent a file"
    assert snapshot(rig.db, victim.id) == before, "forged callbacks changed the victim's rows"
    assert len(victim.events) == victim_events, "forged callbacks wrote to the victim's chat"
    return datas


#: Ids past every column (60 digits), and past INTEGER but within BIGINT (12 digits).
HUGE_IDS = ("9" * 60, "9" * 12)


async def assert_huge_ids_are_stale(user: FakeUser, datas: Sequence[str]) -> list[str]:
    """Press every callback data that carries a number with each of ``HUGE_IDS`` in its place,
    as the user themselves; each must get a kind answer, never the generic error (a 60-digit
    id raised OverflowError on SQLite). Returns the data pressed."""
    forged = sorted(
        {re.sub(r"\d+", huge, d) for d in datas if re.search(r"\d", d) for huge in HUGE_IDS}
    )
    broken, silent = [], []
    for data in forged:
        answers = len(user.state.answered_callbacks)
        events = await press_forged(user, data)
        if any("Something went wrong" in (e.text or "") for e in events):
            broken.append(data)
        if len(user.state.answered_callbacks) == answers and not events:
            silent.append(data)
    assert broken == [], "forged huge ids tripped a handler"
    assert silent == [], "forged huge ids got no answer"
    return forged
