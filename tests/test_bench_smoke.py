"""The benchmarks still run, and are correct, at toy size. Speed is never asserted here.

Every entry point runs with a handful of users: each user must get exactly the replies the
flow expects (inbound), exactly one check-in (outbound), and the seeded data must be what
the scale benchmark claims. Work that has not landed yet (the sweep, the weekly summary)
is exercised through minimal stand-ins, so the benchmark code around it cannot rot.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from bench import adapters, burst, flows, inbound, outbound, scale, taps
from bot.handlers.common import RUNTIME_KEY
from bot.models import CheckIn, DuePrompt, User
from bot.store.db import Database

USERS = 5


async def stand_in_sweep(app: Any, now: datetime) -> None:
    """The least a sweep does: claim what is due and send each prompt once."""
    db: Database = app.bot_data[RUNTIME_KEY].db
    with db.session() as s:
        due = list(
            s.exec(
                select(DuePrompt).where(
                    col(DuePrompt.state) == "pending", col(DuePrompt.due_at) <= now
                )
            )
        )
        for prompt in due:
            prompt.state = "sent"
            s.add(prompt)
    await asyncio.gather(*(app.bot.send_message(p.user_id, "Good morning") for p in due))


def stand_in_summary(db: Database, user_id: int, now: datetime) -> int:
    with db.session() as s:
        week = s.exec(
            select(func.count())
            .select_from(CheckIn)
            .where(
                col(CheckIn.user_id) == user_id,
                col(CheckIn.local_date) >= (now.date() - timedelta(days=7)),
            )
        ).one()
    return int(week)


@pytest.mark.parametrize("name", sorted(flows.FLOWS))
async def test_inbound_every_user_gets_each_reply_once(db: Database, name: str) -> None:
    flow = flows.FLOWS[name]()
    if flow is None:
        pytest.skip(f"flow {name!r} not built yet")
    target = "sqlite" if db.is_sqlite else "postgres"
    results = await inbound.run_target(
        target, flow, [USERS], open_rate=50, open_users=USERS, database_url=db.url
    )
    assert [r.problems for r in results] == [[], []]
    assert all(r.figures["updates"] == USERS * len(flow.steps) for r in results)
    with db.session() as s:
        onboarded = s.exec(
            select(func.count()).select_from(User).where(col(User.onboarded_at).is_not(None))
        ).one()
    assert onboarded == 2 * USERS  # closed-loop and open-loop users finished the flow


@pytest.mark.parametrize("echo", inbound.ECHOES)
async def test_echo_bot_answers_the_same_update_mix(echo: str) -> None:
    results = await inbound.run_target(echo, flows.onboarding(), [USERS], 50, USERS)
    assert [r.problems for r in results] == [[], []]
    ours = [r for r in results if " closed " in r.name]
    assert ours and ours[0].figures["updates"] == USERS * len(flows.onboarding().steps)


async def test_outbound_sends_each_due_user_exactly_one_check_in(db: Database) -> None:
    result = await outbound.run(db.url, USERS, sweep=stand_in_sweep, settle=0.2)
    assert result.problems == []
    assert result.figures["sent"] == USERS


async def test_outbound_with_the_real_sweep_runs_or_says_why_not(db: Database) -> None:
    result = await outbound.run(db.url, USERS, settle=0.2)
    if adapters.sweep() is None:
        assert result.skipped == adapters.SWEEP_MISSING
    else:
        assert result.problems == [] and (result.skipped or result.figures["sent"] == USERS)


@pytest.mark.parametrize("smooth", [False, True])
async def test_limiter_probe_delivers_one_message_per_chat(smooth: bool) -> None:
    result = await outbound.run_limiter(USERS, smooth)
    assert result.problems == []
    assert result.figures["sent"] == USERS


async def test_scale_seeds_what_it_claims_and_measures_start_up(pg_db: Database) -> None:
    results = await scale.run(
        USERS, pg_db.url, sweep=stand_in_sweep, summary=stand_in_summary, child_timeout=90
    )
    by_name = {r.name.split(" 5 users")[0].split(" 5,")[0]: r for r in results}
    assert [r.problems for r in results] == [[]] * len(results)
    seeded = by_name["scale seed"].figures
    assert seeded["users_rows"] == USERS
    assert seeded["checkins_rows"] > 0  # one in ten users has a history
    steady = by_name["scale start-up steady"].figures
    assert steady["rss_mb"] > 0 and steady["scheduled_jobs"] >= 0
    baseline = by_name["scale start-up run_daily baseline"].figures
    assert baseline["scheduled_jobs"] - steady["scheduled_jobs"] == 2 * baseline["users"]
    ticks = by_name["scale sweep tick"].figures
    assert ticks["sent_in_tick"] == ticks["due"] > 0
    assert by_name["scale weekly summary per user"].figures["users"] > 0


@pytest.mark.timeout(300)  # the whole detector over every set: ~100 s on a loaded machine
def test_crisis_bench_reports_every_language_and_set(tmp_path: Any) -> None:
    from bench import crisis as crisis_bench

    out = tmp_path / "crisis.md"
    # The rows cover every message; one new message is timed on 200 of them (the full timing
    # pass embeds every message twice, minutes on a loaded machine).
    args = ["--repeat", "1", "--rounds", "1", "--timing-sample", "200", "--markdown", str(out)]
    assert crisis_bench.main(args) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    for label in ("| tuning |", "| held-out 2 ", "| held-out 3 "):  # 6 languages x 3 detectors
        assert sum(line.startswith(label) for line in lines) == 18, label


async def test_taps_every_press_is_answered_and_every_user_onboarded() -> None:
    result = await taps.run(USERS)
    assert result.problems == []
    assert result.figures["taps"] == USERS * 4  # onboarding has four presses


def test_burst_keeps_every_prompt_within_the_bound_once() -> None:
    result = burst.run("sqlite", 700, 30)  # 23 s of sending: a real burst, begun ~12 s early
    assert result.problems == []
    assert result.figures["sent"] == 700 and result.figures["duplicates"] == 0
    assert result.figures["earliest_s"] < -5 < 5 < result.figures["latest_s"]


def test_report_bench_builds_and_measures_a_small_report(sqlite_db: Database) -> None:
    from bench import report_bench

    counts = report_bench.seed_db(sqlite_db, days=3, others=1)
    assert counts == {"checkins": 6, "commitments": 3, "triggers": 3, "repairs": 0}
    got = report_bench.measure(sqlite_db.url, warm_up=False, traced=False)  # one build (< 5 s)
    assert got["pages"] >= 3 and got["days"] == 90
    assert got["build_s"] > 0 and got["heap_peak_mb"] == 0 and got["rss_added_mb"] >= 0
    assert set(report_bench.medians([got, got])) == set(got)


def test_every_flow_table_has_a_row_per_flow_and_database() -> None:
    """``bench inbound --flow all``'s table, from the names its runs give their results."""
    from bench import every_flow
    from bench.stats import Result

    results = []
    for key, _ in every_flow.flows():
        for target in ("echo", "sqlite", "postgres"):
            closed = {"updates": 10, "updates_per_s": 100.0, "bot_cpu_ms_per_update": 3.0}
            results.append(Result(f"inbound {target} closed 5 users", closed))
            results.append(Result(f"inbound {target} open 100/s 5 users", {"p99_ms": 20.0}))
        found = inbound.ratios(results[-6:])
        results[-6:] = every_flow._named(results[-6:] + found, key)
    lines = every_flow.summary(results)
    assert len(lines) == 2 + 2 * len(every_flow.flows())
    assert all(line.endswith("| yes |") for line in lines[2:])  # 1.0x, 20 ms: targets met
