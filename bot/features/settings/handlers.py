"""/settings and its shortcuts: /timezone, /morning, /evening, /weekly (/pause and /resume
live in pause.py)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime, time
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.content import t
from bot.engine import aftercare, flow
from bot.features.onboarding.timezone_step import (
    describe,
    reply_to_location,
    reply_to_zone_text,
    timezone_question,
    zone_from_data,
)
from bot.features.settings import pause, people
from bot.features.settings.people import keep_button
from bot.handlers.common import Button, Ctx, answer, current_user, drop_buttons, onboarded_user, say
from bot.models import User
from bot.services import profile
from bot.services.parse.times import (
    DayInputError,
    TimeInputError,
    format_time,
    parse_time,
    parse_weekly,
)
from bot.store.db import Database

NAME = "settings"
ASK_TZ, ASK_MORNING, ASK_EVENING, ASK_WEEKLY = "tz", "morning", "evening", "weekly"


def weekly_buttons() -> list[list[Button]]:
    return [[(t("settings.weekly_default"), "st:wdef")], [keep_button()]]


def _buttons(user: User, now: datetime) -> list[list[Button]]:
    pause: Button = (
        (t("settings.button_resume"), "st:resume")
        if profile.is_paused(user, now)
        else (t("settings.button_pause"), "st:pause")
    )
    return [
        [(t("settings.button_timezone"), "st:tz"), (t("settings.button_weekly"), "st:weekly")],
        [
            (t("settings.button_morning"), "st:morning"),
            (t("settings.button_evening"), "st:evening"),
        ],
        [pause],
        [(t("settings.button_people"), "pe:list")],
        [(t("safetyplan.settings_button"), "sp:open")],
    ]


async def show_settings(update: Update, ctx: Ctx) -> None:
    user = await _onboarded(update, ctx)
    if user is None:
        return
    now = ctx.now()
    text = t("settings.title") + "\n\n" + profile.settings_view(user, now).text()
    await say(update, ctx, text, _buttons(user, now))


async def _onboarded(update: Update, ctx: Ctx) -> User | None:
    return await onboarded_user(update, ctx, "settings.not_onboarded")


# --- timezone -------------------------------------------------------------------------------


async def _apply_zone(update: Update, ctx: Ctx, user: User, zone: str) -> int:
    with flow.carrying(update, ctx, NAME, ConversationHandler.END):  # (ends with the answer)
        profile.set_timezone(ctx.db, user.id, zone, ctx.now())
    await say(update, ctx, t("settings.timezone_set", zone=describe(zone, ctx)))
    return ConversationHandler.END


async def timezone_cmd(update: Update, ctx: Ctx) -> str | int:
    user = await _onboarded(update, ctx)
    if user is None:
        return ConversationHandler.END
    if ctx.args:
        zone = await reply_to_zone_text(
            update, ctx, " ".join(ctx.args), "st:tzset", [keep_button()]
        )
        return ASK_TZ if zone is None else await _apply_zone(update, ctx, user, zone)
    await say(update, ctx, timezone_question(), [[keep_button()]])
    return ASK_TZ


async def timezone_text(update: Update, ctx: Ctx) -> str | int | None:
    assert update.message is not None and update.message.text is not None
    user = current_user(update, ctx)
    zone = await reply_to_zone_text(update, ctx, update.message.text, "st:tzset", [keep_button()])
    return None if zone is None else await _apply_zone(update, ctx, user, zone)


async def timezone_location(update: Update, ctx: Ctx) -> str | int | None:
    """A shared location instead of a typed city: its zone is set at once (it is where the
    user is, not a name that may be misread)."""
    user = current_user(update, ctx)
    zone = await reply_to_location(update, ctx, [keep_button()])
    return None if zone is None else await _apply_zone(update, ctx, user, zone)


async def timezone_pick(update: Update, ctx: Ctx) -> int | None:
    query = await answer(update)
    assert query is not None and query.data is not None
    zone = zone_from_data(query.data)
    if zone is None:
        await say(update, ctx, t("onboarding.retype_timezone"))
        return None
    await drop_buttons(update)
    return await _apply_zone(update, ctx, current_user(update, ctx), zone)


# --- times ----------------------------------------------------------------------------------

Setter = Callable[[Database, int, time, datetime], User | None]
TIME_SLOTS: dict[str, tuple[Setter, str, str]] = {
    ASK_MORNING: (profile.set_morning, "settings.ask_morning", "settings.morning_set"),
    ASK_EVENING: (profile.set_evening, "settings.ask_evening", "settings.evening_set"),
}


async def _apply_time(update: Update, ctx: Ctx, slot: str, raw: str) -> str | int:
    setter, _, done_key = TIME_SLOTS[slot]
    try:
        value = parse_time(raw)
    except TimeInputError as err:
        shown = raw.strip()[:40]
        await say(
            update,
            ctx,
            t("onboarding.bad_time", text=shown, example=err.example),
            [[keep_button()]],
        )
        return slot
    with flow.carrying(update, ctx, NAME, ConversationHandler.END):
        setter(ctx.db, current_user(update, ctx).id, value, ctx.now())
    await say(update, ctx, t(done_key, time=format_time(value)))
    return ConversationHandler.END


def _time_cmd(slot: str) -> Callable[[Update, Ctx], Coroutine[Any, Any, str | int]]:
    async def handler(update: Update, ctx: Ctx) -> str | int:
        if await _onboarded(update, ctx) is None:
            return ConversationHandler.END
        if ctx.args:
            return await _apply_time(update, ctx, slot, " ".join(ctx.args))
        await say(update, ctx, t(TIME_SLOTS[slot][1]), [[keep_button()]])
        return slot

    return handler


def _time_text(slot: str) -> Callable[[Update, Ctx], Coroutine[Any, Any, str | int]]:
    async def handler(update: Update, ctx: Ctx) -> str | int:
        assert update.message is not None and update.message.text is not None
        return await _apply_time(update, ctx, slot, update.message.text)

    return handler


# --- weekly ---------------------------------------------------------------------------------


async def _apply_weekly(update: Update, ctx: Ctx, raw: str) -> str | int:
    try:
        day, value = parse_weekly(raw)
    except (DayInputError, TimeInputError):
        await say(update, ctx, t("settings.bad_weekly", text=raw.strip()[:40]), weekly_buttons())
        return ASK_WEEKLY
    with flow.carrying(update, ctx, NAME, ConversationHandler.END):
        profile.set_weekly(ctx.db, current_user(update, ctx).id, day, value, ctx.now())
    label = profile.weekly_label(day, format_time(value))
    await say(update, ctx, t("settings.weekly_set", weekly=label))
    return ConversationHandler.END


async def weekly_cmd(update: Update, ctx: Ctx) -> str | int:
    if await _onboarded(update, ctx) is None:
        return ConversationHandler.END
    if ctx.args:
        return await _apply_weekly(update, ctx, " ".join(ctx.args))
    await say(update, ctx, t("settings.ask_weekly"), weekly_buttons())
    return ASK_WEEKLY


async def weekly_text(update: Update, ctx: Ctx) -> str | int:
    assert update.message is not None and update.message.text is not None
    return await _apply_weekly(update, ctx, update.message.text)


async def weekly_default(update: Update, ctx: Ctx) -> str | int:
    await answer(update)
    await drop_buttons(update)
    return await _apply_weekly(update, ctx, "Sunday 19:00")


# --- buttons on the settings view -----------------------------------------------------------


async def settings_button(update: Update, ctx: Ctx) -> str | int:
    query = await answer(update)
    assert query is not None and query.data is not None
    await drop_buttons(update)
    if await _onboarded(update, ctx) is None:
        return ConversationHandler.END
    choice = query.data.removeprefix("st:")
    if choice == "tz":
        await say(
            update,
            ctx,
            timezone_question(),
            [[keep_button()]],
        )
        return ASK_TZ
    if choice == "weekly":
        await say(update, ctx, t("settings.ask_weekly"), weekly_buttons())
        return ASK_WEEKLY
    await say(update, ctx, t(TIME_SLOTS[choice][1]), [[keep_button()]])
    return choice


async def resume(update: Update, ctx: Ctx, state: str) -> str | int:
    """After a pause (aftercare.py): the question of the setting being changed, again."""
    if state == ASK_TZ:
        await say(
            update,
            ctx,
            timezone_question(),
            [[keep_button()]],
        )
    elif state == ASK_WEEKLY:
        await say(update, ctx, t("settings.ask_weekly"), weekly_buttons())
    elif state in TIME_SLOTS:
        await say(update, ctx, t(TIME_SLOTS[state][1]), [[keep_button()]])
    elif state == people.ASK_RENAME:
        return await people.ask_rename_again(update, ctx)
    else:
        await say(update, ctx, t("settings.unchanged"))
        return ConversationHandler.END
    return state


async def keep(update: Update, ctx: Ctx) -> int:
    await answer(update)
    await drop_buttons(update)
    await say(update, ctx, t("settings.unchanged"))
    return ConversationHandler.END


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("common.not_text"), [[keep_button()]])


def build() -> ConversationHandler:  # type: ignore[type-arg]
    keep_handler: flow.Handler = CallbackQueryHandler(keep, pattern=r"^st:keep$")
    return flow.conversation(
        NAME,
        [
            CommandHandler("timezone", timezone_cmd),
            CommandHandler("morning", _time_cmd(ASK_MORNING)),
            CommandHandler("evening", _time_cmd(ASK_EVENING)),
            CommandHandler("weekly", weekly_cmd),
            CallbackQueryHandler(settings_button, pattern=r"^st:(tz|morning|evening|weekly)$"),
            CallbackQueryHandler(people.ask_rename, pattern=rf"^{people.P}:rename:{people.KEY}$"),
        ],
        {
            ASK_TZ: flow.typed_step(
                timezone_text,
                not_text,
                keep_handler,
                MessageHandler(filters.LOCATION, timezone_location),
                CallbackQueryHandler(timezone_pick, pattern=r"^st:tzset:"),
            ),
            ASK_MORNING: [keep_handler, MessageHandler(flow.TEXT, _time_text(ASK_MORNING))],
            ASK_EVENING: [keep_handler, MessageHandler(flow.TEXT, _time_text(ASK_EVENING))],
            ASK_WEEKLY: flow.typed_step(
                weekly_text,
                not_text,
                keep_handler,
                CallbackQueryHandler(weekly_default, pattern=r"^st:wdef$"),
            ),
            people.ASK_RENAME: flow.typed_step(people.rename_text, not_text, keep_handler),
        },
        fallbacks=[MessageHandler(flow.OTHER, not_text)],
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    app.add_handler(CommandHandler("settings", show_settings))
    aftercare.register(NAME, resume)
    pause.register(app)
    people.register(app)
