"""The "I" form built from the blaming sentence's own words (issue 24): the situation carried
over, the blame words gone, only what the words do not say left blank."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.coach import coach_reply, find_blame

BLANK = "<feeling>"

# (what the user wrote, the "I" form offered)
SENTENCES = [
    (
        "You always ignore me when your friends are around",
        "I feel <feeling> when your friends are around and you ignore me, and I need <need>.",
    ),
    (
        "You never listen to me when I talk about work",
        "I feel <feeling> when I talk about work and you don't listen to me, and I need <need>.",
    ),
    (
        "You're always on your phone at dinner",
        "I feel <feeling> when you're on your phone at dinner, and I need <need>.",
    ),
    (
        "You never came to my recital",
        "I feel <feeling> when you haven't come to my recital, and I need <need>.",
    ),
    (
        "You’re so selfish when we go out with your family",  # a curly apostrophe
        "I feel <feeling> when we go out with your family, and I need <need>.",
    ),
    (
        "You make me feel small when you correct me in front of others",
        "I feel small when you correct me in front of others, and I need <need>.",
    ),
    (
        "You make me so anxious every time you go quiet",
        "I feel anxious when you go quiet, and I need <need>.",
    ),
    (
        "It's your fault we were late to the party",
        "I feel <feeling> when we were late to the party, and I need <need>.",
    ),
    (
        "You don't care about me when you're with your mates",
        "I feel <feeling> when you're with your mates, and I need <need>.",
    ),
    (
        "You ruined my birthday when you left early",
        "I feel <feeling> when you left early, and I need <need>.",
    ),
    ("Why do you always ignore me?", "I feel <feeling> when you ignore me, and I need <need>."),
    ("Why are you always late?", "I feel <feeling> when you're late, and I need <need>."),
    (
        "I feel hurt because you always cancel plans at the last minute",
        "I feel hurt when you cancel plans at the last minute, and I need <need>.",
    ),
    (
        "You never help with the dishes and I need you to share the chores",
        "I feel <feeling> when you don't help with the dishes, and I need you to share the chores.",
    ),
    (
        "Honestly, you always interrupt me while I'm talking",
        "I feel <feeling> when you interrupt me while I'm talking, and I need <need>.",
    ),
    (
        "What's wrong with you? You never text back after we argue",
        "I feel <feeling> when you don't text back after we argue, and I need <need>.",
    ),
    (
        "You are never home before nine",
        "I feel <feeling> when you are not home before nine, and I need <need>.",
    ),
    (
        "u always forget our anniversary",
        "I feel <feeling> when you forget our anniversary, and I need <need>.",
    ),
    ("I'm late again because of you", "I feel <feeling> when I'm late again, and I need <need>."),
    (
        "You're such a child when you don't get your way",
        "I feel <feeling> when you don't get your way, and I need <need>.",
    ),
    (
        "You always leave before I wake up, and I feel lonely",
        "I feel lonely when you leave before I wake up, and I need <need>.",
    ),
    (
        "Mum, you never ask how my day was.",
        "I feel <feeling> when you don't ask how my day was, and I need <need>.",
    ),
    (
        "You always say you will call and you never do",
        "I feel <feeling> when you say you will call and you don't, and I need <need>.",
    ),
]

#: Words that only blame: none may survive into the "I" form.
BLAME_WORDS = re.compile(
    r"\b(?:always|never|so selfish|such a child|fault|ruin\w*|wrong with you|because of you)\b",
    re.I,
)


def offered(text: str) -> str:
    reply = coach_reply(text)
    assert reply is not None, text
    (line,) = [line for line in reply.split("\n") if line.startswith("I feel ")]
    return line


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_the_i_form_is_built_from_their_words(text: str, expected: str) -> None:
    line = offered(text)
    assert line == expected
    assert find_blame(line) == [] and not BLAME_WORDS.search(line)


def test_the_set_covers_every_blaming_form() -> None:
    kinds = {hit.kind for text, _ in SENTENCES for hit in find_blame(text)}
    assert kinds == {
        "always",
        "never",
        "so",
        "fault",
        "make_me",
        "dont_care",
        "ruin",
        "because_of_you",
        "whats_wrong",
    }


def test_the_situation_is_carried_over_word_for_word() -> None:
    line = offered("You always ignore me when your friends are around")
    assert "your friends are around" in line and "you ignore me" in line


def test_only_what_the_words_do_not_say_stays_blank() -> None:
    assert offered("You're so lazy") == "I feel <feeling> when <situation>, and I need <need>."
    assert offered("you make me angry") == "I feel angry when <situation>, and I need <need>."
    assert offered("You make me cry") == "I feel <feeling> when <situation>, and I need <need>."
    assert offered("you make me feel like I'm nothing").startswith(f"I feel {BLANK} ")  # a thought


def test_earlier_answers_fill_only_what_the_sentence_leaves_open() -> None:
    reply = coach_reply("You're so cold", feeling="hurt", situation="we argued", need="a hug")
    assert reply is not None and "I feel hurt when we argued, and I need a hug." in reply
    reply = coach_reply("You always walk off", situation="we argued")
    assert reply is not None and "I feel <feeling> when you walk off, and" in reply


def test_the_reply_says_it_is_a_draft_to_change() -> None:
    reply = coach_reply("You always ignore me when your friends are around") or ""
    assert "a draft for you to change" in reply
    assert "what only you know" in reply  # blanks are explained
    full = coach_reply("You make me feel small when you correct me. I need a pause.") or ""
    assert "a draft for you to change" in full


@settings(max_examples=200, deadline=None)
@given(
    st.text(), st.sampled_from(["you always", "you never", "you're so", "you make me"]), st.text()
)
def test_the_offered_form_never_blames_and_never_raises(before: str, form: str, after: str) -> None:
    reply = coach_reply(f"{before} {form} {after}")
    if reply is not None:
        (line,) = [line for line in reply.split("\n") if line.startswith("I feel ")][:1]
        assert not [h for h in find_blame(line) if h.kind in ("always", "never", "so", "make_me")]
