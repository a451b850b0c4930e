"""Crisis language: notice it in any message, answer first with care and real resources.

The phrase lists, their false-alarm guards and the resources live in
``bot/content/crisis.toml`` (see the comments there for the small phrase syntax). Patterns are
compiled once. Matching works on a normalised copy of the text (NFKC, casefold, accents dropped,
curly quotes and dashes made plain, spaces collapsed) with whole-word boundaries, and scans at
most ``MAX_SCAN`` characters, so any Unicode and any length is safe and fast.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.content import data, t
from bot.services.crisis_forms import BARRIER, LANGUAGES, lemma_stream, lexicon

#: How many characters of a message are scanned (before and after normalising).
MAX_SCAN = 10_000

#: Categories in the order they are reported when several match.
CATEGORIES = ("suicide", "self_harm", "danger")

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u02b9": "'",
        "\u00b4": "'",
        "\u0060": "'",
        "\u2032": "'",
        "\uff07": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00ad": "",
    }
)
# Whitespace and control characters all become one space.
_SPACES = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_SLOT = re.compile(r"\{(\w+)\}")
_GAP = re.compile(r"~(\d)")
_CHOICE = re.compile(r"\(([^()\s]+)\)")


@dataclass(frozen=True, slots=True)
class CrisisMatch:
    """What was found: the category and the (normalised) words that matched."""

    category: str
    phrase: str


@dataclass(frozen=True, slots=True)
class Helpline:
    """A helpline for some countries (ISO 3166 codes) and languages (ISO 639-1 codes)."""

    countries: tuple[str, ...]
    languages: tuple[str, ...]
    text: str


def normalise(text: str) -> str:
    """The form both messages and phrases are matched in."""
    text = text[:MAX_SCAN].translate(_PLAIN)
    text = unicodedata.normalize("NFKC", text).casefold().translate(_PLAIN)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )
    return _SPACES.sub(" ", text).strip()[:MAX_SCAN]


def _token_regex(token: str) -> str:
    wild = token.endswith("*")
    out = []
    for ch in token.rstrip("*"):
        if ch == "'":
            out.append("'?")
        elif ch == "-":
            out.append("[- ]?")
        else:
            out.append(re.escape(ch))
    return "".join(out) + (r"\w*" if wild else "")


def _words_regex(words: str) -> str:
    """A run of plain words (no slots), tokens separated by one space."""
    return " ".join(_token_regex(tok) for tok in normalise(words).split(" ") if tok)


def phrase_regex(phrase: str, slots: Mapping[str, Iterable[str]]) -> str:
    """The regex (without word boundaries) for one phrase of the TOML syntax."""
    pieces: list[str] = []
    for token in phrase.split():
        gap = _GAP.fullmatch(token)
        if gap is not None:  # up to N words, within one sentence (lemma patterns)
            pieces.append(r"(?: [^ |]+){0,%d}" % int(gap.group(1)))
            continue
        if token == "$":  # the end of a sentence (lemma patterns)
            pieces.append(r"(?= \||$)")
            continue
        choice = _CHOICE.fullmatch(token)
        if choice is not None:  # (one|other): one word of these
            words = sorted({_words_regex(w) for w in choice.group(1).split("|")}, key=len)
            pieces.append((" " if pieces else "") + "(?:" + "|".join(reversed(words)) + ")")
            continue
        slot = _SLOT.fullmatch(token)
        if slot is None:
            body = _words_regex(token)
            if body:
                pieces.append((" " if pieces else "") + body)
            continue
        name = slot.group(1)
        if name not in slots:
            raise KeyError(f"crisis: unknown slot {{{name}}} in {phrase!r}")
        alternatives = []
        for value in slots[name]:
            body = _words_regex(value)
            # "he" + "'s going to" must match "he's going to": no space before an apostrophe.
            sep = "" if not pieces or body.startswith("'") else " "
            alternatives.append(sep + body)
        pieces.append("(?:" + "|".join(sorted(set(alternatives), key=len, reverse=True)) + ")")
    if not pieces:
        raise ValueError(f"crisis: empty phrase {phrase!r}")
    return "".join(pieces)


def _compile(phrases: Iterable[tuple[str, Mapping[str, Iterable[str]]]]) -> re.Pattern[str]:
    bodies = sorted({phrase_regex(p, slots) for p, slots in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)")


def _by_category(
    table: Mapping[str, Any], slots: Mapping[str, Iterable[str]], where: str
) -> dict[str, list[tuple[str, Mapping[str, Iterable[str]]]]]:
    out: dict[str, list[tuple[str, Mapping[str, Iterable[str]]]]] = {c: [] for c in CATEGORIES}
    for category, items in table.items():
        if category not in out:
            raise ValueError(f"crisis: unknown category {category!r} in {where}")
        out[category].extend((p, slots) for p in items)
    return out


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Everything compiled once: the surface phrases (all languages together) and, per
    language, the patterns over its lemma stream, each with the guards masked out first."""

    negative: re.Pattern[str]
    surface: dict[str, re.Pattern[str]]
    lemma_negative: dict[str, re.Pattern[str] | None]
    lemma: dict[str, dict[str, re.Pattern[str] | None]]


