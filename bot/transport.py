"""HTTP to the Bot API: python-telegram-bot's ``BaseRequest`` over aiohttp.

PTB's own transport (httpx over httpcore and anyio) cost half of the bot's CPU per update in
the inbound benchmark; aiohttp (a C-accelerated HTTP parser, no compatibility layer) does the
same requests for a fraction of that, which halves the CPU per update and takes the reply
latency tail at 100 updates/s from ~170 ms to ~30 ms (BENCHMARKS.md). ``BaseRequest`` is PTB's
documented place for another HTTP library: everything above it (JSON, error payloads,
``RetryAfter``, the rate limiter) is PTB's as before. This class only sends the request and
maps aiohttp's failures onto PTB's ``TimedOut`` and ``NetworkError``.

Answers to button presses (answerCallbackQuery) travel over connections of their own
(``URGENT_CONNECTIONS``): they stop the spinner on the user's screen, so they must never wait
for a free connection behind a queue of messages.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import aiohttp
import certifi
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue  # what PTB's own transport checks
from telegram.error import NetworkError, TimedOut
from telegram.ext import ApplicationBuilder
from telegram.request import BaseRequest, RequestData
from yarl import URL

Timeout = float | None
Builder = ApplicationBuilder[Any, Any, Any, Any, Any, Any]
#: The proxy for an origin, if any (and its credentials).
Route = tuple[URL | None, aiohttp.BasicAuth | None]
_JSON = {"Content-Type": "application/json"}
#: HTTP connections to the Bot API. Telegram takes about 30 messages/s from a bot, which 8
#: connections carry even at 250 ms a round trip.
CONNECTIONS = 8
#: Connections kept for calls a user is watching for (``URGENT_METHODS``), apart from the rest.
URGENT_CONNECTIONS = 2
URGENT_METHODS = ("/answerCallbackQuery",)


def _seconds(value: Any, default: Timeout) -> Timeout:
    """A per-call timeout, or this transport's default when the call left it unset."""
    return default if isinstance(value, DefaultValue) else value


def _sum(*parts: Timeout) -> Timeout:
    return None if any(part is None for part in parts) else sum(parts)  # type: ignore[arg-type]


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL."""
    end = url.find("/", url.find("//") + 2)
    return url if end < 0 else url[:end]


def _env_route(origin: str) -> Route:
    """The proxy the environment names for ``origin`` (HTTPS_PROXY, NO_PROXY, ...), as
    aiohttp's ``trust_env`` would find it; (None, None) for a direct connection."""
    try:
        return get_env_proxy_for_url(URL(origin))
    except LookupError:
        return None, None


class AiohttpRequest(BaseRequest):
    """Keep-alive connections to the Bot API, at most ``connections`` at once.

    Timeouts mean what they mean for PTB's HTTPXRequest (same defaults): ``pool`` waiting for
    a free connection, ``connect`` opening one, ``read`` between bytes of the answer, and
    ``write`` sending the request (``media_write`` when it uploads a file); the whole request
    is also bounded by their sum.
    """

    def __init__(
        self,
        connections: int,
        *,
        read_timeout: Timeout = 5.0,
        write_timeout: Timeout = 5.0,
        connect_timeout: Timeout = 5.0,
        pool_timeout: Timeout = 1.0,
        media_write_timeout: Timeout = 20.0,
    ) -> None:
        self._connections = connections
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._urgent: aiohttp.ClientSession | None = None
        self._routes: dict[str, Route] = {}

    @property
    def read_timeout(self) -> Timeout:
        return self._read

    def _new_session(self, connections: int) -> aiohttp.ClientSession:
        # certifi's CA bundle, as httpx used: the same trust on every host.
        context = ssl.create_default_context(cafile=certifi.where())
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections, ssl=context),
            headers={"User-Agent": self.USER_AGENT},
            # Not trust_env: it reads ~/.netrc and the proxy variables in a worker thread
            # on every request (two thread hand-offs per call: a third of the bot's CPU
            # per update, BENCHMARKS.md). The proxy is looked up once per origin instead
            # (do_request); netrc logins, which httpx never applied either, are not used.
            trust_env=False,
        )

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = self._new_session(self._connections)
            self._urgent = None
            self._routes = {}

    async def shutdown(self) -> None:
        for session in (self._session, self._urgent):
            if session is not None and not session.closed:
                await session.close()

    def _session_for(self, url: str) -> aiohttp.ClientSession:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        if not url.endswith(URGENT_METHODS):
            return session
        if self._urgent is None or self._urgent.closed:  # made when first needed
            self._urgent = self._new_session(URGENT_CONNECTIONS)
        return self._urgent

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session_for(url)
        files = request_data.multipart_data if request_data else {}
        body: aiohttp.FormData | bytes | None = None
        headers = None
        if request_data is not None and files:  # an upload: multipart/form-data
            form = aiohttp.FormData(request_data.json_parameters)
            for name, (filename, content, mime_type) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime_type)
            body = form
        elif request_data is not None and request_data.parameters:
            # One JSON object, which the Bot API takes for any call without a file: cheaper
            # than percent-encoding every parameter into a form.
            body, headers = request_data.json_payload, _JSON
        read = _seconds(read_timeout, self._read)
        write = _seconds(write_timeout, self._media_write if files else self._write)
        connect = _seconds(connect_timeout, self._connect)
        pool = _seconds(pool_timeout, self._pool)
        timeout = aiohttp.ClientTimeout(
            total=_sum(pool, connect, write, read),
            connect=_sum(pool, connect),
            sock_connect=connect,
            sock_read=read,
        )
        origin = _origin(url)
        route = self._routes.get(origin)
        if route is None:  # reads the environment and maybe ~/.netrc: once, off the loop
            route = self._routes[origin] = await asyncio.to_thread(_env_route, origin)
        proxy, proxy_auth = route
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            # The class name only: some aiohttp errors quote the URL, which holds the token.
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc


def attach(builder: Builder, connections: int = CONNECTIONS) -> Builder:
    """This transport on a PTB ``ApplicationBuilder``: ``connections`` for the bot's calls,
    and one of its own for getUpdates (a long poll holds it)."""
    return builder.request(AiohttpRequest(connections)).get_updates_request(AiohttpRequest(1))
