"""``python -m bench inbound --flow all``: every flow, on SQLite and PostgreSQL, against the
stock echo bot running the same update mix in the same run; medians of the runs.

Per run and flow the echo bot, SQLite and PostgreSQL go back to back (each a fresh bot
process: its statements per update are that flow's alone), so a ratio compares figures taken
within a minute of each other on a shared, noisy machine. The ratio is taken within each run,
then the median of the runs' ratios is reported, as are the medians of every other figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from bench import inbound, machine
from bench.databases import PG_BASE, pg_available
from bench.flows import FLOWS, Flow
from bench.stats import Result, median_of, write_section

#: The targets of issue 18: ≥ 1.0× echo on SQLite, ≥ 0.8× on PostgreSQL, p99 < 50 ms at 100/s.
TARGET_RATIO = {"sqlite": 1.0, "postgres": 0.8}
TARGET_P99_MS = 50.0
DATABASES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def flows() -> list[tuple[str, Flow]]:
    built = [(key, make()) for key, make in FLOWS.items()]
    return [(key, flow) for key, flow in built if flow is not None]


def _named(results: list[Result], key: str) -> list[Result]:
    """The flow's key in every name: "inbound trigger sqlite …", "ratio to echo trigger …"."""
    for r in results:
        head = "ratio to echo " if r.name.startswith("ratio to echo ") else "inbound "
        r.name = r.name.replace(head, f"{head}{key} ", 1)
    return results


async def one_run(targets: Sequence[str], users: int, rate: float, open_users: int) -> list[Result]:
    """Every flow once on every target, then each flow's ratios to the echo bot."""
    run: list[Result] = []
    for key, flow in flows():
        of_flow: list[Result] = []
        for target in targets:
            if target == "postgres" and not pg_available():
                continue
            of_flow += await inbound.run_target(target, flow, [users], rate, open_users)
        ratios = [r for r in inbound.ratios(of_flow) if r.name.startswith("ratio to echo ")]
        for r in _named(of_flow + ratios, key):
            print(r.line(), flush=True)
            run.append(r)
    return run


def _find(results: list[Result], prefix: str) -> Result | None:
    return next((r for r in results if r.name.startswith(prefix)), None)


def _cell(value: object, fmt: str = "{:.2f}") -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return "–"
    return fmt.format(value)


def summary(results: list[Result]) -> list[str]:
    """The flow × database table: ratio to echo (closed loop), p99 at the offered rate,
    statements and commits per update; targets missed in bold."""
    head = (
        "| flow | database | ratio to echo | p99 ms (echo's) | p50 ms | "
        "statements / commits per update | bot CPU ms per update (echo's) | meets targets |"
    )
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---|"]
    for key, flow in flows():
        echo_open = _find(results, f"inbound {key} echo open")
        echo_closed = _find(results, f"inbound {key} echo closed")
        for db, label in DATABASES.items():
            ratio = _find(results, f"ratio to echo {key} {db} closed")
            opened = _find(results, f"inbound {key} {db} open")
            closed = _find(results, f"inbound {key} {db} closed")
            if opened is None or closed is None:
                continue
            r = ratio.figures["ratio"] if ratio else math.nan
            p99 = opened.figures.get("p99_ms", math.nan)
            ok_ratio, ok_p99 = r >= TARGET_RATIO[db], p99 < TARGET_P99_MS
            echo_p99 = echo_open.figures.get("p99_ms") if echo_open else None
            echo_cpu = echo_closed.figures.get("bot_cpu_ms_per_update") if echo_closed else None
            sql = f"{_cell(closed.figures.get('sql_per_update'), '{:.1f}')} / "
            sql += _cell(closed.figures.get("commits_per_update"), "{:.1f}")
            problems = "; ".join(closed.problems + opened.problems)
            trouble = f" PROBLEMS: {problems[:200]}" if problems else ""
            verdict = (
                "yes"
                if ok_ratio and ok_p99
                else "no: "
                + ", ".join((["ratio"] if not ok_ratio else []) + (["p99"] if not ok_p99 else []))
            )
            lines.append(
                f"| {flow.name} | {label} | {_bold(_cell(r), not ok_ratio)} | "
                f"{_bold(_cell(p99, '{:.0f}'), not ok_p99)} ({_cell(echo_p99, '{:.0f}')}) | "
                f"{_cell(opened.figures.get('p50_ms'), '{:.0f}')} | {sql} | "
                f"{_cell(closed.figures.get('bot_cpu_ms_per_update'))} "
                f"({_cell(echo_cpu)}) | {verdict}{trouble} |"
            )
    return lines


def _bold(text: str, bold: bool) -> str:
    return f"**{text}**" if bold else text


async def run(
    targets: Sequence[str],
    users: int,
    rate: float,
    open_users: int,
    repeat: int,
    write: Path | None = None,
    section: str | None = None,
) -> list[Result]:
    header = machine.header(PG_BASE if pg_available() else None)
    runs = [await one_run(targets, users, rate, open_users) for _ in range(max(1, repeat))]
    merged = median_of(runs)
    table = summary(merged)
    print("\n".join(table), flush=True)
    if write is not None and section is not None:
        intro = [
            section,
            "",
            f"`uv run python -m bench inbound --flow all --users {users} --open-users "
            f"{open_users} --rate {rate:g} --repeat {repeat}`: every flow (bench/flows.py, "
            "bench/guided_flows.py) on SQLite and PostgreSQL and the stock echo bot (PTB's own "
            f"transport) running the same update mix, back to back in each run; medians of "
            f"{len(runs)} runs. Ratio = closed-loop throughput at {users} users ÷ the echo "
            "bot's, taken within each run; p99 and p50 in an open loop offering "
            f"{rate:g} updates/s ({open_users} users). The machine is shared (2 cores, other "
            "sessions' suites running), so absolute figures are noisy: read the ratios and the "
            "echo bot's own p99 beside ours. Targets (issue 18): ≥ 1.0× on SQLite, ≥ 0.8× on "
            "PostgreSQL, p99 < 50 ms.",
            "",
            header,
            "",
            *table,
            "",
        ]
        write_section(write, section, intro)
    return merged
