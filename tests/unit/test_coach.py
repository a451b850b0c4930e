"""The "I"-statement coach: blame spotting, the I-form, the reply."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.coach import clean_part, coach_reply, find_blame, suggest_i_statement

HITS = [
    ("You always mess up our plans", "always", "You always"),
    ("you never listen", "never", "you never"),
    ("You\u2019re so selfish", "so", "You\u2019re so"),
    ("you are so dramatic", "so", "you are so"),
    ("youre such a child", "so", "youre such a"),
    ("It's your fault", "fault", "It's your fault"),
    ("it\u2019s all your fault we were late", "fault", "it\u2019s all your fault"),
    ("You make me feel small", "make_me", "You make me"),
    ("you made me do it", "make_me", "you made me"),
    ("You don't care about me", "dont_care", "You don't care"),
    ("you dont even care", "dont_care", "you dont even care"),
    ("you ruin everything", "ruin", "you ruin"),
    ("You ruined my birthday", "ruin", "You ruined"),
    ("I'm late because of you", "because_of_you", "because of you"),
    ("What\u2019s wrong with you?", "whats_wrong", "What\u2019s wrong with you"),
    ("WHAT IS WRONG WITH YOU", "whats_wrong", "WHAT IS WRONG WITH YOU"),
    ("\u201cYou always\u201d, she said", "always", "You always"),
    ("you\n  always forget", "always", "you\n  always"),
]

NON_HITS = [
    "I feel unsettled when plans change at the last minute",
    "You are so kind",
    "you're so right about that",
    "you're such a good friend",
    "You make me happy",
    "you make me feel safe",
    "you make me laugh",
    "It's not your fault",
    "I always forget my keys",
    "",
    "yours always, Sam",
    "I never said that",
    "I'm so happy because of you",
    "youalways",
    "bayou always floods",
]


@pytest.mark.parametrize(("text", "kind", "phrase"), HITS)
def test_hits(text: str, kind: str, phrase: str) -> None:
    hits = find_blame(text)
    assert [h.kind for h in hits] == [kind]
    hit = hits[0]
    assert hit.phrase == phrase
    assert text[hit.start : hit.end] == phrase
    assert hit.note


@pytest.mark.parametrize("text", NON_HITS)
def test_non_hits(text: str) -> None:
    assert find_blame(text) == []
    assert coach_reply(text) is None


def test_several_hits_in_order_without_overlap() -> None:
    text = "You always ruin it and you never call. It's your fault."
    hits = find_blame(text)
    assert [h.kind for h in hits] == ["always", "never", "fault"]
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))
    # The longer form wins where two overlap.
    assert [h.kind for h in find_blame("you never cared")] == ["dont_care"]


def test_none_and_empty() -> None:
    assert find_blame(None) == []
    assert find_blame("") == []
    assert coach_reply(None) is None


@pytest.mark.parametrize(
    ("feeling", "situation", "need", "expected"),
    [
        (
            "unsettled",
            "plans change at the last minute",
            "a heads-up",
            "I feel unsettled when plans change at the last minute, and I need a heads-up.",
        ),
        (
            "Anxious.",
            "When You don't reply for hours!",
            "I need reassurance.",
            "I feel anxious when you don't reply for hours, and I need reassurance.",
        ),
        (
            "I feel hurt",
            "Mark cancels at the last minute",
            None,
            "I feel hurt when Mark cancels at the last minute, and I need <need>.",
        ),
        (None, None, None, "I feel <feeling> when <situation>, and I need <need>."),
        (
            "  ",
            "\u201cwe argue about money\u201d",
            "",
            "I feel <feeling> when we argue about money, and I need <need>.",
        ),
        (
            "SCARED",
            "I'm alone",
            "NASA to call",
            "I feel SCARED when I'm alone, and I need NASA to call.",
        ),
    ],
)
def test_suggest_i_statement(
    feeling: str | None, situation: str | None, need: str | None, expected: str
) -> None:
    assert suggest_i_statement(feeling, situation, need) == expected


def test_suggest_keeps_the_users_words_only() -> None:
    out = suggest_i_statement("lonely", "you go out", "a text")
    for word in ("lonely", "you go out", "a text"):
        assert word in out
    assert "<" not in out


def test_clean_part() -> None:
    assert clean_part(None) == ""
    assert clean_part(" ...!? ") == ""
    assert clean_part("The dishes.") == "the dishes"
    assert clean_part("Anna left early") == "Anna left early"
    assert clean_part("iPhone stuff") == "iPhone stuff"


def test_coach_reply_names_the_phrases_and_offers_the_i_form() -> None:
    reply = coach_reply("You always forget. You ALWAYS do. you never call", feeling="hurt")
    assert reply is not None
    assert "\u201cYou always\u201d" in reply
    assert "You ALWAYS" not in reply  # same phrase, named once
    assert "\u201cyou never\u201d" in reply
    assert "I feel hurt when you forget, and I need <need>." in reply
    assert "never" in reply.lower()


def test_coach_reply_is_gentle() -> None:
    reply = coach_reply("what's wrong with you") or ""
    lowered = reply.lower()
    for harsh in ("wrong of you", "you should", "bad", "stop", "don't say"):
        assert harsh not in lowered


LONG_TEXT = st.tuples(st.text(min_size=1, max_size=80), st.integers(4096, 25_000)).map(
    lambda p: (p[0] * (p[1] // len(p[0]) + 1))[: p[1]]
)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_find_blame_never_raises(text: str) -> None:
    for hit in find_blame(text):
        assert text[hit.start : hit.end] == hit.phrase


@settings(max_examples=30, deadline=None)
@given(LONG_TEXT)
def test_long_text_never_raises(text: str) -> None:
    find_blame(text)
    coach_reply(text)


@settings(max_examples=200, deadline=None)
@given(st.none() | st.text(), st.none() | st.text(), st.none() | st.text())
def test_suggest_never_raises(a: str | None, b: str | None, c: str | None) -> None:
    out = suggest_i_statement(a, b, c)
    assert out.startswith("I feel ")


@settings(max_examples=100, deadline=None)
@given(st.text(), st.text())
def test_coach_reply_never_raises(prefix: str, suffix: str) -> None:
    reply = coach_reply(prefix + " you always " + suffix)
    assert reply is None or "I feel" in reply
