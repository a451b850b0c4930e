"""The repair plan's pure parts: steps, the script from a plan, the follow-up question."""

from __future__ import annotations

from datetime import date

from bot.models import RepairPlan
from bot.services import repairs


def plan(**fields: object) -> RepairPlan:
    return RepairPlan(user_id=1, local_date=date(2026, 3, 2), **fields)


def test_steps() -> None:
    assert repairs.next_step(None) == "person"
    assert repairs.next_step("question") == "when"
    assert repairs.next_step("when") is None
    assert repairs.answered(plan(step="impact")) == 3
    assert repairs.has_answers(plan(feel_need="x"))  # typed, coach still talking
    assert not repairs.has_answers(plan())


def test_script_uses_my_words_and_blanks() -> None:
    text = repairs.script(plan(person="Anna", what_happened="I was late", next_step=None))
    assert "Your repair script for Anna" in text
    assert "I was late" in text and "<one concrete step>" in text


def test_coach_note_only_for_blame() -> None:
    assert repairs.coach_note(plan(), "I feel sad when we argue, and I need a pause") is None
    note = repairs.coach_note(plan(what_happened="we argued"), "You always shout")
    assert note is not None and "I feel <feeling> when you shout, and I need <need>." in note
    # A sentence that names no situation borrows "what happened", its blame left out too.
    note = repairs.coach_note(plan(what_happened="we argued"), "You're so selfish")
    assert note is not None and "I feel <feeling> when we argued, and I need <need>." in note
    note = repairs.coach_note(plan(what_happened="You never listen"), "You're so selfish")
    assert note is not None and "when you don't listen, and" in note


def test_with_whom() -> None:
    assert repairs.with_whom(None) == ""
    assert repairs.with_whom("partner") == " with your partner"
    assert repairs.with_whom("Mother") == " with your mother"
    assert repairs.with_whom("Anna") == " with Anna"
