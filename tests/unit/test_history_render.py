"""History entries as text: labels, every answer verbatim, splitting under 4096."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.models import CheckIn, Commitment, RepairPlan, TriggerEntry
from bot.services.history import split_message
from tests.records import detail, label

DAY = date(2026, 3, 2)


def test_checkin_detail_shows_every_answer() -> None:
    morning = CheckIn(
        id=1, user_id=1, kind="morning", local_date=DAY, status="completed",
        emotions=["anxious", "calm", "gone_word"], intensity=6, need="A slow  evening\nand tea",
    )  # fmt: skip
    commitment = Commitment(
        user_id=1, local_date=DAY, text=None, suggestion_id="i_feel", outcome="partly"
    )
    assert detail(morning, [commitment]) == (
        "Morning check-in · Mon 2 Mar 2026\n\n"
        "Feelings: anxious, calm, gone_word\n\n"
        "Intensity: 6/10\n\n"
        "What I need today:\nA slow  evening\nand tea\n\n"
        "My commitment:\nSay one “I feel…” sentence — Partly"
    )
    evening = CheckIn(
        id=2, user_id=1, kind="evening", local_date=DAY, status="closed",
        interactions="mixed", triggered="yes", repair="attempted", commitment_kept="no",
        lesson="I said how I felt.",
    )  # fmt: skip
    text = detail(evening)
    assert text.startswith("Evening check-in · Mon 2 Mar 2026 (unfinished)\n\n")
    assert "How the day's interactions went: Mixed" in text
    assert "Anything triggering: Yes" in text and "Repair: Attempted" in text
    assert "Kept this morning's commitment: Not this time" in text
    assert text.endswith("A lesson, or something I'm proud of:\nI said how I felt.")


def test_trigger_and_repair_detail() -> None:
    entry = TriggerEntry(
        id=3, user_id=1, local_date=DAY, status="completed", situation="No reply for 5 hours.",
        emotions=["rejected"], intensity_before=8, story="They don't care.",
        distortions=["mind_reading"], balanced="They were in a meeting.", action_id="pause",
        action="Went for a walk", intensity_after=3, person="partner", context="At the gym",
    )  # fmt: skip
    text = detail(entry)
    for line in (
        "Who: Partner",
        "Where: At the gym",
        "What happened (what a camera would have seen):\nNo reply for 5 hours.",
        "Thinking traps: Mind reading",
        "What I chose to do:\nPaused before reacting — Went for a walk",
        "Intensity afterwards: 3/10",
    ):
        assert line in text
    plan = RepairPlan(
        id=4, user_id=1, local_date=DAY, status="completed", person="Sam",
        next_step="Text before I'm late", followup_outcome="badly", followup_note="Tense.",
    )  # fmt: skip
    text = detail(plan)
    assert text.startswith("Repair plan · Mon 2 Mar 2026\n\nWho: Sam\n\n")
    assert "Follow-up: It went badly\n\nHow it went:\nTense." in text
    assert label(plan) == "Mon 2 Mar · Repair plan · Sam"
    long_name = TriggerEntry(id=5, user_id=1, local_date=DAY, status="draft", person="x" * 80)
    assert label(long_name) == f"Mon 2 Mar · Trigger log · {'x' * 23}… (unfinished)"


def test_split_keeps_everything_and_prefers_paragraphs() -> None:
    parts = ["a" * 3000, "b" * 3000, "c" * 100]
    assert split_message("\n\n".join(parts)) == ["a" * 3000, "b" * 3000 + "\n\n" + "c" * 100]
    huge = "x" * 10_000
    assert split_message(huge) == ["x" * 4096, "x" * 4096, "x" * 1808]


@given(st.text(alphabet="ab \n", max_size=400), st.integers(min_value=5, max_value=60))
def test_split_pieces_fit_and_lose_nothing(text: str, limit: int) -> None:
    pieces = split_message(text, limit)
    assert all(len(p) <= limit for p in pieces)
    if text.strip():
        assert all(p.strip() for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())
