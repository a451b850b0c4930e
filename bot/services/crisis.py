"""Crisis language: notice it in any message, answer first with care and real resources.

Detection has two passes over a normalised copy of the text (NFKC, casefold, accents dropped,
curly quotes and dashes made plain, spaces collapsed, at most ``MAX_SCAN`` characters):

1. Fixed phrases (``bot/content/crisis.toml``, all languages at once), matched as whole words
   after the idiom guards there are masked out ("I could die of embarrassment").
2. Per language, the text becomes a stream of lemmas (``crisis_forms``: "geritzt" → "ritzen",
   "умру" → "умереть", a typo away from a key word counts) and proximity patterns
   (``bot/content/crisis_patterns.toml``) are matched on it: a wish, plan or "should" within a
   few words of die / dead / not live / not exist / not wake up / end it / kill myself; means
   and methods; self-harm verbs in every form; danger from another person; each language's
   guards masked first. Gaps never cross a sentence mark.

Before both passes, a sentence that talks about a story or the news ("in the series the hero
kills himself", ``frames.words``) and has no first-person word (``frames.first_person``) is
masked: a character's suicide is not the user's.

Beside both passes, a learned model (``crisis_model``) scores the raw text; ``detect_crisis``
is true when the patterns or the model say crisis (a pattern hit in a laughing message, or in a
report of someone else's crisis, only when the model agrees: ``crisis_markers``).
``find_crisis`` is the patterns alone (it names the words that matched; the model names none).

Everything is compiled once (on first use), so a message costs tens of microseconds; figures
and the labelled sets they come from are in BENCHMARKS.md and ``tests/data/crisis``. The
phrase syntax (``bot/services/crisis_phrases.py``) is described at the top of both TOML files.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.content import data
from bot.services import crisis_gate, crisis_markers, crisis_model
from bot.services.crisis_forms import BARRIER, LANGUAGES, fold, lemma_stream, lexicon
from bot.services.crisis_gate import BEFORE_WORDS, passes_gate
from bot.services.crisis_gate import GATE_KINDS as GATE_KINDS
from bot.services.crisis_gate import GATE_MARGINS as GATE_MARGINS
from bot.services.crisis_gate import PATTERN_GATE as PATTERN_GATE
from bot.services.crisis_gate import CrisisMatch as CrisisMatch
from bot.services.crisis_gate import gate_kind as gate_kind
from bot.services.crisis_gate import gated as gated
from bot.services.crisis_help import Helpline as Helpline
from bot.services.crisis_help import crisis_message as crisis_message
from bot.services.crisis_help import helplines as helplines
from bot.services.crisis_help import parse_language_code as parse_language_code
from bot.services.crisis_help import sos_message as sos_message
from bot.services.crisis_markers import about_someone_else as about_someone_else
from bot.services.crisis_markers import has_laughter as has_laughter
from bot.services.crisis_phrases import MAX_SCAN as MAX_SCAN  # public: what is scanned
from bot.services.crisis_phrases import compile_phrases, normalise

#: Categories in the order they are reported when several match.
CATEGORIES = ("suicide", "self_harm", "danger")


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
    frame: re.Pattern[str]
    first_person: re.Pattern[str]
    surface: dict[str, re.Pattern[str]]
    lemma_negative: dict[str, re.Pattern[str] | None]
    lemma: dict[str, dict[str, re.Pattern[str] | None]]
    common: dict[str, tuple[str, ...]]


@cache
def _patterns() -> _Patterns:
    # Patterns are every language's at once, whatever language the user speaks.
    slots: dict[str, Any] = data("crisis.slots", "en")
    phrases: dict[str, Any] = data("crisis.phrases", "en")
    negatives: dict[str, Any] = data("crisis.negatives", "en")
    surface: dict[str, list[tuple[str, Mapping[str, Iterable[str]]]]] = {c: [] for c in CATEGORIES}
    for lang, table in phrases.items():
        for category, items in _by_category(table, slots.get(lang, {}), lang).items():
            surface[category].extend(items)
    negative = compile_phrases(
        (p, slots.get(lang, {})) for lang, items in negatives.items() for p in items
    )
    lemma_patterns: dict[str, Any] = data("crisis_patterns.patterns", "en")
    lemma: dict[str, dict[str, re.Pattern[str] | None]] = {}
    lemma_negative: dict[str, re.Pattern[str] | None] = {}
    for lang in LANGUAGES:
        lang_slots = {
            name: [fold(normalise(str(v)), lang) for v in values]
            for name, values in {**slots.get(lang, {}), **lexicon(lang)}.items()
        }
        own = {
            key: [fold(normalise(str(p)), lang) for p in items]
            for key, items in lemma_patterns.get(lang, {}).items()
        }
        guards = [(p, lang_slots) for p in own.pop("guards", [])]
        table = _by_category(own, lang_slots, f"patterns.{lang}")
        lemma[lang] = {c: compile_phrases(items) if items else None for c, items in table.items()}
        lemma_negative[lang] = compile_phrases(guards) if guards else None
    frames: dict[str, Any] = data("crisis_patterns.frames")
    frame = compile_phrases((w, {}) for w in frames["words"])
    first_person = compile_phrases((w, {}) for w in frames["first_person"])
    return _Patterns(
        negative,
        frame,
        first_person,
        {c: compile_phrases(items) for c, items in surface.items()},
        lemma_negative,
        lemma,
        _common_words(),
    )


def _common_words() -> dict[str, tuple[str, ...]]:
    """Common word → the Latin-script languages it is common in."""
    out: dict[str, list[str]] = {}
    for lang, words in data("crisis_patterns.common").items():
        for word in words:
            out.setdefault(normalise(str(word)), []).append(lang)
    return {word: tuple(langs) for word, langs in out.items()}


_SENTENCE = re.compile(r"[^.!?;]+[.!?;]*")


def _unframe(text: str, p: _Patterns) -> str:
    """The text with every story-or-news sentence that has no first-person word masked."""
    if p.frame.search(text) is None:
        return text
    return " ".join(
        " . " if p.frame.search(s) and not p.first_person.search(s) else s
        for s in _SENTENCE.findall(text)
    )


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_WORD = re.compile(r"\w+")
_LATIN_LANGUAGES = ("en", "de", "es", "fr", "pt")
#: Past this many (normalised) characters, a text is read only in the Latin-script languages
#: whose common words it uses: a 4,096-character message costs one or two lemma streams, not
#: five. Shorter texts are read in all five (a short message may hold no common word).
GATE_CHARS = 400


def _latin_languages(text: str, common: Mapping[str, tuple[str, ...]]) -> Iterable[str]:
    if len(text) <= GATE_CHARS:
        return _LATIN_LANGUAGES
    counts = dict.fromkeys(_LATIN_LANGUAGES, 0)
    for word in _WORD.findall(text):
        for lang in common.get(word, ()):
            counts[lang] += 1
    top = max(counts.values())
    if top < 2:
        return _LATIN_LANGUAGES
    return [lang for lang in _LATIN_LANGUAGES if counts[lang] >= max(2, top // 5)]


def _languages(text: str, common: Mapping[str, tuple[str, ...]]) -> Iterable[str]:
    """The languages whose lemma patterns are worth trying on this (normalised) text."""
    if _LATIN.search(text):
        yield from _latin_languages(text, common)
    if _CYRILLIC.search(text):
        yield "ru"


def find_crisis(text: str | None) -> CrisisMatch | None:
    """The first crisis language found in ``text``, or ``None``: the surface phrases first
    (by category order), then each language's lemma patterns (by category order)."""
    if not text:
        return None
    p = _patterns()
    scanned = _unframe(p.negative.sub(" . ", normalise(text)), p)
    for category in CATEGORIES:
        found = p.surface[category].search(scanned)
        if found is not None:
            return CrisisMatch(category, found.group(0), _word_before(scanned, found.start()))
    for lang in _languages(scanned, p.common):
        stream = lemma_stream(scanned, lang)
        guard = p.lemma_negative[lang]
        if guard is not None:
            stream = guard.sub(BARRIER, stream)
        for category in CATEGORIES:
            pattern = p.lemma[lang][category]
            found = pattern.search(stream) if pattern is not None else None
            if found is not None:
                return CrisisMatch(category, found.group(0), _word_before(stream, found.start()))
    return None


