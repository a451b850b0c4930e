"""/trigger end to end: the thought record, skipping, cancel and resume, restarts, edge cases."""

from __future__ import annotations

from bot.models import TriggerEntry
from bot.store import triggers
from tests.e2e.helpers import draft, failed_requests, only, skip_to_end
from tests.e2e.rig import BotRig, sent, texts


async def test_every_step_then_summary(rig: BotRig) -> None:
    alex = await rig.onboarded()
    replies = sent(await alex.ask("/trigger"))
    assert "camera" in texts(replies)
    assert replies[-1].labels == ["Skip"]

    (emotions,) = sent(await alex.ask("They read my message and didn't answer for 5 hours."))
    assert "What did you feel" in emotions.text
    assert "Scared" in emotions.labels and "Skip" in emotions.labels
    assert draft(rig, "trigger").situation == "They read my message and didn't answer for 5 hours."

    (family,) = await alex.tap("Scared")  # the same message now shows the finer words
    assert family.kind == "edit" and "anxious" in family.labels
    await alex.tap("anxious")
    assert draft(rig, "trigger").emotions == ["anxious"]  # saved as it is tapped
    (back,) = await alex.tap("← All families")
    assert "✓ Scared" in back.labels
    await alex.tap("Sad")
    await alex.tap("hurt")
    (scale,) = await alex.tap("Done (2 chosen)")  # in place: the choice kept above
    assert scale.kind == "edit" and "anxious" in scale.text and "hurt" in scale.text
    assert "0 (barely) to 10" in scale.text
    assert scale.labels[:11] == [str(n) for n in range(11)]

    (body,) = await alex.tap("7")
    assert body.kind == "edit" and "→ 7" in body.text and "body" in body.text
    replies = await alex.ask("Tight chest 😣")
    assert "Who was involved" in sent(replies)[-1].text  # before the story
    assert "Partner" in sent(replies)[-1].labels
    replies = await alex.tap("Partner")
    assert "What story" in replies[-1].text
    await alex.ask("They're losing interest in me.")
    entry = draft(rig, "trigger")
    assert (entry.intensity_before, entry.body, entry.story) == (
        7,
        "Tight chest 😣",
        "They're losing interest in me.",
    )
    distortions = alex.last_message()
    assert "Thinking traps" in distortions.text
    (info,) = await alex.tap("ℹ️ What are these?")
    assert "Mind reading:" in info.text and "Hide explanations" in info.labels
    await alex.tap("Mind reading")
    (toggled,) = await alex.tap("Catastrophizing")
    assert "✓ Mind reading" in toggled.labels and "Mind reading:" in toggled.text
    replies = await alex.tap("Done (2 chosen)")
    assert "facts support" in replies[-1].text
    await alex.ask("They usually answer fast.")
    await alex.ask("They said they had a long meeting today.")
    replies = await alex.ask("They're busy, not leaving.")
    assert "What did you do" in sent(replies)[-1].text
    replies = await alex.tap("Paused before reacting")
    assert "how strong is the feeling" in replies[-1].text
    replies = await alex.tap("4")
    assert "Where did it happen" in replies[-1].text
    (summary,) = sent(await alex.tap("Texting"))

    assert "Saved. Here's your entry" in summary.text
    assert "Felt: anxious, hurt (7/10)" in summary.text
    assert "Thinking traps: Mind reading, Catastrophizing" in summary.text
    assert "What I did: Paused before reacting" in summary.text
    assert "Who: Partner" in summary.text and "Where: Texting" in summary.text
    assert "Intensity: 7 → 4" in summary.text and "eased by 3" in summary.text

    done = only(rig)
    assert done.status == "completed" and done.completed_at is not None
    assert done.distortions == ["mind_reading", "catastrophizing"]
    assert (done.action_id, done.intensity_after, done.person, done.context) == (
        "pause",
        4,
        "Partner",
        "Texting",
    )
    assert done.evidence_for == "They usually answer fast."
    assert done.balanced == "They're busy, not leaving."


