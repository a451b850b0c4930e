"""/summary and the weekly summary message, end to end against the fake Bot API."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import col

from bot.app import sender_for
from bot.handlers.common import Ctx
from bot.models import DuePrompt
from bot.store import prompts, users
from bot.store.db import Database
from tests import seed
from tests.e2e.rig import BotRig, texts
from tests.fakebot import BotEvent
from tests.unit.test_charts import assert_sensible_png, png_size
from tests.unit.test_summary_text import SEEDED_WEEK_TEXT


def assert_chart(event: BotEvent) -> None:
    assert event.kind == "photo"
    assert event.document is not None
    assert_sensible_png(event.document)
    assert png_size(event.document) == (900, 600)
    assert event.message["photo"][0]["width"] == 900
    assert "check-ins done" in (event.text or "")


async def test_summary_for_the_last_seven_days(rig: BotRig) -> None:
    seed.seeded_week(rig.db)
    rig.clock.set(seed.WEEK_NOW)
    alex = rig.user(1001)
    summary, chart = await alex.ask("/summary")
    assert summary.kind == "message" and summary.text == SEEDED_WEEK_TEXT
    assert_chart(chart)
    assert len(rig.server.calls("sendPhoto", ok=True)) == 1


async def test_summary_for_four_weeks(rig: BotRig) -> None:
    seed.seeded_week(rig.db)
    rig.clock.set(seed.WEEK_NOW)
    alex = rig.user(1001)
    summary, chart = await alex.ask("/summary 4w")
    assert summary.text is not None
    assert summary.text.startswith("Your last 4 weeks: Mon 9 Feb – Sun 8 Mar\n")
    assert "Current streak: 13 days\nBest streak: 20 days" in summary.text
    assert_chart(chart)


async def test_summary_with_a_bad_argument_explains(rig: BotRig) -> None:
    seed.seeded_week(rig.db)
    alex = rig.user(1001)
    for bad in ("/summary soon", "/summary 53w", "/summary 0"):
        (reply,) = await alex.ask(bad)
        assert "/summary 4w" in (reply.text or "") and "1 to 52 weeks" in (reply.text or "")
    assert not rig.server.calls("sendPhoto")


async def test_empty_week_is_short_and_kind(rig: BotRig) -> None:
    seed.user(rig.db, 1001)
    rig.clock.set(seed.WEEK_NOW)
    alex = rig.user(1001)
    (reply,) = await alex.ask("/summary")
    assert "quiet week" in (reply.text or "") and "0 of" not in (reply.text or "")
    assert not rig.server.calls("sendPhoto")


async def test_summary_before_onboarding(rig: BotRig) -> None:
    alex = rig.user(1001)
    (reply,) = await alex.ask("/summary")
    assert "/start" in (reply.text or "")


async def test_chart_failure_still_delivers_the_text(rig: BotRig) -> None:
    seed.seeded_week(rig.db)
    rig.clock.set(seed.WEEK_NOW)
    rig.server.fail_next("sendPhoto", 400, "Bad Request: IMAGE_PROCESS_FAILED")
    alex = rig.user(1001)
    events = await alex.ask("/summary")
    assert [e.kind for e in events] == ["message"]
    assert "Current streak: 13 days" in texts(events)


# --- the weekly message, as the sweep will send it --------------------------------------------


def claim(db: Database, prompt_id: int) -> bool:
    """The sweep's claim in miniature: pending → claimed, by exactly one caller."""
    with db.session() as s:
        result = s.exec(
            update(DuePrompt)  # type: ignore[call-overload]
            .where(col(DuePrompt.id) == prompt_id, col(DuePrompt.state) == "pending")
            .values(state="claimed")
        )
        return bool(result.rowcount)


async def deliver_due(rig: BotRig, prompt_id: int) -> None:
    """Claim, send through the registered sender, mark sent (or skipped)."""
    assert rig.app is not None
    if not claim(rig.db, prompt_id):
        return
    with rig.db.session() as s:
        prompt = s.get(DuePrompt, prompt_id)
    assert prompt is not None
    user = users.get(rig.db, prompt.user_id)
    sender = sender_for(prompt.kind)
    assert user is not None and sender is not None
    message = await sender(Ctx(rig.app), user, prompt)
    with rig.db.session() as s:
        s.exec(
            update(DuePrompt)  # type: ignore[call-overload]
            .where(col(DuePrompt.id) == prompt_id)
            .values(
                state="sent" if message else "skipped", message_id=message and message.message_id
            )
        )


def weekly_prompt(db: Database, user_id: int = 1001) -> int:
    prompt = prompts.add(db, user_id, "weekly", seed.WEEK_NOW, seed.WEEK_NOW - timedelta(days=7))
    assert prompt.id is not None
    return prompt.id


async def test_weekly_summary_is_sent_once(rig: BotRig) -> None:
    seed.seeded_week(rig.db)
    rig.clock.set(seed.WEEK_NOW)
    alex = rig.user(1001)
    prompt_id = weekly_prompt(rig.db)

    await deliver_due(rig, prompt_id)
    await rig.restart()
    await deliver_due(rig, prompt_id)  # already claimed: nothing again

    events = alex.events
    assert [e.kind for e in events] == ["message", "photo"]
    assert events[0].text == SEEDED_WEEK_TEXT
    assert_chart(events[1])
    with rig.db.session() as s:
        stored = s.get(DuePrompt, prompt_id)
        assert stored is not None and stored.state == "sent"
        assert stored.message_id == events[0].message_id


async def test_weekly_quiet_week_after_an_active_one_gets_a_kind_note(rig: BotRig) -> None:
    seed.user(rig.db, 1001)
    seed.calendar(rig.db, 1001, seed.WEEK_START - timedelta(days=5), "BBB")
    rig.clock.set(seed.WEEK_NOW)
    alex = rig.user(1001)
    await deliver_due(rig, weekly_prompt(rig.db))
    (note,) = alex.events
    assert note.kind == "message" and "quiet week" in (note.text or "")


async def test_weekly_stays_silent_for_a_long_quiet_user_and_while_paused(rig: BotRig) -> None:
    seed.user(rig.db, 1001)
    seed.calendar(rig.db, 1001, date(2026, 1, 5), "BBBB")  # long ago
    seed.seeded_week(rig.db, 1002)
    users.update_fields(rig.db, 1002, seed.WEEK_NOW, paused=True)
    rig.clock.set(seed.WEEK_NOW)
    quiet, paused = rig.user(1001), rig.user(1002, "Sam")
    await deliver_due(rig, weekly_prompt(rig.db, 1001))
    await deliver_due(rig, weekly_prompt(rig.db, 1002))
    assert quiet.events == [] and paused.events == []
    with rig.db.session() as s:
        states = {p.state for p in s.exec(DuePrompt.__table__.select()).all()}  # type: ignore[attr-defined]
    assert states == {"skipped"}