_MARK = re.compile(r"[.!?;]")


def _word_before(text: str, at: int) -> str:
    head = text[:at]
    if BARRIER in head:
        head = head.rsplit(BARRIER, 1)[1]
    words = _MARK.split(head)[-1].split()
    return " ".join(words[-BEFORE_WORDS:])


def detect_crisis(text: str | None) -> bool:
    """True when ``text`` contains language about suicide, self-harm or being in danger: the
    patterns found it (:func:`find_crisis`) or the learned model scores it as crisis
    (``crisis_model``: a multilingual sentence encoder and an SVM trained on the labelled sets,
    which generalises to phrasings no pattern anticipated). Either one is enough, but a pattern
    hit counts only when the model agrees in a message with a laughter or hyperbole marker
    ("kms this printer 😂", "vou morrer de vergonha kkkk") and, unless the hit is danger from
    another person, in a message about someone else's crisis ("my friend has suicidal
    thoughts, how do i help her") unless the patterns still hit once the report is masked:
    ``crisis_markers``; the jokes and the reports about others
    were the patterns' commonest false alarms (BENCHMARKS.md, rounds 5 and 6). Since round 8
    recovery told in the past ("5 years clean", ``crisis_markers.told_as_past``) is read like
    laughter. And since round 7 a suicide or self-harm hit counts only when the model's score
    is within its kind's margin of its threshold (``crisis_gate``: no first person, or only an
    object such as "vai me matar"): far below it, the hit was nearly always a story, the news
    or an idiom no guard knows."""
    found = find_crisis(text)
    if found is None:
        return model_says_crisis(text)
    if not passes_gate(found, lambda: model_score(text or ""), crisis_model.threshold()):
        return False
    if has_laughter(text) or crisis_markers.told_as_past(text):
        return model_says_crisis(text)
    if found.category != "danger" and about_someone_else(text):
        own = find_crisis(crisis_markers.without_others(text or ""))
        return own is not None or model_says_crisis(text)
    return True


def model_text(text: str) -> str:
    """The text with the idioms the guards know masked ("career suicide", "in danger of", "I
    could die of embarrassment"; ``crisis.negatives``), normalised as the patterns see it; the
    text itself when it holds none."""
    p = _patterns()
    normalised = normalise(text)
    return p.negative.sub(" . ", normalised) if p.negative.search(normalised) else text


def model_score(text: str) -> float:
    """The learned model's score for ``text``; when it holds an idiom the guards know, the
    lower of its scores with and without it (:func:`model_text`): an idiom can only make the
    model less sure."""
    score = crisis_model.crisis_score(text)
    masked = model_text(text)
    return score if masked == text else min(score, crisis_model.crisis_score(masked))


def model_says_crisis(text: str | None) -> bool:
    """The learned model's verdict on ``text`` (:func:`model_score` at or above its threshold;
    training reads the lines as written: ``bench.crisis_train.vectors``)."""
    return bool(text) and model_score(text or "") >= crisis_model.threshold()


def warm_up() -> None:
    """Compile the patterns and load the model once, off the hot path (at start-up)."""
    _patterns()
    crisis_gate.warm_up()
    crisis_markers.warm_up()
    crisis_model.warm_up()
