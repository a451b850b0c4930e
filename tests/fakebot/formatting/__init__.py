"""Parse HTML / MarkdownV2 / Markdown text like Telegram: plain text + entities, or an error."""

from __future__ import annotations

from typing import Any

from .common import ParseError, utf16_len
from .html import parse_html
from .markdown import parse_markdown, parse_markdown_v2

__all__ = [
    "ParseError",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "parse_text",
    "utf16_len",
]


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
