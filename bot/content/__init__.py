"""Texts and vocabularies as data.

Every ``*.toml`` file in this folder is a namespace: ``checkin.toml`` holds the keys
``checkin.<key>``. Nested tables give dotted keys. ``t()`` looks a key up and formats it with
``str.format`` placeholders; ``data()`` returns raw values (lists, tables) for vocabularies.
Only English exists today; the ``lang`` argument is where translations will plug in.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_DIR = Path(__file__).parent


@cache
def _catalogue() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted(_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            merged[path.stem] = tomllib.load(fh)
    return merged


def data(key: str) -> Any:
    """The raw value at a dotted key (a string, list or table)."""
    node: Any = _catalogue()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no content at {key!r}")
        node = node[part]
    return node


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text at a dotted key, formatted with ``values``."""
    text = data(key)
    if not isinstance(text, str):
        raise KeyError(f"content at {key!r} is not a text")
    return text.format(**values) if values else text
