"""What a person in crisis reads: their own plan first, then helplines, then the emergency number.

The order is the issue's and the safety-planning practice's: the user's own words (what they
can do, the people they can call, what matters to them), then the helplines for their country
and language (``crisis.helplines``; the country from their Telegram language code, else from
their timezone), then the emergency number of that country, and the international directory.

Pure: no Telegram, no database, no clock. Detection lives in bot/services/crisis.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from bot.content import data, t
from bot.services.crisis import detect_crisis, helplines, parse_language_code
from bot.services.textsplit import clip

#: Sections of the user's plan shown in the crisis reply, in this order.
CRISIS_SECTIONS = ("coping", "helpers", "reasons")
SECTION_CLIP = 700  # characters of each of the user's sections in the reply


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone → ISO 3166 country, from the tzdata package's zone.tab."""
    found: dict[str, str] = {}
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):  # pragma: no cover - tzdata is a dependency
        return found
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            found[parts[2]] = parts[0]
    return found


def quotable(text: str | None) -> bool:
    """Whether an answer may be read back in a summary: words that carried crisis language
    are kept in the entry (and in /history) but never quoted back in a reply."""
    return bool(text and text.strip()) and not detect_crisis(text)


def country_of(language_code: str | None, zone: str | None) -> str | None:
    """The user's country: the region of their language code (``pt-BR``), else their zone's."""
    _, region = parse_language_code(language_code)
    if region is not None:
        return region
    return _zone_countries().get(zone or "")


def _lookup_code(language_code: str | None, country: str | None) -> str | None:
    lang, _ = parse_language_code(language_code)
    if country is None:
        return language_code
    return f"{lang or 'xx'}-{country}"


def emergency(country: str | None) -> str:
    numbers: dict[str, Any] = data("care.emergency")
    number = numbers.get(country or "")
    return t("care.emergency_country", number=number) if number else t("crisis.emergency")


def resources_text(language_code: str | None, zone: str | None) -> str:
    """Helplines for the country and language, the emergency number, the directory."""
    country = country_of(language_code, zone)
    blocks = []
    lines = helplines(_lookup_code(language_code, country))
    if lines:
        items = [t("crisis.line_item", text=line.text) for line in lines]
        blocks.append("\n".join([t("crisis.lines_heading"), *items]))
    blocks.append(emergency(country))
    blocks.append(t("crisis.directory"))
    return "\n\n".join(blocks)


def plan_text(plan: Mapping[str, str | None] | None) -> str | None:
    """The user's own coping, people and reasons, verbatim (each shortened if very long)."""
    if not plan:
        return None
    items = [
        t(
            "care.plan_item",
            label=t(f"safetyplan.short.{name}"),
            text=clip(value.strip(), SECTION_CLIP),
        )
        for name in CRISIS_SECTIONS
        if (value := plan.get(name)) and value.strip()
    ]
    if not items:
        return None
    return "\n\n".join([t("care.plan_heading"), *items])


def care_text(
    plan: Mapping[str, str | None] | None,
    language_code: str | None,
    zone: str | None,
    paused: bool,
) -> str:
    """The answer to crisis language: care, their plan, resources; the pause line when a
    conversation waits for them."""
    blocks = [t("crisis.care"), plan_text(plan), resources_text(language_code, zone)]
    if paused:
        blocks.append(t("care.paused"))
    return "\n\n".join(b for b in blocks if b)


def sos_text(
    plan: Mapping[str, str | None] | None, language_code: str | None, zone: str | None
) -> str:
    """/sos: the same, with a short intro instead of the reply."""
    blocks = [t("crisis.sos_intro"), plan_text(plan), resources_text(language_code, zone)]
    return "\n\n".join(b for b in blocks if b)
