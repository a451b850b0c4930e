"""The fake server's HTML and MarkdownV2 parsers (tests/fakebot/formatting.py)."""

from __future__ import annotations

import pytest

from tests.fakebot.formatting import ParseError, parse_html, parse_markdown_v2

pytestmark = pytest.mark.timeout(20)


def test_formatting_parsers() -> None:
    text, entities = parse_html("<b>Hi <i>😀</i></b> &quot;x&quot;")
    assert text == 'Hi 😀 "x"'
    assert entities == [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "italic", "offset": 3, "length": 2},
    ]
    text, entities = parse_markdown_v2("*bold* `a.b` [link](https://x.y/a\\)b)\n>quote")
    assert text == "bold a.b link\nquote"
    assert [e["type"] for e in entities] == ["bold", "code", "text_link", "blockquote"]
    assert entities[2]["url"] == "https://x.y/a)b"
    for bad in ("*open", "_a *b_ c*", "a|b", "[x](y"):
        with pytest.raises(ParseError):
            parse_markdown_v2(bad)