async def test_skipping_everything_still_completes(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    (summary,) = await skip_to_end(alex)
    assert "You skipped every question" in summary.text
    assert "→" not in summary.text  # no intensity change without both ratings
    entry = only(rig)
    assert entry.status == "completed"
    assert entry.situation is None and entry.emotions == [] and entry.intensity_before is None
    assert failed_requests(rig) == []


async def test_typed_answers_for_button_steps(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.tap("Skip")  # situation
    replies = await alex.ask("sad")  # emotions need the buttons
    assert "tap one of the buttons" in texts(replies)
    await alex.tap("Skip")  # no emotion chosen: the Done button reads Skip
    await alex.ask(" 8/10 ")  # intensity typed
    assert draft(rig, "trigger").intensity_before == 8
    await alex.tap("Skip")  # body
    await alex.ask("my boss")  # who: a name typed
    await alex.tap("Skip")  # story
    await alex.tap("None of these")
    for _ in range(3):  # evidence for/against, balanced
        await alex.tap("Skip")
    replies = await alex.tap("Something else")
    assert "Type what you did" in sent(replies)[-1].text
    await alex.ask("I went for a walk and breathed.")
    entry = draft(rig, "trigger")
    assert (entry.action_id, entry.action) == ("other", "I went for a walk and breathed.")
    await alex.ask("3")
    (summary,) = sent(await alex.ask("In the weekly meeting"))
    assert "Who: my boss" in summary.text and "Where: In the weekly meeting" in summary.text
    assert "What I did: I went for a walk and breathed." in summary.text
    assert "Intensity: 8 → 3" in summary.text

    # Next time the label typed before is offered as a button, before the defaults.
    await alex.ask("/trigger")
    for _ in range(4):  # situation, emotions, intensity, body
        await alex.tap("Skip")
    who = alex.last_message()
    assert "Who was involved" in who.text
    assert who.labels[0] == "my boss" and "Partner" in who.labels
    await alex.tap("my boss")
    assert draft(rig, "trigger").person == "my boss"


async def test_cancel_keeps_the_draft_and_trigger_resumes_it(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("We argued about the dishes.")
    await alex.tap("Angry")
    await alex.tap("frustrated")
    (note,) = sent(await alex.ask("/cancel"))
    assert "kept as a draft" in note.text and "/trigger" in note.text
    assert draft(rig, "trigger").emotions == ["frustrated"]

    (question,) = sent(await alex.ask("/trigger"))
    assert "unfinished trigger log" in question.text and "1 of 13" in question.text
    assert question.labels == ["Continue where I left off", "Start fresh"]
    replies = await alex.tap("Continue where I left off")
    picker = sent(replies)[-1]
    assert "What did you feel" in picker.text and "✓ Angry" in picker.labels
    assert "Done (1 chosen)" in picker.labels
    await alex.tap("Done (1 chosen)")
    await alex.tap("5")
    await alex.ask("/cancel")

    await alex.ask("/trigger")
    replies = await alex.tap("Start fresh")
    assert "fresh page" in texts(replies) and "camera" in texts(replies)
    with rig.db.session() as s:
        from sqlmodel import select

        statuses = sorted(e.status for e in s.exec(select(TriggerEntry)).all())
    assert statuses == ["closed", "draft"]
    assert draft(rig, "trigger").situation is None


async def test_restart_in_the_middle_loses_nothing(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("My sister didn't call back.")
    await alex.tap("Sad")
    await alex.tap("lonely")
    await rig.restart()
    replies = await alex.tap("Done (1 chosen)")  # the same message, in a new process
    assert "0 (barely) to 10" in replies[-1].text
    await alex.tap("6")
    await rig.restart()
    replies = await alex.ask("A lump in my throat")
    assert "Who was involved" in sent(replies)[-1].text
    entry = draft(rig, "trigger")
    assert (entry.situation, entry.emotions, entry.intensity_before, entry.body) == (
        "My sister didn't call back.",
        ["lonely"],
        6,
        "A lump in my throat",
    )


async def test_long_unicode_answers_are_kept_and_summary_fits(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    long_text = ("Zoë 🌊 — “quoted” नमस्ते 你好 " * 200)[:4096]
    await alex.ask(long_text)
    await alex.tap("Skip")
    await alex.tap("10")
    for _ in range(3):  # body, person, story
        await alex.ask(long_text)
    await alex.tap("None of these")
    for _ in range(3):
        await alex.ask(long_text)
    await alex.ask(long_text)  # action, typed
    await alex.tap("0")
    (summary,) = sent(await alex.ask(long_text))  # context
    assert "Saved" in summary.text and len(summary.text) <= 4096
    assert "Intensity: 10 → 0" in summary.text
    entry = only(rig)
    assert entry.situation == long_text and entry.balanced == long_text
    assert entry.person == long_text and entry.action == long_text
    assert failed_requests(rig) == []

    # The long label comes back as a (shortened) button next time, and still resolves.
    await alex.ask("/trigger")
    for _ in range(4):  # situation, emotions, intensity, body
        await alex.tap("Skip")
    who = alex.last_message()
    assert len(who.labels[0]) <= 40
    await alex.tap(who.labels[0])
    assert draft(rig, "trigger").person == long_text.strip()
    assert failed_requests(rig) == []


async def test_stickers_photos_and_voice_get_a_gentle_reprompt(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.send_sticker()
    await alex.send_photo()
    await alex.send_voice()
    replies = await alex.replies_until_idle()
    assert len(replies) == 3 and all("only read text" in r.text for r in replies)
    replies = await alex.ask("Now in words.")
    assert "What did you feel" in sent(replies)[-1].text
    assert draft(rig, "trigger").situation == "Now in words."


async def test_buttons_of_a_finished_log_have_ended(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    first_question = alex.last_message()
    await skip_to_end(alex)
    await alex.press_data("tr:skip:situation", first_question)
    assert "already ended" in texts(await alex.replies_until_idle())
    replies = await alex.ask("/cancel")
    assert "nothing open" in texts(replies).lower()


async def test_forged_ids_never_reach_another_users_entry(rig: BotRig) -> None:
    sam = await rig.onboarded(2002, "Sam")
    await sam.ask("/trigger")
    await sam.ask("Sam's private situation")
    sams = draft(rig, "trigger", 2002)
    await sam.ask("/cancel")

    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("Alex's situation")
    await alex.ask("/cancel")
    await alex.ask("/trigger")  # resume question
    await alex.press_data(f"tr:resume:{sams.id}")
    replies = await alex.replies_until_idle()
    assert "Sam's" not in texts(replies)
    assert "unfinished trigger log" in texts(replies)  # asked about Alex's own draft again
    await alex.tap("Continue where I left off")
    await alex.tap("Skip")  # emotions
    await alex.tap("Skip")  # intensity
    await alex.tap("Skip")  # body
    await alex.press_data(f"tr:who:t.{sams.id}")
    replies = await alex.replies_until_idle()
    assert "Sam" not in texts(replies)
    assert draft(rig, "trigger").person is None
    after = triggers.get(rig.db, 2002, sams.id)
    assert after is not None and after.status == "draft"
    assert after.situation == "Sam's private situation" and after.person is None


async def test_not_onboarded_is_sent_to_start(rig: BotRig) -> None:
    new = rig.user(3003, "Kim")
    (reply,) = await new.ask("/trigger")
    assert "/start" in reply.text
