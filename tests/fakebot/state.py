"""In-memory state of the fake Telegram server: chats, messages, updates, files, events."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


class Notifier:
    """Wake every waiter whenever the state changes; waiters re-check a predicate."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], T], timeout: float) -> T:  # noqa: ASYNC109
        """Return the first truthy predicate() value; raise TimeoutError after ``timeout``."""
        async with asyncio.timeout(timeout):
            while not (value := predicate()):
                await self._event.wait()
            return value


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    filename: str
    mime_type: str
    file_path: str

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class RecordedRequest:
    """One HTTP call the bot made, with decoded parameters and the answer it got."""

    method: str
    params: dict[str, Any]
    files: dict[str, Any]
    time: float
    status: int = 200
    response: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def description(self) -> str | None:
        return (self.response or {}).get("description")


def keyboard_of(message: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return (message.get("reply_markup") or {}).get("inline_keyboard") or []


@dataclass
class BotEvent:
    """Something the bot did in a chat: a sent message, document, photo or an edit."""

    kind: str  # "message" | "edit" | "document" | "photo"
    chat_id: int
    message_id: int
    message: dict[str, Any]  # the Message as returned to the bot (snapshot)
    params: dict[str, Any]  # the decoded request parameters (raw text incl. markup)
    document: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    consumed: bool = False

    @property
    def text(self) -> str | None:
        return self.message.get("text", self.message.get("caption"))

    @property
    def buttons(self) -> list[list[str]]:
        return [[b.get("text", "") for b in row] for row in keyboard_of(self.message)]

    @property
    def button_data(self) -> list[list[str | None]]:
        return [[b.get("callback_data") for b in row] for row in keyboard_of(self.message)]

    @property
    def reply_keyboard(self) -> list[list[str]]:
        """Labels of a (non-inline) reply keyboard sent with this message, if any."""
        rows = (self.params.get("reply_markup") or {}).get("keyboard") or []
        return [[b if isinstance(b, str) else b.get("text", "") for b in row] for row in rows]

    @property
    def labels(self) -> list[str]:
        return [label for row in self.buttons for label in row]

    def __repr__(self) -> str:
        extra = f" buttons={self.buttons}" if self.buttons else ""
        doc = f" file={self.filename!r} ({len(self.document)} bytes)" if self.document else ""
        return f"<{self.kind} #{self.message_id} {self.text!r}{extra}{doc}>"


@dataclass
class State:
    bot_user: dict[str, Any]
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    events: dict[int, list[BotEvent]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    pushed: dict[int, dict[str, Any]] = field(default_factory=dict)
    delivered: set[int] = field(default_factory=set)
    #: Updates a later getUpdates' offset confirmed: the bot has them (Telegram forgets them).
    confirmed: set[int] = field(default_factory=set)
    processed: set[int] = field(default_factory=set)
    files: dict[str, StoredFile] = field(default_factory=dict)
    open_callbacks: dict[str, dict[str, Any]] = field(default_factory=dict)
    answered_callbacks: list[dict[str, Any]] = field(default_factory=list)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: setMyDescription / setMyShortDescription: (which, language_code or "") → text.
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)
    webhook_url: str = ""
    blocked: set[int] = field(default_factory=set)
    notifier: Notifier = field(default_factory=Notifier)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(100001))
    _message_ids: dict[int, itertools.count] = field(default_factory=dict)

    # ------------------------------------------------------------------ ids and chats
    def unique(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def add_chat(self, chat_id: int, first_name: str, username: str | None = None) -> None:
        chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": first_name}
        if username:
            chat["username"] = username
        self.chats[chat_id] = chat

    def add_group(self, chat_id: int, title: str) -> None:
        """A group chat (negative id, as Telegram gives them) the bot is a member of."""
        self.chats[chat_id] = {"id": chat_id, "type": "group", "title": title}

    # ------------------------------------------------------------------ updates
    def push_update(self, update: dict[str, Any]) -> int:
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        self.updates.append(update)
        self.pushed[update["update_id"]] = update
        self.notifier.notify()
        return update["update_id"]

    def pending_updates(self, offset: int | None, limit: int) -> list[dict[str, Any]]:
        if offset is not None and offset < 0:
            self.updates = self.updates[offset:]  # "all previous updates will be forgotten"
            return self.updates[:limit]
        if offset:
            taken = {u["update_id"] for u in self.updates if u["update_id"] < offset}
            if taken:
                self.confirmed |= taken
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                self.notifier.notify()
        return self.updates[:limit]

    def mark_processed(self, update_id: int) -> None:
        self.processed.add(update_id)
        self.notifier.notify()

    # ------------------------------------------------------------------ bot messages
    def record_event(self, event: BotEvent) -> None:
        self.events.setdefault(event.chat_id, []).append(event)
        self.notifier.notify()

    def new_message(self, chat_id: int, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        message = {
            "message_id": self.next_message_id(chat_id),
            "from": sender,
            "chat": self.chats[chat_id],
            "date": int(time.time()),
            **{k: v for k, v in content.items() if v not in (None, [], "")},
        }
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def add_file(self, data: bytes, filename: str, mime_type: str, folder: str) -> StoredFile:
        file_id = self.unique("BQACAgIAAxkBAAI")
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=self.unique("AgAD"),
            data=data,
            filename=filename,
            mime_type=mime_type,
            file_path=f"{folder}/file_{len(self.files)}.{suffix}",
        )
        self.files[file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)
