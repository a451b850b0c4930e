"""What the figures were measured on: machine, load, versions, date."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from datetime import UTC, datetime

import psutil


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def postgres_version(url: str | None) -> str | None:
    if not url:
        return None
    try:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        from bot.store.db import make_engine

        admin = make_url(url).set(database="postgres").render_as_string(hide_password=False)
        engine = make_engine(admin)
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar())
            sync = conn.execute(text("SHOW synchronous_commit")).scalar()
            buffers = conn.execute(text("SHOW shared_buffers")).scalar()
            version += f" (synchronous_commit={sync}, shared_buffers={buffers})"
        engine.dispose()
        return version
    except Exception:
        return None


def describe(pg_url: str | None = None) -> dict[str, str]:
    import telegram

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cores} cores ({_cpu_model()}), {memory:.1f} GiB RAM",
        "load average before": load,
        "python": sys.version.split()[0],
        "python-telegram-bot": telegram.__version__,
        "sqlite": sqlite3.sqlite_version,
    }
    pg = postgres_version(pg_url)
    if pg:
        info["postgresql"] = pg
    return info


def header(pg_url: str | None = None) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in describe(pg_url).items())
