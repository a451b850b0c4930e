"""Switch-on points for work landing on other branches; each returns None until it exists.

- ``sweep()``: issue 3's ``bot.outbound.sweep.run_sweep(app, now)`` (outbound, scale ticks).
- ``summary()``: issue 5's weekly summary for one user, called as ``fn(db, user_id, now)``.
  Wire the real entry point in ``summary()`` below once bot/services/summary.py exists.
The morning check-in flow is switched on in ``bench/flows.py`` (``morning_checkin``).
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.store.db import Database

Sweep = Callable[[Any, datetime], Awaitable[Any]]
Summary = Callable[[Database, int, datetime], Any]

SWEEP_MISSING = "sweep not available (bot.outbound.sweep.run_sweep, issue 3)"
SUMMARY_MISSING = "summary not available (bot.services.summary, issue 5: wire bench/adapters.py)"


def sweep() -> Sweep | None:
    try:
        module = importlib.import_module("bot.outbound.sweep")
    except ImportError:
        return None
    return getattr(module, "run_sweep", None)


def summary() -> Summary | None:
    """The weekly summary of one user as the bot builds it, called as ``fn(db, user_id, now)``."""
    try:
        from bot.app import FEATURES
        from bot.features.records import contributions
        from bot.services.summary import build_summary
        from bot.store import users
    except ImportError:
        return None
    parts = contributions(FEATURES).summary

    def build_for_user(db: Any, user_id: int, now: Any) -> Any:
        user = users.get(db, user_id)
        return None if user is None else build_summary(db, parts, user, now)

    return build_for_user
