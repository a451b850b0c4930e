"""Holding back kindly: updates shed by the flood limit, and cooldowns on costly commands.

The update processor (bot/concurrency.py) marks the updates of a user who writes faster than
their token bucket allows; the handler here runs before everything but the private-chats check
(group -3: after bot/handlers/private.py, -10, before even the crisis handler, -2, which never
sees a shed update: one with crisis language is never shed),
says "slow down a little" for the first of a flood and stops the rest silently.

``cooled_down`` is what /export, /summary and a long /history entry ask before they start.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, BaseHandler

from bot.content import t
from bot.content.keys import Family
from bot.handlers.common import Ctx, say
from bot.services.limits import COOLDOWNS

log = logging.getLogger(__name__)

GROUP = -3

#: What a costly command asked again within its cooldown says.
COOLDOWN_TEXTS = Family("limits.cooldown_{}", tuple(COOLDOWNS))


class _ShedHandler(BaseHandler[Update, Ctx, None]):
    """Matches only updates the processor shed (a dictionary lookup per update)."""

    def __init__(self, shed: dict[int, bool]) -> None:
        super().__init__(self._stop)
        self.shed = shed

    def check_update(self, update: object) -> bool:
        return isinstance(update, Update) and update.update_id in self.shed

    async def _stop(self, update: Update, ctx: Ctx) -> None:
        if self.shed.pop(update.update_id, False) and update.effective_chat is not None:
            await say(update, ctx, t("limits.slow_down"))
        raise ApplicationHandlerStop


async def cooled_down(update: Update, ctx: Ctx, action: str, variant: str = "") -> bool:
    """True if the user may run the costly ``action`` (its ``variant``) now; otherwise a
    kind word and False."""
    user = update.effective_user
    if user is None or ctx.rt.cooldowns.allow(user.id, action, ctx.now(), variant):
        return True
    log.info("cooldown user_id=%s action=%s", user.id, action)
    await say(update, ctx, t(f"limits.cooldown_{action}"))
    return False


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    shed: dict[int, bool] | None = getattr(app.update_processor, "shed", None)
    if shed is not None:
        app.add_handler(_ShedHandler(shed), group=GROUP)
