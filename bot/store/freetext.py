"""Raw access to every FreeText column: samples for the start-up key check, and re-keying.

These queries read and write the stored form (ciphertext or plain text) on purpose, bypassing
the FreeText type, so they see exactly what is in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Table, Text, literal, select, type_coerce
from sqlmodel import SQLModel

import bot.models  # noqa: F401  (every table on the metadata)
from bot.store.db import Database
from bot.types import FreeText


def free_text_columns() -> list[tuple[Table, list[Column[Any]]]]:
    """Each table with FreeText columns, and those columns (new tables are found too)."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, FreeText)]
        if columns:
            found.append((table, columns))
    return found


def stored_samples(db: Database, prefix: str) -> list[str]:
    """At most one stored value starting with ``prefix`` from each FreeText column."""
    samples: list[str] = []
    with db.engine.connect() as conn:
        for _table, columns in free_text_columns():
            for column in columns:
                raw = type_coerce(column, Text)
                value = conn.execute(select(raw).where(raw.like(prefix + "%")).limit(1)).scalar()
                if value is not None:
                    samples.append(value)
    return samples


def rewrite(db: Database, transform: Callable[[str], str | None], batch: int = 500) -> int:
    """Apply ``transform`` to every stored FreeText value (None or the same value: unchanged).

    Works in batches by primary key, one transaction per batch; returns how many values changed.
    """
    changed = 0
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
                        new = None if old is None else transform(old)
                        if new is not None and new != old:
                            values[column.name] = literal(new, Text)
                    if values:
                        conn.execute(table.update().where(pk == row[0]).values(**values))
                        changed += len(values)
                last = rows[-1][0]
    return changed
