"""Crisis language detection and the crisis message."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.crisis import (
    MAX_SCAN,
    crisis_message,
    detect_crisis,
    find_crisis,
    helplines,
    normalise,
    parse_language_code,
    sos_message,
)

POSITIVES = [
    # English
    ("I want to die", "suicide"),
    ("honestly i just wanna die", "suicide"),
    ("I'm going to kill myself", "suicide"),
    ("I keep thinking about killing myself", "suicide"),
    ("I want to end my life", "suicide"),
    ("I've been feeling suicidal", "suicide"),
    ("thinking about suicide again", "suicide"),
    ("I don\u2019t want to be alive anymore", "suicide"),
    ("i dont want to be here anymore", "suicide"),
    ("everyone would be better off without me", "suicide"),
    ("There is no reason to live", "suicide"),
    ("That nobody would care if I killed myself", "suicide"),
    ("would anyone even notice if I died", "suicide"),
    ("I WANT TO DIE", "suicide"),
    ("I  want\n to   die", "suicide"),
    ("I want to hurt myself", "self_harm"),
    ("I self-harm when it gets bad", "self_harm"),
    ("self harm urges tonight", "self_harm"),
    ("I started cutting myself again", "self_harm"),
    ("I thought about an overdose", "self_harm"),
    ("He is going to hurt me", "danger"),
    ("he\u2019s going to hurt me when he gets home", "danger"),
    ("I'm not safe", "danger"),
    ("I\u2019m not safe here", "danger"),
    ("he hit me last night", "danger"),
    ("my husband hit me", "danger"),
    ("he keeps threatening to kill me", "danger"),
    ("they'll kill me if I leave", "danger"),
    ("I am in danger", "danger"),
    # German
    ("Ich will sterben", "suicide"),
    ("ich will mich umbringen", "suicide"),
    ("ich habe Selbstmordgedanken", "suicide"),
    ("Ich möchte nicht mehr leben", "suicide"),
    ("ich ritze mich wieder", "self_harm"),
    ("Er schlägt mich", "danger"),
    ("ich bin nicht in Sicherheit", "danger"),
    # Spanish
    ("Quiero morir", "suicide"),
    ("me voy a matar", "suicide"),
    ("pienso en el suicidio", "suicide"),
    ("ya no quiero vivir", "suicide"),
    ("quiero hacerme daño", "self_harm"),
    ("Él me pegó otra vez", "danger"),
    ("no estoy a salvo", "danger"),
    # French
    ("je veux mourir", "suicide"),
    ("j'ai envie de me suicider", "suicide"),
    ("je ne veux plus vivre", "suicide"),
    ("je veux me faire du mal", "self_harm"),
    ("il m\u2019a frappée hier", "danger"),
    ("je ne suis pas en sécurité", "danger"),
    # Portuguese
    ("quero morrer", "suicide"),
    ("vou me matar", "suicide"),
    ("Não quero mais viver", "suicide"),
    ("tenho vontade de me cortar", "self_harm"),
    ("ele me bate", "danger"),
    ("estou em perigo", "danger"),
    # Russian
    ("Я хочу умереть", "suicide"),
    ("думаю покончить с собой", "suicide"),
    ("мысли о суициде", "suicide"),
    ("хочу причинить себе вред", "self_harm"),
    ("муж меня бьёт", "danger"),
    ("я в опасности", "danger"),
]

NEGATIVES = [
    "I'm killing it at work",
    "this deadline is killing me",
    "I could die of embarrassment",
    "I wanted to die of embarrassment",
    "I'm dying to see you",
    "that cake is to die for",
    "just trying to kill time",
    "we watched Suicide Squad",
    "that would be career suicide",
    "I'm dead tired",
    "I was killing myself laughing",
    "he hit me up yesterday to ask about dinner",
    "I don't want to die alone",
    "I overdosed on coffee today",
    "I cut myself shaving",
    "I'm in danger of losing my temper",
    "I feel anxious when you don't reply",
    "I felt hurt when he cancelled our plans",
    "Ich bin nicht sicher, ob ich das kann",  # "I'm not sure"
    "No estoy seguro de eso",  # "I'm not sure"
    "me voy a matar de risa",
    "me matar de rir",
    "mejor me corto el pelo",
    "Selbstverständlich, ich bin dabei",
    "",
]


@pytest.mark.parametrize(("text", "category"), POSITIVES)
def test_positives(text: str, category: str) -> None:
    found = find_crisis(text)
    assert found is not None, text
    assert found.category == category
    assert detect_crisis(text)


#: Negatives the patterns guard but the learned model still alarms on: a kind message where
#: none was needed, the cheap side of the trade. None since round 6: the model reads a text
#: with the idioms the guards know masked (``crisis.model_text``), so "I don't want to die
#: alone" is no longer scored next to "I don't want to die".
MODEL_ALARMS: set[str] = set()


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives(text: str) -> None:
    assert find_crisis(text) is None, text
    assert detect_crisis(text) == (text in MODEL_ALARMS)


def test_none_and_empty() -> None:
    assert not detect_crisis(None)
    assert not detect_crisis("")
    assert not detect_crisis("   \n\t ")


def test_word_boundaries() -> None:
    # "overdose*" is a word prefix on purpose: "overdosed" counts unless it is about a treat.
    assert detect_crisis("I overdosed last year")
    assert not detect_crisis("skill myselfish")  # "kill myself" inside other words
    # Patterns need word boundaries; the model reads "iwanttodie" as what it says (round 7),
    # which is the care a person who typed it should get.
    assert find_crisis("iwanttodie") is None


def test_negative_does_not_hide_a_later_positive() -> None:
    assert detect_crisis("I could die of embarrassment. Honestly I want to die.")
    assert detect_crisis("Suicide Squad was fine but I keep thinking about suicide")


def test_normalise() -> None:
    assert normalise("  I\u2019M   \u201cNOT\u201d\tsafe ") == 'i\'m "not" safe'
    assert normalise("ＦＵＬＬ") == "full"
    assert normalise("Straße") == "strasse"
    assert normalise("ça") == "ca"
    assert normalise("x" * (MAX_SCAN * 2)) == "x" * MAX_SCAN


def test_scans_only_the_first_characters() -> None:
    assert detect_crisis("I want to die " + "x " * 100)
    assert not detect_crisis("x" * MAX_SCAN + " I want to die")


def test_parse_language_code() -> None:
    assert parse_language_code("pt-br") == ("pt", "BR")
    assert parse_language_code("en_GB") == ("en", "GB")
    assert parse_language_code("de") == ("de", None)
    assert parse_language_code(None) == (None, None)
    assert parse_language_code("") == (None, None)
    assert parse_language_code("😀-!!") == (None, None)


def test_helplines_order() -> None:
    assert helplines("en-GB")[0].countries[0] == "GB"
    assert helplines("en")[0].countries == ("US",)
    assert [h.countries[0] for h in helplines("de")] == ["DE"]
    assert helplines("fr")[0].countries == ("FR",)
    assert "CA" in [h.countries[0] for h in helplines("fr")]
    assert helplines("pt-br")[0].countries == ("BR",)
    assert helplines("es")[0].countries == ("ES",)
    assert helplines("ru") == []
    assert helplines(None) == []


@pytest.mark.parametrize("code", [None, "", "en", "en-US", "de", "fr", "es", "pt-br", "ru", "xx"])
def test_crisis_message_always_has_directory_and_emergency(code: str | None) -> None:
    for message in (crisis_message(code), sos_message(code)):
        assert "https://findahelpline.com" in message
        for number in ("112", "911", "999", "000"):
            assert number in message
        assert "not a crisis service" in message
        assert not re.search(r"<[a-z/]|\*\*|__|\[.+\]\(", message)  # no HTML, no Markdown


def test_crisis_message_picks_the_users_lines() -> None:
    de = crisis_message("de")
    assert "0800 111 0 111" in de
    assert "988" not in de
    us = crisis_message("en-US")
    assert us.index("988") < us.index("116 123")
    gb = crisis_message("en-gb")
    assert gb.index("116 123") < gb.index("988")
    assert "188" in crisis_message("pt-BR")
    assert "3114" in crisis_message("fr")
    assert "024" in crisis_message("es")
    assert "13 11 14" in crisis_message("en-AU")
    assert "14416" in crisis_message("en-IN")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    assert isinstance(detect_crisis(text), bool)


# Long texts (4096+ characters, past Telegram's limit and past MAX_SCAN) built from any Unicode.
LONG_TEXT = st.tuples(st.text(min_size=1, max_size=80), st.integers(4096, 12_000)).map(
    lambda p: (p[0] * (p[1] // len(p[0]) + 1))[: p[1]]
)


@settings(max_examples=30, deadline=None)
@given(LONG_TEXT)
def test_never_raises_on_long_odd_text(text: str) -> None:
    detect_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "😀" * 5000,
        "\u202eI want to die\u202c",  # RTL override around a real phrase
        "\u05d0\u05e0\u05d9 \u05e8\u05d5\u05e6\u05d4 \u0645\u0631\u062d\u0628\u0627" * 500,
        "\x00\x01\x1b[31m" * 3000,
        "I\u200bwant\u200bto\u200bdie",
        "ﷺ" * 9000,
    ],
)
def test_odd_inputs(text: str) -> None:
    detect_crisis(text)


def test_rtl_and_zero_width_are_seen_through() -> None:
    assert detect_crisis("\u202eI want to die\u202c")
    assert detect_crisis("self\u00adharm")  # soft hyphen dropped
    assert detect_crisis("I\u00a0want\u00a0to\u00a0die")  # no-break spaces


def test_a_choice_may_hold_phrases_and_slots() -> None:
    from bot.services.crisis_phrases import compile_phrases

    pattern = compile_phrases([("(be here|{place}) ~1 now", {"place": ["the bridge"]})])
    assert pattern.search("be here now") and pattern.search("the bridge right now")
    assert not pattern.search("be now")
    with pytest.raises(ValueError):
        compile_phrases([("(a|(b|c)) d", {})])
    with pytest.raises(ValueError):  # one digit per gap: "~12" would silently never match
        compile_phrases([("a ~12 b", {})])


def test_normalise_is_the_same_for_ascii_and_not() -> None:
    # ASCII text skips the decomposition; it must come out as the long way would make it.
    assert normalise("I  DON'T\twant\x00to") == "i don't want to"
    assert normalise("Ich   MÖCHTE") == "ich mochte"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # round 8: a hit whose only first person is an object needs the model near its threshold
        ("essa prova de calculo vai me matar, estudando desde as 6", False),
        ("minha mae vai me matar, risquei o carro dela", False),
        ("quero me matar hoje", True),
        ("the news today made me want to die", True),
        # recovery told in the past needs the model to agree; a relapse word undoes it
        (
            "avant je me scarifiais, ca fait 6 ans que c'est fini. aujourd'hui ca va",
            False,
        ),
        (
            "в подростковом возрасте резалась, уже 6 лет нет. сегодня пошла в майке без стресса",
            False,
        ),
        ("8 months clean and i cut myself again tonight", True),
    ],
)
def test_object_hits_and_recovery_need_the_model(text: str, expected: bool) -> None:
    assert detect_crisis(text) is expected, text
