"""SQLite serves one process: a second ``python -m bot`` on the same file refuses to start.

Two processes on one SQLite file would both poll (Telegram answers one of them 409 Conflict),
both pace themselves at the full send rate, and wait on each other's writes. So the first
takes an exclusive ``flock`` on a sidecar file next to the database, ``<db>.lock``, and holds
it for as long as it runs; the operating system lets it go when the process ends, however it
ends (a SIGKILL too), so a stale lock file never keeps the next start out. Several replicas
need PostgreSQL (README, Deployment).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from bot.config import ConfigError

#: The lock files this process holds (kept open, and so locked, until it exits).
_held: list[IO[str]] = []


def lock_path(database_url: str) -> Path | None:
    """The sidecar lock file of an SQLite file database; None for others (and in-memory)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).with_name(Path(url.database).name + ".lock")


def hold(database_url: str) -> Path | None:
    """Take the SQLite file's lock for the rest of the process's life; ConfigError (with how to
    fix it) if another process holds it. Returns the lock file's path (None: not SQLite)."""
    path = lock_path(database_url)
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise ConfigError(
            f"Another Steady process (pid {holder}) is already running on the SQLite database "
            f"{path.with_suffix('')}: SQLite serves one process. Stop the other one first, or, "
            "to run several replicas, use PostgreSQL (DATABASE_URL; README, Deployment)."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    _held.append(handle)
    return path
