"""Implementations of the Bot API methods the fake server answers with real-looking results."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any

from . import rules
from .spec import ApiError, UploadedPart, bad_request
from .state import BotEvent, State, StoredFile

Params = dict[str, Any]
Files = dict[str, UploadedPart]
Handler = Callable[[State, Params, Files], Any]
HANDLERS: dict[str, Handler] = {}

BLOCKED = "Forbidden: bot was blocked by the user"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def method(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[name.lower()] = func
        return func

    return register


def resolve_chat(state: State, chat_id: int | str) -> int:
    if isinstance(chat_id, str):
        username = chat_id.lstrip("@").lower()
        found = [
            c for c, chat in state.chats.items() if chat.get("username", "").lower() == username
        ]
        if not found:
            raise bad_request("chat not found")
        chat_id = found[0]
    if chat_id in state.blocked:
        raise ApiError(403, BLOCKED)
    if chat_id not in state.chats:
        raise bad_request("chat not found")
    return chat_id


def _target(state: State, params: Params, action: str) -> dict[str, Any] | None:
    """The stored message an edit/delete refers to (None for inline messages)."""
    if params.get("inline_message_id"):
        return None
    if params.get("chat_id") is None or params.get("message_id") is None:
        raise bad_request("message identifier is not specified")
    chat_id = resolve_chat(state, params["chat_id"])
    message = state.messages.get((chat_id, params["message_id"]))
    if message is None:
        raise bad_request(f"message to {action} not found")
    return message


def _reply_to(state: State, chat_id: int, params: Params) -> dict[str, Any] | None:
    reply = params.get("reply_parameters") or {}
    message_id = reply.get("message_id", params.get("reply_to_message_id"))
    if message_id is None:
        return None
    target = state.messages.get((chat_id, message_id))
    if target is None and not reply.get("allow_sending_without_reply"):
        raise bad_request("message to be replied not found")
    return copy.deepcopy(target) if target else None


def _send(state: State, params: Params, kind: str, stored: StoredFile | None = None, **content):
    chat_id = resolve_chat(state, params["chat_id"])
    markup = rules.reply_markup(params.get("reply_markup"))
    reply_to = _reply_to(state, chat_id, params)
    message = state.new_message(
        chat_id, state.bot_user, reply_to_message=reply_to, reply_markup=markup, **content
    )
    snapshot = copy.deepcopy(message)
    state.record_event(
        BotEvent(
            kind=kind,
            chat_id=chat_id,
            message_id=message["message_id"],
            message=snapshot,
            params=params,
            document=stored.data if stored else None,
            filename=stored.filename if stored else None,
            mime_type=stored.mime_type if stored else None,
        )
    )
    return copy.deepcopy(message)


def _file(state: State, value: Any, files: Files, default_name: str, folder: str) -> StoredFile:
    if isinstance(value, str) and value.startswith("attach://"):
        value = files.get(value[len("attach://") :])
    if isinstance(value, UploadedPart):
        name = value.filename or default_name
        return state.add_file(value.data, name, value.mime_type, folder)
    if isinstance(value, str) and value in state.files:
        return state.files[value]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        name = value.rstrip("/").rsplit("/", 1)[-1] or default_name
        return state.add_file(b"", name, "application/octet-stream", folder)
    raise bad_request("wrong file identifier/HTTP URL specified")


@method("getMe")
def get_me(state: State, params: Params, files: Files) -> dict[str, Any]:
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@method("sendMessage")
def send_message(state: State, params: Params, files: Files) -> dict[str, Any]:
    text, entities = rules.message_text(params)
    return _send(state, params, "message", text=text, entities=entities)


@method("sendDocument")
def send_document(state: State, params: Params, files: Files) -> dict[str, Any]:
    caption, entities = rules.caption(params)
    stored = _file(state, params["document"], files, "document", "documents")
    document = {
        "file_name": stored.filename,
        "mime_type": stored.mime_type,
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    return _send(
        state, params, "document", stored, document=document, caption=caption,
        caption_entities=entities,
    )  # fmt: skip


@method("sendPhoto")
def send_photo(state: State, params: Params, files: Files) -> dict[str, Any]:
    caption, entities = rules.caption(params)
    stored = _file(state, params["photo"], files, "photo.jpg", "photos")
    width, height = rules.image_size(stored.data) if stored.data else (512, 512)
    size = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "width": width,
        "height": height,
    }
    return _send(
        state, params, "photo", stored, photo=[size], caption=caption, caption_entities=entities
    )


def _edit(state: State, params: Params, message: dict[str, Any], **changes: Any) -> dict[str, Any]:
    if message["from"].get("id") != state.bot_user["id"]:
        raise bad_request("message can't be edited")
    changes["reply_markup"] = rules.reply_markup(params.get("reply_markup"))
    if all(message.get(key) == (value or None) for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    for key, value in changes.items():
        if value:
            message[key] = value
        else:
            message.pop(key, None)
    message["edit_date"] = int(time.time())
    state.record_event(
        BotEvent(
            kind="edit",
            chat_id=message["chat"]["id"],
            message_id=message["message_id"],
            message=copy.deepcopy(message),
            params=params,
        )
    )
    return copy.deepcopy(message)


@method("editMessageText")
def edit_message_text(state: State, params: Params, files: Files) -> Any:
    text, entities = rules.message_text(params)
    message = _target(state, params, "edit")
    if message is None:
        return True
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    return _edit(state, params, message, text=text, entities=entities)


@method("editMessageCaption")
def edit_message_caption(state: State, params: Params, files: Files) -> Any:
    caption, entities = rules.caption(params)
    message = _target(state, params, "edit")
    if message is None:
        return True
    return _edit(state, params, message, caption=caption, caption_entities=entities)


@method("editMessageReplyMarkup")
def edit_message_reply_markup(state: State, params: Params, files: Files) -> Any:
    message = _target(state, params, "edit")
    return True if message is None else _edit(state, params, message)


@method("deleteMessage")
def delete_message(state: State, params: Params, files: Files) -> bool:
    message = _target(state, params, "delete")
    if message is not None:
        del state.messages[(message["chat"]["id"], message["message_id"])]
        state.notifier.notify()
    return True


@method("answerCallbackQuery")
def answer_callback_query(state: State, params: Params, files: Files) -> bool:
    if state.open_callbacks.pop(params["callback_query_id"], None) is None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    if len(params.get("text") or "") > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    state.answered_callbacks.append(dict(params))
    state.notifier.notify()
    return True


@method("sendChatAction")
def send_chat_action(state: State, params: Params, files: Files) -> bool:
    resolve_chat(state, params["chat_id"])
    return True


@method("getFile")
def get_file(state: State, params: Params, files: Files) -> dict[str, Any]:
    stored = state.files.get(params["file_id"])
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


def _commands_key(params: Params) -> str:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)


@method("setMyCommands")
def set_my_commands(state: State, params: Params, files: Files) -> bool:
    state.commands[_commands_key(params)] = rules.bot_commands(params["commands"])
    return True


@method("getMyCommands")
def get_my_commands(state: State, params: Params, files: Files) -> list[dict[str, Any]]:
    return copy.deepcopy(state.commands.get(_commands_key(params), []))


@method("deleteMyCommands")
def delete_my_commands(state: State, params: Params, files: Files) -> bool:
    state.commands.pop(_commands_key(params), None)
    return True


def _profile_text(state: State, params: Params, which: str, limit: int, error: str) -> bool:
    text = params.get(which, "")
    if len(text) > limit:  # Telegram's limits: description 0-512, short description 0-120
        raise bad_request(error)
    state.descriptions[(which, params.get("language_code") or "")] = text
    return True


@method("setMyDescription")
def set_my_description(state: State, params: Params, files: Files) -> bool:
    return _profile_text(state, params, "description", 512, "BOT_DESCRIPTION_INVALID")


@method("setMyShortDescription")
def set_my_short_description(state: State, params: Params, files: Files) -> bool:
    return _profile_text(state, params, "short_description", 120, "BOT_SHORT_DESCRIPTION_INVALID")


@method("setWebhook")
def set_webhook(state: State, params: Params, files: Files) -> bool:
    state.webhook_url = params["url"]
    if params.get("drop_pending_updates"):
        state.updates.clear()
    return True


@method("deleteWebhook")
def delete_webhook(state: State, params: Params, files: Files) -> bool:
    state.webhook_url = ""
    if params.get("drop_pending_updates"):
        state.updates.clear()
    return True


@method("getWebhookInfo")
def get_webhook_info(state: State, params: Params, files: Files) -> dict[str, Any]:
    return {
        "url": state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
