"""/start: greeting, what Steady is and is not, timezone, morning and evening times."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
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
from bot.features.settings import handlers as settings_handlers
from bot.handlers.common import Ctx, answer, current_user, drop_buttons, edit_or_say, say
from bot.services import profile
from bot.services.parse.times import TimeInputError, format_time, parse_time

NAME = "onboarding"
CONSENT, TIMEZONE, MORNING, EVENING = "consent", "timezone", "morning", "evening"

#: What a time step does with the time chosen (HH:MM): store it and ask the next question.
TimeStep = Callable[[Update, Ctx, str], Coroutine[Any, Any, str | int]]


async def start(update: Update, ctx: Ctx) -> str | int:
    user = current_user(update, ctx)
    if profile.is_onboarded(user):
        await say(
            update, ctx, t("onboarding.welcome_back", name=user.first_name or t("common.no_name"))
        )
        await settings_handlers.show_settings(update, ctx)
        return ConversationHandler.END
    if user.consent_at is not None:
        return await _ask_timezone(update, ctx)
    name = user.first_name or t("onboarding.welcome_no_name")
    await say(
        update,
        ctx,
        t("onboarding.welcome", name=name),
        [[(t("onboarding.consent_button"), "ob:consent")]],
    )
    return CONSENT


async def consent(update: Update, ctx: Ctx) -> str:
    await answer(update)
    await drop_buttons(update)
    user = current_user(update, ctx)
    with flow.carrying(update, ctx, NAME, TIMEZONE):  # (the step stored with the answer)
        profile.record_consent(ctx.db, user.id, ctx.now())
    return await _ask_timezone(update, ctx)


async def consent_reminder(update: Update, ctx: Ctx) -> None:
    await say(
        update,
        ctx,
        t("onboarding.consent_button") + "?",
        [[(t("onboarding.consent_button"), "ob:consent")]],
    )


async def _ask_timezone(update: Update, ctx: Ctx) -> str:
    await say(
        update,
        ctx,
        timezone_question(),
        [[(t("onboarding.utc_button"), "ob:tz:UTC")]],
    )
    return TIMEZONE


async def timezone_text(update: Update, ctx: Ctx) -> str | None:
    assert update.message is not None and update.message.text is not None
    zone = await reply_to_zone_text(update, ctx, update.message.text, "ob:tz")
    if zone is not None:
        await _confirm_zone(update, ctx, zone)
    return None


async def timezone_location(update: Update, ctx: Ctx) -> str | None:
    """A shared location instead of a typed city: its zone, to confirm like a typed one."""
    zone = await reply_to_location(update, ctx)
    if zone is not None:
        await _confirm_zone(update, ctx, zone)
    return None


async def _confirm_zone(update: Update, ctx: Ctx, zone: str) -> None:
    await say(
        update,
        ctx,
        t("onboarding.confirm_timezone", zone=describe(zone, ctx)),
        [
            [(t("onboarding.confirm_yes"), f"ob:tz:{zone}")],
            [(t("onboarding.confirm_no"), "ob:retype")],
        ],
    )


async def timezone_chosen(update: Update, ctx: Ctx) -> str | None:
    query = await answer(update)
    assert query is not None and query.data is not None
    zone = zone_from_data(query.data)
    if zone is None:
        await edit_or_say(update, ctx, t("onboarding.retype_timezone"))
        return None
    await drop_buttons(update)
    user = current_user(update, ctx)
    with flow.carrying(update, ctx, NAME, MORNING):
        profile.set_timezone(ctx.db, user.id, zone, ctx.now())
    return await _ask_morning(update, ctx)


async def _ask_morning(update: Update, ctx: Ctx) -> str:
    await say(
        update,
        ctx,
        t("onboarding.ask_morning"),
        [[(t("onboarding.default_time", time=profile.DEFAULT_MORNING), "ob:mdef")]],
    )
    return MORNING


async def _ask_evening(update: Update, ctx: Ctx) -> str:
    await say(
        update,
        ctx,
        t("onboarding.ask_evening"),
        [[(t("onboarding.default_time", time=profile.DEFAULT_EVENING), "ob:edef")]],
    )
    return EVENING


async def timezone_retype(update: Update, ctx: Ctx) -> None:
    await answer(update)
    await edit_or_say(update, ctx, t("onboarding.retype_timezone"))


async def _read_time(update: Update, ctx: Ctx) -> str | None:
    """The typed time as HH:MM, or None after a kind reply explaining the format."""
    assert update.message is not None and update.message.text is not None
    try:
        return format_time(parse_time(update.message.text))
    except TimeInputError as err:
        shown = update.message.text.strip()[:40]
        await say(update, ctx, t("onboarding.bad_time", text=shown, example=err.example))
        return None


def _typed_time(then: TimeStep) -> flow.Callback:
    """A time typed at a step, passed on to ``then`` as HH:MM (a bad one gets a kind reply)."""

    async def handler(update: Update, ctx: Ctx) -> str | int | None:
        value = await _read_time(update, ctx)
        return None if value is None else await then(update, ctx, value)

    return handler


def _default_time(then: TimeStep, hhmm: str) -> flow.Callback:
    """The step's button offering the default time ``hhmm``."""

    async def handler(update: Update, ctx: Ctx) -> str | int:
        await answer(update)
        await drop_buttons(update)
        return await then(update, ctx, hhmm)

    return handler


