"""The guided conversations besides onboarding and the morning check-in, as bench flows.

Each is answered in full, typing where the conversation takes text, by users who finished
onboarding (Berlin, default times). Every step says how the bot really answers it
(tests/e2e/test_bench_flows.py drives each definition through the bot and checks): a typed
answer gets the next question as a new message; a button turns its own message into the next
question (``via="edit"``: bot/engine/inplace.py for the check-ins, bot/engine/guided.py for the
thought record, the repair plan and /noticed), as do a feeling family, a ticked word or
thinking trap; the last button of a conversation gets its ending as a new message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bench.flows import Flow, seed_onboarded, send, tap
from bot.content import t
from bot.services import vocab
from bot.store import practice
from bot.store.db import Database


def _start(text: str) -> str:
    """The first words of a catalogue text, enough to recognise it."""
    return text.split(".", 1)[0].split("{", 1)[0].strip()


def evening_checkin() -> Flow:
    """/checkin evening: mixed, a note, something triggering, a repair tried, the morning's
    commitment partly kept, a lesson; the summary, then the offer to log the trigger."""
    steps = (
        send("/checkin evening"),
        tap(vocab.option("interactions", "mixed").label, via="edit"),  # -> the note
        send("Lunch with Sam was tense"),  # -> was anything triggering (new message)
        tap(t("common.yes"), via="edit"),  # -> a repair
        tap(t("checkin.repair_attempted"), via="edit"),  # -> the commitment
        tap(t("checkin.kept_partly"), via="edit"),  # -> the lesson
        send("I paused before answering", replies=2),  # the summary, the offer to log it
    )
    return Flow("evening check-in", steps, _start(t("checkin.log_trigger_offer")), seed_onboarded)


def thought_record() -> Flow:
    """/trigger: every question answered, one feeling, one thinking trap."""
    family = vocab.emotion_family("scared")
    word = next(w for w in family.words if w.id == "anxious")
    done_one = t("flow.done_count", count=1)
    steps = (
        send("/trigger", replies=2),  # the intro, the situation
        send("They read my message and didn't answer for 5 hours."),  # -> the wheel
        tap(family.label, via="edit"),  # the family's words
        tap(word.label, via="edit"),  # ticked
        tap(done_one, via="edit"),  # -> intensity
        tap("7", via="edit"),  # -> body
        send("Tight chest"),  # -> who
        tap(vocab.option("people", "partner").label, via="edit"),  # -> the story
        send("They're losing interest in me."),  # -> thinking traps
        tap(vocab.distortion("mind_reading").label, via="edit"),  # ticked
        tap(done_one, via="edit"),  # -> evidence for
        send("They usually answer fast."),
        send("They said they had a long meeting today."),
        send("They're busy, not leaving."),  # -> what I did
        tap(vocab.option("actions", "pause").label, via="edit"),  # -> intensity after
        tap("4", via="edit"),  # -> where
        tap(vocab.option("contexts", "texting").label),  # the summary
    )
    return Flow("thought record", steps, t("trigger.summary_heading"), seed_onboarded)


def repair_plan() -> Flow:
    """/repair: with the partner, every question typed, tomorrow; the script and the offer
    of a follow-up."""
    steps = (
        send("/repair", replies=2),  # the intro, who
        tap(vocab.option("people", "partner").label, via="edit"),  # -> what happened
        send("I changed our plans at the last minute."),
        send("you felt let down"),
        send("I didn't tell you early"),
        send("I feel anxious when we drift apart, and I need us to talk"),
        send("I'll text you by noon if plans change"),
        send("What would help you trust me again?"),  # -> when
        tap(t("repair.when_tomorrow"), replies=2),  # the script, the follow-up offer
    )
    return Flow("repair plan", steps, _start(t("repair.offer_followup")), seed_onboarded)


def noticed_moment() -> Flow:
    """/noticed: the partner, then the three questions typed; the moment read back."""
    steps = (
        send("/noticed", replies=2),  # the intro, who
        tap(vocab.option("people", "partner").label, via="edit"),  # -> the old fear
        send("That they'd be cold and leave"),
        send("They hugged me and asked what was wrong"),
        send("That I can be safe with them"),  # the moment read back
    )
    return Flow("noticed", steps, _start(t("noticed.saved_heading")), seed_onboarded)


def safety_plan() -> Flow:
    """/safetyplan, written from scratch: six parts typed, the professionals pre-filled for
    Berlin kept; the plan saved and its menu."""
    steps = (
        send("/safetyplan", replies=2),  # the intro, part 1
        send("I stop answering messages"),
        send("Walk the dog round the block"),
        send("The library on Sundays"),
        send("Sam, 0151 234 567"),  # -> the professionals, pre-filled
        tap(t("safetyplan.keep"), via="edit"),  # -> part 6, in place
        send("Put the pills in the neighbour's flat"),
        send("My niece, and seeing the sea again"),  # saved, with the menu
    )
    return Flow("safety plan", steps, _start(t("safetyplan.all_done")), seed_onboarded)


RUNG = "Tell Sam one small feeling from my day"


def seed_with_a_rung(db: Database, user_ids: Sequence[int], now: datetime) -> None:
    """Onboarded users, each with one rung on their closeness ladder (expected 3/10)."""
    seed_onboarded(db, user_ids, now)
    for user_id in user_ids:
        rung = practice.RUNGS.create(db, user_id, now.date(), now)
        assert rung.id is not None
        practice.RUNGS.update(
            db, user_id, rung.id, now, text=RUNG, expected=3, step="expected", status="completed"
        )


def practice_rung() -> Flow:
    """/practice → Build my ladder: an area, a starter rung, the distress expected."""
    steps = (
        send("/practice"),  # the menu
        tap(t("practice.menu_build"), replies=2),  # the intro, the areas
        tap(t("ladder.area_sharing"), via="edit"),  # -> the starters
        tap(t("ladder.starter_sharing_1"), via="edit"),  # -> the distress expected
        tap("3"),  # added, with what to do next
    )
    return Flow("practice: a rung", steps, _start(t("ladder.added")), seed_onboarded)


def practice_log() -> Flow:
    """/practice → Log a practice on the user's rung: with the partner, 4 → 7 → 3, four
    answers typed, the lesson; then stay on this rung and the practice read back."""
    steps = (
        send("/practice"),  # the menu
        tap(t("practice.menu_log"), replies=2),  # the intro, which rung
        tap(RUNG, via="edit"),  # -> with whom
        tap(vocab.option("people", "partner").label, via="edit"),  # -> distress before
        tap("4", via="edit"),  # -> at its peak
        tap("7", via="edit"),  # -> afterwards
        tap("3", via="edit"),  # -> the body
        send("Warm face, fast heart"),
        send("They listened and nodded"),
        send("That they'd change the subject"),
        send("They asked me a question back"),
        send("Saying it early in the evening is easier"),  # -> the pacing, stay or step up
        tap(t("practice.decide_stay")),  # the practice read back
    )
    return Flow("practice: a log", steps, _start(t("practice.saved_heading")), seed_with_a_rung)


FLOWS: dict[str, Callable[[], Flow | None]] = {
    "evening": evening_checkin,
    "trigger": thought_record,
    "repair": repair_plan,
    "noticed": noticed_moment,
    "safetyplan": safety_plan,
    "practice_rung": practice_rung,
    "practice_log": practice_log,
}
