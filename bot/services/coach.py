"""The "I"-statement coach: notice blaming forms kindly and offer the "I" form.

Forms, notes and wording live in ``bot/content/coach.toml``. Matching ignores case, treats curly
apostrophes as straight ones and respects word boundaries; spans point into the original text.
Suggestions only ever reuse the user's own words: the "I" form is built from the blaming
sentence itself (its situation, what happened, a feeling or need it names, the blame left out:
``coach_words``), and only what the words do not say stays a ``<blank>``. The reply says it is
a draft to change, never the user's own sentence.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.content import data, i18n, t
from bot.content.keys import Family
from bot.services import coach_words

#: What the "I" statement shows where the user has not said a part yet.
BLANKS = Family("coach.blank_{}", ("feeling", "situation", "need"))

#: How much of a message is scanned for blaming forms.
MAX_SCAN = 20_000

# Same length in and out, so match spans stay valid for the original text.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u201b\u02bc\u00b4\u0060\u2032\uff07", "'"))
_TRAILING = " \t\r\n.,;:!?…\"'“”‘’«»"
_QUOTES = "\"'“”‘’«»„"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class BlameHit:
    """One blaming form: ``text[start:end] == phrase``; ``kind`` is the form's id."""

    start: int
    end: int
    phrase: str
    kind: str
    note: str


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    note: str
    kind_before: bool


def _phrase_regex(phrase: str) -> str:
    tokens = []
    for token in phrase.split():
        wild = token.endswith("*")
        body = "".join("'?" if ch == "'" else re.escape(ch) for ch in token.rstrip("*"))
        tokens.append(body + (r"\w*" if wild else ""))
    return r"\s+".join(tokens)


def _alternation(words: list[str]) -> str:
    return "|".join(_phrase_regex(w) for w in sorted(words, key=len, reverse=True))


@cache
def _kind_words(lang: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in data("coach.kind_words", lang))


@cache
def _rules(lang: str) -> tuple[_Rule, ...]:
    kind = _alternation(list(data("coach.kind_words", lang)))
    # "you're so kind", "you make me feel so happy", "you're such a good friend" are not blame.
    not_kind = rf"(?!\s+(?:feel\s+)?(?:(?:so|very|really|such|a|an|truly)\s+)*(?:{kind})\b)"
    rules = []
    for raw in data("coach.blame", lang):
        body = r"(?<!\w)(?:" + _alternation(list(raw["phrases"])) + r")(?!\w)"
        if raw.get("kind_check"):
            body += not_kind
        rules.append(
            _Rule(
                str(raw["id"]),
                re.compile(body, re.IGNORECASE),
                str(raw["note"]),
                bool(raw.get("kind_before")),
            )
        )
    return tuple(rules)


@cache
def _starters(lang: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in data("coach.lowercase_starters", lang))


def _kind_just_before(text: str, start: int) -> bool:
    words = re.findall(r"\w+", text[max(0, start - 60) : start].casefold())
    return any(w in _kind_words(i18n.current()) for w in words[-4:])


def find_blame(text: str | None) -> list[BlameHit]:
    """Blaming forms in ``text``, in order, without overlaps (the longer form wins)."""
    if not text:
        return []
    scanned = text[:MAX_SCAN].translate(_APOSTROPHES)
    found: list[BlameHit] = []
    for rule in _rules(i18n.current()):
        for m in rule.pattern.finditer(scanned):
            if rule.kind_before and _kind_just_before(scanned, m.start()):
                continue
            found.append(
                BlameHit(m.start(), m.end(), text[m.start() : m.end()], rule.kind, rule.note)
            )
    found.sort(key=lambda h: (h.start, h.start - h.end))
    hits: list[BlameHit] = []
    for hit in found:
        if not hits or hit.start >= hits[-1].end:
            hits.append(hit)
    return hits


