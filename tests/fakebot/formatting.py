"""Parse HTML / MarkdownV2 / Markdown text like Telegram: plain text + entities, or an error."""

from __future__ import annotations

import re
from typing import Any


class ParseError(Exception):
    """Raised with a message suitable for "Bad Request: can't parse entities: ..."."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Out:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0  # in UTF-16 code units, like Telegram's offsets
        self.entities: list[dict[str, Any]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.pos - start, **extra}
            )

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        ents = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), ents


def _byte(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


# ---------------------------------------------------------------------------------------- HTML
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


# ----------------------------------------------------------------------------------- MarkdownV2
_RESERVED = set("_*[]()~`>#+-=|{}.!")
_V2_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
    "[": "TextUrl",
}
_V2_KINDS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


def _reserved(text: str, i: int) -> ParseError:
    return ParseError(
        f"Character '{text[i]}' is reserved and must be escaped with the preceding '\\'"
    )


def _scan_until(text: str, i: int, closer: str) -> tuple[str, int] | None:
    """Read raw text up to an unescaped closer; return (content, index after closer)."""
    buf: list[str] = []
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and 1 <= ord(text[i + 1]) <= 126:
            buf.append(text[i + 1])
            i += 2
        elif text.startswith(closer, i):
            return "".join(buf), i + len(closer)
        else:
            buf.append(text[i])
            i += 1
    return None


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Out()
    stack: list[tuple[str, int, int]] = []  # marker, utf16 start, source index
    quote_start: int | None = None
    i = 0
    while i < len(text):
        if i == 0 or text[i - 1] == "\n":
            if text[i] == ">":
                if quote_start is None:
                    quote_start = out.pos
                i += 1
                continue
            if quote_start is not None:
                out.pos -= 1  # the line break is not part of the quote
                out.entity("blockquote", quote_start)
                out.pos += 1
                quote_start = None
        char = text[i]
        if char == "\\":
            if i + 1 < len(text) and 1 <= ord(text[i + 1]) <= 126:
                out.add(text[i + 1])
                i += 2
            else:
                out.add(char)
                i += 1
        elif char == "`":
            fence = "```" if text.startswith("```", i) else "`"
            found = _scan_until(text, i + len(fence), fence)
            if found is None:
                kind = "Pre" if fence == "```" else "Code"
                raise ParseError(f"Can't find end of {kind} entity at byte offset {_byte(text, i)}")
            content, i_next = found
            start = out.pos
            if fence == "```":
                first, sep, rest = content.partition("\n")
                language = first if sep and first and " " not in first else ""
                out.add(rest if language else content)
                extra = {"language": language} if language else {}
                out.entity("pre", start, **extra)
            else:
                out.add(content)
                out.entity("code", start)
            i = i_next
        elif char == "]":
            if not stack or stack[-1][0] != "[":
                raise _reserved(text, i)
            if not text.startswith("(", i + 1):
                raise ParseError(f"Can't find end of a URL at byte offset {_byte(text, i)}")
            found = _scan_until(text, i + 2, ")")
            if found is None:
                raise ParseError(f"Can't find end of a URL at byte offset {_byte(text, i)}")
            url, i = found
            _, start, _ = stack.pop()
            out.entity("text_link", start, url=url)
        elif char == "[":
            stack.append(("[", out.pos, i))
            i += 1
        elif char in "*_~|":
            marker = char
            if char == "|":
                if not text.startswith("||", i):
                    raise _reserved(text, i)
                marker = "||"
            elif char == "_" and text.startswith("__", i) and not (stack and stack[-1][0] == "_"):
                marker = "__"
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                out.entity(_V2_KINDS[marker], start)
            elif any(m == marker for m, _, _ in stack):
                opened = next(src for m, _, src in stack if m == marker)
                raise ParseError(
                    f"Can't find end of {_V2_NAMES[marker]} entity at byte offset "
                    f"{_byte(text, opened)}"
                )
            else:
                stack.append((marker, out.pos, i))
            i += len(marker)
        elif char in _RESERVED:
            raise _reserved(text, i)
        else:
            out.add(char)
            i += 1
    if stack:
        marker, _, src = stack[-1]
        raise ParseError(
            f"Can't find end of {_V2_NAMES[marker]} entity at byte offset {_byte(text, src)}"
        )
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    return out.result()


# ----------------------------------------------------------------------------- legacy Markdown
_LEGACY = {"*": "bold", "_": "italic", "`": "code"}


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Out()
    i = 0
    while i < len(text):
        char = text[i]
        if char in _LEGACY or char == "[":
            closer = {"[": "]"}.get(char, "```" if text.startswith("```", i) else char)
            begin = i + len(closer) if closer == "```" else i + 1
            end = text.find(closer, begin)
            if end < 0:
                raise ParseError(
                    f"Can't find end of the entity starting at byte offset {_byte(text, i)}"
                )
            start = out.pos
            out.add(text[begin:end])
            i = end + len(closer)
            if char == "[":
                match = re.match(r"\(([^)]*)\)", text[i:])
                if match:
                    out.entity("text_link", start, url=match.group(1))
                    i += match.end()
            else:
                out.entity("pre" if closer == "```" else _LEGACY[char], start)
        else:
            out.add(char)
            i += 1
    return out.result()


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) as Telegram would store them; raise ParseError."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    if mode:
        raise ParseError(f"Unsupported parse_mode {parse_mode}")
    return text, []
