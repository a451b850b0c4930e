"""/settings → People end to end: one person written two ways is merged, or renamed to a typed
label, and the moments noticed with them come back as evidence under the name they have now."""

from __future__ import annotations

from bot.store import repairs, triggers
from tests.e2e.any_language import onboard, say
from tests.e2e.english import english_in
from tests.e2e.helpers import care_only, carry_on
from tests.e2e.rig import BotRig, sent, texts
from tests.e2e.test_noticed import moments, note_moment, trigger_up_to_evidence_against
from tests.fakebot import BotEvent, FakeUser


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
    assert "merge it into another name" in into.text and "Rename “sammy”" in into.text
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


async def open_rename(user: FakeUser, label: str) -> BotEvent:
    """/settings → People → ``label`` → ✏️ Rename: the question for the new name."""
    await user.ask("/settings")
    await user.tap("👥 People")
    (into,) = await user.tap(label)
    assert into.labels[0] == f"✏️ Rename “{label}”"
    (question,) = sent(await user.tap(f"✏️ Rename “{label}”"))
    assert f"What would you like to call “{label}”?" in question.text
    assert question.labels == ["Keep as it is"]
    return question


async def test_renaming_a_person_to_a_typed_label(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "sammy", "Sam would be cold", "Sam waited for me", "Sam stays")
    await open_rename(alex, "sammy")
    (done,) = sent(await alex.ask("  Sam   W. "))
    assert "Every entry that named “sammy” now names “Sam W.”" in done.text
    (moment,) = moments(rig)
    assert moment.person == "Sam W." and moment.actual == "Sam waited for me"

    await alex.ask("/settings")
    (listing,) = await alex.tap("👥 People")
    assert listing.labels == ["Sam W.", "Done"]
    question = await trigger_up_to_evidence_against(alex, "Sam W.")
    assert "moments you noticed with Sam W.:" in question.text
    assert "Sam waited for me" in question.text


async def test_a_rename_may_change_only_capitals(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "sam", "x", "sam came", "y")
    await open_rename(alex, "sam")
    (done,) = sent(await alex.ask("Sam"))
    assert "now names “Sam”" in done.text
    assert moments(rig)[0].person == "Sam"


async def test_keep_empty_and_sticker_leave_the_name(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "Jo", "x", "Jo came", "y")
    await open_rename(alex, "Jo")
    await alex.send_sticker()
    (again,) = sent(await alex.replies_until_idle())
    assert "Keep as it is" in again.labels
    (unchanged,) = sent(await alex.tap("Keep as it is"))
    assert "nothing changed" in unchanged.text.lower()
    assert moments(rig)[0].person == "Jo"
    await open_rename(alex, "Jo")
    (same,) = sent(await alex.ask("Jo"))
    assert "nothing changed" in same.text.lower()
    assert moments(rig)[0].person == "Jo"


async def test_crisis_words_are_never_taken_as_the_new_name(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "Jo", "x", "Jo came", "y")
    await open_rename(alex, "Jo")
    await care_only(alex)
    assert moments(rig)[0].person == "Jo"
    question = await carry_on(alex)
    assert "What would you like to call “Jo”?" in question.text
    (done,) = sent(await alex.ask("Joanna"))
    assert "now names “Joanna”" in done.text
    assert moments(rig)[0].person == "Joanna"


async def test_a_forged_rename_key_renames_nothing(rig: BotRig) -> None:
    sam = await rig.onboarded(2002, "Sam")
    await note_moment(sam, "Kim", "x", "Kim came", "y")
    (theirs,) = moments(rig, 2002)
    alex = await rig.onboarded()
    await alex.ask("/settings")
    await alex.press_data(f"pe:rename:n.{theirs.id}")
    assert "couldn't find that name" in texts(await alex.replies_until_idle())
    await alex.ask("Mine now")
    assert moments(rig, 2002)[0].person == "Kim"


async def test_renaming_in_german(rig: BotRig) -> None:
    seen: list[BotEvent] = []
    lena = rig.user(3101, "Lena", language_code="de")
    await onboard(lena, "Berlin", seen)
    for typed in ("/noticed", "sammy", "Er wäre kalt", "Er hat gewartet", "Er bleibt"):
        await say(lena, typed, seen)
    await say(lena, "/settings", seen)
    seen += await lena.tap("👥 Personen")
    seen += await lena.tap("sammy")
    (question,) = sent(await lena.tap("✏️ „sammy“ umbenennen"))
    seen.append(question)
    assert question.labels == ["So lassen"]  # built in her language, not at import
    await say(lena, "Sam W.", seen)
    assert "Wie möchtest du „sammy“ nennen?" in texts(seen)
    assert "nennt jetzt „Sam W.“" in texts(seen)
    assert moments(rig, 3101)[0].person == "Sam W."
    assert english_in(seen[-4:]) == []
    (timezone,) = sent(await lena.ask("/timezone"))
    assert timezone.labels == ["So lassen"]
