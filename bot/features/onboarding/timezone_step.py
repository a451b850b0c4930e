"""The timezone question, shared by onboarding and /timezone: parse, suggest, confirm."""

from __future__ import annotations

from babel import Locale
from telegram import Update

from bot.content import t
from bot.handlers.common import Button, Ctx, say
from bot.services.parse.places import Place
from bot.services.parse.times import TimezoneInputError, describe_zone, parse_timezone


def zone_from_data(data: str) -> str | None:
    """The zone carried by a button's callback data (``<prefix>:<action>:<zone>``), re-validated.

    The zone is everything after the second colon: offsets such as ``UTC+05:30`` contain one.
    """
    parts = data.split(":", 2)
    if len(parts) != 3:
        return None
    raw = parts[2]
    try:
        return parse_timezone(raw)
    except TimezoneInputError:
        return None


async def reply_to_zone_text(
    update: Update, ctx: Ctx, text: str, pick_prefix: str, extra: list[Button] | None = None
) -> str | None:
    """Parse the typed zone. On success return it; otherwise reply with suggestions."""
    try:
        return parse_timezone(text)
    except TimezoneInputError as err:
        shown = text.strip()[:40]
        rows: list[list[Button]] = [[(z, f"{pick_prefix}:{z}")] for z in err.suggestions]
        if err.places:  # one name, several cities: each button names its city and country
            rows = [[(place_label(p), f"{pick_prefix}:{p.zone}")] for p in err.places]
        if extra:
            rows.append(extra)
        key = (
            "onboarding.ambiguous_city"
            if err.places
            else "onboarding.unknown_timezone_suggest"
            if err.suggestions
            else "onboarding.unknown_timezone"
        )
        await say(update, ctx, t(key, text=shown), rows)
        return None


def place_label(place: Place, lang: str = "en") -> str:
    """ "San José, Costa Rica": the city and its country's name (CLDR, through Babel)."""
    country = Locale.parse(lang).territories.get(place.country, place.country)
    return t("onboarding.place_button", city=place.name, country=country)


def describe(zone: str, ctx: Ctx) -> str:
    return describe_zone(zone, ctx.now())