async def _set_morning(update: Update, ctx: Ctx, hhmm: str) -> str:
    user = current_user(update, ctx)
    with flow.carrying(update, ctx, NAME, EVENING):
        profile.set_morning(ctx.db, user.id, parse_time(hhmm), ctx.now())
    return await _ask_evening(update, ctx)


async def _finish(update: Update, ctx: Ctx, evening: str) -> int:
    user = current_user(update, ctx)
    now = ctx.now()
    done = profile.complete_onboarding(ctx.db, user.id, now, parse_time(evening))
    assert done is not None
    view = profile.settings_view(done, now)
    await say(
        update,
        ctx,
        t(
            "onboarding.done",
            name=done.first_name or t("common.no_name"),
            morning=view.morning,
            evening=view.evening,
            weekly=view.weekly,
            zone=view.zone,
        ),
    )
    return ConversationHandler.END


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("common.not_text"))


def build() -> ConversationHandler:  # type: ignore[type-arg]
    return flow.conversation(
        NAME,
        [CommandHandler("start", start)],
        {
            CONSENT: [
                CallbackQueryHandler(consent, pattern=r"^ob:consent$"),
                MessageHandler(flow.TEXT | flow.OTHER, consent_reminder),
            ],
            TIMEZONE: flow.typed_step(
                timezone_text,
                not_text,
                MessageHandler(filters.LOCATION, timezone_location),
                CallbackQueryHandler(timezone_chosen, pattern=r"^ob:tz:"),
                CallbackQueryHandler(timezone_retype, pattern=r"^ob:retype$"),
            ),
            MORNING: flow.typed_step(
                _typed_time(_set_morning),
                not_text,
                CallbackQueryHandler(
                    _default_time(_set_morning, profile.DEFAULT_MORNING), pattern=r"^ob:mdef$"
                ),
            ),
            EVENING: flow.typed_step(
                _typed_time(_finish),
                not_text,
                CallbackQueryHandler(
                    _default_time(_finish, profile.DEFAULT_EVENING), pattern=r"^ob:edef$"
                ),
            ),
        },
        fallbacks=[CommandHandler("start", start)],
    )


async def resume(update: Update, ctx: Ctx, state: str) -> str | int:
    """After a pause (aftercare.py): the question of the step that was open, asked again."""
    if state == MORNING:
        return await _ask_morning(update, ctx)
    if state == EVENING:
        return await _ask_evening(update, ctx)
    return await start(update, ctx)  # the welcome, or the timezone once consent is given


async def stop_note(update: Update, ctx: Ctx) -> str:
    return t("care.onboarding_note")


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    aftercare.register(NAME, resume, stop_note=stop_note)
