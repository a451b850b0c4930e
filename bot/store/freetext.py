"""Raw access to every FreeText column: the start-up key check, and re-keying.

These queries read and write the stored form (ciphertext or marked plain text) on purpose,
bypassing the FreeText type, so they see exactly what is in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Column, Table, Text, literal, or_, select, type_coerce
from sqlmodel import SQLModel

import bot.models  # noqa: F401  (every table on the metadata)
from bot.columns import FreeText
from bot.store.db import Database
from bot.textform import PREFIX, UnreadableText, is_encrypted


class Decrypts(Protocol):
    def decrypt(self, stored: str) -> str: ...


@dataclass(frozen=True)
class Place:
    """Where a stored value lives (names and ids only: safe to log)."""

    table: str
    column: str
    row: Any

    def __str__(self) -> str:
        return f"{self.table}.{self.column} row {self.row}"


def free_text_columns() -> list[tuple[Table, list[Column[Any]]]]:
    """Each table with FreeText columns, and those columns (new tables are found too)."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, FreeText)]
        if columns:
            found.append((table, columns))
    return found


def unreadable_samples(db: Database, cipher: Decrypts, per_table: int = 3) -> list[Place]:
    """The places, among a sample of encrypted values, that ``cipher`` cannot decrypt.

    The sample is the first ``per_table`` rows found holding encrypted text in each table with
    FreeText columns: one scan per table, whatever its number of such columns, stopping at the
    first matches (this runs at every start-up; a scan per column took a second at a million
    users).
    """
    found: list[Place] = []
    with db.engine.connect() as conn:
        for table, columns in free_text_columns():
            (pk,) = table.primary_key.columns
            raws = [type_coerce(column, Text) for column in columns]
            matches = or_(*(raw.like(PREFIX + "%") for raw in raws))
            query = select(pk, *raws).where(matches).limit(per_table)
            for row in conn.execute(query):
                for column, value in zip(columns, row[1:], strict=True):
                    if isinstance(value, str) and is_encrypted(value):
                        try:
                            cipher.decrypt(value)
                        except UnreadableText:
                            found.append(Place(table.name, column.name, row[0]))
    return found


def rewrite(
    db: Database, transform: Callable[[str], str | None], batch: int = 500
) -> tuple[int, list[Place]]:
    """Apply ``transform`` to every stored FreeText value (None or the same value: unchanged).

    Works in batches by primary key, one transaction per batch. Returns how many values changed,
    and the places of the values ``transform`` could not read (UnreadableText), left as they are.
    """
    changed = 0
    unreadable: list[Place] = []
    for table, columns in free_text_columns():
        (pk,) = table.primary_key.columns
        raws = [type_coerce(c, Text).label(c.name) for c in columns]
        last: Any = None
        while True:
            with db.engine.begin() as conn:
                query = select(pk, *raws).order_by(pk).limit(batch)
                if last is not None:
                    query = query.where(pk > last)
                rows = conn.execute(query).all()
                if not rows:
                    break
                for row in rows:
                    values: dict[str, Any] = {}
                    for column in columns:
                        old = row._mapping[column.name]
                        try:
                            new = None if old is None else transform(old)
                        except UnreadableText:
                            unreadable.append(Place(table.name, column.name, row[0]))
                            continue
                        if new is not None and new != old:
                            values[column.name] = literal(new, Text)
                    if values:
                        conn.execute(table.update().where(pk == row[0]).values(**values))
                        changed += len(values)
                last = rows[-1][0]
    return changed, unreadable
