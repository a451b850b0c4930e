"""Telegram's MarkdownV2 and legacy Markdown parse modes."""

from __future__ import annotations

import re
from typing import Any

from .common import ParseError, _byte, _Out

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
