"""/safetyplan end to end: written step by step, edited from its menu, first in every crisis
reply and on /sos, exported, listed in /history, erased by /delete."""

from __future__ import annotations

import json

from cryptography.fernet import Fernet

from bot.columns import set_text_cipher
from bot.store import safetyplans
from bot.store.db import Database
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeBotApi, FakeUser

CARE = "I'm really glad you told me"
COPING = "Walk the dog round the block, cold water on my face"
HELPERS = "Sam — 0151 234 567"
REASONS = "My niece, and seeing the sea again"


async def write_plan(alex: FakeUser) -> None:
    intro, first = sent(await alex.ask("/safetyplan"))
    assert "safety plan" in intro.text and "1 of 7" in first.text and first.labels == ["Skip"]
    (second,) = sent(await alex.ask("I stop answering messages"))
    assert "2 of 7" in second.text
    (third,) = sent(await alex.ask(COPING))
    assert "3 of 7" in third.text
    (fourth,) = await alex.tap("Skip")  # the question turns into the next one in place
    assert fourth.kind == "edit" and "→ Skip" in fourth.text and "4 of 7" in fourth.text
    (fifth,) = sent(await alex.ask(HELPERS))
    assert "5 of 7" in fifth.text and "TelefonSeelsorge" in fifth.text  # pre-filled for Berlin
    assert fifth.labels == ["Keep this"]
    (sixth,) = await alex.tap("Keep this")
    assert sixth.kind == "edit" and "6 of 7" in sixth.text
    (seventh,) = await alex.tap("Skip")
    assert seventh.kind == "edit" and "7 of 7" in seventh.text
    done = sent(await alex.ask(REASONS))
    assert "Your safety plan is saved" in texts(done)
    assert "What matters to me" in done[-1].labels and "Done" in done[-1].labels


async def test_writing_and_editing_a_plan(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await write_plan(alex)
    plan = safetyplans.get(rig.db, 1001)
    assert plan is not None
    assert plan.warning_signs == "I stop answering messages" and plan.coping == COPING
    assert plan.places is None and plan.helpers == HELPERS and plan.reasons == REASONS
    assert plan.professionals is not None and "TelefonSeelsorge" in plan.professionals
    assert "988" not in plan.professionals  # the country's lines, not every English one

    (view,) = sent(await alex.ask("/safetyplan"))  # with a plan: the plan and its menu
    assert COPING in view.text and "Tap a part to change it" in view.text
    (question,) = sent(await alex.tap("People and places that help"))
    assert "3 of 7" in question.text and question.labels == ["Skip"]
    saved, menu = sent(await alex.ask("The library on Sundays"))
    assert saved.text == "Saved." and "The library on Sundays" in menu.text
    (question,) = sent(await alex.tap("My warning signs"))
    assert "I stop answering messages" in question.text
    assert question.labels == ["Keep this", "Clear this"]
    (menu,) = sent(await alex.tap("Clear this"))
    assert "I stop answering messages" not in menu.text
    plan = safetyplans.get(rig.db, 1001)
    assert plan is not None and plan.warning_signs is None and plan.places.startswith("The lib")
    (closed,) = sent(await alex.tap("Done"))
    assert "/safetyplan" in closed.text


async def test_the_crisis_reply_and_sos_begin_with_the_users_own_plan(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await write_plan(alex)
    (care,) = sent(await alex.ask("I want to end my life"))
    text = care.text
    order = [CARE, COPING, HELPERS, REASONS, "TelefonSeelsorge", "call 112", "findahelpline"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "I stop answering messages" not in text  # the warning signs are for calm moments
    assert "/safetyplan" not in text and care.labels == []

    (sos,) = sent(await alex.ask("/sos"))
    assert sos.text.index(COPING) < sos.text.index("TelefonSeelsorge")
    assert sos.labels == ["Try a grounding exercise", "My safety plan"]
    (view,) = sent(await alex.tap("My safety plan"))
    assert REASONS in view.text


async def test_without_a_plan_the_invitation_comes_later_never_in_the_crisis_reply(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    (care,) = sent(await alex.ask("I want to kill myself"))
    assert "safety plan" not in care.text.lower()
    note, invite = sent(await alex.tap("Stop here for now"))
    assert "kept" in note.text and "/safetyplan" in invite.text
    (sos,) = sent(await alex.ask("/sos"))
    assert "Write my safety plan" in sos.labels
    intro, first = sent(await alex.tap("Write my safety plan"))
    assert "1 of 7" in first.text


async def test_settings_offers_the_plan(rig: BotRig) -> None:
    alex = await rig.onboarded()
    (view,) = sent(await alex.ask("/settings"))
    assert "Safety plan" in view.labels
    events = sent(await alex.tap("Safety plan"))
    assert "1 of 7" in events[-1].text


async def test_crisis_words_while_writing_the_plan_are_kept_and_it_carries_on(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/safetyplan")
    (care,) = sent(await alex.ask("When I think about killing myself I go quiet"))
    assert care.labels == ["Carry on where we were", "Stop here for now"]
    events = await alex.tap("Carry on where we were")
    assert "2 of 7" in sent(events)[-1].text
    plan = safetyplans.get(rig.db, 1001)
    assert plan is not None
    assert plan.warning_signs == "When I think about killing myself I go quiet"


async def test_exported_listed_in_history_and_erased(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await write_plan(alex)
    (doc,) = [e for e in await alex.ask("/export") if e.kind == "document"]
    assert doc.document is not None
    (plan,) = json.loads(doc.document)["safety_plans"]
    assert plan["coping"] == COPING and plan["reasons"] == REASONS

    (listing,) = sent(await alex.ask("/history"))
    (label,) = [label for label in listing.labels if "Safety plan" in label]
    (entry,) = [e for e in await alex.tap(label)]
    assert COPING in entry.text and "What matters to me" in entry.text

    (explain,) = sent(await alex.ask("/delete"))
    assert "your safety plan" in explain.text
    await alex.tap("Delete everything")
    assert safetyplans.get(rig.db, 1001) is None


async def test_the_plan_is_encrypted_at_rest_with_a_key(
    server: FakeBotApi, db: Database, clock: FakeClock
) -> None:
    rig = BotRig(server, db, clock, STEADY_ENCRYPTION_KEY=Fernet.generate_key().decode())
    await rig.start()
    try:
        alex = await rig.onboarded()
        await write_plan(alex)
        with db.engine.connect() as conn:
            (coping, reasons) = conn.exec_driver_sql(
                "SELECT coping, reasons FROM safety_plans WHERE user_id = 1001"
            ).one()
        assert coping.startswith("enc:v1:") and "dog" not in coping
        assert reasons.startswith("enc:v1:") and "niece" not in reasons
        (care,) = sent(await alex.ask("I want to die"))
        assert COPING in care.text  # read back decrypted
    finally:
        await rig.stop()
        set_text_cipher(None)
