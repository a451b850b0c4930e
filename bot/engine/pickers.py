"""Keyboards for choices: plain choices, toggled multiple choices and their Done button (the
feelings wheel is bot/engine/wheel.py). Callback data is ``<prefix>:<action>[:<arg>]``
with a prefix of the caller's own, so any flow can reuse them."""

from __future__ import annotations

from collections.abc import Sequence

from bot.content import t
from bot.handlers.common import Button, chunk
from bot.services.textsplit import clip

LABEL_CLIP = 40  # characters of a user's own label shown on a button


def mark(label: str, chosen: bool) -> str:
    return t("flow.selected_mark", label=label) if chosen else label


def done_button(prefix: str, action: str, count: int, empty_label: str) -> Button:
    """ "Done (n chosen)", or ``empty_label`` (e.g. Skip) while nothing is chosen."""
    label = t("flow.done_count", count=count) if count else empty_label
    return (label, f"{prefix}:{action}")


def toggle_rows(
    prefix: str,
    action: str,
    options: Sequence[tuple[str, str]],
    selected: Sequence[str],
    per_row: int = 2,
) -> list[list[Button]]:
    """(id, label) options as toggles marked with ✓ when chosen."""
    chosen = set(selected)
    buttons = [(mark(label, oid in chosen), f"{prefix}:{action}:{oid}") for oid, label in options]
    return chunk(buttons, per_row)


def choice_rows(
    prefix: str,
    action: str,
    options: Sequence[tuple[str, str]],
    per_row: int = 2,
    limit: int = LABEL_CLIP,
) -> list[list[Button]]:
    """(key, label) options as plain buttons; labels longer than ``limit`` (0: none) are
    shortened on the button."""
    buttons = [
        (clip(label, limit) if limit else label, f"{prefix}:{action}:{key}")
        for key, label in options
    ]
    return chunk(buttons, per_row)
