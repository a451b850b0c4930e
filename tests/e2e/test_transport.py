"""The bot's HTTP transport (bot/transport.py) against the fake Bot API and broken servers:
answers, uploads and Telegram's errors arrive as PTB knows them; a dead or silent server ends
in PTB's NetworkError or TimedOut, never a hang, and no error quotes the token."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.transport import AiohttpRequest
from tests.fakebot import FakeBotApi

CHAT = 4242


@pytest.fixture
async def bot(server: FakeBotApi) -> AsyncIterator[Bot]:
    server.add_chat(CHAT, "Alex")
    bot = Bot(
        server.token,
        base_url=server.base_url,
        base_file_url=server.base_file_url,
        request=AiohttpRequest(2),
        get_updates_request=AiohttpRequest(1),
    )
    async with bot:
        yield bot


async def test_messages_uploads_and_telegram_errors_arrive_as_ptb_knows_them(
    bot: Bot, server: FakeBotApi
) -> None:
    sent = await bot.send_message(CHAT, "Zoë 🌱 & <friends>")
    assert sent.text == "Zoë 🌱 & <friends>"
    document = await bot.send_document(CHAT, b"day,mood\n1,calm\n", filename="steady.csv")
    assert document.document is not None
    (upload,) = server.calls("sendDocument")
    part = upload.files["document"]
    assert (part.filename, part.data) == ("steady.csv", b"day,mood\n1,calm\n")

    server.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(CHAT, "too fast")
    assert "3" in str(flood.value)  # "Flood control exceeded. Retry in 3 seconds"
    server.fail_next("sendMessage", 400, "Bad Request: message text is empty")
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(CHAT, "x")


async def test_a_server_that_is_gone_is_a_network_error_without_the_token() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as failed:
            await request.post(f"http://127.0.0.1:{port}/bot123456:SECRET-token/getMe")
    finally:
        await request.shutdown()
    assert "SECRET" not in str(failed.value)
    assert not isinstance(failed.value, TimedOut)


async def test_a_server_that_never_answers_times_out() -> None:
    accepted: list[asyncio.StreamWriter] = []

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)  # reads nothing, answers nothing

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(1, read_timeout=0.2)
    try:
        # (the timeouts are the only waiting: the test has no sleep of its own)
        await request.initialize()
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot1:x/getMe")
    finally:
        await request.shutdown()
        for writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_it_refuses_to_send_before_it_is_initialized_and_can_start_again(
    server: FakeBotApi,
) -> None:
    request = AiohttpRequest(1)
    url = f"{server.base_url}{server.token}/getMe"
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(url)
    await request.initialize()
    assert (await request.post(url))["is_bot"] is True  # type: ignore[index]
    await request.shutdown()
    await request.initialize()  # PTB may initialize a bot again after shutting it down
    assert (await request.post(url))["is_bot"] is True  # type: ignore[index]
    await request.shutdown()


PROXIED = {"id": 7, "is_bot": True, "first_name": "Proxied", "username": "proxied_bot"}


@pytest.fixture
async def proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """A forward proxy on 127.0.0.1 that answers every request itself (a getMe of its own)
    and keeps the request lines it was asked: (its URL, those lines)."""
    lines: list[str] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        lines.append(head.split("\r\n", 1)[0])
        length = [
            v
            for k, _, v in (h.partition(":") for h in head.split("\r\n"))
            if k.lower() == "content-length"
        ]
        await reader.readexactly(int(length[0]) if length else 0)
        body = json.dumps({"ok": True, "result": PROXIED}).encode()
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", lines
    finally:
        server.close()
        await server.wait_closed()


async def test_requests_go_through_the_proxy_the_environment_names_unless_excluded(
    server: FakeBotApi, proxy: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy_url, lines = proxy
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    url = f"{server.base_url}{server.token}/getMe"

    async def get_me() -> object:
        request = AiohttpRequest(1)
        await request.initialize()
        try:
            return await request.post(url)
        finally:
            await request.shutdown()

    assert await get_me() == PROXIED
    assert await get_me() == PROXIED  # a second transport looks the proxy up as well
    assert lines == [f"POST {url} HTTP/1.1"] * 2  # the absolute URL: asked to forward it
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert (await get_me())["first_name"] != "Proxied"  # type: ignore[index]
    assert len(lines) == 2
