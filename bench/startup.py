"""Start-up time and memory of the bot as production starts it, in a fresh process.

``python -m bench.startup`` (env: TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, DATABASE_URL)
prints one JSON line: seconds to import, build_application, initialize (getMe, conversation
states from persistence) and start (the JobQueue), and RSS after start. The scheduler's own
work is included: bench/run_daily_baseline.py adds one run_daily job per user and slot.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

T0 = time.perf_counter()

import psutil  # noqa: E402
from telegram.ext import Application  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.config import load_settings  # noqa: E402

Extra = Callable[[Application, dict[str, Any]], Awaitable[None]]  # type: ignore[type-arg]


def rss_mb() -> float:
    return round(psutil.Process().memory_info().rss / 2**20, 1)


async def boot(extra: Extra | None = None) -> dict[str, Any]:
    figures: dict[str, Any] = {"import_s": round(time.perf_counter() - T0, 3)}
    figures["rss_after_import_mb"] = rss_mb()
    settings = load_settings()
    mark = time.perf_counter()
    app = build_application(settings)
    figures["build_s"] = round(time.perf_counter() - mark, 3)
    mark = time.perf_counter()
    await app.initialize()
    figures["initialize_s"] = round(time.perf_counter() - mark, 3)
    if extra is not None:
        await extra(app, figures)
    mark = time.perf_counter()
    await app.start()
    figures["start_s"] = round(time.perf_counter() - mark, 3)
    steps = [k for k in figures if k.endswith("_s") and k != "import_s"]
    figures["startup_s"] = round(sum(figures[k] for k in steps), 3)
    figures["rss_mb"] = rss_mb()
    jobs = app.job_queue.jobs() if app.job_queue is not None else ()
    figures["scheduled_jobs"] = len(jobs)
    await app.stop()
    await app.shutdown()
    return figures


def main(extra: Extra | None = None) -> int:
    print(json.dumps(asyncio.run(boot(extra))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
