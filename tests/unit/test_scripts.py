"""Repair-script templates and the personalised repair script."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.scripts import (
    RepairPlanText,
    render_repair_script,
    render_template,
    template,
    templates,
)
from bot.services.vocab import is_valid_id

IDS = ["repair", "istatement", "support", "apology", "headsup", "followup"]

FULL = RepairPlanText(
    person="Anna",
    what_happened="I changed our plans at the last minute.",
    impact="you felt let down",
    my_part="I didn't tell you early",
    feel_need="I feel anxious when we drift apart, and I need us to talk",
    step="I'll text you by noon if plans change",
    question="what would help you trust me again",
)


def test_template_ids() -> None:
    ids = [item.id for item in templates()]
    assert ids == IDS
    assert len(set(ids)) == len(ids)
    assert all(is_valid_id(i) for i in ids)


@pytest.mark.parametrize("template_id", IDS)
def test_render_template(template_id: str) -> None:
    item = template(template_id)
    text = render_template(template_id)
    assert text.startswith(item.title)
    assert item.template in text
    assert item.example in text
    assert "<" in item.template  # blanks
    assert "<" not in item.example  # filled
    assert "**" not in text and "<b>" not in text


def test_repair_template_follows_the_structure() -> None:
    text = template("repair").template
    assert text.index("I can see") < text.index("understand") < text.index("next time")
    assert text.rstrip().endswith("What would help you feel more secure?")
    assert "did the repair happen?" in render_template("followup").lower()


def test_unknown_template() -> None:
    with pytest.raises(KeyError):
        template("nope")
    with pytest.raises(KeyError):
        render_template("")


def test_full_plan_uses_the_users_words_in_order() -> None:
    text = render_repair_script(FULL)
    assert text.splitlines()[0] == "Your repair script for Anna"
    parts = [
        "I changed our plans at the last minute",
        "you felt let down",
        "I didn't tell you early",
        "understand",
        "I feel anxious when we drift apart, and I need us to talk.",
        "I'll text you by noon if plans change",
        "What would help you trust me again?",
    ]
    positions = [text.index(p) for p in parts]
    assert positions == sorted(positions)
    assert "<" not in text
    assert "more secure" not in text  # their own question replaces the default


def test_empty_plan_shows_blanks_and_the_default_question() -> None:
    text = render_repair_script(RepairPlanText())
    assert text.splitlines()[0] == "Your repair script"
    for blank in ("<what happened>", "<one concrete step>", "<feeling>", "<need>"):
        assert blank in text
    assert "What would help you feel more secure?" in text


def test_partial_plan_never_invents() -> None:
    plan = RepairPlanText(person="partner", step="take a ten-minute break", impact="  ")
    text = render_repair_script(plan)
    assert text.splitlines()[0] == "Your repair script for your partner"
    assert "take a ten-minute break" in text
    assert "<how it affected them>" in text
    assert "<what happened>" in text


def test_feel_need_without_i_is_framed() -> None:
    text = render_repair_script(RepairPlanText(feel_need="scared and small"))
    assert "How it was for me: scared and small." in text
    text = render_repair_script(RepairPlanText(feel_need="i feel scared"))
    assert "I feel scared." in text


def test_every_field_is_used() -> None:
    text = render_repair_script(FULL)
    for field in dataclasses.fields(RepairPlanText):
        value = getattr(FULL, field.name)
        assert value.rstrip(".")[1:] in text, field.name


LONG_TEXT = st.tuples(st.text(min_size=1, max_size=80), st.integers(4096, 9000)).map(
    lambda p: (p[0] * (p[1] // len(p[0]) + 1))[: p[1]]
)
FIELD = st.none() | st.text() | LONG_TEXT


@settings(max_examples=150, deadline=None)
@given(
    st.builds(
        RepairPlanText,
        person=FIELD,
        what_happened=FIELD,
        impact=FIELD,
        my_part=FIELD,
        feel_need=FIELD,
        step=FIELD,
        question=FIELD,
    )
)
def test_render_never_raises(plan: RepairPlanText) -> None:
    text = render_repair_script(plan)
    assert text.startswith("Your repair script")


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="{}<>%$", max_size=20))
def test_braces_in_user_text_are_kept_as_text(value: str) -> None:
    text = render_repair_script(RepairPlanText(what_happened="x" + value))
    assert "x" in text
