"""The "I" form built from a blaming sentence's own words (issue 24).

"You always ignore me when your friends are around" becomes the parts of
"I feel <feeling> when your friends are around and you ignore me, and I need <need>.":

1. the sentence with the first blaming form is taken, and each form in it is rewritten where
   its words carry something ("you always X" → "you X", "you never X" → "you don't X" /
   "you haven't X-ed", "you make me feel small" → the feeling "small", "it's your fault we
   were late" → "we were late") or dropped with the rest of its clause where they only label
   or guess ("you're so selfish", "you don't care", "what's wrong with you");
2. "I feel …" and "I need …" already in the sentence fill the feeling and the need;
3. a "when / every time / after / while / if …" clause is the situation, with what the
   other person did (the main clause, blame gone) added to it.

Whatever the words do not say stays empty (the caller shows a ``<blank>``); nothing is invented.
Pure: text in, text out. ``text`` must already have straight apostrophes (see coach.py) and
each hit is (start, end, kind) into it, in order, without overlaps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from bot.content import data, i18n
from bot.services import vocab


class Hit(Protocol):
    """A blaming form found (``coach.BlameHit``): ``text[start:end]``, its form's id."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Parts:
    feeling: str = ""
    situation: str = ""
    need: str = ""


_SENTENCE_END = re.compile(r"[.!?…\n]+")
_LEADING = re.compile(r"^(?:\s|[,;:—–-]|\b(?:and|but|so|because|that|then|or|also)\b)+", re.I)
_TRAILING = re.compile(r"(?:\s|[,;:—–-]|\b(?:and|but|so|because|then|or)\b)+$", re.I)
_QUESTION = (
    (re.compile(r"^(?:why|how come)\s+(?:do|does|did)\s+(?=you\b)", re.I), ""),
    (re.compile(r"^(?:why\s+)?are\s+you\b", re.I), "you're"),
    (re.compile(r"^(?:why\s+)?were\s+you\b", re.I), "you were"),
    (re.compile(r"^how\s+come\s+(?=you\b)", re.I), ""),
)
_NEED = re.compile(
    r"\bI\s+(?:really\s+|just\s+)?(?:need|needed)\s+(?P<words>.+?)(?=\s*[;:.!?…]|\s+but\b|$)",
    re.I,
)
#: Nothing follows in the clause: "you never do." / "you never do, …"
_ELLIPSIS = re.compile(r"\s*(?:[,;:.!?…]|$|\s(?:and|but)\b)", re.I)
#: After "you make me": "feel", "so", "really" … before the feeling itself.
_MAKE_ME_LEAD = re.compile(
    r"\s*(?P<feel>feel(?:ing)?\s+)?(?:(?:so|very|really|truly|just|such|a\s+bit)\s+)*", re.I
)
_NOT_A_FEELING = re.compile(r"^(?:like|as\s+if|as\s+though|that)\b", re.I)


@cache
def _conjunctions(lang: str) -> tuple[str, ...]:
    return tuple(
        sorted((str(c) for c in data("coach.situation_words", lang)), key=len, reverse=True)
    )


