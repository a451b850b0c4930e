"""FakeBotApi: an aiohttp server that behaves like api.telegram.org for one bot token."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from .faults import Faults
from .methods import HANDLERS, resolve_chat
from .outage import Outages
from .spec import ApiError, UploadedPart, load_spec
from .state import BotEvent, RecordedRequest, State


class FakeBotApi(Outages):
    """A Telegram Bot API double on 127.0.0.1 that validates requests against api.json."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "steady_test_bot",
        bot_first_name: str = "Steady",
        spec_path: Path | None = None,
    ) -> None:
        self.token = token
        self.spec = load_spec(spec_path)
        bot_id = int(token.split(":", 1)[0])
        bot_user = {"id": bot_id, "is_bot": True, "first_name": bot_first_name}
        self.state = State(bot_user={**bot_user, "username": bot_username})
        self.requests: list[RecordedRequest] = []
        self.faults = Faults()
        self._poll_generation = 0
        self._closing = False
        self.paused = False
        self.outage_attempts = 0
        self._hang_up: asyncio.Server | None = None
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> FakeBotApi:
        await self._listen(0)
        self._loop = asyncio.get_running_loop()
        return self

    async def _listen(self, port: int) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._closing = False

    async def stop(self) -> None:
        self._closing = True
        self.state.notifier.notify()  # release pending long polls
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def bot_user(self) -> dict[str, Any]:
        return self.state.bot_user

    # ------------------------------------------------------------------ assertions helpers
    def calls(self, method: str, *, ok: bool | None = None) -> list[RecordedRequest]:
        """Recorded requests of one method (case-insensitive), optionally only (un)successful."""
        name = method.lower()
        return [r for r in self.requests if r.method.lower() == name and (ok is None or r.ok == ok)]

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        *,
        ok: bool | None = True,
        timeout: float = 10,  # noqa: ASYNC109
    ) -> list[RecordedRequest]:
        """Wait until ``count`` answered calls of ``method`` were made; return them."""

        def ready() -> list[RecordedRequest] | None:
            found = [r for r in self.calls(method, ok=ok) if r.response is not None]
            return found if len(found) >= count else None

        try:
            return await self.state.notifier.wait_for(ready, timeout)
        except TimeoutError:
            got = len([r for r in self.calls(method, ok=ok) if r.response is not None])
            raise AssertionError(
                f"expected {count} call(s) of {method} within {timeout}s, got {got}"
            ) from None

    @property
    def answered_callbacks(self) -> list[dict[str, Any]]:
        return self.state.answered_callbacks

    def events(self, chat_id: int) -> list[BotEvent]:
        return self.state.events.setdefault(chat_id, [])

    def add_chat(self, chat_id: int, first_name: str = "User", username: str | None = None):
        """Make a private chat known (the bot may only write to chats that exist)."""
        self.state.add_chat(chat_id, first_name, username)

    # ------------------------------------------------------------------ fault injection
    def fail_next(
        self,
        method: str,
        error_code: int = 400,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` valid calls of ``method`` with this error.

        429 answers carry ``parameters.retry_after`` (default 1) like real Telegram.
        """
        self.faults.fail_next(method, error_code, description, retry_after, count)

    def block_chat(self, chat_id: int) -> None:
        self.state.blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self.state.blocked.discard(chat_id)

    def enforce_limits(self, global_per_sec: int = 30, per_chat_per_sec: int = 1) -> None:
        """Answer 429 (sliding one-second windows) when the bot sends faster than this."""
        self.faults.limits = (global_per_sec, per_chat_per_sec)

    def disable_limits(self) -> None:
        self.faults.limits = None

    @property
    def too_many_requests(self) -> int:
        """How many 429s the flood limiter answered."""
        return self.faults.too_many_requests

    # ------------------------------------------------------------------ updates
    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update for getUpdates (update_id is assigned if missing)."""
        return self.state.push_update(update)

    def mark_processed(self, update_id: int) -> None:
        """Called by the test Application when it finished process_update(update)."""
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is not None and running is not loop:
            loop.call_soon_threadsafe(self.state.mark_processed, update_id)
        else:
            self.state.mark_processed(update_id)

    async def wait_processed(self, update_id: int, timeout: float = 10) -> None:  # noqa: ASYNC109
        try:
            await self.state.notifier.wait_for(lambda: update_id in self.state.processed, timeout)
        except TimeoutError:
            delivered = update_id in self.state.delivered
            failed = [f"{r.method}: {r.description}" for r in self.requests if not r.ok][-5:]
            raise AssertionError(
                f"update {update_id} was not processed within {timeout}s "
                f"(delivered via getUpdates: {delivered}; recent failed bot requests: {failed})"
            ) from None

    async def wait_all_processed(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        for update_id in list(self.state.pushed):
            await self.wait_processed(update_id, timeout)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.state.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = min(max(params.get("limit", 100), 1), 100)
        self._poll_generation += 1
        generation = self._poll_generation
        self.state.notifier.notify()  # terminate an older long poll, like Telegram does

        def ready() -> bool:
            superseded = generation != self._poll_generation
            return bool(self._closing or superseded or self.state.pending_updates(offset, limit))

        with contextlib.suppress(TimeoutError):
            await self.state.notifier.wait_for(ready, max(params.get("timeout", 0), 0))
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        updates = self.state.pending_updates(offset, limit)
        self.state.delivered.update(u["update_id"] for u in updates)
        return updates

    # ------------------------------------------------------------------ HTTP
    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedPart] = {}
        if request.content_type == "application/json":
            raw = await request.text()
            if raw.strip():
                try:
                    body = json.loads(raw)
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                params.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    mime = value.content_type or "application/octet-stream"
                    files[name] = UploadedPart(name, value.filename, value.file.read(), mime)
                else:
                    params[name] = value
        return params, files

    async def _handle(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        record = RecordedRequest(method=name, params={}, files={}, time=time.monotonic())
        self.requests.append(record)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            spec_method = self.spec.method(name)
            if spec_method is None:
                raise ApiError(404, "Not Found: method not found")
            record.method = spec_method["name"]
            raw, files = await self._read_params(request)
            record.params, record.files = raw, files
            params = self.spec.validate(spec_method, raw, files)
            record.params = params
            result = await self._execute(record.method.lower(), params, files, record.time)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as exc:
            status, body = exc.error_code, exc.payload()
        record.status, record.response = status, body
        self.state.notifier.notify()
        return web.json_response(body, status=status)

    async def _execute(
        self, method: str, params: dict[str, Any], files: dict, arrived: float | None = None
    ) -> Any:
        if isinstance(params.get("chat_id"), int) and params["chat_id"] in self.state.blocked:
            resolve_chat(self.state, params["chat_id"])  # raises 403
        self.faults.check(method, params, arrived)
        if method == "getupdates":
            return await self._get_updates(params)
        handler = HANDLERS.get(method)
        return handler(self.state, params, files) if handler else True

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        stored = self.state.file_by_path(request.match_info["path"])
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.data, headers={"Content-Type": stored.mime_type})
