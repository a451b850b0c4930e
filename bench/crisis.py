"""Crisis-language detection: recall, false alarms and time per message (issue 14).

    uv run python -m bench.crisis [--repeat 3] [--rounds 20] [--markdown out.md]

Reads the labelled sets in ``tests/data/crisis`` (the tuning set, the second and third held-out
sets and, when it exists, the second blind set ``blind2/``, reported as "blind 2 (never tuned
on)"; each its own group of rows, see the README there) and reports
per language: crisis and safe counts, recall, false-alarm rate, and the median time
``detect_crisis`` takes per message (each run times ``rounds`` passes over the language's
messages after one warm-up pass; the figure is the median of ``repeat`` runs). Also:
the one-off start-up cost (loading the word forms and compiling the patterns) and a 4,096
character message. Pure CPU, no database: safe to run beside other work, but timings on a
shared machine are noisy, hence medians.

Targets: recall >= 97 % and false alarms <= 3 % in every language. Only the tuning set decides
the exit status; the held-out and blind rows are reported, never enforced.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench import machine
from bot.services import crisis, crisis_forms
from tests.crisis_sets import LANGUAGES, SETS, TUNING, available, has, load, score

TARGET_RECALL = 0.97
TARGET_FALSE_ALARMS = 0.03


def _per_message_us(texts: list[str], rounds: int) -> float:
    for text in texts:  # warm-up: the word-form cache
        crisis.detect_crisis(text)
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            crisis.detect_crisis(text)
    return (time.perf_counter() - started) / (rounds * len(texts)) * 1e6


def _startup_ms() -> float:
    crisis._patterns.cache_clear()
    crisis_forms.forms.cache_clear()
    started = time.perf_counter()
    crisis.detect_crisis("x")
    for lang in LANGUAGES:
        crisis_forms.forms(lang)
    return (time.perf_counter() - started) * 1e3


def run(repeat: int, rounds: int) -> tuple[list[str], bool]:
    startup = statistics.median(_startup_ms() for _ in range(repeat))
    lines = [
        "| set | language | crisis | safe | recall | false alarms | missed | median µs/message |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    ok = True
    for folder in available():
        name = SETS[folder]
        for lang in (lang for lang in LANGUAGES if has(lang, folder)):
            rows = load(lang, folder)
            s = score(rows, crisis.detect_crisis)
            texts = [r.text for r in rows]
            us = statistics.median(_per_message_us(texts, rounds) for _ in range(repeat))
            if folder == TUNING:
                ok &= s.recall >= TARGET_RECALL and s.false_alarm_rate <= TARGET_FALSE_ALARMS
            lines.append(
                f"| {name} | {lang} | {s.crisis} | {s.safe} | {s.recall:.1%} | "
                f"{s.false_alarm_rate:.1%} ({len(s.false_alarms)}) | {len(s.missed)} | {us:.1f} |"
            )
    long_text = ("we talked for hours about the week and what went well " * 80)[:4096]
    long_us = statistics.median(_per_message_us([long_text], rounds) for _ in range(repeat))
    lines += [
        "",
        f"Start-up (word forms for six languages + compiling the patterns): {startup:.0f} ms.",
        f"A 4,096-character message with no crisis language: {long_us:.0f} µs.",
    ]
    return lines, ok


def main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.crisis", description=__doc__)
    p.add_argument("--repeat", type=int, default=3, help="runs; medians reported")
    p.add_argument("--rounds", type=int, default=20, help="passes over each set per run")
    p.add_argument("--markdown", type=Path, help="also write the figures as Markdown here")
    args = p.parse_args(list(argv))
    print(machine.header(None), flush=True)
    lines, ok = run(max(1, args.repeat), max(1, args.rounds))
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if not ok:
        print("below target on the tuning set", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
