"""The fake Bot API server end to end with python-telegram-bot: buttons and edits, forged
callbacks, stickers, documents and photos, other updates, Bot API errors as PTB sees them."""

from __future__ import annotations

from collections.abc import AsyncIterator

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
