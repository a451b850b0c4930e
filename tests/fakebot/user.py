"""FakeUser: a simulated Telegram user chatting privately with the bot under test."""

from __future__ import annotations

import copy
import dataclasses
import time
from typing import TYPE_CHECKING, Any

from .formatting import utf16_len
from .state import BotEvent, keyboard_of

if TYPE_CHECKING:
    from .server import FakeBotApi

# A valid 1x1 PNG, used as the default photo a user sends.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
OGG_VOICE = b"OggS\x00\x02" + b"\x00" * 58


class FakeUser:
    """Sends messages / presses buttons as a private-chat user and reads the bot's replies."""

    def __init__(
        self,
        server: FakeBotApi,
        user_id: int,
        first_name: str = "Alex",
        language_code: str = "en",
        username: str | None = None,
    ) -> None:
        self.server = server
        self.state = server.state
        self.id = self.chat_id = user_id
        self.user: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        if username:
            self.user["username"] = username
        self.state.add_chat(user_id, first_name, username)
        self.update_ids: list[int] = []
        self.sent_message_ids: list[int] = []

    # ------------------------------------------------------------------ sending
    def _push(self, **payload: Any) -> int:
        update_id = self.state.push_update(payload)
        self.update_ids.append(update_id)
        return update_id

    def _push_message(self, chat_id: int | None = None, **content: Any) -> int:
        message = self.state.new_message(chat_id or self.chat_id, self.user, **content)
        if chat_id is None:
            self.sent_message_ids.append(message["message_id"])
        return self._push(message=copy.deepcopy(message))

    @staticmethod
    def _text_content(text: str) -> dict[str, Any]:
        entities = []
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command)})
        return {"text": text, "entities": entities}

    async def send(self, text: str) -> int:
        """Send a text message; a leading /command gets a bot_command entity."""
        return self._push_message(**self._text_content(text))

    async def edit(self, text: str, message_id: int | None = None) -> int:
        """Edit one of this user's earlier messages (default: the last one sent): Telegram
        delivers an ``edited_message`` update carrying the new text."""
        message_id = message_id or self.sent_message_ids[-1]
        message = self.state.messages[(self.chat_id, message_id)]
        message.update(self._text_content(text), edit_date=int(time.time()))
        return self._push(edited_message=copy.deepcopy(message))

    async def send_location(self, latitude: float, longitude: float) -> int:
        """Share a location from the attachment menu."""
        return self._push_message(location={"latitude": latitude, "longitude": longitude})

    async def send_in_group(self, group_id: int, text: str, title: str = "Friends") -> int:
        """Send a message in a group chat the bot is a member of (created when first used);
        the bot's replies there are read with ``server.state.events[group_id]``."""
        if group_id not in self.state.chats:
            self.state.add_group(group_id, title)
        return self._push_message(chat_id=group_id, **self._text_content(text))

    def _file(self, data: bytes, filename: str, mime_type: str, folder: str) -> dict[str, Any]:
        stored = self.state.add_file(data, filename, mime_type, folder)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
        }

    async def send_sticker(self, emoji: str = "👍", *, is_animated: bool = False) -> int:
        ext, mime = ("tgs", "application/x-tgsticker") if is_animated else ("webp", "image/webp")
        sticker = {
            **self._file(b"RIFF\x00\x00\x00\x00WEBPVP8 ", f"sticker.{ext}", mime, "stickers"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": is_animated,
            "is_video": False,
            "emoji": emoji,
            "set_name": "SteadyTestStickers",
        }
        return self._push_message(sticker=sticker)

    async def send_photo(self, data: bytes = TINY_PNG, caption: str | None = None) -> int:
        size = {**self._file(data, "photo.png", "image/png", "photos"), "width": 1, "height": 1}
        return self._push_message(photo=[size], caption=caption)

    async def send_voice(self, data: bytes = OGG_VOICE, duration: int = 3) -> int:
        voice = {**self._file(data, "voice.ogg", "audio/ogg", "voice"), "duration": duration}
        voice["mime_type"] = "audio/ogg"
        return self._push_message(voice=voice)

    async def send_document(
        self, data: bytes, filename: str = "file.txt", mime_type: str = "text/plain"
    ) -> int:
        document = {**self._file(data, filename, mime_type, "documents"), "file_name": filename}
        document["mime_type"] = mime_type
        return self._push_message(document=document)

    # ------------------------------------------------------------------ buttons
    def _bot_messages(self) -> list[dict[str, Any]]:
        bot_id = self.state.bot_user["id"]
        found = [
            m
            for (chat_id, _), m in self.state.messages.items()
            if chat_id == self.chat_id and m["from"]["id"] == bot_id
        ]
        return sorted(found, key=lambda m: m["message_id"])

    def _resolve(self, message: BotEvent | dict[str, Any] | int | None, need_keyboard: bool):
        if message is None:
            candidates = [m for m in self._bot_messages() if keyboard_of(m) or not need_keyboard]
            if not candidates:
                raise AssertionError(
                    f"no bot message with an inline keyboard in chat {self.chat_id}; "
                    f"bot events: {self.server.events(self.chat_id)}"
                )
            return candidates[-1]
        if isinstance(message, BotEvent):
            message_id = message.message_id
        elif isinstance(message, dict):
            message_id = message["message_id"]
        else:
            message_id = message
        current = self.state.messages.get((self.chat_id, message_id))
        if current is None:
            raise AssertionError(f"bot message #{message_id} does not exist (deleted?)")
        return current

    async def press(
        self,
        label: str | None = None,
        message: BotEvent | dict[str, Any] | int | None = None,
        *,
        data: str | None = None,
    ) -> int:
        """Press an inline button by exact label (or by callback ``data=``)."""
        target = self._resolve(message, need_keyboard=True)
        buttons = [b for row in keyboard_of(target) for b in row]
        if data is not None:
            match = [b for b in buttons if b.get("callback_data") == data]
        else:
            match = [b for b in buttons if b.get("text") == label]
        if not match:
            wanted = f"data={data!r}" if data is not None else repr(label)
            available = [(b.get("text"), b.get("callback_data")) for b in buttons]
            raise AssertionError(
                f"no button {wanted} on bot message #{target['message_id']} "
                f"{target.get('text', target.get('caption'))!r}; available (label, data): "
                f"{available}"
            )
        if "callback_data" not in match[0]:
            raise AssertionError(f"button {match[0]} is not a callback button")
        return self._callback(target, match[0]["callback_data"])

    async def press_data(
        self, data: str, message: BotEvent | dict[str, Any] | int | None = None
    ) -> int:
        """Push a callback query with arbitrary (possibly forged) data."""
        return self._callback(self._resolve(message, need_keyboard=False), data)

    def _callback(self, message: dict[str, Any], data: str) -> int:
        query_id = str(4_000_000_000_000 + int(self.state.unique("")))
        query = {
            "id": query_id,
            "from": self.user,
            "message": copy.deepcopy(message),
            "chat_instance": str(-(10**12) - self.chat_id),
            "data": data,
        }
        self.state.open_callbacks[query_id] = query
        return self._push(callback_query=query)

    # ------------------------------------------------------------------ reading replies
    @property
    def events(self) -> list[BotEvent]:
        """Every bot event in this chat so far (consumed or not)."""
        return self.server.events(self.chat_id)

    def unread(self) -> list[BotEvent]:
        return [e for e in self.events if not e.consumed]

    def last_message(self) -> BotEvent | None:
        """The latest existing bot message in this chat, in its current (edited) state."""
        messages = self._bot_messages()
        if not messages:
            return None
        message = messages[-1]
        history = [e for e in self.events if e.message_id == message["message_id"]]
        if not history:
            return None
        return dataclasses.replace(history[-1], message=copy.deepcopy(message), consumed=True)

    def _describe(self) -> str:
        failed = [
            f"{r.method}: {r.description}"
            for r in self.server.requests
            if not r.ok and r.response is not None and r.method != "getUpdates"
        ]
        return f"bot events in chat {self.chat_id}: {self.events}; failed bot requests: {failed}"

    async def reply(self, timeout: float = 10) -> BotEvent:  # noqa: ASYNC109
        """The next bot event in this chat not returned before."""

        def first_unread() -> BotEvent | None:
            return next((e for e in self.events if not e.consumed), None)

        try:
            event = await self.state.notifier.wait_for(first_unread, timeout)
        except TimeoutError:
            raise AssertionError(f"no reply within {timeout}s; {self._describe()}") from None
        event.consumed = True
        return event

    async def wait_idle(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until every update this user pushed has been processed by the bot."""
        for update_id in list(self.update_ids):
            await self.server.wait_processed(update_id, timeout)

    async def replies_until_idle(self, timeout: float = 10) -> list[BotEvent]:  # noqa: ASYNC109
        await self.wait_idle(timeout)
        events = self.unread()
        for event in events:
            event.consumed = True
        return events

    async def _round_trip(self, update_id: int, before: int, timeout: float) -> list[BotEvent]:  # noqa: ASYNC109
        await self.server.wait_processed(update_id, timeout)
        events = self.events[before:]
        for event in events:
            event.consumed = True
        return events

    async def ask(self, text: str, timeout: float = 10) -> list[BotEvent]:  # noqa: ASYNC109
        """Send ``text``, wait until the bot processed it, return the events it produced."""
        before = len(self.events)
        return await self._round_trip(await self.send(text), before, timeout)

    async def tap(
        self,
        label: str | None = None,
        message: BotEvent | dict[str, Any] | int | None = None,
        *,
        data: str | None = None,
        timeout: float = 10,  # noqa: ASYNC109
    ) -> list[BotEvent]:
        """Press a button, wait until the bot processed it, return the events it produced."""
        before = len(self.events)
        return await self._round_trip(await self.press(label, message, data=data), before, timeout)
