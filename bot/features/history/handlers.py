"""/history: the latest entries a page at a time, and any one of them read whole.

Callback data: ``hi:p:<page>`` (a page of the list), ``hi:<kind>:<id>.<page>`` (one entry,
remembering the page to go back to), where ``<kind>`` is the one letter a feature declares for
its entries (``Records.history``, ``bot/features/records.py``; ``c``, ``t``, ``r``, ``s`` today).
Ids from callback data are looked up together with the pressing user's id, so forged or stale
data finds nothing and gets a kind "not found".
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.content import t
from bot.features.records import History
from bot.handlers.common import (
    Button,
    Ctx,
    answer,
    current_user,
    edit_or_say,
    parse_id,
    say,
)
from bot.handlers.limits import cooled_down
from bot.services.history import split_message
from bot.store import history as store

log = logging.getLogger(__name__)

PREFIX = "hi"
PAGE_SIZE = 5
MAX_PAGE = 10_000
_ENTRY = re.compile(rf"^{PREFIX}:([a-z]):(\d{{1,12}})\.(\d{{1,5}})$")  # kinds: one letter
_PAGE = re.compile(rf"^{PREFIX}:p:(\d{{1,5}})$")


def _list_view(ctx: Ctx, user_id: int, page: int) -> tuple[str, list[list[Button]]]:
    records = ctx.rt.records
    found = store.page(ctx.db, records.listings, user_id, page * PAGE_SIZE, PAGE_SIZE)
    if not found.entries and page > 0 and found.total:  # the list shrank: show the last page
        page = (found.total - 1) // PAGE_SIZE
        found = store.page(ctx.db, records.listings, user_id, page * PAGE_SIZE, PAGE_SIZE)
    if not found.entries:
        return t("history.empty"), []
    first = found.offset + 1
    text = t("history.title", first=first, last=first + len(found.entries) - 1, total=found.total)
    rows: list[list[Button]] = [
        [(_kind(ctx, kind).label(entry), f"{PREFIX}:{kind}:{entry.id}.{page}")]
        for kind, entry in found.entries
    ]
    nav: list[Button] = []
    if page > 0:
        nav.append((t("history.previous"), f"{PREFIX}:p:{page - 1}"))
    if found.offset + len(found.entries) < found.total:
        nav.append((t("history.next"), f"{PREFIX}:p:{page + 1}"))
    rows.append(nav)
    return text, rows


def _kind(ctx: Ctx, kind: str) -> History:
    found = ctx.rt.records.history(kind)
    assert found is not None  # listed, so declared
    return found


async def history_cmd(update: Update, ctx: Ctx) -> None:
    user = current_user(update, ctx)
    text, rows = _list_view(ctx, user.id, 0)
    await say(update, ctx, text, rows)


async def on_page(update: Update, ctx: Ctx) -> None:
    query = await answer(update)
    assert query is not None
    match = _PAGE.match(query.data or "")
    user = current_user(update, ctx)
    page = min(int(match.group(1)), MAX_PAGE) if match else 0
    text, rows = _list_view(ctx, user.id, page)
    await edit_or_say(update, ctx, text, rows)


async def on_entry(update: Update, ctx: Ctx) -> None:
    query = await answer(update)
    assert query is not None
    user = current_user(update, ctx)
    match = _ENTRY.match(query.data or "")
    records = ctx.rt.records
    entry = kind = None
    if match is not None:
        kind, entry_id = records.history(match.group(1)), parse_id(match.group(2))
        page = int(match.group(3))
        if entry_id is not None and kind is not None:
            entry = store.entry(ctx.db, records.listings, user.id, kind.kind, entry_id)
    if match is None or entry is None or kind is None:
        log.info("history_entry_not_found user_id=%s", user.id)
        await say(update, ctx, t("history.not_found"))
        return
    pieces = split_message(kind.read(ctx.db, entry))
    back: list[list[Button]] = [[(t("history.back"), f"{PREFIX}:p:{page}")]]
    if len(pieces) == 1:
        await edit_or_say(update, ctx, pieces[0], back)
        return
    if not await cooled_down(update, ctx, "history"):  # several messages: not again at once
        return
    await edit_or_say(update, ctx, pieces[0])
    for i, piece in enumerate(pieces[1:], start=2):
        await say(update, ctx, piece, back if i == len(pieces) else ())


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("history", history_cmd))
    app.add_handler(CallbackQueryHandler(on_page, pattern=rf"^{PREFIX}:p:"))
    app.add_handler(CallbackQueryHandler(on_entry, pattern=rf"^{PREFIX}:"))