def _words(phrases: Sequence[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)


@cache
def _clause_end_pattern(lang: str) -> str:
    """Where a clause ends: punctuation, or a word that starts another clause."""
    joiners = _words(("and", "but", "because", "so", *_conjunctions(lang)))
    return rf"(?=\s*[,;:.!?…]|\s+(?:{joiners})\b|$)"


@cache
def _feeling_pattern(lang: str) -> re.Pattern[str]:
    return re.compile(
        r"\bI\s+(?:feel|felt|am\s+feeling|'m\s+feeling|was\s+feeling|get|got)\s+"
        r"(?P<words>.+?)" + _clause_end_pattern(lang),
        re.I,
    )


@cache
def _emotion_words(lang: str) -> frozenset[str]:
    words = {f.label.casefold() for f in vocab.emotion_families()}
    for family in vocab.emotion_families():
        words |= {w.label.casefold() for w in family.words}
    return frozenset(words) | frozenset(w.casefold() for w in data("coach.feeling_words", lang))


@cache
def _past_participles(lang: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in data("coach.past_participles", lang).items()}


def _clause_end(text: str, start: int) -> int:
    found = re.compile(_clause_end_pattern(i18n.current()), re.I).search(text, start)
    return found.start() if found else len(text)


def _next_word(text: str, at: int) -> str:
    found = re.match(r"\s*([\w']+)", text[at:])
    return found.group(1) if found else ""


def _never(phrase: str, following: str) -> str:
    """ "you never call" → "you don't"; "you never called" → "you haven't" + "called";
    "you're never home" → "you're not"."""
    subject = re.sub(r"\s*\bnever\b", "", phrase, flags=re.I).strip()
    subject = "you" if subject.casefold() == "u" else subject
    if subject.casefold() != "you":
        return f"{subject} not"
    word = following.casefold()
    if word in _past_participles(i18n.current()) or (word.endswith("ed") and len(word) > 3):
        return "you haven't"
    return "you don't"


def _rewrite(sentence: str, hits: Sequence[tuple[int, int, str]]) -> tuple[str, str]:
    """The sentence with each blaming form rewritten or dropped; and a feeling found in
    "you make me (feel) …"."""
    feeling = ""
    text = sentence
    for start, end, kind in sorted(hits, reverse=True):
        phrase = text[start:end]
        if kind == "always":
            new = re.sub(r"\s*\balways\b", "", phrase, flags=re.I).strip()
            text = text[:start] + ("you" if new.casefold() == "u" else new) + text[end:]
        elif kind == "never":
            following = _next_word(text, end)
            word = following.casefold()
            rest = text[end:]
            after = rest.lstrip()[len(following) :]
            if word in ("do", "does") and _ELLIPSIS.match(after):
                rest = after  # "… and you never do" → "… and you don't"
            elif word in _past_participles(i18n.current()):
                rest = re.sub(
                    re.escape(following), _past_participles(i18n.current())[word], rest, count=1
                )
            text = text[:start] + _never(phrase, following) + rest
        elif kind == "make_me":
            lead = _MAKE_ME_LEAD.match(text, end)
            assert lead is not None  # it matches the empty string
            stop = _clause_end(text, lead.end())
            felt = text[lead.end() : stop].strip()
            head = felt.split(" ", 1)[0].casefold() if felt else ""
            named = lead.group("feel") or head in _emotion_words(i18n.current())
            if felt and named and not _NOT_A_FEELING.match(felt):
                feeling = feeling or felt
            text = text[:start] + text[stop:]
        elif kind in ("fault", "because_of_you"):
            tail = re.sub(r"^\s*that\b", "", text[end:], flags=re.I)
            text = text[:start] + tail
        else:  # labels and guesses: the clause says nothing that happened
            text = text[:start] + text[_clause_end(text, end) :]
    return text, feeling


def _take(pattern: re.Pattern[str], text: str) -> tuple[str, str]:
    """(the words the pattern found, the text without them)."""
    found = pattern.search(text)
    if found is None:
        return "", text
    return found.group("words").strip(), text[: found.start()] + " " + text[found.end() :]


def _tidy(text: str) -> str:
    text = re.sub(r"\s*\balways\b", "", text, flags=re.I)  # absolutes left beside the blame
    text = re.sub(r"\s+", " ", text).strip()
    text = _TRAILING.sub("", _LEADING.sub("", text)).strip()
    for pattern, replacement in _QUESTION:
        text = pattern.sub(replacement, text, count=1).strip()
    return text.rstrip(" ,;:?!.…")


@cache
def _starters(lang: str) -> frozenset[str]:
    return frozenset(str(w).casefold() for w in data("coach.lowercase_starters", lang))


def _lower_start(text: str) -> str:
    """ "You ignore me" → "you ignore me", to sit inside the sentence (names keep capitals)."""
    first = text.split(" ", 1)[0]
    if (
        first[:1].isupper()
        and first[1:] == first[1:].lower()
        and first.casefold() in _starters(i18n.current())
    ):
        return text[0].lower() + text[1:]
    return text


def _says_something(text: str) -> bool:
    empty = {"it", "it's", "its", "is", "that", "that's", "this", "so", "just", "really", "all"}
    return any(w.strip("'").casefold() not in empty for w in re.findall(r"[\w']+", text))


def _split_situation(text: str) -> tuple[str, str, str]:
    """(main clause, conjunction, situation clause) at the first situation word."""
    found = re.search(rf"(?:^|(?<=[\s,;]))({_words(_conjunctions(i18n.current()))})\b", text, re.I)
    if found is None:
        return text, "", ""
    rest = text[found.end() :]
    stop = re.search(r"[;.!?…]|\s+because\b|,\s*(?:and|but)\b", rest)
    clause = rest[: stop.start()] if stop else rest
    main = text[: found.start()] + " " + (rest[stop.start() :] if stop else "")
    return main, found.group(1).casefold(), clause


def _main_clause(text: str) -> str:
    """The part about the other person: "Honestly, you ignore me" → "you ignore me"; else
    the last part that says something ("I'm late again")."""
    segments = [_tidy(s) for s in re.split(r"[,;:—–]", text)]
    segments = [s for s in segments if _says_something(s)]
    about_you = [s for s in segments if re.search(r"\b(?:you|your|you're)\b", s, re.I)]
    return (about_you or segments or [""])[0 if about_you else -1]


def parts(text: str, hits: Sequence[Hit]) -> Parts:
    """The feeling, situation and need a blaming ``text`` itself says (see the module doc):
    from the first sentence with a blaming form that says them.

    The rewriting is English grammar ("you never call" → "you don't call"): in another
    language nothing is taken from the sentence, and the "I" form is offered with what the
    user said earlier and blanks (a German or Russian sentence run through English rules
    came out half rewritten, "ты никогда not не звонишь")."""
    found = Parts()
    if i18n.current() != i18n.DEFAULT:
        return found
    done_until = -1
    for hit in hits:
        if hit.start < done_until:
            continue  # a sentence already read
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, hit.start)), default=0)
        stop_at = _SENTENCE_END.search(text, hit.end)
        end = done_until = stop_at.start() if stop_at else len(text)
        inside = [(h.start - start, h.end - start, h.kind) for h in hits if start <= h.start < end]
        said = _sentence_parts(text[start:end], inside)
        found = Parts(
            found.feeling or said.feeling,
            found.situation or said.situation,
            found.need or said.need,
        )
        if found.situation:
            break
    return found


def _sentence_parts(sentence: str, hits: Sequence[tuple[int, int, str]]) -> Parts:
    rewritten, feeling = _rewrite(sentence, hits)
    need, rewritten = _take(_NEED, rewritten)
    said, rewritten = _take(_feeling_pattern(i18n.current()), rewritten)
    if said and not _NOT_A_FEELING.match(said):
        feeling = feeling or said
    main, conjunction, clause = _split_situation(rewritten)
    behaviour, clause = _lower_start(_main_clause(main)), _lower_start(_tidy(clause))
    if not _says_something(clause):
        clause = ""
    if behaviour and clause:
        if conjunction in ("when", "whenever"):
            situation = f"{clause} and {behaviour}"
        else:
            situation = f"{behaviour} {conjunction} {clause}"
    else:
        situation = behaviour or clause
    return Parts(_tidy(feeling), situation, _tidy(need))
