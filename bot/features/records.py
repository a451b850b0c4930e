"""What a feature contributes to /history, /summary, /export and /delete (``Feature.records``).

A feature with entries of its own declares one ``Records`` value in its ``records.py`` and
attaches it to its ``Feature``. The shared code loops over the contributions of the feature
list (``contributions(features)``, built and checked once at start-up, kept in the
``Runtime``): the history page (one UNION over the listed tables, ``store.history``), the
summary's aggregates and activity (``store.summary``, ``services.summary``), the export and
/delete (``store.export``). A new feature with records needs no change to any of them.

The pieces are store (SQL) and service (rendering) functions: no Telegram in them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlmodel import SQLModel

from bot.features.errors import FeatureError
from bot.services.summary import Lines, Parts
from bot.store import export
from bot.store.db import Database
from bot.store.history import Listing
from bot.store.summary_sql import SummaryPart

#: A history kind: one lowercase letter (``p`` is the page button: ``hi:p:<page>``).
_KIND = re.compile(r"^[a-oq-z]$")


@dataclass(frozen=True)
class History:
    """One kind of entry in /history."""

    #: Which rows are listed, under which one-letter kind (store).
    listing: Listing
    #: The entry's button label in the list (service).
    label: Callable[[Any], str]
    #: The whole entry as text, given its related rows (service).
    detail: Callable[[Any, Sequence[Any]], str]
    #: Rows read with the entry (the commitments of a check-in), from the store.
    related: Callable[[Database, Any], Sequence[Any]] | None = None

    @property
    def kind(self) -> str:
        return self.listing.kind

    def read(self, db: Database, entry: Any) -> str:
        """The entry whole, its related rows loaded."""
        return self.detail(entry, self.related(db, entry) if self.related else ())


@dataclass(frozen=True)
class Records:
    """What one feature stores about a user, as the shared code sees it."""

    #: Its kinds of entry in /history.
    history: tuple[History, ...] = ()
    #: What it adds to the summary's SQL: figures, empty-or-not, activity (store).
    summary: SummaryPart | None = None
    #: Lines of its own in the summary text, from its figures (service; the check-in,
    #: thought-record and repair lines are written by ``services.summary_text``).
    summary_lines: Lines | None = None
    #: Its tables: exported whole (every column) and erased by /delete.
    tables: tuple[type[SQLModel], ...] = ()


@dataclass(frozen=True)
class Contributions:
    """The contributions of a feature list, in feature order."""

    records: tuple[Records, ...] = ()
    _kinds: dict[str, History] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for records in self.records:
            for history in records.history:
                self._kinds.setdefault(history.kind, history)

    @classmethod
    def of(cls, features: Iterable[Any]) -> Contributions:
        """From ``Feature`` values (those with ``records``)."""
        return cls(tuple(f.records for f in features if getattr(f, "records", None)))

    @cached_property
    def listings(self) -> tuple[Listing, ...]:
        return tuple(h.listing for r in self.records for h in r.history)

    def history(self, kind: str) -> History | None:
        return self._kinds.get(kind)

    def history_for(self, entry: Any) -> History | None:
        """The kind of entry a row is, by its table."""
        return next((h for h in self._kinds.values() if isinstance(entry, h.listing.model)), None)

    @cached_property
    def summary(self) -> Parts:
        return Parts(
            store=tuple(r.summary for r in self.records if r.summary is not None),
            lines=tuple(
                (r.summary.name, r.summary_lines)
                for r in self.records
                if r.summary is not None and r.summary_lines is not None
            ),
        )

    @cached_property
    def tables(self) -> tuple[type[SQLModel], ...]:
        return tuple(model for r in self.records for model in r.tables)


def contributions(features: Sequence[Any]) -> Contributions:
    """The feature list's contributions, checked (``FeatureError`` says what is wrong)."""
    problems = check(features)
    if problems:
        raise FeatureError("; ".join(problems))
    return Contributions.of(features)


def check(features: Iterable[Any]) -> list[str]:
    """What is wrong with the feature list's records (empty: nothing). A history kind must be
    one letter and claimed once, a summary part's name and a table once, and every table with
    per-user rows outside the shared machinery's claimed by a feature (so /export shows it and
    /delete erases it knowingly; ``store.export`` erases an unclaimed one all the same)."""
    problems: list[str] = []
    kinds: dict[str, str] = {}
    tables: dict[str, str] = {}
    parts: dict[str, str] = {}
    for feature in features:
        records: Records | None = getattr(feature, "records", None)
        if records is None:
            continue
        for history in records.history:
            if not _KIND.match(history.kind):
                problems.append(
                    f"history kind {history.kind!r} of {feature.name!r} is not one letter"
                )
            elif history.kind in kinds:
                problems.append(
                    f"history kind {history.kind!r} is claimed by both "
                    f"{kinds[history.kind]!r} and {feature.name!r}"
                )
            kinds.setdefault(history.kind, feature.name)
        if records.summary is not None:
            name = records.summary.name
            if name in parts:
                problems.append(
                    f"summary part {name!r} is claimed by both {parts[name]!r} and {feature.name!r}"
                )
            parts.setdefault(name, feature.name)
        for model in records.tables:
            name = str(model.__tablename__)
            if name in tables:
                problems.append(
                    f"table {name!r} is claimed by both {tables[name]!r} and {feature.name!r}"
                )
            tables.setdefault(name, feature.name)
    for name in export.unclaimed(tables):
        problems.append(f"table {name!r} holds per-user rows but no feature declares it")
    return problems