@cache
def _patterns() -> _Patterns:
    slots: dict[str, Any] = data("crisis.slots")
    phrases: dict[str, Any] = data("crisis.phrases")
    negatives: dict[str, Any] = data("crisis.negatives")
    surface: dict[str, list[tuple[str, Mapping[str, Iterable[str]]]]] = {
        c: [] for c in CATEGORIES
    }
    for lang, table in phrases.items():
        for category, items in _by_category(table, slots.get(lang, {}), lang).items():
            surface[category].extend(items)
    negative = _compile(
        (p, slots.get(lang, {})) for lang, items in negatives.items() for p in items
    )
    lemma_patterns: dict[str, Any] = data("crisis_patterns.patterns")
    lemma: dict[str, dict[str, re.Pattern[str] | None]] = {}
    lemma_negative: dict[str, re.Pattern[str] | None] = {}
    for lang in LANGUAGES:
        lang_slots = {**slots.get(lang, {}), **lexicon(lang)}
        own = dict(lemma_patterns.get(lang, {}))
        guards = [(p, lang_slots) for p in own.pop("guards", [])]
        table = _by_category(own, lang_slots, f"patterns.{lang}")
        lemma[lang] = {c: _compile(items) if items else None for c, items in table.items()}
        lemma_negative[lang] = _compile(guards) if guards else None
    return _Patterns(
        negative, {c: _compile(items) for c, items in surface.items()}, lemma_negative, lemma
    )


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")


def _languages(text: str) -> Iterable[str]:
    """The languages whose lemma patterns are worth trying on this (normalised) text."""
    if _LATIN.search(text):
        yield from ("en", "de", "es", "fr", "pt")
    if _CYRILLIC.search(text):
        yield "ru"


def find_crisis(text: str | None) -> CrisisMatch | None:
    """The first crisis language found in ``text``, or ``None``: the surface phrases first
    (by category order), then each language's lemma patterns (by category order)."""
    if not text:
        return None
    p = _patterns()
    scanned = p.negative.sub(" . ", normalise(text))
    for category in CATEGORIES:
        found = p.surface[category].search(scanned)
        if found is not None:
            return CrisisMatch(category, found.group(0))
    for lang in _languages(scanned):
        stream = lemma_stream(scanned, lang)
        guard = p.lemma_negative[lang]
        if guard is not None:
            stream = guard.sub(BARRIER, stream)
        for category in CATEGORIES:
            pattern = p.lemma[lang][category]
            found = pattern.search(stream) if pattern is not None else None
            if found is not None:
                return CrisisMatch(category, found.group(0))
    return None


def detect_crisis(text: str | None) -> bool:
    """True when ``text`` contains language about suicide, self-harm or being in danger."""
    return find_crisis(text) is not None


@cache
def _helplines() -> tuple[Helpline, ...]:
    return tuple(
        Helpline(
            tuple(str(c).upper() for c in raw["countries"]),
            tuple(str(lang).lower() for lang in raw["languages"]),
            str(raw["text"]),
        )
        for raw in data("crisis.lines")
    )


def parse_language_code(language_code: str | None) -> tuple[str | None, str | None]:
    """``"pt-br"`` → ``("pt", "BR")``; ``"en"`` → ``("en", None)``; junk → ``(None, None)``."""
    if not language_code:
        return None, None
    parts = language_code.strip().replace("_", "-").split("-")
    lang = parts[0].lower() if re.fullmatch(r"[A-Za-z]{2,3}", parts[0]) else None
    region = next((p.upper() for p in parts[1:] if re.fullmatch(r"[A-Za-z]{2}", p)), None)
    return lang, region


def helplines(language_code: str | None) -> list[Helpline]:
    """The helplines that fit a Telegram ``language_code``: the country's first, then the
    language's (main language before secondary). Empty when nothing is known to fit."""
    lang, region = parse_language_code(language_code)
    ranked: list[tuple[int, int, Helpline]] = []
    for order, line in enumerate(_helplines()):
        if region is not None and region in line.countries:
            ranked.append((0, order, line))
        elif lang is not None and lang in line.languages:
            ranked.append((1 + line.languages.index(lang), order, line))
    return [line for *_, line in sorted(ranked, key=lambda r: (r[0], r[1]))]


def _resources(language_code: str | None) -> list[str]:
    blocks = [t("crisis.emergency")]
    lines = helplines(language_code)
    if lines:
        items = [t("crisis.line_item", text=line.text) for line in lines]
        blocks.append("\n".join([t("crisis.lines_heading"), *items]))
    blocks.append(t("crisis.directory"))
    return blocks


def crisis_message(language_code: str | None) -> str:
    """The caring answer to crisis language: plain text, resources for the user's language or
    country first, always the international directory and emergency advice."""
    blocks = [t("crisis.care"), *_resources(language_code), t("crisis.after")]
    return "\n\n".join(blocks)


def sos_message(language_code: str | None) -> str:
    """The same resources on request (``/sos``), with a short intro instead of the reply."""
    return "\n\n".join([t("crisis.sos_intro"), *_resources(language_code)])
