"""Telegram's HTML parse mode."""

from __future__ import annotations

import re
from typing import Any

from .common import ParseError, _byte, _Out

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_START_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Out()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            end = _END_TAG.match(text, i)
            if end:
                name = end.group(1).lower()
                if not stack or stack[-1][0] != name:
                    expected = f', expected "</{stack[-1][0]}>"' if stack else ""
                    raise ParseError(
                        f"Unmatched end tag at byte offset {_byte(text, i)}{expected}, "
                        f'found "</{name}>"'
                    )
                tag, start, attrs = stack.pop()
                _close_html(out, tag, start, attrs)
                i = end.end()
                continue
            start_tag = _START_TAG.match(text, i)
            if not start_tag:
                raise ParseError(f"Unsupported start tag at byte offset {_byte(text, i)}")
            name = start_tag.group(1).lower()
            attrs = {
                m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                for m in _ATTR.finditer(start_tag.group(2))
            }
            if name not in _HTML_TAGS or (name == "span" and attrs.get("class") != "tg-spoiler"):
                raise ParseError(f'Unsupported start tag "{name}" at byte offset {_byte(text, i)}')
            parent = stack[-1][0] if stack else ""
            if parent == "code" or (parent == "pre" and name != "code"):
                raise ParseError(
                    f'Can\'t nest "{name}" inside "{parent}" at byte offset {_byte(text, i)}'
                )
            stack.append((name, out.pos, attrs))
            i = start_tag.end()
        elif char == "&":
            ent = _ENTITY.match(text, i)
            if not ent:
                raise ParseError(
                    f"Character '&' must be escaped as &amp; at byte offset {_byte(text, i)}"
                )
            body = ent.group(1)
            if body.startswith("#x"):
                out.add(chr(int(body[2:], 16)))
            elif body.startswith("#"):
                out.add(chr(int(body[1:])))
            else:
                out.add(_NAMED[body])
            i = ent.end()
        else:
            out.add(char)
            i += 1
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _close_html(out: _Out, tag: str, start: int, attrs: dict[str, str]) -> None:
    kind = _HTML_TAGS[tag]
    if tag == "a":
        href = attrs.get("href", "")
        if href:
            out.entity("text_link", start, url=href)
        return
    if tag == "tg-emoji":
        out.entity(kind, start, custom_emoji_id=attrs.get("emoji-id", ""))
        return
    if tag == "blockquote" and "expandable" in attrs:
        kind = "expandable_blockquote"
    out.entity(kind, start)
