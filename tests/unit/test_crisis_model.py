"""The learned crisis detector beside the patterns (``bot/services/crisis_model.py``).

The texts below are training lines (``tests/data/crisis/train``) that no pattern catches: the
model has to, and ``detect_crisis`` (what the handlers call) has to say so.
"""

from __future__ import annotations

import pytest

from bot.services import crisis_model
from bot.services.crisis import detect_crisis, find_crisis, has_laughter
from tests.crisis_sets import DATA, LANGUAGES, load

PATTERNS_MISS = [
    "im not going to be around much longer and honestly thats a relief",
    "heute nacht mach ich schluss, ich wollte nur danke sagen für alles",
    "dijo que va a quemar la casa conmigo adentro",
    "j'ai peur de ce que je vais me faire quand tout le monde sera parti",
    "quando todo mundo dormir vou tomar tudo que tem na caixa de remédios",
    "боюсь что сделаю с собой когда все уйдут",
]


@pytest.mark.parametrize("text", PATTERNS_MISS)
def test_the_model_catches_what_no_pattern_does(text: str) -> None:
    assert find_crisis(text) is None
    assert crisis_model.model_says_crisis(text)
    assert detect_crisis(text)


def test_everyday_words_stay_calm() -> None:
    for text in ("this traffic is killing me", "ich bin todmüde", "me muero de risa", ""):
        assert not detect_crisis(text)
    assert not crisis_model.model_says_crisis(None)


def test_one_crisis_sentence_in_a_long_message_is_not_averaged_away() -> None:
    calm = "we talked for hours about the week and what went well. " * 20
    assert len(calm) > crisis_model.CHUNK_CHARS and not crisis_model.model_says_crisis(calm)
    assert crisis_model.model_says_crisis(calm + PATTERNS_MISS[0])


def test_pieces_cover_the_text_and_stay_short() -> None:
    text = ("one sentence that goes on. " * 30) + "x" * 700
    parts = crisis_model.pieces(text)
    assert all(len(p) <= crisis_model.CHUNK_CHARS for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")
    assert crisis_model.pieces("  short  one ") == ["short one"]
    assert crisis_model.pieces("   ") == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_training_lines_are_well_formed_and_never_a_blind_line(lang: str) -> None:
    rows = load(lang, "train")
    assert len({r.id for r in rows}) == len(rows)
    assert all(r.id.startswith(f"{lang}-T") for r in rows)
    assert all(r.category in ("suicide", "self_harm", "danger") for r in rows if r.crisis)
    blind = {
        r.text
        for folder in ("blind2", "blind3", "blind8")
        if (DATA / folder / f"{lang}.tsv").is_file()
        for r in load(lang, folder)
    }
    # (a few short idioms of the tuning set happen to be blind lines too: other authors',
    # written apart; the synthetic lines must not add any)
    assert not blind & {r.text for r in rows}, "a blind line is in the synthetic training data"


LAUGHING_JOKES = [  # a pattern catches each; the laughter and the model's low score let it go
    "kms this printer is jammed again 😂",
    "lol i want to die, i just called my teacher mum",
    "kkkk quero morrer, chamei a professora de mãe",
    "jaja quiero morirme, le dije mamá a la maestra",
]
LAUGHING_MASKS = [  # laughter that hides a crisis: the model agrees, so it alarms
    "haha im fine, just planning my own funeral lol",
    "kkkkk tô bem só tô planejando meu velório",
    "ахахах всё норм, просто планирую свои похороны",
]


@pytest.mark.parametrize("text", LAUGHING_JOKES)
def test_a_pattern_hit_in_a_joke_needs_the_model_to_agree(text: str) -> None:
    assert find_crisis(text) is not None and has_laughter(text)
    assert not crisis_model.model_says_crisis(text)
    assert not detect_crisis(text)


@pytest.mark.parametrize("text", LAUGHING_MASKS)
def test_laughter_does_not_hide_what_the_model_sees(text: str) -> None:
    assert has_laughter(text)
    assert detect_crisis(text)


def test_laughter_markers() -> None:
    for text in ("hahaha", "kkkk", "jajaja", "mdrrr", "ахахах", "ору", "xD", "😂", "vor Lachen"):
        assert has_laughter(text), text
    for text in ("aha", "kk", "lolita", "jamás", "это шутка", "", None):
        assert not has_laughter(text), text
    # saying it is no joke cancels the laughter: the pattern counts again
    assert not has_laughter("ptdr je veux mourir et c'est même plus une blague")
    assert not has_laughter("jaja no es broma, me quiero morir")
    assert detect_crisis("lol i want to kill myself and its not a joke")


CHATTY = (
    "cooked a curry tonight and called my sister about the weekend. {} "
    "anyway which film should we watch on friday?"
)


def test_one_crisis_sentence_in_a_chatty_message_is_heard_by_the_model() -> None:
    # Read whole, the message's vector averages the one sentence away; read sentence by
    # sentence (round 7), the model hears it, and the calm version stays calm.
    heard = CHATTY.format("honestly some nights i plan how i would end my life.")
    assert (
        crisis_model.sentences(heard)[1] == "honestly some nights i plan how i would end my life."
    )
    assert crisis_model.model_says_crisis(heard)
    assert not crisis_model.model_says_crisis(CHATTY.format("work was long."))
    assert crisis_model.sentences("one two three. four") == []  # one piece: nothing extra
