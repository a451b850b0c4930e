"""/history end to end: pages, one entry read whole, long entries split, forged ids."""

from __future__ import annotations

from datetime import date, timedelta

from tests import seed
from tests.e2e.rig import BotRig, sent
from tests.fakebot import BotEvent, FakeUser

MONDAY = date(2026, 3, 2)


def seed_entries(rig: BotRig, user_id: int = 1001) -> None:
    """Seven morning check-ins (Mon–Sun), a trigger on Wednesday, a repair on Friday."""
    seed.user(rig.db, user_id)
    for offset in range(7):
        seed.checkin(
            rig.db, user_id, MONDAY + timedelta(days=offset), "morning",
            emotions=["hopeful"], intensity=offset, need=f"Need number {offset}",
        )  # fmt: skip
    seed.trigger(rig.db, user_id, MONDAY + timedelta(days=2), situation="No reply all day.")
    seed.repair(rig.db, user_id, MONDAY + timedelta(days=4), person="Sam", next_step="Call")


async def test_pages_and_detail(rig: BotRig) -> None:
    seed_entries(rig)
    alex = rig.user(1001)
    (first,) = await alex.ask("/history")
    assert first.text == ("Your entries, newest first (1–5 of 9). Tap one to read it whole.")
    assert first.buttons == [
        ["Sun 8 Mar · Morning check-in"],
        ["Sat 7 Mar · Morning check-in"],
        ["Fri 6 Mar · Repair plan · Sam"],  # 18:00, after Friday's morning check-in
        ["Fri 6 Mar · Morning check-in"],
        ["Thu 5 Mar · Morning check-in"],
        ["Next ▶"],
    ]

    (page2,) = await alex.tap("Next ▶")
    assert page2.kind == "edit" and page2.message_id == first.message_id
    assert page2.text == "Your entries, newest first (6–9 of 9). Tap one to read it whole."
    assert page2.labels == [
        "Wed 4 Mar · Trigger log · Partner",
        "Wed 4 Mar · Morning check-in",
        "Tue 3 Mar · Morning check-in",
        "Mon 2 Mar · Morning check-in",
        "◀ Previous",
    ]

    (entry,) = await alex.tap("Wed 4 Mar · Trigger log · Partner")
    assert entry.text is not None
    assert entry.text.startswith("Trigger log · Wed 4 Mar 2026\n\nWho: Partner\n\nWhere: Texting")
    assert "What happened (what a camera would have seen):\nNo reply all day." in entry.text
    assert entry.buttons == [["◀ Back to the list"]]

    (back,) = await alex.tap("◀ Back to the list")
    assert back.text == page2.text and back.labels == page2.labels
    (again,) = await alex.tap("◀ Previous")
    assert again.labels == [label for row in first.buttons for label in row]


async def test_a_long_entry_is_split_verbatim(rig: BotRig) -> None:
    seed.user(rig.db, 1001)
    story = "I kept checking my phone. " * 200  # 5,200 characters
    balanced = "Maybe they were busy.\n" * 150
    seed.trigger(rig.db, 1001, MONDAY, story=story.strip(), balanced=balanced.strip())
    alex = rig.user(1001)
    await alex.ask("/history")
    pieces = await alex.tap("Mon 2 Mar · Trigger log · Partner")
    # The first piece replaces the list; the rest follow as new messages, Back on the last.
    assert [p.kind for p in pieces] == ["edit", "message", "message"]
    assert len(pieces[0].text or "") > 4000  # filled, not a lone heading
    texts = [p.text or "" for p in pieces]
    assert all(len(t) <= 4096 for t in texts)
    joined = "".join("".join(texts).split())  # cuts drop only whitespace
    assert "".join(story.split()) in joined and "".join(balanced.split()) in joined
    assert pieces[-1].buttons == [["◀ Back to the list"]]
    assert pieces[0].buttons == [] and pieces[1].buttons == []


async def test_forged_ids_find_nothing(rig: BotRig) -> None:
    seed_entries(rig, 1001)
    seed_entries(rig, 2002)
    sam = rig.user(2002, "Sam")
    await sam.ask("/history")
    sams_button = sam.last_message()
    assert sams_button is not None
    sams_data = [d for row in sams_button.button_data for d in row if d and d.startswith("hi:r:")]

    alex = rig.user(1001)
    await alex.ask("/history")
    for forged in (sams_data[0], "hi:c:999999.0", "hi:r:abc.0", "hi:x:1.0", "hi:t:1"):
        replies = sent(await press(alex, forged))
        assert [r.text for r in replies] == [
            "I couldn't find that entry. /history shows what's there now."
        ]
    assert "No reply" not in "".join(e.text or "" for e in alex.events)


async def press(user: FakeUser, data: str) -> list[BotEvent]:
    """Push a callback with arbitrary (forged) data on the user's latest bot message."""
    before = len(user.events)
    await user.press_data(data)
    await user.wait_idle()
    return user.events[before:]


async def test_empty_history(rig: BotRig) -> None:
    alex = rig.user(1001)
    (reply,) = await alex.ask("/history")
    assert "Nothing here yet" in (reply.text or "") and reply.buttons == []
