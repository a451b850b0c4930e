"""The English catalogues as gettext messages: which texts there are, under which keys.

Every string in ``bot/content/*.toml`` is a message, keyed by its dotted path (``checkin.
ask_need``); an entry in an array of tables is keyed by its ``id`` (``vocab.commitments.
pause.label``), or by its position when it has none. A table of CLDR plural forms
(``{ one = "1 day", other = "{n} days" }``) is one message with a plural. Arrays of plain
strings are not messages but language data (the coach's word lists, parsing words): each
language has its own (``bot/locales/<lang>/wordlists.toml``), written for it, not translated.

Used by ``bot.content`` to translate at run time and by ``scripts/messages.py`` to write the
template (``bot/locales/steady.pot``) and the catalogues.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: CLDR plural categories: a table whose keys are among these (with "other") is a plural.
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
#: Files that are not messages at all (detection patterns, word forms).
NOT_MESSAGES = frozenset({"crisis_patterns"})
#: Tables that are language data, not messages (each language writes its own).
LANGUAGE_DATA_TABLES = frozenset(
    {
        "coach.past_participles",  # a language's own verb forms
        "script.aliases",  # what people type for each template, in their language
        "care.emergency",  # numbers by country: the same in every language
    }
)


@dataclass(frozen=True)
class Message:
    key: str
    english: str
    #: For a plural: the English "other" form (``english`` is the "one" form).
    plural: str | None = None


def is_plural(node: Any) -> bool:
    return (
        isinstance(node, dict)
        and bool(node)
        and "other" in node
        and set(node) <= PLURAL_CATEGORIES
        and all(isinstance(v, str) for v in node.values())
    )


def is_language_data(node: Any, key: str = "") -> bool:
    if key in LANGUAGE_DATA_TABLES:
        return True
    return isinstance(node, list) and all(isinstance(v, str) for v in node)


def child_key(node: list[Any], index: int) -> str:
    """The key part of an array entry: its ``id``, or its position."""
    item = node[index]
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return str(item["id"])
    return str(index)


def walk(node: Any, prefix: str) -> Iterator[Message]:
    """Every message under ``node`` (a catalogue or part of one), keyed under ``prefix``."""
    if is_language_data(node, prefix):
        return
    if isinstance(node, str):
        yield Message(prefix, node)
    elif is_plural(node):
        yield Message(prefix, node.get("one", node["other"]), node["other"])
    elif isinstance(node, dict):
        for name, value in node.items():
            if name != "id":
                yield from walk(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{prefix}.{child_key(node, index)}")


def catalogue_messages(catalogue: dict[str, Any]) -> Iterator[Message]:
    """Every message of the merged English catalogue (file stem → its table)."""
    for stem, table in catalogue.items():
        if stem not in NOT_MESSAGES:
            yield from walk(table, stem)