def _starts_lowercase(word: str, always: bool) -> bool:
    """Whether a capitalised first word reads better in lowercase mid-sentence."""
    bare = word.strip(_QUOTES + ",.;:!?")
    if not bare or not bare[0].isupper() or bare[1:] != bare[1:].lower():
        return False  # already lowercase, ALL CAPS, or mixed like "iPhone"/"McKay"
    folded = bare.casefold().translate(_APOSTROPHES)
    if folded == "i" or folded.startswith("i'"):
        return False
    return always or folded in _starters(i18n.current())


def clean_part(
    value: str | None, strip: list[str] | None = None, always_lower: bool = False
) -> str:
    """The user's words, ready to sit inside a sentence: spaces collapsed, wrapping quotes and
    trailing punctuation removed, a repeated lead-in (``strip``) dropped, the first letter
    lowercased where natural. Empty string when nothing is left."""
    if not value:
        return ""
    text = _SPACES.sub(" ", value).strip().strip(_QUOTES).rstrip(_TRAILING).strip()
    for lead in sorted(strip or [], key=len, reverse=True):
        m = re.match(_phrase_regex(lead) + r"(?:\s+|$)", text.translate(_APOSTROPHES), re.I)
        if m:
            text = text[m.end() :].strip()
            break
    if not text:
        return ""
    first = text.split(" ", 1)[0]
    if _starts_lowercase(first, always_lower):
        text = text[0].lower() + text[1:]
    return text


def suggest_i_statement(
    feeling: str | None = None, situation: str | None = None, need: str | None = None
) -> str:
    """``I feel <feeling> when <situation>, and I need <need>.`` from the user's own words;
    a missing part keeps its ``<blank>``."""
    return t(
        "coach.i_statement",
        feeling=clean_part(feeling, data("coach.strip_feeling"), always_lower=True)
        or t("coach.blank_feeling"),
        situation=clean_part(situation, data("coach.strip_situation"))
        or t("coach.blank_situation"),
        need=clean_part(need, data("coach.strip_need")) or t("coach.blank_need"),
    )


def _grouped(hits: list[BlameHit]) -> list[tuple[list[str], str]]:
    groups: dict[str, tuple[list[str], str]] = {}
    for hit in hits:
        phrase = _SPACES.sub(" ", hit.phrase)
        phrases, _ = groups.setdefault(hit.kind, ([], hit.note))
        if phrase.casefold() not in {p.casefold() for p in phrases}:
            phrases.append(phrase)
    return list(groups.values())


def coach_reply(
    text: str | None,
    feeling: str | None = None,
    situation: str | None = None,
    need: str | None = None,
) -> str | None:
    """``None`` when ``text`` has no blaming form; otherwise a warm note naming the phrases and
    offering the "I" form built from ``text`` itself; what it does not say comes from what
    the user has already told us (``feeling``, ``situation``, ``need``), else stays blank."""
    hits = find_blame(text)
    if not text or not hits:
        return None
    lines: list[str] = [t("coach.reply_intro"), ""]
    for phrases, note in _grouped(hits):
        joined = "”, “".join(phrases)
        lines.append(t("coach.reply_hit", phrase=joined, note=note))
    own = coach_words.parts(text[:MAX_SCAN].translate(_APOSTROPHES), hits)
    suggestion = suggest_i_statement(
        own.feeling or feeling, own.situation or _situation(situation), own.need or need
    )
    lines += ["", t("coach.reply_offer"), suggestion]
    if any(t(f"coach.blank_{part}") in suggestion for part in BLANKS.values):
        lines.append(t("coach.reply_blanks"))
    lines += ["", t("coach.reply_outro")]
    return "\n".join(lines)


def _situation(text: str | None) -> str | None:
    """An earlier answer used as the situation, its own blaming forms left out too."""
    if not text:
        return text
    hits = find_blame(text)
    if not hits:
        return text
    return coach_words.parts(text[:MAX_SCAN].translate(_APOSTROPHES), hits).situation or None
