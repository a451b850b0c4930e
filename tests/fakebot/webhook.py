"""Deliver pushed updates to the bot's webhook, as Telegram does once setWebhook was called."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from .server import FakeBotApi

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REGISTERED = "registered"


def webhook_secret(server: FakeBotApi) -> str | None:
    """The secret_token of the last successful setWebhook call (None if none was set)."""
    calls = server.calls("setWebhook", ok=True)
    return calls[-1].params.get("secret_token") if calls else None


async def deliver_webhook(
    server: FakeBotApi,
    update_id: int,
    secret: str | None = REGISTERED,
    path: str = "",
    url: str | None = None,
) -> int:
    """POST a pushed update to the registered webhook URL; return the HTTP status.

    ``secret`` goes in the secret header: by default the one given to setWebhook; pass
    another string to forge it, or None to leave the header out. ``url``: another address
    than the registered one (one of several replicas behind a load balancer).
    """
    if not server.state.webhook_url:
        raise AssertionError("no webhook registered (setWebhook was not called)")
    token = webhook_secret(server) if secret == REGISTERED else secret
    headers = {SECRET_HEADER: token} if token is not None else {}
    update = server.state.pushed[update_id]
    target = url or server.state.webhook_url + path
    async with (
        aiohttp.ClientSession() as session,
        session.post(target, json=update, headers=headers) as response,
    ):
        await response.read()
        if response.status == 200:
            server.state.delivered.add(update_id)
        return response.status
