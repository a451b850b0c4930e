"""Fit long texts into Telegram messages: split at paragraph, line or word boundaries.

Telegram refuses messages over 4096 characters. Lengths here are counted in UTF-16 code
units (what Telegram counts for emoji and other astral characters), which is never less than
Python's character count, so a part that fits here fits there.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

LIMIT = 4096
_SEPARATORS = ("\n\n", "\n", " ")


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _prefix_fitting(text: str, limit: int) -> int:
    """The largest n with utf16_len(text[:n]) <= limit."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)


def clip(text: str, limit: int = LIMIT) -> str:
    """``text`` shortened to ``limit`` UTF-16 units, ending with "…" when shortened."""
    if utf16_len(text) <= limit:
        return text
    return text[: _prefix_fitting(text, limit - 1)].rstrip() + "…"


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Parts of at most ``limit`` UTF-16 units that together hold all of ``text``.

    Splits at the last paragraph break, else line break, else space that fits; a single
    word longer than ``limit`` is cut. Blank parts are dropped (Telegram refuses them).
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        fit = _prefix_fitting(rest, limit)
        cut = -1
        for sep in _SEPARATORS:
            cut = rest.rfind(sep, 0, fit)
            if cut > 0:
                parts.append(rest[:cut])
                rest = rest[cut + len(sep) :]
                break
        if cut <= 0:
            parts.append(rest[:fit])
            rest = rest[fit:]
    parts.append(rest)
    return [part for part in parts if part.strip()]
