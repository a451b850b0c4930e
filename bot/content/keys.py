"""Content keys the code builds at run time, declared where a tool can see them.

Most texts are looked up by a literal key: ``t("trigger.closing")``. Where the code picks one of
a few texts by a value (a step, an outcome, a section), it builds the key from a pattern,
``t(f"trigger.ask_{step}")``. Each such family is declared once, as a module-level ``Family``
next to the code that builds it, from the same values the code iterates::

    ASK = Family("trigger.ask_{}", STEPS)

The content test (``tests/unit/test_content.py``) reads every key in ``bot/``: literal keys
must exist; a key built with an f-string must belong to a declared family whose members all
exist and take the same placeholders; no text in the catalogues is left unused. A feature also
lists its families in its ``Feature`` (``texts``), and the bot refuses to start when one of
their keys is missing (``bot.features.base.check_content``).
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass

from bot.content import data


@dataclass(frozen=True)
class Family:
    """The keys ``pattern.format(value)`` for each value: ``Family("repair.when_{}", PRESETS)``."""

    #: A key with one ``{}`` where the value goes.
    pattern: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        holes = [f for _, f, _, _ in string.Formatter().parse(self.pattern) if f is not None]
        if holes != [""]:
            raise ValueError(f"a key family's pattern has one {{}}: {self.pattern!r}")
        object.__setattr__(self, "values", tuple(str(v) for v in self.values))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.pattern.format(value) for value in self.values)


def missing(keys: Iterable[str]) -> list[str]:
    """The keys the catalogues lack (in the order given)."""
    absent = []
    for key in keys:
        try:
            data(key)
        except KeyError:
            absent.append(key)
    return absent
