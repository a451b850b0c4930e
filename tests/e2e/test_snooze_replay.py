"""A replayed Snooze button books one snooze, not one per press (issue 21)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import prompts
from tests.e2e.rig import BotRig, texts

MORNING_DUE = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Berlin


async def test_snooze_pressed_fifty_times_brings_one_snoozed_prompt(rig: BotRig) -> None:
    user = await rig.onboarded()
    await rig.sweep(MORNING_DUE)
    (prompt,) = [e for e in user.events if "Good morning" in (e.text or "")]
    (snooze,) = [d for row in prompt.button_data for d in row if d and d.startswith("ci:snz:")]

    first = await user.tap("Snooze 30 min", prompt)
    assert "I'll ask again in 30 minutes" in texts(first)
    after_first = len(user.events)
    for _ in range(49):  # a scripted client replays the press (buttons gone or not)
        rig.clock.advance(seconds=1)
        update_id = await user.press_data(snooze, prompt)
        await rig.server.wait_processed(update_id)
    again = rig.server.state.answered_callbacks[-1].get("text") or ""
    assert again.startswith("Already snoozed")
    assert [e for e in user.events[after_first:] if e.kind == "message"] == []  # none per press
    assert len(prompts.pending_for_user(rig.db, user.id, "snooze")) == 1

    before = len(user.events)
    for minutes in (30, 31, 60, 90):
        await rig.sweep(MORNING_DUE + timedelta(minutes=minutes))
    arrived = [e for e in user.events[before:] if "you snoozed" in (e.text or "")]
    assert len(arrived) == 1

    # the snoozed prompt may itself be snoozed once more, and again only once
    (snoozed,) = arrived
    datas = [d for row in snoozed.button_data for d in row if d]
    (snooze_again,) = [d for d in datas if d.startswith("ci:snz:")]
    await user.tap("Snooze 30 min", snoozed)
    for _ in range(5):
        rig.clock.advance(seconds=1)
        await rig.server.wait_processed(await user.press_data(snooze_again, snoozed))
    assert len(prompts.pending_for_user(rig.db, user.id, "snooze")) == 1
