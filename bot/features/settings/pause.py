"""/pause and /resume (also the Pause / Resume button under /settings): check-ins stop for a
few days or until resumed, and start again. Texts live with the settings' (settings.toml)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.content import i18n, t
from bot.handlers.common import Ctx, answer, onboarded_user, say
from bot.services import profile


async def pause_cmd(update: Update, ctx: Ctx) -> None:
    user = await onboarded_user(update, ctx, "settings.not_onboarded")
    if user is None:
        return
    await answer(update)
    days: int | None = None
    if ctx.args:
        try:
            days = profile.parse_pause_days(" ".join(ctx.args))
        except ValueError:
            await say(update, ctx, t("settings.bad_days"))
            return
    now = ctx.now()
    paused = profile.pause(ctx.db, user.id, days, now)
    if paused is None or paused.paused_until is None:
        await say(update, ctx, t("settings.paused_open"))
        return
    local = paused.paused_until.astimezone(profile.zone_for_safe(paused.timezone))
    await say(update, ctx, t("settings.paused_days", until=i18n.moment(local)))


async def resume_cmd(update: Update, ctx: Ctx) -> None:
    user = await onboarded_user(update, ctx, "settings.not_onboarded")
    if user is None:
        return
    await answer(update)
    if not profile.is_paused(user, ctx.now()):
        await say(update, ctx, t("settings.not_paused"))
        return
    resumed = profile.resume(ctx.db, user.id, ctx.now())
    assert resumed is not None
    await say(
        update,
        ctx,
        t("settings.resumed", morning=resumed.morning_time, evening=resumed.evening_time),
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Called by settings.register, right after the /settings handlers."""
    app.add_handler(CommandHandler("pause", pause_cmd))
    app.add_handler(CommandHandler("resume", resume_cmd))
    app.add_handler(CallbackQueryHandler(pause_cmd, pattern=r"^st:pause$"))
    app.add_handler(CallbackQueryHandler(resume_cmd, pattern=r"^st:resume$"))
