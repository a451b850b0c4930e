"""/export and /delete: your data, as a file or erased.

Buttons carry the id of the user they were made for (``data:csv:<user>``,
``data:del:<yes|no>:<user>:<issued>``) and act only when that user presses them, so a button
seen by someone else (a forwarded message, a group, forged callback data) does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.content import t
from bot.handlers.common import (
    Button,
    Ctx,
    answer,
    drop_buttons,
    edit_or_say,
    end_all_conversations,
    keyboard,
    private_chat,
    say,
)
from bot.handlers.limits import cooled_down
from bot.services import erase, export

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 3600  # a /delete confirmation older than this does nothing
UPLOAD_TIMEOUT = 120.0
CSV_DATA = re.compile(r"^data:csv:(\d+)$")
DELETE_DATA = re.compile(r"^data:del:(yes|no):(\d+):(\d+)$")


async def _in_private(update: Update, ctx: Ctx) -> bool:
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        return True
    await answer(update)
    await say(update, ctx, t("data.private_only"))
    return False


async def _pressed_by_owner(update: Update, owner: int) -> bool:
    """The button was made for the user pressing it; otherwise say so and do nothing."""
    presser = update.effective_user.id if update.effective_user else None
    if presser == owner:
        return True
    log.info("foreign_button user_id=%s", presser)
    await answer(update, t("data.not_yours"))
    return False


# --- export ---------------------------------------------------------------------------------


async def send_export(update: Update, ctx: Ctx, user_id: int, fmt: export.Format) -> None:
    if not await cooled_down(update, ctx, "export", fmt):
        return
    chat = private_chat(update)  # the file holds everything: only ever the private chat
    await ctx.bot.send_chat_action(chat, ChatAction.UPLOAD_DOCUMENT)
    now = ctx.now()
    built = await asyncio.to_thread(export.build, ctx.db, user_id, now, fmt, ctx.rt.records.tables)
    if built is None:
        await say(update, ctx, t("data.export_nothing"))
        return
    delivery = await asyncio.to_thread(export.fit, built, now)
    try:
        if delivery.split:
            name = delivery.parts[0].filename.rsplit(".", 1)[0]
            await say(update, ctx, t("data.export_split", count=len(delivery.parts), name=name))
        elif delivery.zipped:
            await say(update, ctx, t("data.export_zipped"))
        caption = t("data.export_csv_caption" if fmt == "csv" else "data.export_caption")
        offer: list[list[Button]] = [[(t("data.csv_button"), f"data:csv:{user_id}")]]
        for number, part in enumerate(delivery.parts, start=1):
            last = number == len(delivery.parts)
            await ctx.bot.send_document(
                chat,
                document=await asyncio.to_thread(part.read),
                filename=part.filename,
                caption=caption if number == 1 else None,
                reply_markup=keyboard(offer) if last and fmt == "json" else None,
                write_timeout=UPLOAD_TIMEOUT,
            )
    finally:
        delivery.close()
    log.info("export_sent user_id=%s format=%s parts=%s", user_id, fmt, len(delivery.parts))


async def export_cmd(update: Update, ctx: Ctx) -> None:
    if not await _in_private(update, ctx) or update.effective_user is None:
        return
    wants_csv = bool(ctx.args) and ctx.args[0].lower().strip(".") in ("csv", "zip")  # type: ignore[index]
    await send_export(update, ctx, update.effective_user.id, "csv" if wants_csv else "json")


async def csv_button(update: Update, ctx: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    found = CSV_DATA.match(query.data)
    assert found is not None
    owner = int(found.group(1))
    if not await _in_private(update, ctx) or not await _pressed_by_owner(update, owner):
        return
    await answer(update)
    await drop_buttons(update)
    await send_export(update, ctx, owner, "csv")


# --- delete ---------------------------------------------------------------------------------


async def delete_cmd(update: Update, ctx: Ctx) -> None:
    if not await _in_private(update, ctx) or update.effective_user is None:
        return
    user_id = update.effective_user.id
    counts = await asyncio.to_thread(erase.stored_counts, ctx.db, user_id, ctx.rt.records.tables)
    if not any(counts.values()):
        await say(update, ctx, t("data.delete_nothing"))
        return
    issued = int(ctx.now().timestamp())
    rows: list[list[Button]] = [
        [(t("data.delete_button"), f"data:del:yes:{user_id}:{issued}")],
        [(t("data.keep_button"), f"data:del:no:{user_id}:{issued}")],
    ]
    await say(update, ctx, t("data.delete_explain", items=erase.describe(counts)), rows)


async def delete_choice(update: Update, ctx: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    found = DELETE_DATA.match(query.data)
    assert found is not None
    choice, owner, issued = found.group(1), int(found.group(2)), int(found.group(3))
    if not await _in_private(update, ctx) or not await _pressed_by_owner(update, owner):
        return
    await answer(update)
    if choice == "no":
        await edit_or_say(update, ctx, t("data.kept"))
        return
    age = ctx.now().timestamp() - issued
    if not -60 <= age <= CONFIRM_SECONDS:
        await edit_or_say(update, ctx, t("data.delete_expired"))
        return
    ended = end_all_conversations(ctx.application, owner)
    ctx.application.drop_user_data(owner)  # nothing kept in memory either
    if update.effective_chat is not None:
        ctx.application.drop_chat_data(update.effective_chat.id)
    rows = await asyncio.to_thread(erase.erase_everything, ctx.db, owner, ctx.rt.records.tables)
    log.info("user_erased user_id=%s rows=%s conversations=%s", owner, rows, len(ended))
    await edit_or_say(update, ctx, t("data.deleted"))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("export", export_cmd))
    app.add_handler(CallbackQueryHandler(csv_button, pattern=CSV_DATA))
    app.add_handler(CommandHandler("delete", delete_cmd))
    app.add_handler(CallbackQueryHandler(delete_choice, pattern=DELETE_DATA))
