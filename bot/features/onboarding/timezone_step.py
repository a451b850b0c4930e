"""The timezone question, shared by onboarding and /timezone: parse, suggest, confirm."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.content import i18n, t
from bot.handlers.common import Button, Ctx, say
from bot.services.parse import places
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


def timezone_question() -> str:
    """The timezone question, with the hint that a shared location answers it too."""
    return t("onboarding.ask_timezone") + "\n\n" + t("onboarding.location_hint")


async def reply_to_location(
    update: Update, ctx: Ctx, extra: list[Button] | None = None
) -> str | None:
    """The zone at a shared location (timezonefinder, in a worker thread: its data loads on
    first use); None after a kind reply when the spot is at sea or off the map."""
    message = update.effective_message
    location = message.location if message is not None else None
    if location is None:
        return None
    zone = await asyncio.to_thread(places.zone_at, location.latitude, location.longitude)
    if zone is None:
        await say(update, ctx, t("onboarding.location_at_sea"), [extra] if extra else ())
    return zone


def place_label(place: Place) -> str:
    """ "San José, Costa Rica": the city and its country's name (CLDR, through Babel)."""
    return t("onboarding.place_button", city=place.name, country=i18n.country_name(place.country))


def describe(zone: str, ctx: Ctx) -> str:
    return describe_zone(zone, ctx.now())
