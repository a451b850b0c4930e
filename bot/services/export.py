"""/export: everything stored about a user, as one JSON document or as CSV files in a zip.

Rows are streamed from the store into memory (``io.BytesIO``), never a temporary file: the
export is decrypted text, and a file on disk would outlive encryption at rest and /delete (a
year of daily check-ins and logs is a few MB). Telegram lets bots send documents of
at most 50 MB: a larger export is zipped, and a zip still too large is split into numbered parts
(``.zip.001``, ``.zip.002`` … which 7-Zip opens, or ``cat`` joins).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, Literal

from bot.content import t
from bot.models import User
from bot.services.profile import local_today
from bot.store import export as store
from bot.store import users
from bot.store.db import Database

MAX_DOCUMENT_BYTES = 50_000_000
FORMAT_VERSION = 1
Format = Literal["json", "csv"]


@dataclass
class ExportFile:
    """A finished file, in memory."""

    filename: str
    file: IO[bytes]
    is_zip: bool

    @property
    def size(self) -> int:
        self.file.seek(0, io.SEEK_END)
        return self.file.tell()

    def close(self) -> None:
        self.file.close()


@dataclass(frozen=True)
class Part:
    """One document to send: a whole file or a byte range of one."""

    filename: str
    source: ExportFile
    start: int
    length: int

    def read(self) -> bytes:
        self.source.file.seek(self.start)
        return self.source.file.read(self.length)


@dataclass
class Delivery:
    parts: list[Part]
    zipped: bool = False  # compressed because it was too large as it was
    files: list[ExportFile] = field(default_factory=list)

    @property
    def split(self) -> bool:
        return len(self.parts) > 1

    def close(self) -> None:
        for file in self.files:
            file.close()


def _spool() -> IO[bytes]:
    """Where an export is written: memory only (see the module doc)."""
    return io.BytesIO()


def file_stem(user: User, now: datetime) -> str:
    return f"steady-export-{local_today(user, now).isoformat()}"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def write_json(
    db: Database, user_id: int, now: datetime, out: IO[bytes], claimed: store.Claimed = ()
) -> None:
    """The JSON document: a header, then each table's rows (``users`` first), streamed.

    ``claimed``: the features' tables (``Contributions.tables``), see ``store.export.tables``."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")  # type: ignore[type-var]
    meta = {
        "format_version": FORMAT_VERSION,
        "exported_at": now.isoformat(),
        "user_id": user_id,
        "about": t("data.export_about"),
    }
    text.write('{\n  "steady_export": ' + _dumps(meta))
    for table in store.tables(claimed):
        text.write(",\n  " + _dumps(table.name) + ": [")
        sep = "\n    "
        for row in store.iter_rows(db, table, user_id):
            text.write(sep + _dumps(row))
            sep = ",\n    "
        text.write("]" if sep == "\n    " else "\n  ]")
    text.write("\n}\n")
    text.flush()
    text.detach()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return _dumps(value)
    return value


def _entry(name: str, now: datetime) -> zipfile.ZipInfo:
    """A zip entry stamped with ``now`` (not the wall clock), deflated."""
    info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_csv_zip(
    db: Database, user_id: int, now: datetime, out: IO[bytes], claimed: store.Claimed = ()
) -> None:
    """A zip with README.txt and one CSV per table (header row always, UTF-8 with BOM)."""
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_entry("README.txt", now), t("data.csv_readme") + "\n")
        for table in store.tables(claimed):
            names = store.column_names(table)
            entry = archive.open(_entry(f"{table.name}.csv", now), "w", force_zip64=True)
            with io.TextIOWrapper(entry, encoding="utf-8-sig", newline="") as text:
                writer = csv.writer(text)
                writer.writerow(names)
                for row in store.iter_rows(db, table, user_id):
                    writer.writerow([_cell(row[name]) for name in names])


def build(
    db: Database, user_id: int, now: datetime, fmt: Format, claimed: store.Claimed = ()
) -> ExportFile | None:
    """The export file, or None when nothing is stored about the user."""
    user = users.get(db, user_id)
    if user is None:
        return None
    out = _spool()
    if fmt == "csv":
        write_csv_zip(db, user_id, now, out, claimed)
        return ExportFile(f"{file_stem(user, now)}-csv.zip", out, is_zip=True)
    write_json(db, user_id, now, out, claimed)
    return ExportFile(f"{file_stem(user, now)}.json", out, is_zip=False)


def _zipped(export: ExportFile, now: datetime) -> ExportFile:
    out = _spool()
    with zipfile.ZipFile(out, "w") as archive:
        export.file.seek(0)
        with archive.open(_entry(export.filename, now), "w", force_zip64=True) as entry:
            shutil.copyfileobj(export.file, entry)
    return ExportFile(export.filename + ".zip", out, is_zip=True)


def _ranges(size: int, limit: int) -> Iterator[tuple[int, int]]:
    for start in range(0, size, limit):
        yield start, min(limit, size - start)


def fit(export: ExportFile, now: datetime, limit: int | None = None) -> Delivery:
    """The documents to send for ``export`` within Telegram's size limit."""
    limit = limit or MAX_DOCUMENT_BYTES
    if export.size <= limit:
        return Delivery([Part(export.filename, export, 0, export.size)], files=[export])
    delivery = Delivery([], files=[export])
    if not export.is_zip:
        export = _zipped(export, now)
        delivery.zipped = True
        delivery.files.append(export)
    size = export.size
    if size <= limit:
        delivery.parts = [Part(export.filename, export, 0, size)]
        return delivery
    delivery.parts = [
        Part(f"{export.filename}.{number:03d}", export, start, length)
        for number, (start, length) in enumerate(_ranges(size, limit), start=1)
    ]
    return delivery
