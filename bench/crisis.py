"""Crisis-language detection: recall, false alarms and time per message (issue 14).

    uv run python -m bench.crisis [--repeat 3] [--rounds 20] [--markdown out.md]
                                  [--timing-sample N]

Reads the labelled sets in ``tests/data/crisis`` (the tuning set, the second and third held-out
sets and, when they exist, the blind sets ``blind2/``, ``blind3/`` and ``blind8/``, reported as
"blind N (never tuned on…)"; each its own group of rows, see the README there) and reports
per language and detector (``patterns`` = ``find_crisis``, ``model`` = the learned model alone,
``combined`` = ``detect_crisis``, what the bot uses: patterns or model, a pattern hit in a
laughing message or a report of someone else's crisis only when the model agrees): crisis and
safe counts, recall, false-alarm rate. The training lines (``train/``) are not a measurement
set and are not read; the model was trained on the tuning and held-out sets, so only the blind
rows say how it generalises.

Time: the patterns' median µs per message per set (each run times ``rounds`` passes after one
warm-up pass); and over every message of every set, the median and 99th percentile of one
``detect_crisis`` call with the model's score cache emptied first (what a new message costs),
each the median of ``repeat`` runs; and in a fresh process, the start-up (import, patterns,
encoder and SVM loaded) and the resident memory it adds. Pure CPU, no database: safe to run
beside other work, but timings on a shared machine are noisy, hence medians.

Targets: recall >= 97 % and false alarms <= 3 % in every language. Only the tuning set decides
the exit status (combined detector); the other rows are reported, never enforced.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import machine
from bot.services import crisis, crisis_model
from tests.crisis_sets import LANGUAGES, SETS, TUNING, available, has, load, score

TARGET_RECALL = 0.97
TARGET_FALSE_ALARMS = 0.03


def _patterns(text: str) -> bool:
    return crisis.find_crisis(text) is not None


#: Detector name → the function scored; ``combined`` is what the bot runs.
DETECTORS: dict[str, Callable[[str], bool]] = {
    "patterns": _patterns,
    "model": crisis.model_says_crisis,
    "combined": crisis.detect_crisis,
}


def _per_message_us(texts: list[str], rounds: int) -> float:
    for text in texts:  # warm-up: the word-form cache
        _patterns(text)
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            _patterns(text)
    return (time.perf_counter() - started) / (rounds * len(texts)) * 1e6


def _fresh_call_ms(
    texts: list[str], call: Callable[[str], object] = crisis.detect_crisis
) -> list[float]:
    """One call per text, the model's cache emptied first: what a new message costs the bot
    (``detect_crisis``: patterns, then the model when they found nothing)."""
    out = []
    for text in texts:
        crisis_model.crisis_score.cache_clear()
        started = time.perf_counter()
        call(text)
        out.append((time.perf_counter() - started) * 1e3)
    return out


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


_STARTUP = """
import json, time, psutil
p = psutil.Process()
import numpy
before = p.memory_info().rss
started = time.perf_counter()
from bot.services import crisis
crisis.warm_up()
print(json.dumps({"ms": (time.perf_counter() - started) * 1e3,
                  "mb": (p.memory_info().rss - before) / 2**20}))
"""


def _startup() -> tuple[float, float]:
    """A fresh process: ms to import and load patterns + model, MB of resident memory added
    (numpy, which the bot has loaded anyway, is imported before the baseline)."""
    done = subprocess.run(
        [sys.executable, "-c", _STARTUP],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return float(got["ms"]), float(got["mb"])


def run(
    repeat: int, rounds: int, *, startup: bool = True, timing_sample: int = 0
) -> tuple[list[str], bool]:
    crisis.warm_up()
    lines = [
        "| set | language | detector | crisis | safe | recall | false alarms | missed |"
        " patterns µs/message |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    ok = True
    every: list[str] = []
    for folder in available():
        name = SETS[folder]
        for lang in (lang for lang in LANGUAGES if has(lang, folder)):
            rows = load(lang, folder)
            texts = [r.text for r in rows]
            every += texts
            us = statistics.median(_per_message_us(texts, rounds) for _ in range(repeat))
            for detector, detect in DETECTORS.items():
                s = score(rows, detect)
                if folder == TUNING and detector == "combined":
                    ok &= s.recall >= TARGET_RECALL and s.false_alarm_rate <= TARGET_FALSE_ALARMS
                lines.append(
                    f"| {name} | {lang} | {detector} | {s.crisis} | {s.safe} | {s.recall:.1%} | "
                    f"{s.false_alarm_rate:.1%} ({len(s.false_alarms)}) | {len(s.missed)} | "
                    f"{us:.1f} |"
                )
    if 0 < timing_sample < len(every):  # every k-th message, spread over all the sets
        every = every[:: -(-len(every) // timing_sample)]
    runs = [_fresh_call_ms(every) for _ in range(repeat)]
    median_ms = statistics.median(statistics.median(r) for r in runs)
    p99_ms = statistics.median(_p99(r) for r in runs)
    alone = [_fresh_call_ms(every, crisis_model.crisis_score) for _ in range(repeat)]
    alone_ms = statistics.median(statistics.median(r) for r in alone)
    alone_p99 = statistics.median(_p99(r) for r in alone)
    long_text = ("we talked for hours about the week and what went well " * 80)[:4096]
    long_ms = statistics.median(
        statistics.median(_fresh_call_ms([long_text])) for _ in range(repeat)
    )
    lines += [
        "",
        f"One new message, patterns + model (`detect_crisis`, {len(every)} messages of the sets):"
        f" median {median_ms:.2f} ms, p99 {p99_ms:.2f} ms; the model alone (every message"
        f" embedded and scored): median {alone_ms:.2f} ms, p99 {alone_p99:.2f} ms.",
        f"A 4,096-character message with no crisis language: {long_ms:.0f} ms.",
    ]
    if not startup:
        return lines, ok
    started = [_startup() for _ in range(repeat)]
    lines += [
        f"Start-up in a fresh process (import, patterns compiled, encoder and SVM loaded): "
        f"{statistics.median(s[0] for s in started):.0f} ms; resident memory added: "
        f"{statistics.median(s[1] for s in started):.0f} MB.",
    ]
    return lines, ok


def main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.crisis", description=__doc__)
    p.add_argument("--repeat", type=int, default=3, help="runs; medians reported")
    p.add_argument("--rounds", type=int, default=20, help="passes over each set per run")
    p.add_argument("--markdown", type=Path, help="also write the figures as Markdown here")
    p.add_argument(
        "--timing-sample",
        type=int,
        default=0,
        help="time one new message on at most this many messages (spread over the sets; 0: all)",
    )
    args = p.parse_args(list(argv))
    print(machine.header(None), flush=True)
    lines, ok = run(max(1, args.repeat), max(1, args.rounds), timing_sample=args.timing_sample)
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if not ok:
        print("below target on the tuning set", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
