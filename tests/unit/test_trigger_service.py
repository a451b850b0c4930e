"""The trigger log's pure parts: step order, intensity change, the summary."""

from __future__ import annotations

from datetime import date

from bot.models import TriggerEntry
from bot.services import triggers
from bot.services.triggers import IntensityChange, intensity_change, next_step, summary


def entry(**fields: object) -> TriggerEntry:
    return TriggerEntry(user_id=1, local_date=date(2026, 3, 2), **fields)


def test_steps_in_order_and_resuming() -> None:
    assert next_step(None) == "situation"
    assert next_step("situation") == "emotions"
    assert next_step("body") == "person"  # who comes before the story
    assert next_step("person") == "story"
    assert next_step("intensity_after") == "context"
    assert next_step("context") is None
    assert next_step("renamed_step") == "situation"
    assert triggers.answered(entry()) == 0
    assert triggers.answered(entry(step="body")) == 4
    assert not triggers.has_answers(entry())
    assert triggers.has_answers(entry(emotions=["hurt"]))  # a toggle counts


def test_toggled_keeps_order() -> None:
    assert triggers.toggled([], "a") == ["a"]
    assert triggers.toggled(["a", "b"], "c") == ["a", "b", "c"]
    assert triggers.toggled(["a", "b", "c"], "b") == ["a", "c"]


def test_intensity_change() -> None:
    assert intensity_change(None, 4) is None
    assert intensity_change(7, None) is None
    down = intensity_change(7, 4)
    assert down == IntensityChange(7, 4) and down.delta == -3 and down.arrow == "7 → 4"
    assert "7 → 4" in down.text() and "eased by 3" in down.text()
    same = intensity_change(5, 5)
    assert same is not None and "still as strong" in same.text()
    up = intensity_change(3, 8)
    assert up is not None and up.delta == 5 and "stronger" in up.text()
    zero = intensity_change(0, 0)
    assert zero is not None and zero.arrow == "0 → 0"


def test_summary_reads_the_entry_back() -> None:
    text = summary(
        entry(
            situation="They were late again.",
            emotions=["anxious", "sad", "retired_word"],
            intensity_before=8,
            body="tight chest",
            story="I'm not important.",
            distortions=["mind_reading", "labeling"],
            evidence_for="",
            evidence_against="They texted.",
            balanced="Traffic happens.",
            action_id="pause",
            intensity_after=5,
            person="Partner",
            context="At home",
        )
    )
    assert "What happened: They were late again." in text
    assert "Felt: anxious, Sad (8/10)" in text  # an id no longer in the vocabulary is left out
    assert "Thinking traps: Mind reading, Labeling" in text
    assert "Supports it" not in text  # empty answers are left out
    assert "What I did: Paused before reacting" in text
    assert "Intensity: 8 → 5" in text


def test_summary_of_a_skipped_entry() -> None:
    text = summary(entry(intensity_before=6))
    assert "Intensity: 6/10" in text and "→" not in text
    assert "skipped every question" not in text
    assert "skipped every question" in summary(entry())


def test_summary_fits_one_message_with_huge_answers() -> None:
    long = "🌊" * 4096
    text = summary(
        entry(
            situation=long,
            body=long,
            story=long,
            evidence_for=long,
            evidence_against=long,
            balanced=long,
            action=long,
            person=long,
            context=long,
            intensity_before=9,
            intensity_after=2,
        )
    )
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    assert "Intensity: 9 → 2" in text


def test_typed_action_wins_over_the_id() -> None:
    assert triggers.action_text(entry(action_id="other", action="I wrote in my journal")) == (
        "I wrote in my journal"
    )
    assert triggers.action_text(entry(action_id="gone")) == ""
