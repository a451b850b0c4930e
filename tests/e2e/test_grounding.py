"""The grounding exercise, step by step with buttons: from /sos, and after a thought record
that ends at 8 or more; it never disturbs the conversation the user is in."""

from __future__ import annotations

from tests.e2e.rig import BotRig, sent
from tests.fakebot import BotEvent, FakeUser


async def tap_only_edit(user: FakeUser, label: str) -> BotEvent:
    """Tap ``label``: the message is edited in place into the next step."""
    events = await user.tap(label)
    assert not sent(events)
    return events[-1]


async def test_five_senses_from_sos_then_still_hard_gives_the_resources(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/sos")
    choose = await tap_only_edit(alex, "Try a grounding exercise")
    assert choose.labels == ["5-4-3-2-1 with my senses", "Slow breathing"]
    step = await tap_only_edit(alex, "5-4-3-2-1 with my senses")
    for sense in ("five things you can see", "four things", "Three things", "Two things"):
        assert sense in step.text and step.labels == ["Done", "That's enough for now"]
        step = await tap_only_edit(alex, "Done")
    assert "One thing you can taste" in step.text
    how = await tap_only_edit(alex, "Done")
    assert how.labels == ["A little calmer", "Still very hard"]
    events = await alex.tap("Still very hard")
    (resources,) = sent(events)
    assert "okay that it's still hard" in events[0].text
    assert "TelefonSeelsorge" in resources.text and "112" in resources.text


async def test_slow_breathing_then_calmer(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/sos")
    await tap_only_edit(alex, "Try a grounding exercise")
    step = await tap_only_edit(alex, "Slow breathing")
    for n in (1, 2, 3):
        assert f"({n} of 3)" in step.text
        step = await tap_only_edit(alex, "Next breath")
    calm = await tap_only_edit(alex, "A little calmer")
    assert "/sos" in calm.text and calm.labels == []


async def test_grounding_leaves_an_open_conversation_as_it_was(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/morning")
    await alex.ask("/sos")
    await tap_only_edit(alex, "Try a grounding exercise")
    await tap_only_edit(alex, "5-4-3-2-1 with my senses")
    stopped = await tap_only_edit(alex, "That's enough for now")
    assert "/sos" in stopped.text
    (moved,) = await alex.ask("7:15")
    assert "07:15" in moved.text


async def run_trigger(alex: FakeUser, after: str) -> list[BotEvent]:
    """A thought record with every step skipped but the two intensities."""
    await alex.ask("/trigger")
    taps = ["Skip", "Skip", "9", "Skip", "Skip", "Skip", "None of these"]  # situation … traps
    for label in [*taps, "Skip", "Skip", "Skip", "Skip"]:  # … action
        await alex.tap(label)
    await alex.tap(after)  # intensity after
    return sent(await alex.tap("Skip"))  # where: the summary


async def test_a_thought_record_still_at_8_or_more_offers_grounding(rig: BotRig) -> None:
    alex = await rig.onboarded()
    summary, offer = await run_trigger(alex, "8")
    assert "Here's your entry" in summary.text
    assert offer.labels == ["Try a grounding exercise"]
    choose = await tap_only_edit(alex, "Try a grounding exercise")
    assert "Slow breathing" in choose.labels


async def test_a_thought_record_that_eased_offers_nothing(rig: BotRig) -> None:
    alex = await rig.onboarded()
    (summary,) = await run_trigger(alex, "7")
    assert "Here's your entry" in summary.text and summary.labels == []
