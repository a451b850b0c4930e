"""Every text the code asks for exists, and gets the values its placeholders need.

A missing key or placeholder is a ``KeyError`` in front of a user, in a step a test may never
reach. This reads every ``t("literal.key", ...)`` and ``data("literal.key")`` call in ``bot/``
and checks it against the catalogues. Keys built at run time (f-strings) are checked by the
prefix they start with: at least one text must live under it.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.content import data

BOT = Path(__file__).resolve().parents[2] / "bot"


@dataclass(frozen=True)
class Call:
    where: str
    func: str
    key: str  # the literal key, or the literal prefix of an f-string key
    dynamic: bool
    keywords: frozenset[str] | None  # None when the call passes **values


def _calls() -> Iterator[Call]:
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("t", "data") or not node.args:
                continue
            first = node.args[0]
            where = f"{path.relative_to(BOT.parent)}:{node.lineno}"
            keywords = (
                None
                if any(k.arg is None for k in node.keywords)
                else frozenset(k.arg for k in node.keywords if k.arg and k.arg != "lang")
            )
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield Call(where, node.func.id, first.value, False, keywords)
            elif isinstance(first, ast.JoinedStr) and first.values:
                head = first.values[0]
                if isinstance(head, ast.Constant) and isinstance(head.value, str):
                    yield Call(where, node.func.id, head.value, True, keywords)


CALLS = list(_calls())


def _placeholders(text: str) -> set[str]:
    names = set()
    for _, field, _, _ in string.Formatter().parse(text):
        if field:
            names.add(field.split(".")[0].split("[")[0])
    return names


def _prefix_exists(prefix: str) -> bool:
    parent, _, stem = prefix.rpartition(".")
    try:
        node = data(parent) if parent else None
    except KeyError:
        return False
    return isinstance(node, dict) and any(str(k).startswith(stem) for k in node)


def test_the_code_asks_for_texts() -> None:
    assert len(CALLS) > 100  # the scan found the calls (a broken scan would pass everything)


@pytest.mark.parametrize("call", [c for c in CALLS if not c.dynamic], ids=lambda c: c.where)
def test_literal_keys_exist_with_their_placeholders(call: Call) -> None:
    value = data(call.key)  # KeyError: the catalogue lacks it
    if call.func == "t":
        assert isinstance(value, str), f"{call.key} is not a text"
        if call.keywords is not None:
            missing = _placeholders(value) - call.keywords
            assert not missing, f"{call.where}: {call.key} needs {sorted(missing)}"


@pytest.mark.parametrize("call", [c for c in CALLS if c.dynamic], ids=lambda c: c.where)
def test_dynamic_keys_have_texts_under_their_prefix(call: Call) -> None:
    assert _prefix_exists(call.key), f"{call.where}: nothing in the catalogue under {call.key!r}"
