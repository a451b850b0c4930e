"""The fake Bot API server over plain HTTP: auth, parameters, encodings, text limits, buttons
and callbacks, faults and rate limits, files, getUpdates."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.fakebot import FakeBotApi, FakeUser

pytestmark = pytest.mark.timeout(20)


@pytest.fixture
async def http(server: FakeBotApi) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http: aiohttp.ClientSession, server: FakeBotApi, method: str, **params):
    async with http.post(f"{server.base_url}{server.token}/{method}", json=params) as resp:
        body = await resp.json()
        assert resp.status == (200 if body["ok"] else body["error_code"])
        return body


# ------------------------------------------------------------------------------ direct HTTP
async def test_auth_unknown_method_and_case(server: FakeBotApi, http) -> None:
    async with http.post(f"{server.base_url}123:WRONG/getMe") as resp:
        assert resp.status == 401
        assert await resp.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    body = await call(http, server, "sendTelepathy", chat_id=1)
    assert body == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
    assert (await call(http, server, "GETME"))["result"]["is_bot"] is True


async def test_parameter_validation(server: FakeBotApi, http) -> None:
    FakeUser(server, 2001)
    body = await call(http, server, "sendMessage", text="hi")
    assert body["description"] == "Bad Request: parameter chat_id is required"
    body = await call(http, server, "sendMessage", chat_id=2001, text="hi", colour="red")
    assert body["description"] == "Bad Request: unknown parameter colour"
    body = await call(http, server, "deleteMessage", chat_id=2001, message_id="x")
    assert body["error_code"] == 400 and "message_id" in body["description"]
    body = await call(http, server, "sendMessage", chat_id=2001, text="a", protect_content="maybe")
    assert body["error_code"] == 400
    body = await call(http, server, "sendMessage", chat_id=2001, text="a", reply_markup="{nope")
    assert body["error_code"] == 400
    assert (await call(http, server, "sendMessage", chat_id=999, text="a"))["description"] == (
        "Bad Request: chat not found"
    )
    assert (await call(http, server, "setChatTitle", chat_id=2001, title="x"))["result"] is True


async def test_form_encoded_and_query_params(server: FakeBotApi, http) -> None:
    FakeUser(server, 2002)
    markup = json.dumps({"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]})
    form = {
        "chat_id": "2002",
        "text": "Form",
        "reply_markup": markup,
        "disable_notification": "true",
    }
    async with http.post(f"{server.base_url}{server.token}/sendMessage", data=form) as resp:
        result = (await resp.json())["result"]
    assert result["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"
    assert server.calls("sendMessage")[-1].params["chat_id"] == 2002
    url = f"{server.base_url}{server.token}/sendMessage?chat_id=2002&text=Query"
    async with http.get(url) as resp:
        assert (await resp.json())["result"]["text"] == "Query"


async def test_text_length_and_entities(server: FakeBotApi, http) -> None:
    FakeUser(server, 2003)
    assert (await call(http, server, "sendMessage", chat_id=2003, text="x" * 4096))["ok"]
    body = await call(http, server, "sendMessage", chat_id=2003, text="x" * 4097)
    assert body["description"] == "Bad Request: message is too long"
    body = await call(http, server, "sendMessage", chat_id=2003, text=" \n ")
    assert body["description"] == "Bad Request: message text is empty"
    for bad in ("<b>bold", "<b><i>x</b></i>", "a < b", "Tom & Jerry", "<marquee>x</marquee>"):
        body = await call(http, server, "sendMessage", chat_id=2003, text=bad, parse_mode="HTML")
        assert body["description"].startswith("Bad Request: can't parse entities: "), bad
    ok = "<b>a</b> &lt; <a href='https://x.y'>c</a> &amp; <tg-spoiler>d</tg-spoiler>"
    assert (await call(http, server, "sendMessage", chat_id=2003, text=ok, parse_mode="HTML"))["ok"]
    body = await call(
        http, server, "sendMessage", chat_id=2003, text="Hi.", parse_mode="MarkdownV2"
    )
    assert "Character '.' is reserved" in body["description"]
    good = r"*Hi* _there_\. Score: 5\-3 \(good\)"
    result = await call(
        http, server, "sendMessage", chat_id=2003, text=good, parse_mode="MarkdownV2"
    )
    assert result["result"]["text"] == "Hi there. Score: 5-3 (good)"


async def test_buttons_edits_and_callbacks(server: FakeBotApi, http) -> None:
    FakeUser(server, 2004)

    def markup(data: str) -> dict:
        return {"inline_keyboard": [[{"text": "B", "callback_data": data}]]}

    body = await call(
        http, server, "sendMessage", chat_id=2004, text="x", reply_markup=markup("d" * 65)
    )
    assert body["description"] == "Bad Request: BUTTON_DATA_INVALID"
    sent = await call(
        http, server, "sendMessage", chat_id=2004, text="x", reply_markup=markup("d" * 64)
    )
    message_id = sent["result"]["message_id"]
    body = await call(
        http, server, "editMessageText", chat_id=2004, message_id=message_id, text="x",
        reply_markup=markup("d" * 64),
    )  # fmt: skip
    assert body["description"].startswith("Bad Request: message is not modified: ")
    body = await call(
        http, server, "editMessageText", chat_id=2004, message_id=message_id, text="y"
    )
    assert body["result"]["text"] == "y" and "reply_markup" not in body["result"]
    body = await call(http, server, "answerCallbackQuery", callback_query_id="12345")
    assert body["description"] == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    body = await call(http, server, "deleteMessage", chat_id=2004, message_id=message_id)
    assert body["result"] is True
    body = await call(http, server, "deleteMessage", chat_id=2004, message_id=message_id)
    assert body["description"] == "Bad Request: message to delete not found"


async def test_faults_blocking_and_rate_limits(server: FakeBotApi, http) -> None:
    FakeUser(server, 2005)
    FakeUser(server, 2006)
    server.fail_next("sendMessage", 429, retry_after=5)
    body = await call(http, server, "sendMessage", chat_id=2005, text="a")
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    }
    assert (await call(http, server, "sendMessage", chat_id=2005, text="a"))["ok"]

    server.block_chat(2005)
    body = await call(http, server, "sendMessage", chat_id=2005, text="a")
    assert body == {
        "ok": False,
        "error_code": 403,
        "description": "Forbidden: bot was blocked by the user",
    }
    server.unblock_chat(2005)

    server.enforce_limits(global_per_sec=30, per_chat_per_sec=1)
    assert (await call(http, server, "sendMessage", chat_id=2006, text="1"))["ok"]
    body = await call(http, server, "sendMessage", chat_id=2006, text="2")
    assert body["error_code"] == 429 and body["parameters"]["retry_after"] == 1
    assert server.too_many_requests == 1
    assert len(server.calls("sendMessage", ok=False)) == 3


async def test_upload_get_file_and_download(server: FakeBotApi, http) -> None:
    FakeUser(server, 2007)
    form = aiohttp.FormData()
    form.add_field("chat_id", "2007")
    form.add_field("document", b"PDFDATA", filename="plan.pdf", content_type="application/pdf")
    async with http.post(f"{server.base_url}{server.token}/sendDocument", data=form) as resp:
        document = (await resp.json())["result"]["document"]
    assert (document["file_name"], document["mime_type"], document["file_size"]) == (
        "plan.pdf",
        "application/pdf",
        7,
    )
    file = (await call(http, server, "getFile", file_id=document["file_id"]))["result"]
    async with http.get(f"{server.base_file_url}{server.token}/{file['file_path']}") as resp:
        assert await resp.read() == b"PDFDATA"
    form = aiohttp.FormData()
    form.add_field("chat_id", "2007")
    form.add_field("photo", b"not an image", filename="x.jpg", content_type="image/jpeg")
    async with http.post(f"{server.base_url}{server.token}/sendPhoto", data=form) as resp:
        assert (await resp.json())["description"] == "Bad Request: IMAGE_PROCESS_FAILED"


async def test_get_updates_long_poll_and_offset(server: FakeBotApi, http) -> None:
    assert (await call(http, server, "getUpdates", timeout=0))["result"] == []
    poll = asyncio.create_task(call(http, server, "getUpdates", timeout=5))
    alex = FakeUser(server, 2008)
    first = await alex.send("/start now")
    async with asyncio.timeout(3):
        (update,) = (await poll)["result"]
    assert update["update_id"] == first
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    second = await alex.send("again")
    body = await call(http, server, "getUpdates", offset=first + 1, timeout=0)
    assert [u["update_id"] for u in body["result"]] == [second]
    form = {"offset": str(second + 1), "timeout": "0", "allowed_updates": '["message"]'}
    async with http.post(f"{server.base_url}{server.token}/getUpdates", data=form) as resp:
        assert (await resp.json())["result"] == []
    assert server.calls("getUpdates")[-1].params["allowed_updates"] == ["message"]
    await call(http, server, "setWebhook", url="https://example.invalid/hook")
    assert (await call(http, server, "getUpdates"))["error_code"] == 409
