"""Word forms for crisis matching: a message becomes a stream of lemmas, one per word.

``bot/content/crisis_forms.json`` maps, per language, every word form the lemmatiser simplemma
knows for the lemmas of the crisis lexicon (``lexicon.<lang>`` in ``crisis.toml``) to its lemma:
"geritzt" → "ritzen", "умру" → "умереть", "morri" → "morrer", "killed" → "kill". Words outside
the lexicon stay as they are. The table is generated offline (``uv run python -m
bot.services.crisis_forms``, after changing the lexicon) because simplemma's full dictionaries
cost seconds of start-up and ~500 MB of memory for six languages; the table is a few thousand
entries and loads in milliseconds. Nothing is downloaded, ever.

Typos: a word of six letters or more that is one edit away from a form of a lemma listed in
``lexicon.<lang>.fuzzy`` ("suicdal", "umbrigen") counts as that form (same first letter; a
letter missing, extra, changed or two swapped), looked up through an index of deletions.

German typed without umlauts writes "ae", "oe", "ue" ("aufhaengen", "gewuergt", "zurueck"), and
normalising turns "ä" into "a": so in German both the text and the patterns are *folded*
(``fold``: "ae" → "a", "oe" → "o", "ue" → "u") before they meet, and "aufhaengen" and
"aufhängen" are one word. Folding is done on both sides, so a word that has "ue" of its own
("Mauer") is folded the same way in the message and in the pattern.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from bot.content import data
from bot.services.crisis_phrases import normalise

FORMS_PATH = Path(__file__).resolve().parent.parent / "content" / "crisis_forms.json"
LANGUAGES = ("en", "de", "es", "fr", "pt", "ru")
#: Languages that write contractions without a break ("don't" → "dont"); the others split
#: elisions into two words ("m'a" → "m a").
_JOIN_APOSTROPHE = frozenset({"en"})
#: The sentence mark in a lemma stream: gaps in patterns never cross it.
BARRIER = "|"
_TOKEN = re.compile(r"\w+|[.!?;:|]+")
_FUZZY_MIN = 6
#: Lexicon keys that are not slots: lemmas with typo tolerance, forms never to map.
_NOT_SLOTS = frozenset({"fuzzy", "not_forms"})
#: Languages whose text and patterns are folded (see ``fold``).
_FOLDED = frozenset({"de"})
_DIGRAPH = re.compile(r"([aou])e")
_OUTSIDE_SLOTS = re.compile(r"(\{\w+\})")


def fold(text: str, lang: str) -> str:
    """German "ae"/"oe"/"ue" as "a"/"o"/"u" (what normalising makes of "ä"/"ö"/"ü"); slot
    names (``{name}``) are left alone. Other languages unchanged."""
    if lang not in _FOLDED:
        return text
    parts = _OUTSIDE_SLOTS.split(text)
    return "".join(p if p.startswith("{") else _DIGRAPH.sub(r"\1", p) for p in parts)


def lexicon(lang: str) -> dict[str, list[str]]:
    """The concept slots of one language: name → lemmas (normalised by the caller)."""
    table: dict[str, Any] = data("crisis_patterns.lexicon").get(lang, {})
    return {k: [str(v) for v in vs] for k, vs in table.items() if k not in _NOT_SLOTS}


def _deletions(word: str) -> Iterable[str]:
    """The word with one letter left out, never the first."""
    return (word[:i] + word[i + 1 :] for i in range(1, len(word)))


class Forms:
    """Word form → lemma for one language, with the typo index."""

    def __init__(self, table: Mapping[str, str], fuzzy: Iterable[str]) -> None:
        self.table = dict(table)
        fuzzy_lemmas = frozenset(fuzzy)
        self.fuzzy_forms = {f: lem for f, lem in self.table.items() if lem in fuzzy_lemmas}
        self.deleted: dict[str, str] = {}
        for form, lemma in self.fuzzy_forms.items():
            if len(form) >= _FUZZY_MIN:
                for d in _deletions(form):
                    self.deleted.setdefault(d, lemma)
        self.lemma = lru_cache(maxsize=32_768)(self._lemma)

    def _lemma(self, word: str) -> str:
        found = self.table.get(word)
        if found is not None:
            return found
        if len(word) < _FUZZY_MIN - 1:
            return word
        found = self.deleted.get(word)  # a letter missing
        if found is not None:
            return found
        if len(word) >= _FUZZY_MIN:
            for d in _deletions(word):
                found = self.fuzzy_forms.get(d) or self.deleted.get(d)  # extra / changed
                if found is not None:
                    return found
        return word


@cache
def forms(lang: str) -> Forms:
    raw: dict[str, dict[str, str]] = json.loads(FORMS_PATH.read_text(encoding="utf-8"))
    fuzzy = [
        fold(normalise(str(f)), lang)
        for f in data("crisis_patterns.lexicon").get(lang, {}).get("fuzzy", [])
    ]
    table = raw.get(lang, {})
    if lang in _FOLDED:  # the forms as typed, and folded; their lemmas folded (as the patterns)
        table = {
            **{k: fold(v, lang) for k, v in table.items()},
            **{fold(k, lang): fold(v, lang) for k, v in table.items()},
        }
    return Forms(table, fuzzy)


def lemma_stream(normalised: str, lang: str) -> str:
    """The lemmas of a normalised text, one space apart, sentences split by ``BARRIER``."""
    text = fold(normalised.replace("'", "" if lang in _JOIN_APOSTROPHE else " "), lang)
    lemma = forms(lang).lemma
    spelled = spoken(lang)
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if not (token[0].isalnum() or token[0] == "_"):
            if out and out[-1] != BARRIER:
                out.append(BARRIER)
        elif token in spelled:
            out.extend(lemma(word) for word in spelled[token])
        else:
            out.append(lemma(token))
    return " ".join(out)


@cache
def spoken(lang: str) -> dict[str, tuple[str, ...]]:
    """Chat spellings written as one word that the patterns read as several ("jme" → "je me",
    "chui" → "je suis"; ``crisis_patterns.toml [spoken]``)."""
    table: dict[str, str] = data("crisis_patterns.spoken").get(lang, {})
    return {
        fold(normalise(k), lang): tuple(fold(normalise(v), lang).split()) for k, v in table.items()
    }


def generate(languages: Iterable[str] = LANGUAGES) -> dict[str, dict[str, str]]:
    """The table from simplemma's dictionaries (a dev dependency; slow, memory-hungry)."""
    from simplemma.strategies.dictionaries.dictionary_factory import (
        _load_dictionary_from_disk,
    )

    out: dict[str, dict[str, str]] = {}
    for lang in languages:
        lemmas = {normalise(w) for ws in lexicon(lang).values() for w in ws if " " not in w}
        own: dict[str, Any] = data("crisis_patterns.lexicon").get(lang, {})
        excluded = {normalise(w) for w in own.get("not_forms", [])}
        table = {lem: lem for lem in lemmas}
        for form_b, lemma_b in _load_dictionary_from_disk(lang).items():
            form, lemma = normalise(form_b.decode()), normalise(lemma_b.decode())
            if lemma in lemmas and form not in excluded and " " not in form:
                table.setdefault(form, lemma)
        out[lang] = dict(sorted(table.items()))
    return out


def main(argv: list[str]) -> int:
    """Regenerate the table (for the languages named, else all)."""
    table: dict[str, dict[str, str]] = json.loads(FORMS_PATH.read_text(encoding="utf-8"))
    table.update(generate(argv or LANGUAGES))
    table = {lang: table.get(lang, {}) for lang in LANGUAGES}
    text = json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True)
    FORMS_PATH.write_text(text + "\n", encoding="utf-8")
    sizes = ", ".join(f"{lang} {len(t)}" for lang, t in table.items())
    print(f"wrote {FORMS_PATH.name}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
