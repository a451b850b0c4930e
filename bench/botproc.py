"""A bot in its own process, polling the benchmark's fake server: ``steady`` or ``echo``.

``python -m bench.botproc steady|echo`` reads TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL and
(for steady) DATABASE_URL from the environment. SIGINT/SIGTERM stop it like production.

- steady: the production Application (bot.app.build_application) with TELEGRAM_MAX_RATE=0
  and run_jobs=False, logging as production does; ``run_polling`` like ``python -m bot``.
  With BENCH_RUN_JOBS=1 (outbound) the JobQueue runs too: the sweep every
  SWEEP_INTERVAL_SECONDS, through the rate limiter at TELEGRAM_MAX_RATE.
- echo: a bare python-telegram-bot Application: every message and button press is answered
  with one message carrying one button (the framework's ceiling for the same update mix).
- echo-aiohttp: the same echo bot on Steady's HTTP transport (bot/transport.py), the ceiling
  of the framework as Steady runs it: comparing against both separates what the transport
  gains from what Steady's own work costs.

Diagnostics (steady): BENCH_SQL_COUNTS=<file> receives statement/commit counts and full-GC
pauses at exit; BENCH_PROFILE=<file> receives cProfile stats; BENCH_GC_FREEZE=1 calls
gc.freeze() before polling (an experiment: see BENCHMARKS.md).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

ECHO_LABEL = "Echo"  # bench.flows.ECHO_LABEL (not imported: keep this process bare)
_MARKUP = InlineKeyboardMarkup([[InlineKeyboardButton(ECHO_LABEL, callback_data="echo")]])


async def _echo_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.effective_message is not None
    text = update.effective_message.text or "?"
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=_MARKUP)


async def _echo_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, "pressed", reply_markup=_MARKUP)


def echo_application(token: str, base_url: str, transport: str = "httpx") -> Application:  # type: ignore[type-arg]
    file_url = base_url.rstrip("/")[: -len("/bot")] + "/file/bot"
    builder = ApplicationBuilder().token(token).base_url(base_url).base_file_url(file_url)
    if transport == "aiohttp":  # as Steady's build_application attaches it
        from bot import transport as steady_transport

        builder = steady_transport.attach(builder)
    app = builder.build()
    app.add_handler(MessageHandler(filters.ALL, _echo_message))
    app.add_handler(CallbackQueryHandler(_echo_button))
    return app


SQL_COUNTS: dict[str, float] = {"statements": 0, "commits": 0}
_GC_START: list[float] = []


def _gc_pause(phase: str, info: dict[str, int]) -> None:
    """Count full (generation 2) collections and the longest pause: latency tails."""
    if info.get("generation") != 2:
        return
    if phase == "start":
        _GC_START[:] = [time.perf_counter()]
    elif _GC_START:
        pause = (time.perf_counter() - _GC_START[0]) * 1000
        SQL_COUNTS["gc_full"] += 1
        SQL_COUNTS["gc_full_max_ms"] = max(SQL_COUNTS["gc_full_max_ms"], round(pause, 1))


def steady_application() -> Application:  # type: ignore[type-arg]
    from sqlalchemy import event

    from bot.app import build_application
    from bot.config import load_settings
    from bot.handlers.common import RUNTIME_KEY
    from bot.logging_setup import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level)
    run_jobs = bool(os.environ.get("BENCH_RUN_JOBS"))  # outbound: the JobQueue runs the sweep
    app = build_application(settings, run_jobs=run_jobs)
    engines = app.bot_data[RUNTIME_KEY].db.engines

    def statement(*_: object) -> None:
        SQL_COUNTS["statements"] += 1

    def commit(*_: object) -> None:
        SQL_COUNTS["commits"] += 1

    for engine in engines:
        event.listen(engine, "before_cursor_execute", statement)
        event.listen(engine, "commit", commit)
    SQL_COUNTS.update(gc_full=0, gc_full_max_ms=0.0)
    gc.callbacks.append(_gc_pause)
    return app


def main(argv: list[str]) -> int:
    kind = argv[1] if len(argv) > 1 else "steady"
    if kind in ("echo", "echo-aiohttp"):
        app = echo_application(
            os.environ["TELEGRAM_BOT_TOKEN"],
            os.environ["TELEGRAM_API_BASE_URL"],
            "aiohttp" if kind == "echo-aiohttp" else "httpx",
        )
    elif kind == "steady":
        app = steady_application()
    else:
        print(f"unknown bot {kind!r}: steady, echo or echo-aiohttp", file=sys.stderr)
        return 2
    if os.environ.get("BENCH_GC_FREEZE"):  # experiment: start-up objects out of full GCs
        gc.freeze()
    profile_path = os.environ.get("BENCH_PROFILE")  # where the time goes (cProfile stats)
    if profile_path:
        import cProfile

        with cProfile.Profile() as profiler:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
        profiler.dump_stats(profile_path)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    if kind == "steady" and os.environ.get(
        "BENCH_SQL_COUNTS"
    ):  # how much database work the updates caused
        with open(os.environ["BENCH_SQL_COUNTS"], "w", encoding="utf-8") as f:
            json.dump(SQL_COUNTS, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
