"""Weekly summary, streaks, /history and chart timings (issue 5).

    uv run python -m bench.summary_bench            # SQLite, plus PostgreSQL if reachable

One user with two years of daily entries (2 check-ins a day, a commitment most days, a trigger
about every third day, a repair plan about weekly) among other users with the same history.
PostgreSQL: ``STEADY_BENCH_PG_URL`` (else ``STEADY_TEST_PG_URL``); its tables are emptied first,
so point it at a scratch database. Figures are printed and written to BENCHMARKS.md.

Targets: summary under 20 ms, chart under 300 ms.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import case, func, select
from sqlmodel import col

from bench.stats import write_section
from bot.charts import render_week_chart
from bot.models import CheckIn
from bot.services.streaks import DayKind, compute_streaks
from bot.services.summary import checkin_streaks, streaks_for
from bot.services.summary_text import chart_title, render
from bot.store import users
from bot.store.db import Database, upgrade_to_head
from bot.store.summary import checkin_islands
from tests import seed
from tests.conftest import truncate_all
from tests.records import build_summary, detail, history
from tests.seed import history as seed_history

TARGET_SUMMARY_MS = 20.0
TARGET_CHART_MS = 300.0
USER = 1
OTHER_USERS = 20
TODAY = date(2026, 3, 8)
NOW = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)  # Sunday 19:00 in Berlin
SECTION = "## Weekly summary (issue 5)"
ROOT = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], object], runs: int, warmup: int = 5) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def seed_db(db: Database) -> dict[str, int]:
    counts: dict[str, int] = {}
    for user_id in range(1, OTHER_USERS + 2):
        seed.user(db, user_id)
        got = seed_history.two_years(db, user_id, TODAY, seed=user_id)
        if user_id == USER:
            counts = got
    return counts


# Check-in streak: the islands query the bot uses, and two alternatives measured against it.


def streak_islands(db: Database) -> object:
    """Runs of days in SQL (what the bot uses); only the check-in part of ``streak_data``."""
    return checkin_streaks(checkin_islands(db, USER, TODAY), TODAY)


def streak_pairs(db: Database) -> object:
    """Distinct (local_date, status) pairs, classified and scanned in Python."""
    with db.session() as s:
        rows = s.connection().execute(
            select(col(CheckIn.local_date), col(CheckIn.status))
            .where(col(CheckIn.user_id) == USER, col(CheckIn.local_date) <= TODAY)
            .distinct()
        )
        days: dict[date, DayKind] = {}
        for day, status in rows:
            if status == "completed":
                days[day] = DayKind.DONE
            elif status in ("skipped", "paused") and day not in days:
                days[day] = DayKind.REST
    return compute_streaks(days, TODAY)


def streak_per_day(db: Database) -> object:
    """One row per day (GROUP BY local_date), scanned in Python."""
    rank = func.max(
        case(
            (col(CheckIn.status) == "completed", 2),
            (col(CheckIn.status).in_(("skipped", "paused")), 1),
            else_=0,
        )
    )
    with db.session() as s:
        rows = s.connection().execute(
            select(col(CheckIn.local_date), rank)
            .where(col(CheckIn.user_id) == USER, col(CheckIn.local_date) <= TODAY)
            .group_by(col(CheckIn.local_date))
            .having(rank > 0)
        )
        days = {day: DayKind.DONE if r == 2 else DayKind.REST for day, r in rows}
    return compute_streaks(days, TODAY)


def measure(db: Database, name: str) -> list[tuple[str, str, float, float]]:
    user = users.get(db, USER)
    assert user is not None
    rows: list[tuple[str, str, float, float]] = []

    def row(what: str, fn: Callable[[], object], runs: int = 200) -> None:
        median, p95 = timed(fn, runs)
        rows.append((name, what, median, p95))
        print(f"  {name:10} {what:44} median {median:7.2f} ms   p95 {p95:7.2f} ms")

    row("summary, 1 week (queries + text)", lambda: render(build_summary(db, user, NOW)))
    row("summary, 4 weeks", lambda: render(build_summary(db, user, NOW, 4)))
    row("summary, 52 weeks", lambda: render(build_summary(db, user, NOW, 52)), runs=50)
    row("both streaks (check-ins + commitments)", lambda: streaks_for(db, user, NOW))
    row("check-in streak: islands in SQL (used)", lambda: streak_islands(db))
    row("check-in streak: distinct pairs + Python", lambda: streak_pairs(db))
    row("check-in streak: GROUP BY day + Python", lambda: streak_per_day(db))
    row("/history page (5 of ~3,000)", lambda: history.page(db, USER, 0, 5))
    row("/history page 300 (deep offset)", lambda: history.page(db, USER, 1500, 5))
    entry = history.page(db, USER, 0, 1).entries[0][1]
    row(
        "/history entry detail",
        lambda: detail(history.entry(db, USER, "c", entry.id or 0) or entry),
    )
    return rows


def chart_rows() -> list[tuple[str, str, float, float]]:
    db_dir = tempfile.mkdtemp(prefix="steady-chart-")
    db = Database(f"sqlite:///{db_dir}/c.db")
    upgrade_to_head(db.url)
    seed.seeded_week(db, USER)
    user = users.get(db, USER)
    assert user is not None
    rows = []
    start = time.perf_counter()
    week = build_summary(db, user, NOW)
    render_week_chart(week.chart, chart_title(week))
    cold = (time.perf_counter() - start) * 1000
    rows.append(("chart", "first render in the process (cold)", cold, cold))
    print(f"  {'chart':10} {'first render in the process (cold)':44} {cold:7.2f} ms")
    for weeks, what in ((1, "7 days"), (4, "28 days"), (12, "12 weekly points")):
        s = build_summary(db, user, NOW, weeks)
        png = render_week_chart(s.chart, chart_title(s))
        median, p95 = timed(lambda s=s: render_week_chart(s.chart, chart_title(s)), 20, warmup=2)
        label = f"{what} ({len(png) // 1024} KB PNG)"
        rows.append(("chart", label, median, p95))
        print(f"  {'chart':10} {label:44} median {median:7.2f} ms   p95 {p95:7.2f} ms")
    db.dispose()
    return rows


def write_markdown(rows: list[tuple[str, str, float, float]], counts: dict[str, int]) -> None:
    lines = [
        SECTION,
        "",
        f"Machine: 2 cores ({platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs visible), Python {platform.python_version()}; "
        f"date: {date.today().isoformat()}; load average during the run "
        f"{os.getloadavg()[0]:.1f} (other work shared the machine: medians are the "
        "figures to read, p95 shows the noise). `uv run python -m bench.summary_bench`.",
        "",
        f"Data: the user has two years of daily entries ({counts.get('checkins', 0):,} check-ins, "
        f"{counts.get('commitments', 0):,} commitments, {counts.get('triggers', 0):,} triggers, "
        f"{counts.get('repairs', 0):,} repair plans) among {OTHER_USERS} other users "
        "with the same.",
        f"Targets: summary < {TARGET_SUMMARY_MS:.0f} ms, chart < {TARGET_CHART_MS:.0f} ms.",
        "",
        "| backend | what | median ms | p95 ms |",
        "|---|---|---:|---:|",
        *(f"| {b} | {w} | {m:.2f} | {p:.2f} |" for b, w, m, p in rows),
        "",
        "Streaks read the whole history but return one row per unbroken run of days (gaps and",
        "islands: day number minus row number), so the result is a handful of rows however long",
        "the history; the alternatives above ship every day (or every distinct pair) to Python.",
        "The chart is rendered in a worker thread (`render_week_chart_async`).",
        "",
        "Tuning after the first measurement (same machine, similar load): the summary took",
        "13 ms median with 13 queries whose statements were built on every call; statements",
        "are now built once per dialect with bind parameters and merged into 6 queries",
        "(~2-4 ms). The 28-day chart took ~300-345 ms under matplotlib's constrained layout",
        "with 28 rotated labels and counts; a fixed layout with thinned labels takes ~115-160 ms",
        "(7 days: ~140 -> ~105-150 ms).",
        "",
    ]
    write_section(ROOT / "BENCHMARKS.md", SECTION, lines)


def main() -> int:
    rows: list[tuple[str, str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="steady-bench-") as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        upgrade_to_head(db.url)
        print("seeding SQLite …")
        counts = seed_db(db)
        rows += measure(db, "SQLite")
        db.dispose()

    pg_url = os.environ.get("STEADY_BENCH_PG_URL") or os.environ.get("STEADY_TEST_PG_URL")
    if pg_url:
        try:
            upgrade_to_head(pg_url)
            db = Database(pg_url)
            truncate_all(db)
            print("seeding PostgreSQL …")
            seed_db(db)
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            rows += measure(db, "PostgreSQL")
            truncate_all(db)
            db.dispose()
        except Exception as exc:  # no server: SQLite figures only
            print(f"PostgreSQL skipped: {type(exc).__name__}: {exc}")

    rows += chart_rows()
    write_markdown(rows, counts)

    slow = [
        (b, w, m)
        for b, w, m, _ in rows
        if (b != "chart" and w.startswith("summary, 1") and m > TARGET_SUMMARY_MS)
        or (b == "chart" and "cold" not in w and m > TARGET_CHART_MS)
    ]
    for b, w, m in slow:
        print(f"TARGET MISSED: {b} {w}: {m:.1f} ms")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
