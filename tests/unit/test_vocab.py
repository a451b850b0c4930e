"""Vocabularies: emotion wheel, distortions, option lists."""

from __future__ import annotations

import pytest

from bot.services import vocab


def _all_ids() -> dict[str, list[str]]:
    ids = {
        "emotions": [f.id for f in vocab.emotion_families()]
        + [w.id for f in vocab.emotion_families() for w in f.words],
        "distortions": [d.id for d in vocab.distortions()],
    }
    for name in vocab.OPTION_LISTS:
        ids[name] = [o.id for o in vocab.options(name)]
    return ids


@pytest.mark.parametrize("name", ["emotions", "distortions", *vocab.OPTION_LISTS])
def test_ids_unique_short_ascii_callback_safe(name: str) -> None:
    ids = _all_ids()[name]
    assert ids
    assert len(ids) == len(set(ids))
    for i in ids:
        assert i.isascii() and 0 < len(i) <= 16
        assert vocab.is_valid_id(i)
        assert ":" not in i and " " not in i
        assert len(f"emotion:{i}:{i}".encode()) <= 64  # fits callback data with a prefix


def test_emotion_families() -> None:
    families = vocab.emotion_families()
    assert [f.id for f in families] == [
        "sad",
        "scared",
        "angry",
        "ashamed",
        "calm",
        "happy",
        "loving",
        "confident",
    ]
    for family in families:
        assert 6 <= len(family.words) <= 8
        assert family.label and family.label.isprintable()
        assert all(w.family == family.id for w in family.words)
        assert vocab.emotion_words(family.id) == family.words
    scared = {w.id for w in vocab.emotion_words("scared")}
    assert {"anxious", "insecure", "rejected", "abandoned", "overwhelmed", "worried"} <= scared


def test_labels_have_no_emoji() -> None:
    labels = [f.label for f in vocab.emotion_families()]
    labels += [w.label for f in vocab.emotion_families() for w in f.words]
    assert all(all(ord(c) < 0x2000 for c in label) for label in labels)


def test_emotion_lookups() -> None:
    assert vocab.emotion_label("scared") == "Scared"
    assert vocab.emotion_label("anxious") == "anxious"
    assert vocab.emotion_word("left_out").label == "left out"
    assert vocab.emotion_word("lonely").family == "sad"
    assert vocab.emotion_family("calm").label == "Calm"
    for bad in ("nope", "", "Sad"):
        with pytest.raises(KeyError):
            vocab.emotion_label(bad)
    with pytest.raises(KeyError):
        vocab.emotion_words("anxious")  # a word, not a family
    with pytest.raises(KeyError):
        vocab.emotion_word("sad")  # a family, not a word


def test_distortions() -> None:
    items = vocab.distortions()
    assert len(items) == 10
    labels = {d.label for d in items}
    assert {"Catastrophizing", "All-or-nothing", "Mind reading", "Labeling"} <= labels
    for d in items:
        assert d.explanation and "\n" not in d.explanation
        assert d.example
        assert vocab.distortion(d.id) is d
    with pytest.raises(KeyError):
        vocab.distortion("nope")


def test_options() -> None:
    assert 6 <= len(vocab.commitments()) <= 8
    assert vocab.commitments() == vocab.options("commitments")
    assert {o.id for o in vocab.options("actions")} >= {
        "pause",
        "i_statement",
        "ask_support",
        "take_break",
        "other",
    }
    assert [o.id for o in vocab.options("interactions")] == [
        "warm",
        "mixed",
        "hard",
        "kept_to_self",
    ]
    assert [o.id for o in vocab.options("people")] == [
        "partner",
        "mother",
        "father",
        "friend",
        "colleague",
        "sibling",
        "child",
        "ex",
    ]
    assert {"home", "work", "texting", "family_visit", "social_media"} <= {
        o.id for o in vocab.options("contexts")
    }
    assert vocab.option("people", "partner").label == "Partner"
    with pytest.raises(KeyError):
        vocab.options("nope")
    with pytest.raises(KeyError):
        vocab.option("people", "nope")


def test_cached() -> None:
    assert vocab.emotion_families() is vocab.emotion_families()
    assert vocab.distortions() == vocab.distortions()


@pytest.mark.parametrize("value", ["a", "abc_1", "x" * 16])
def test_valid_ids(value: str) -> None:
    assert vocab.is_valid_id(value)


@pytest.mark.parametrize("value", ["", "A", "1a", "x" * 17, "a-b", "a b", "é", "a:b"])
def test_invalid_ids(value: str) -> None:
    assert not vocab.is_valid_id(value)
