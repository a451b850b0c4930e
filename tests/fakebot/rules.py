"""Telegram's content rules that the JSON schema alone does not express."""

from __future__ import annotations

import re
from typing import Any

from .formatting import ParseError, parse_text
from .spec import bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def _parse(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    if parse_mode and parse_mode.lower() not in ("html", "markdownv2", "markdown"):
        raise bad_request("unsupported parse_mode")
    try:
        return parse_text(text, parse_mode)
    except ParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None


def message_text(params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of a message text, enforcing 1..4096 characters."""
    if params.get("entities") is not None:
        plain, entities = params["text"], params["entities"]
    else:
        plain, entities = _parse(params["text"], params.get("parse_mode"))
    if not plain.strip():
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return plain, entities


def caption(params: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
    if params.get("caption") is None:
        return None, []
    if params.get("caption_entities") is not None:
        plain, entities = params["caption"], params["caption_entities"]
    else:
        plain, entities = _parse(params["caption"], params.get("parse_mode"))
    if len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return plain, entities


def reply_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Validate a reply_markup; return what a Message carries (only inline keyboards)."""
    if markup is None:
        return None
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request('field "inline_keyboard" must be an Array of Arrays')
        for row in rows:
            for button in row:
                _inline_button(button)
        return {"inline_keyboard": rows}
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request('field "keyboard" must be an Array of Arrays')
        for row in rows:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if not isinstance(text, str) or not text:
                    raise bad_request("keyboard button text must be non-empty")
        return None
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return None
    raise bad_request("unsupported reply_markup")


def _inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request("can't parse inline keyboard button: only one action field allowed")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"(https?|tg)://\S+", url):
            raise bad_request("BUTTON_URL_INVALID")


def bot_commands(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    out = []
    for command in commands:
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        out.append({"command": name, "description": description})
    return out


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG/JPEG/GIF/WebP, or 400 IMAGE_PROCESS_FAILED like Telegram."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                break
            marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h = int.from_bytes(data[i + 5 : i + 7], "big")
                return int.from_bytes(data[i + 7 : i + 9], "big"), h
            i += 2 + length
        return 512, 512
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 512, 512
    raise bad_request("IMAGE_PROCESS_FAILED")
