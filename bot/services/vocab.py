"""Typed access to the vocabularies in ``bot/content/vocab.toml``.

Emotion families and words (a feelings wheel), thinking traps (distortions) and the small option
lists used for buttons (commitments, actions, interactions, people, contexts). Everything is read
once and cached; lookups of unknown ids raise ``KeyError``. Ids are validated on load: short,
lowercase ASCII, safe inside Telegram callback data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.content import data, i18n
from bot.content.keys import Family

#: What every vocabulary id looks like: lowercase ASCII letters, digits and ``_``, 1–16 chars.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,15}")

#: The option lists ``options(name)`` knows about.
OPTION_LISTS = ("commitments", "actions", "interactions", "people", "contexts")
OPTIONS = Family("vocab.{}", OPTION_LISTS)


@dataclass(frozen=True, slots=True)
class Option:
    """One choice in a list of buttons."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class EmotionWord:
    """A finer emotion word inside a family; ``family`` is the family id."""

    id: str
    label: str
    family: str


@dataclass(frozen=True, slots=True)
class EmotionFamily:
    """A core emotion family (sad, scared, …) and its finer words."""

    id: str
    label: str
    words: tuple[EmotionWord, ...]


@dataclass(frozen=True, slots=True)
class Distortion:
    """A thinking trap, explained kindly, with a tiny example."""

    id: str
    label: str
    explanation: str
    example: str


def is_valid_id(value: str) -> bool:
    """True when ``value`` is a well-formed vocabulary id (callback-safe)."""
    return ID_PATTERN.fullmatch(value) is not None


def _text(entry: Any, field: str, where: str) -> str:
    if not isinstance(entry, dict) or not isinstance(entry.get(field), str) or not entry[field]:
        raise ValueError(f"vocab: {where} needs a non-empty text {field!r}")
    return str(entry[field])


def _checked_id(entry: Any, where: str, seen: set[str]) -> str:
    value = _text(entry, "id", where)
    if not is_valid_id(value):
        raise ValueError(f"vocab: {where} has an invalid id {value!r}")
    if value in seen:
        raise ValueError(f"vocab: {where} repeats the id {value!r}")
    seen.add(value)
    return value


@cache
def _emotions(
    lang: str,
) -> tuple[tuple[EmotionFamily, ...], dict[str, EmotionFamily | EmotionWord]]:
    seen: set[str] = set()
    families: list[EmotionFamily] = []
    index: dict[str, EmotionFamily | EmotionWord] = {}
    for raw in data("vocab.emotions", lang):
        fid = _checked_id(raw, "emotions", seen)
        words = tuple(
            EmotionWord(_checked_id(w, f"emotions.{fid}", seen), _text(w, "label", fid), fid)
            for w in raw.get("words", [])
        )
        if not words:
            raise ValueError(f"vocab: emotion family {fid!r} has no words")
        family = EmotionFamily(fid, _text(raw, "label", fid), words)
        families.append(family)
        index[fid] = family
        index.update((w.id, w) for w in words)
    return tuple(families), index


@cache
def _distortions(lang: str) -> dict[str, Distortion]:
    seen: set[str] = set()
    result: dict[str, Distortion] = {}
    for raw in data("vocab.distortions", lang):
        did = _checked_id(raw, "distortions", seen)
        result[did] = Distortion(
            did,
            _text(raw, "label", did),
            _text(raw, "explanation", did),
            _text(raw, "example", did),
        )
    return result


@cache
def _options(name: str, lang: str) -> dict[str, Option]:
    if name not in OPTION_LISTS:
        raise KeyError(f"no option list {name!r}")
    seen: set[str] = set()
    result: dict[str, Option] = {}
    for raw in data(f"vocab.{name}", lang):
        oid = _checked_id(raw, name, seen)
        result[oid] = Option(oid, _text(raw, "label", f"{name}.{oid}"))
    return result


def emotion_families() -> tuple[EmotionFamily, ...]:
    """All emotion families, in display order."""
    return _emotions(i18n.current())[0]


def emotion_family(family_id: str) -> EmotionFamily:
    """One family by id; ``KeyError`` if it is not a family."""
    found = _emotions(i18n.current())[1].get(family_id)
    if not isinstance(found, EmotionFamily):
        raise KeyError(f"no emotion family {family_id!r}")
    return found


def emotion_words(family_id: str) -> tuple[EmotionWord, ...]:
    """The finer words of one family; ``KeyError`` for an unknown family."""
    return emotion_family(family_id).words


def emotion_word(word_id: str) -> EmotionWord:
    """One finer word by id; ``KeyError`` if it is not a word."""
    found = _emotions(i18n.current())[1].get(word_id)
    if not isinstance(found, EmotionWord):
        raise KeyError(f"no emotion word {word_id!r}")
    return found


def emotion_label(emotion_id: str) -> str:
    """The display label of a family or a word; ``KeyError`` for an unknown id."""
    try:
        return _emotions(i18n.current())[1][emotion_id].label
    except KeyError:
        raise KeyError(f"no emotion {emotion_id!r}") from None


def distortions() -> tuple[Distortion, ...]:
    """All thinking traps, in display order."""
    return tuple(_distortions(i18n.current()).values())


def distortion(distortion_id: str) -> Distortion:
    """One thinking trap by id; ``KeyError`` for an unknown id."""
    try:
        return _distortions(i18n.current())[distortion_id]
    except KeyError:
        raise KeyError(f"no distortion {distortion_id!r}") from None


def options(name: str) -> tuple[Option, ...]:
    """An option list by name (see ``OPTION_LISTS``); ``KeyError`` for an unknown list."""
    return tuple(_options(name, i18n.current()).values())


def option(name: str, option_id: str) -> Option:
    """One option of a list; ``KeyError`` for an unknown list or id."""
    try:
        return _options(name, i18n.current())[option_id]
    except KeyError:
        raise KeyError(f"no option {option_id!r} in {name!r}") from None


def option_label(name: str, option_id: str | None) -> str | None:
    """The label of an option, or None for no id or an id the list does not have (any more)."""
    if not option_id:
        return None
    try:
        return option(name, option_id).label
    except KeyError:
        return None


def commitments() -> tuple[Option, ...]:
    """Suggested small daily commitments."""
    return options("commitments")
