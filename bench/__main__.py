"""``python -m bench [quick|inbound|outbound|limiter|scale] [options]`` — see bench/__init__.py.

The quick set (no argument, ``make bench``) runs in under five minutes: inbound at 100 users
on SQLite, PostgreSQL and the echo bot plus an open loop at 100 updates/s (``python -m bench
inbound`` adds 1,000 users), outbound at 1,000 users, and scale at 100,000 users (without the
run_daily baseline: ``python -m bench scale`` has it).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench import adapters, every_flow, inbound, machine, outbound, scale, taps
from bench.databases import PG_BASE, discard, fresh_pg, fresh_sqlite, pg_available
from bench.flows import FLOWS, morning_checkin, onboarding
from bench.stats import Result, median_of, table

INBOUND_COLUMNS = (
    "offered_per_s", "updates", "updates_per_s", "p50_ms", "p99_ms", "max_ms",
    "late_pushes", "bot_cpu_ms_per_update", "sql_per_update", "commits_per_update",
    "gc_full_max_ms", "harness_cpu_share", "bot_rss_mb", "runs",
)  # fmt: skip
OUTBOUND_COLUMNS = (
    "users", "sent", "msgs_per_s", "within_10pct_of_30", "429s", "429s_after_first_second",
    "seconds_first_to_last", "bound_s", "earliest_s", "p5_s", "p50_s", "p95_s", "latest_s",
    "within_bound",
)  # fmt: skip


TAPS_COLUMNS = (
    "taps", "tap_p50_ms", "tap_p99_ms", "tap_max_ms", "step_p50_ms", "step_p99_ms", "seconds",
    "runs",
)  # fmt: skip


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x]


def parse(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("what", nargs="?", default="quick",
                   choices=["quick", "inbound", "outbound", "limiter", "scale",
                            "taps"])  # fmt: skip
    p.add_argument("--users", help="user counts, comma-separated (inbound: 100,1000; "
                   "outbound: 1000; limiter: 150; scale: 100000; taps: 200)")  # fmt: skip
    p.add_argument("--targets", default="sqlite,postgres,echo,echo-aiohttp", help="inbound bots")
    flow_help = "auto: the morning check-in; all: every flow, a flow x database table"
    p.add_argument("--flow", default="auto", choices=["auto", "all", *sorted(FLOWS)],
                   help=flow_help)  # fmt: skip
    p.add_argument("--write", type=Path, help="inbound --flow all: put its table in this "
                   "Markdown file (BENCHMARKS.md) under --section")  # fmt: skip
    p.add_argument("--section", help="the heading of that section (## ...)")
    p.add_argument("--rate", type=float, default=100.0, help="open-loop updates/s (0: none)")
    p.add_argument("--open-users", type=int, default=150)
    p.add_argument("--repeat", type=int, default=1, help="inbound: runs, medians reported")
    p.add_argument("--max-rate", type=float, default=30.0, help="outbound: TELEGRAM_MAX_RATE")
    centred_help = "outbound: prompts due N/60 + 20 s ahead (the burst starts early); lateness"
    p.add_argument("--centred", action="store_true", help=centred_help)
    p.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    p.add_argument("--no-baseline", action="store_true", help="scale: skip run_daily")
    p.add_argument("--keep", action="store_true", help="scale: keep the seeded database")
    p.add_argument("--child-timeout", type=float, default=1200, help="scale: seconds")
    p.add_argument("--markdown", type=Path, help="also write the figures as Markdown here")
    return p.parse_args(list(argv))


async def run_inbound(args: argparse.Namespace, out: list[Result]) -> None:
    if args.flow == "all":
        targets = [t for t in args.targets.split(",") if t != "echo-aiohttp"]
        users = _ints(args.users or "100")[0]
        out += await every_flow.run(
            targets, users, args.rate, args.open_users, args.repeat, args.write, args.section
        )
        return
    flow = FLOWS[args.flow]() if args.flow != "auto" else (morning_checkin() or onboarding())
    if flow is None:
        out.append(Result(f"inbound {args.flow}", skipped="flow not built yet (bench/flows.py)"))
        return
    # The quick set keeps to 100 users (closed) plus the open loop, to stay under 5 minutes on
    # a slow machine; ``python -m bench inbound`` runs 100 and 1,000.
    users = _ints(args.users or ("100" if args.what == "quick" else "100,1000"))
    runs: list[list[Result]] = []
    for _ in range(max(1, args.repeat)):
        run: list[Result] = []
        for target in args.targets.split(","):
            if target == "postgres" and not pg_available():
                run.append(Result("inbound postgres", skipped=f"no PostgreSQL at {PG_BASE}"))
                continue
            for result in await inbound.run_target(target, flow, users, args.rate, args.open_users):
                print(result.line(), flush=True)
                run.append(result)
        runs.append(run)
    merged = median_of(runs)
    if len(runs) > 1:
        print(f"medians of {len(runs)} runs:")
        for result in merged:
            print(result.line(), flush=True)
    out.extend(merged)
    for result in inbound.ratios(out):
        print(result.line(), flush=True)
        out.append(result)


async def run_outbound(args: argparse.Namespace, out: list[Result]) -> None:
    users = _ints(args.users or "1000")[0]
    if adapters.sweep() is None:
        out.append(Result(f"outbound {users} users", skipped=adapters.SWEEP_MISSING))
        print(out[-1].line(), flush=True)
        return
    if args.backend == "postgres" and pg_available():
        url = fresh_pg("steady_bench_outbound")
    else:
        url = fresh_sqlite()
    result = await outbound.run(url, users, max_rate=args.max_rate, centred=args.centred)
    discard(url)
    print(result.line(), flush=True)
    out.append(result)


async def run_limiter(args: argparse.Namespace, out: list[Result]) -> None:
    users = _ints(args.users or "150")[0]
    for smooth in (False, True):
        result = await outbound.run_limiter(users, smooth)
        print(result.line(), flush=True)
        out.append(result)


async def run_taps(args: argparse.Namespace, out: list[Result]) -> None:
    users = _ints(args.users or "200")[0]
    runs: list[list[Result]] = []
    for _ in range(max(1, args.repeat)):
        result = await taps.run(users)
        print(result.line(), flush=True)
        runs.append([result])
    merged = median_of(runs)
    if len(runs) > 1:
        print(f"medians of {len(runs)} runs:")
        print(merged[0].line(), flush=True)
    out.extend(merged)


async def run_scale(args: argparse.Namespace, out: list[Result]) -> None:
    if not pg_available():
        out.append(Result("scale", skipped=f"no PostgreSQL at {PG_BASE}"))
        return
    for users in _ints(args.users or "100000"):
        baseline = not args.no_baseline and args.what != "quick"  # a fixed comparison: ~35 s
        runs = await scale.run(
            users, baseline=baseline, keep=args.keep, child_timeout=args.child_timeout
        )
        for result in runs:
            print(result.line(), flush=True)
            out.append(result)


def render(results: list[Result], seconds: float) -> str:
    parts = ["Machine and versions:", machine.header(PG_BASE if pg_available() else None), ""]
    groups = {
        "Inbound": [r for r in results if r.name.startswith("inbound")],
        "Ratio to the echo bot": [r for r in results if r.name.startswith("ratio")],
        "Outbound": [r for r in results if r.name.startswith(("outbound", "limiter"))],
        "Taps": [r for r in results if r.name.startswith("taps")],
    }
    columns = {"Inbound": INBOUND_COLUMNS, "Ratio to the echo bot": ("ratio",),
               "Outbound": OUTBOUND_COLUMNS, "Taps": TAPS_COLUMNS}  # fmt: skip
    for title, rows in groups.items():
        if rows:
            parts += [f"{title}:", "", table(rows, columns[title]), ""]
    for r in results:
        if r.name.startswith("scale"):
            parts.append(f"- {r.line()}")
    problems = [f"- {r.name}: {'; '.join(r.problems)}" for r in results if r.problems]
    if problems:
        parts += ["", "Problems:", *problems]
    parts += ["", f"Total time: {seconds:.0f} s"]
    return "\n".join(parts)


async def main(argv: Sequence[str]) -> int:
    args = parse(argv)
    print(machine.header(PG_BASE if pg_available() else None), flush=True)
    started = time.monotonic()
    results: list[Result] = []
    steps = {
        "inbound": [run_inbound],
        "outbound": [run_outbound],
        "limiter": [run_limiter],
        "scale": [run_scale],
        "taps": [run_taps],
        "quick": [run_inbound, run_outbound, run_scale],
    }[args.what]
    if args.what == "quick" and adapters.sweep() is None:
        steps.insert(2, run_limiter)  # outbound's stand-in until the sweep exists
    for step in steps:
        await step(args, results)
    text = render(results, time.monotonic() - started)
    print("\n" + text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
