"""Fitting long texts into Telegram messages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.services.textsplit import clip, split_text, utf16_len


def test_short_text_is_one_part() -> None:
    assert split_text("Hello") == ["Hello"]


def test_splits_at_paragraphs_then_lines_then_words() -> None:
    text = "a" * 10 + "\n\n" + "b" * 10
    assert split_text(text, 15) == ["a" * 10, "b" * 10]
    text = "a" * 10 + "\n" + "b" * 10
    assert split_text(text, 15) == ["a" * 10, "b" * 10]
    assert split_text("one two three four", 9) == ["one two", "three", "four"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_emoji_count_twice() -> None:
    assert utf16_len("🌱") == 2
    parts = split_text("🌱" * 5000)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts) == "🌱" * 5000


def test_clip() -> None:
    assert clip("short", 10) == "short"
    assert clip("a" * 20, 10) == "a" * 9 + "…"
    assert utf16_len(clip("🌱" * 3000)) <= 4096


@given(st.text(max_size=3000), st.integers(min_value=2, max_value=200))
def test_parts_fit_and_keep_every_word(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(utf16_len(p) <= limit and p.strip() for p in parts)
    # Only the whitespace where a part was cut may go; every other character stays, in order.
    assert "".join("".join(parts).split()) == "".join(text.split())
