"""Texts and vocabularies as data, in the user's language.

Every ``*.toml`` file in this folder is a namespace: ``checkin.toml`` holds the keys
``checkin.<key>``. Nested tables give dotted keys. ``t()`` looks a key up and formats it with
``str.format`` placeholders; ``data()`` returns raw values (lists, tables) for vocabularies.
English is the source; other languages translate it through gettext catalogues
(``bot/content/i18n.py``), in the language of the update being handled unless ``lang`` says.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from bot.content import i18n
from bot.content.messages import NOT_MESSAGES, child_key, is_language_data, is_plural

_DIR = Path(__file__).parent
#: The placeholder that carries the count of a plural text.
COUNT_NAMES = ("n", "count")


@cache
def _catalogue() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted(_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            merged[path.stem] = tomllib.load(fh)
    return merged


@cache
def _language_data(lang: str) -> dict[str, Any]:
    """The language's own word lists (``bot/locales/<lang>/wordlists.toml``), by dotted key."""
    path = i18n.LOCALES / lang / "wordlists.toml"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def _flatten(node: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in node.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict) and not is_language_data(value, key):
            flat.update(_flatten(value, key))
        else:
            flat[key] = value
    return flat


def _english(key: str) -> Any:
    node: Any = _catalogue()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no content at {key!r}")
        node = node[part]
    return node


def _translated(node: Any, key: str, lang: str) -> Any:
    """``node`` (English, at ``key``) with every message in it translated into ``lang``."""
    if is_language_data(node, key):
        return _language_data(lang).get(key, node)
    if isinstance(node, str):
        return i18n.translate(key, node, lang)
    if is_plural(node):
        return node  # formatted by t() with its count
    if isinstance(node, dict):
        return {
            name: value if name == "id" else _translated(value, f"{key}.{name}", lang)
            for name, value in node.items()
        }
    if isinstance(node, list):
        return [_translated(v, f"{key}.{child_key(node, i)}", lang) for i, v in enumerate(node)]
    return node


@cache
def _data(key: str, lang: str) -> Any:
    english = _english(key)
    if lang == i18n.DEFAULT or key.split(".")[0] in NOT_MESSAGES:
        return english
    return _translated(english, key, lang)


def words(key: str) -> list[str]:
    """A word list (what a user may type: "abend", "недели") in the current language, then
    English's, which every user may type too."""
    here, english = data(key), data(key, i18n.DEFAULT)
    return [*here, *english] if here is not english else list(english)


def data(key: str, lang: str | None = None) -> Any:
    """The raw value at a dotted key (a string, list or table), in ``lang`` (default: the
    current language). Treat it as read-only: it is shared."""
    return _data(key, lang or i18n.current())


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text at a dotted key in ``lang`` (default: the current language), formatted with
    ``values``; a plural text takes its form from the count (``n`` or ``count``, else the
    first whole number among ``values``)."""
    lang = lang or i18n.current()
    english = _english(key)
    if is_plural(english) or (isinstance(english, str) and i18n.has_plural(key, lang)):
        count = next((values[name] for name in COUNT_NAMES if name in values), None)
        if not isinstance(count, int):  # a translation's own count ("{weeks} Wochen")
            count = next((v for v in values.values() if isinstance(v, int)), 2)
        forms: dict[str, str] = english if isinstance(english, dict) else {"other": english}
        one, other = forms.get("one", forms["other"]), forms["other"]
        text = i18n.translate_plural(key, one, other, count, lang)
    elif isinstance(english, str):
        text = english if lang == i18n.DEFAULT else i18n.translate(key, english, lang)
    else:
        raise KeyError(f"content at {key!r} is not a text")
    return text.format(**values) if values else text
