"""Results and the little statistics the benchmarks need."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@dataclass
class Result:
    """One benchmark's figures. ``skipped`` carries the reason; ``problems`` what went wrong."""

    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.skipped is None and not self.problems

    def line(self) -> str:
        if self.skipped:
            return f"{self.name}: skipped: {self.skipped}"
        shown = ", ".join(f"{k}={_fmt(v)}" for k, v in self.figures.items())
        status = "" if not self.problems else "  PROBLEMS: " + "; ".join(self.problems)
        return f"{self.name}: {shown}{status}"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(results: Sequence[Result], columns: Sequence[str]) -> str:
    """A Markdown table of some results (one row each) over the chosen figure names."""
    head = "| benchmark | " + " | ".join(columns) + " |"
    rule = "|---" * (len(columns) + 1) + "|"
    rows = [head, rule]
    for r in results:
        if r.skipped:
            rows.append(f"| {r.name} | skipped: {r.skipped} |" + " |" * (len(columns) - 1))
            continue
        cells = [_fmt(r.figures[c]) if c in r.figures else "" for c in columns]
        rows.append(f"| {r.name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def median_of(runs: Sequence[Sequence[Result]]) -> list[Result]:
    """Results of repeated runs merged by name: the median of each number, every problem."""
    merged: list[Result] = []
    for first in runs[0]:
        same = [r for run in runs for r in run if r.name == first.name]
        result = Result(first.name, skipped=first.skipped)
        for key, value in first.figures.items():
            values = [r.figures[key] for r in same if key in r.figures]
            if isinstance(value, int | float) and not isinstance(value, bool):
                mid = sorted(values)[len(values) // 2]
                result.figures[key] = mid
            else:
                result.figures[key] = value
        if len(same) > 1:
            result.figures["runs"] = len(same)
        result.problems = [p for r in same for p in r.problems]
        merged.append(result)
    return merged


def write_section(path: Path, section: str, lines: Sequence[str]) -> None:
    """Put ``lines`` (starting with the ``section`` heading) into the Markdown file at
    ``path``: in place of that section when it is there (up to the next ``## ``), else at
    the end."""
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    if section in text:
        before, _, after = text.partition(section)
        rest = after.split("\n## ", 1)
        text = before + "\n".join(lines) + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
    path.write_text(text)
    print(f"\nwritten to {path}")
