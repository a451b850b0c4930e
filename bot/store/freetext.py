"""Raw access to every FreeText column: samples for the start-up key check, and re-keying.

These queries read and write the stored form (ciphertext or plain text) on purpose, bypassing
the FreeText type, so they see exactly what is in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Table, Text, literal, or_, select, type_coerce
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
    """Stored values starting with ``prefix``: those of at most one row of each table with
    FreeText columns. One scan per table, whatever its number of such columns: this runs at
    every start-up, and a scan per column took a second at a million users."""
    samples: list[str] = []
    with db.engine.connect() as conn:
        for _table, columns in free_text_columns():
            raws = [type_coerce(column, Text) for column in columns]
            matches = or_(*(raw.like(prefix + "%") for raw in raws))
            row = conn.execute(select(*raws).where(matches).limit(1)).first()
            if row is not None:
                samples += [v for v in row if isinstance(v, str) and v.startswith(prefix)]
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
