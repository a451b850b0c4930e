"""Tests for the fake Telegram Bot API server (tests/fakebot) used by end-to-end tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakebot import TINY_PNG, FakeBotApi, FakeUser, application_builder, running
from tests.fakebot.formatting import ParseError, parse_html, parse_markdown_v2

pytestmark = pytest.mark.timeout(20)

CSV = b"day,score\n1,3\n2,5\n"


# ------------------------------------------------------------------------------ the test bot
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="ans:yes"),
                InlineKeyboardButton("No", callback_data="ans:no"),
            ]
        ]
    )
    name = update.effective_user.first_name
    await update.message.reply_text(
        f"Hello, <b>{name}</b>!", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if not query.data.startswith("ans:"):
        await query.answer("Unknown button", show_alert=True)
        return
    await query.answer("Saved")
    await query.edit_message_text(f"You chose {query.data[4:]}")


async def send_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_document(CSV, filename="report.csv", caption="Your week")


async def send_chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_photo(TINY_PNG, caption="Chart")


async def on_sticker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(f"Nice {update.message.sticker.emoji}")


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    file = await update.message.document.get_file()
    data = await file.download_as_bytearray()
    await update.message.reply_text(f"Got {len(data)} bytes: {bytes(data).decode()}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
async def app(server: FakeBotApi) -> AsyncIterator[Application]:
    application = application_builder(server).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("report", send_report))
    application.add_handler(CommandHandler("chart", send_chart))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.Sticker.ALL, on_sticker))
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with running(application):
        yield application


@pytest.fixture
async def http(server: FakeBotApi) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http: aiohttp.ClientSession, server: FakeBotApi, method: str, **params):
    async with http.post(f"{server.base_url}{server.token}/{method}", json=params) as resp:
        body = await resp.json()
        assert resp.status == (200 if body["ok"] else body["error_code"])
        return body


# ------------------------------------------------------------------------- end-to-end with PTB
async def test_start_button_and_edit(server: FakeBotApi, app: Application) -> None:
    alex = FakeUser(server, 1001, first_name="Alex")
    events = await alex.ask("/start")
    assert [e.kind for e in events] == ["message"]
    assert events[0].text == "Hello, Alex!"
    assert events[0].message["entities"] == [{"type": "bold", "offset": 7, "length": 4}]
    assert events[0].buttons == [["Yes", "No"]]
    assert events[0].button_data == [["ans:yes", "ans:no"]]

    events = await alex.tap("Yes")
    assert server.answered_callbacks[-1]["text"] == "Saved"
    assert [(e.kind, e.text, e.buttons) for e in events] == [("edit", "You chose yes", [])]
    assert alex.last_message().text == "You chose yes"
    assert server.calls("getMe") and server.calls("deleteWebhook")


async def test_forged_callback_and_missing_button(server: FakeBotApi, app: Application) -> None:
    alex = FakeUser(server, 1002)
    await alex.ask("/start")
    update_id = await alex.press_data("evil:" + "x" * 10)
    await server.wait_processed(update_id)
    assert server.answered_callbacks[-1] == {
        "callback_query_id": server.answered_callbacks[-1]["callback_query_id"],
        "text": "Unknown button",
        "show_alert": True,
    }
    with pytest.raises(AssertionError, match=r"available \(label, data\).*'Yes', 'ans:yes'"):
        await alex.press("Maybe")
    (edit,) = await alex.tap(data="ans:no")
    assert edit.text == "You chose no" and alex.last_message().text == "You chose no"
    with pytest.raises(AssertionError, match="no reply within 0.05s.*You chose no"):
        await alex.reply(timeout=0.05)


async def test_sticker_photo_voice_and_echo(server: FakeBotApi, app: Application) -> None:
    alex = FakeUser(server, 1003)
    await alex.send_sticker("🐢")
    assert (await alex.reply()).text == "Nice 🐢"
    await alex.send_voice()  # no handler: the bot stays silent
    await alex.send_photo()
    assert await alex.replies_until_idle() == []
    assert [e.text for e in await alex.ask("just text")] == ["just text"]


async def test_edits_locations_and_groups_reach_the_bot(server: FakeBotApi) -> None:
    seen: list[tuple[str, str, str]] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        kind = "edited" if update.edited_message else "message"
        message = update.effective_message
        what = message.text or ("location" if message.location else "")
        seen.append((kind, update.effective_chat.type, what))
        await message.reply_text(f"got {what}")

    application = application_builder(server).build()
    application.add_handler(MessageHandler(filters.ALL, record))
    async with running(application):
        alex = FakeUser(server, 1010)
        await alex.ask("first try")
        await alex.edit("first, fixed")
        assert [e.text for e in await alex.replies_until_idle()] == ["got first, fixed"]
        await alex.send_location(52.52, 13.40)
        assert [e.text for e in await alex.replies_until_idle()] == ["got location"]
        update_id = await alex.send_in_group(-100500, "hello group")
        await server.wait_processed(update_id)
        assert [e.text for e in server.state.events[-100500]] == ["got hello group"]
    assert seen == [
        ("message", "private", "first try"),
        ("edited", "private", "first, fixed"),
        ("message", "private", "location"),
        ("message", "group", "hello group"),
    ]


async def test_documents_and_photos_round_trip(server: FakeBotApi, app: Application) -> None:
    alex = FakeUser(server, 1004)
    (event,) = await alex.ask("/report")
    assert (event.kind, event.filename, event.document, event.text) == (
        "document",
        "report.csv",
        CSV,
        "Your week",
    )
    assert event.message["document"]["file_size"] == len(CSV)
    (photo,) = await alex.ask("/chart")
    assert photo.kind == "photo" and photo.document == TINY_PNG
    assert photo.message["photo"][0]["width"] == 1

    await alex.send_document(b"abc", "notes.txt")  # bot downloads it via getFile + /file/
    assert (await alex.reply()).text == "Got 3 bytes: abc"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_bot_api_errors_surface_in_ptb(server: FakeBotApi, app: Application) -> None:
    FakeUser(server, 1005)
    server.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter, match="Retry in 7"):
        await app.bot.send_message(1005, "hi")
    server.block_chat(1005)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await app.bot.send_message(1005, "hi")
    server.unblock_chat(1005)
    assert (await app.bot.send_message(1005, "hi")).text == "hi"
    await app.bot.set_my_commands([("start", "Begin"), ("report", "Weekly report")])
    assert [c.command for c in await app.bot.get_my_commands()] == ["start", "report"]


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


def test_formatting_parsers() -> None:
    text, entities = parse_html("<b>Hi <i>😀</i></b> &quot;x&quot;")
    assert text == 'Hi 😀 "x"'
    assert entities == [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "italic", "offset": 3, "length": 2},
    ]
    text, entities = parse_markdown_v2("*bold* `a.b` [link](https://x.y/a\\)b)\n>quote")
    assert text == "bold a.b link\nquote"
    assert [e["type"] for e in entities] == ["bold", "code", "text_link", "blockquote"]
    assert entities[2]["url"] == "https://x.y/a)b"
    for bad in ("*open", "_a *b_ c*", "a|b", "[x](y"):
        with pytest.raises(ParseError):
            parse_markdown_v2(bad)
