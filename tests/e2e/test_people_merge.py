"""/settings → People end to end: one person written two ways is merged, and the moments noticed
with them come back as evidence whichever way a later thought record names them."""

from __future__ import annotations

from bot.store import repairs, triggers
from tests.e2e.rig import BotRig, texts
from tests.e2e.test_noticed import moments, note_moment, trigger_up_to_evidence_against


async def test_merging_two_spellings_of_one_person(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "sammy", "Sam would be cold", "Sam waited for me", "Sam stays")
    await alex.ask("/repair")
    await alex.ask("Sam")
    await alex.ask("/cancel")

    await alex.ask("/settings")
    (listing,) = await alex.tap("👥 People")
    assert "named in Steady" in listing.text and "already one" in listing.text
    assert listing.labels == ["Sam", "sammy", "Done"]  # the user's own labels only
    (into,) = await alex.tap("sammy")
    assert "Merge “sammy” into which one?" in into.text
    assert "Sam" in into.labels and "Partner" in into.labels and "sammy" not in into.labels
    (merged,) = await alex.tap("Sam")
    assert "Every entry that named “sammy” now names “Sam”" in merged.text
    assert merged.labels == []
    (moment,) = moments(rig)
    assert moment.person == "Sam" and moment.actual == "Sam waited for me"

    question = await trigger_up_to_evidence_against(alex, "Sam")
    assert "moments you noticed with Sam:" in question.text
    assert "Sam waited for me" in question.text


async def test_forged_keys_merge_nothing(rig: BotRig) -> None:
    sam = await rig.onboarded(2002, "Sam")
    await note_moment(sam, "Kim", "x", "Kim came", "y")
    (theirs,) = moments(rig, 2002)
    alex = await rig.onboarded()
    await note_moment(alex, "Jo", "x", "Jo came", "y")
    (mine,) = moments(rig)
    await alex.ask("/settings")
    await alex.tap("👥 People")
    await alex.press_data(f"pe:into:n.{theirs.id}:n.{mine.id}")
    assert "couldn't find that name" in texts(await alex.replies_until_idle())
    assert moments(rig, 2002)[0].person == "Kim" and moments(rig)[0].person == "Jo"
    assert (
        triggers.latest_draft(rig.db, 1001) is None and repairs.latest_draft(rig.db, 1001) is None
    )


async def test_no_people_yet(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/settings")
    (listing,) = await alex.tap("👥 People")
    assert "haven't named anyone yet" in listing.text and listing.labels == []
