"""What the bot answers crisis language with: care, the helplines for the user's country and
language, the emergency advice (issue 14). Detection is ``crisis.py``; these were split from it
in round 7 when it passed 300 lines (``crisis`` re-exports them).

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.content import data, i18n, t


@dataclass(frozen=True, slots=True)
class Helpline:
    """A helpline for some countries (ISO 3166 codes) and languages (ISO 639-1 codes)."""

    countries: tuple[str, ...]
    languages: tuple[str, ...]
    text: str


@cache
def _helplines(lang: str) -> tuple[Helpline, ...]:
    """The helplines, their descriptions in ``lang`` (numbers and names stay as they are)."""
    return tuple(
        Helpline(
            tuple(str(c).upper() for c in raw["countries"]),
            tuple(str(lang).lower() for lang in raw["languages"]),
            str(raw["text"]),
        )
        for raw in data("crisis.lines", lang)
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
    for order, line in enumerate(_helplines(i18n.current())):
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
