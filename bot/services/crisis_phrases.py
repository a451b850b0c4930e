"""The phrase syntax of the crisis TOML files, and the normalised text it is matched in.

``normalise`` is what both messages and phrases go through (NFKC, casefold, accents and other
combining marks dropped, curly quotes and dashes made plain, spaces collapsed, at most
``MAX_SCAN`` characters). ``phrase_regex`` turns one phrase into a regex: words (``'``
optional, ``-`` optional or a space, ``word*`` a prefix), ``{slot}`` (any value of the slot),
``(one|other words|{slot})`` (one of these phrases, not nested), and for patterns over lemma
streams ``~N`` (up to N words, never across a sentence mark) and ``$`` (the end of a
sentence). ``compile_phrases`` joins phrases into one whole-word regex, longest first.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

#: How many characters of a message are scanned (before and after normalising).
MAX_SCAN = 10_000

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
_CHOICE = re.compile(r"\(([^()]+)\)")
_PIECE = re.compile(r"\([^()]*\)|\S+")


def normalise(text: str) -> str:
    """The form both messages and phrases are matched in."""
    text = text[:MAX_SCAN].translate(_PLAIN)
    text = unicodedata.normalize("NFKC", text).casefold().translate(_PLAIN)
    if text.isascii():  # nothing to decompose: the common case, ~10x cheaper
        return _SPACES.sub(" ", text).strip()[:MAX_SCAN]
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
    for token in _PIECE.findall(phrase):
        gap = _GAP.fullmatch(token)
        if gap is not None:  # up to N words, within one sentence (lemma patterns)
            pieces.append(rf"(?: [^ |]+){{0,{gap.group(1)}}}")
            continue
        if token == "$":  # the end of a sentence (lemma patterns)
            pieces.append(r"(?= \||$)")
            continue
        choice = _CHOICE.fullmatch(token)
        if choice is not None:  # (one|other words|{slot}): one of these phrases
            alts = {phrase_regex(a, slots) for a in choice.group(1).split("|") if a.strip()}
            body = "|".join(sorted(alts, key=len, reverse=True))
            pieces.append((" " if pieces else "") + "(?:" + body + ")")
            continue
        if token.startswith("~"):
            raise ValueError(f"crisis: a gap is ~0 to ~9 (chain two for more) in {phrase!r}")
        if "(" in token or ")" in token:
            raise ValueError(f"crisis: nested or unclosed choice in {phrase!r}")
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


def compile_phrases(phrases: Iterable[tuple[str, Mapping[str, Iterable[str]]]]) -> re.Pattern[str]:
    bodies = sorted({phrase_regex(p, slots) for p, slots in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)")
