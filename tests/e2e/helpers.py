"""What end-to-end tests share beyond the rig: reading a user's rows and prompts, walking a
user through a whole conversation, and the care message's checks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, overload

from sqlmodel import select

from bot.app import sender_for
from bot.handlers.common import Ctx
from bot.models import RepairPlan, TriggerEntry
from bot.store import prompts, repairs, triggers, users
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import BotEvent, FakeUser

# --- rows and requests ------------------------------------------------------------------------


def failed_requests(rig: BotRig) -> list[str]:
    """The Bot API calls the server refused (polling aside), as "method: description"."""
    return [
        f"{r.method}: {r.description}"
        for r in rig.server.requests
        if not r.ok and r.method != "getUpdates"
    ]


def states(rig: BotRig, kind: str, user_id: int = 1001) -> list[tuple[datetime, str]]:
    """(due time, state) of the user's prompts of one kind."""
    return [(p.due_at, p.state) for p in prompts.for_user(rig.db, user_id) if p.kind == kind]


@overload
def draft(rig: BotRig, kind: Literal["trigger"], user_id: int = 1001) -> TriggerEntry: ...
@overload
def draft(rig: BotRig, kind: Literal["repair"], user_id: int = 1001) -> RepairPlan: ...
def draft(rig: BotRig, kind: str, user_id: int = 1001) -> TriggerEntry | RepairPlan:
    """The user's thought record ("trigger") or repair plan in progress (there must be one)."""
    found = (triggers if kind == "trigger" else repairs).latest_draft(rig.db, user_id)
    assert found is not None
    return found


def only(rig: BotRig, user_id: int = 1001) -> TriggerEntry:
    """The user's one thought record (there must be exactly one)."""
    with rig.db.session() as s:
        rows = s.exec(select(TriggerEntry).where(TriggerEntry.user_id == user_id)).all()
    assert len(rows) == 1, rows
    return rows[0]


def plans(rig: BotRig, user_id: int = 1001) -> list[RepairPlan]:
    with rig.db.session() as s:
        return list(s.exec(select(RepairPlan).where(RepairPlan.user_id == user_id)).all())


# --- whole conversations -------------------------------------------------------------------


async def send_due_followup(rig: BotRig, user_id: int = 1001) -> None:
    """What the sweep does for a due repair_followup prompt: call the registered sender."""
    assert rig.app is not None
    (prompt,) = prompts.pending_for_user(rig.db, user_id, "repair_followup")
    user = users.get(rig.db, user_id)
    assert user is not None
    sender = sender_for("repair_followup")
    assert sender is not None
    await sender(Ctx(rig.app), user, prompt)  # type: ignore[arg-type]


async def plan_full_repair(alex: FakeUser) -> list:
    await alex.ask("/repair")
    await alex.tap("Partner")
    await alex.ask("I changed our plans at the last minute.")
    await alex.ask("you felt let down")
    await alex.ask("I didn't tell you early")
    await alex.ask("I feel anxious when we drift apart, and I need us to talk")
    await alex.ask("I'll text you by noon if plans change")
    await alex.ask("What would help you trust me again?")
    return sent(await alex.tap("Tomorrow"))


async def skip_to_end(user: FakeUser) -> list:
    """Skip every remaining question (Skip / None of these) until the summary arrives."""
    for _ in range(20):
        message = user.last_message()
        assert message is not None
        labels = message.labels
        if not labels:
            return [message]
        label = "None of these" if "None of these" in labels else "Skip"
        await user.tap(label)
    raise AssertionError("the log never ended")


# --- check-ins --------------------------------------------------------------------------------

# Onboarded at 2026-03-02 09:00 UTC (Berlin, CET = UTC+1): morning 08:00, evening 21:00.
EVENING_DUE = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
MORNING_DUE = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


async def prompt_of(rig: BotRig, user: FakeUser, when: datetime) -> str:
    """Sweep at ``when``: the check-in prompt the user gets, with its three buttons."""
    report = await rig.sweep(when)
    assert report.sent >= 1
    (prompt,) = sent(await user.replies_until_idle())
    assert prompt.buttons == [["Start"], ["Snooze 30 min", "Skip today"]]
    return prompt.text or ""


# --- crisis language: the care message ------------------------------------------------------

CARE = "I'm really glad you told me"
CARRY_ON, STOP = "Carry on where we were", "Stop here for now"
CRISIS = "Honestly I just want to die"
#: What must never follow crisis language: a correction, a button reminder, the words quoted.
NEVER = ("couldn't", "Tap one of the buttons", "tap one of the buttons", "Please tap", "“Honestly")


async def care_only(user: FakeUser, text: str = CRISIS, *, paused: bool = True) -> BotEvent:
    """Type ``text``: exactly one new message comes back, the care message; it doesn't quote
    the words, and (with a conversation open) carries the two buttons."""
    events = await user.ask(text)
    (care,) = sent(events)
    assert CARE in care.text and "findahelpline.com" in care.text
    assert text not in texts(events)
    for phrase in NEVER:
        assert phrase not in texts(events)
    assert care.labels == ([CARRY_ON, STOP] if paused else [])
    return care


async def carry_on(user: FakeUser) -> BotEvent:
    """Tap "Carry on": the care message keeps its text, and the next question comes below."""
    events = await user.tap(CARRY_ON)
    edits = [e for e in events if e.kind == "edit"]
    assert edits and CARE in edits[0].text and edits[0].labels == []
    (question,) = sent(events)
    return question


async def stop(user: FakeUser) -> BotEvent:
    """Tap "Stop": a gentle note, then (no safety plan yet) the invitation to write one."""
    note, invite = sent(await user.tap(STOP))
    assert "stop here for now" in note.text and "kept" in note.text
    assert "/safetyplan" in invite.text
    return note
