"""Switch-on points for work landing on other branches; each returns None until it exists.

- ``sweep()``: issue 3's ``bot.handlers.sweep.run_sweep(app, now)`` (outbound, scale ticks).
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

SWEEP_MISSING = "sweep not available (bot.handlers.sweep.run_sweep, issue 3)"
SUMMARY_MISSING = "summary not available (bot.services.summary, issue 5: wire bench/adapters.py)"


def sweep() -> Sweep | None:
    try:
        module = importlib.import_module("bot.handlers.sweep")
    except ImportError:
        return None
    return getattr(module, "run_sweep", None)


def summary() -> Summary | None:
    """The weekly summary of one user as the bot builds it (data + text; chart if it is part).

    Expected once issue 5 lands: ``bot.services.summary.build_for_user(db, user_id, now)``.
    If the real name or signature differs, adapt the call here (one place).
    """
    try:
        module = importlib.import_module("bot.services.summary")
    except ImportError:
        return None
    fn = getattr(module, "build_for_user", None)
    return fn if callable(fn) else None
