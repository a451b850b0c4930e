"""Fake Telegram Bot API server and simulated users for end-to-end tests of the bot.

Typical use::

    async with FakeBotApi() as server:
        app = application_builder(server).build()  # token/base_url/base_file_url + tracking
        app.add_handler(...)
        async with running(app):  # initialize, start, start_polling(poll_interval=0, timeout=1)
            alex = FakeUser(server, 1001)
            (hello,) = await alex.ask("/start")  # events produced while handling the update
            assert hello.buttons == [["Yes", "No"]]
            (edit,) = await alex.tap("Yes")
            assert server.answered_callbacks[-1]["text"] == "Saved"

Every request is validated against the official api.json (see ``spec.spec_path``; override
with ``TELEGRAM_API_SPEC``) and recorded in ``server.requests`` / ``server.calls(method)``.
The bot may only write to chats the server knows: create a FakeUser (or ``server.add_chat``).

Faults: ``server.fail_next(method, code, ...)``, ``block_chat``, ``enforce_limits``, and
outages with ``await server.pause()`` / ``await server.resume()``. Webhook mode:
``await deliver_webhook(server, update_id)`` POSTs a pushed update to the URL the bot set.
"""

from .harness import TrackedApplication, application_builder, running
from .server import FakeBotApi
from .spec import ApiError, UploadedPart, load_spec
from .state import BotEvent, RecordedRequest, StoredFile
from .user import TINY_PNG, FakeUser
from .webhook import deliver_webhook

__all__ = [
    "TINY_PNG",
    "ApiError",
    "BotEvent",
    "FakeBotApi",
    "FakeUser",
    "RecordedRequest",
    "StoredFile",
    "TrackedApplication",
    "UploadedPart",
    "application_builder",
    "deliver_webhook",
    "load_spec",
    "running",
]
