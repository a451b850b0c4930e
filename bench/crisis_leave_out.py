"""A burnt set scored by a model that was not trained on it (issue 14, round 7).

    uv run --frozen python -m bench.crisis_leave_out [--ids F] [--gates 0.75 1.0 1.5]

A blind set moved into the tuning set is trained on from then on, so its rows in
``bench.crisis`` read 100 %. This leaves its lines (ids ``<lang>-<X>c..`` / ``<lang>-<X>s..``
for ``--ids X``; ``F`` is blind 5) out of the training lines, chooses the threshold by
cross-validation on the rest (``crisis_train.choose_threshold``), refits on the rest and scores
the left-out lines as the bot reads them (whole and sentence by sentence; the patterns, the
laughter and others vetoes and the pattern gate as merged), once per gate. Not an honest figure
once the set's misses were read (a round that read them wrote data and rules for them), but it
compares changes on lines none of the models saw. Pure CPU; about two minutes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np

from bench import crisis_train
from bot.services import crisis, crisis_markers
from tests.crisis_sets import LANGUAGES


def _scores(model: object, x: np.ndarray, rows: np.ndarray, sentences: object) -> np.ndarray:
    """The best of each row's whole-line and sentence scores."""
    got = np.asarray(model.decision_function(x[rows]), dtype=float)  # type: ignore[attr-defined]
    line = sentences.line  # type: ignore[attr-defined]
    mine = np.isin(line, rows)
    if mine.any():
        at = {int(r): k for k, r in enumerate(rows)}
        extra = model.decision_function(sentences.x[mine])  # type: ignore[attr-defined]
        for owner, score in zip(line[mine], extra, strict=True):
            got[at[int(owner)]] = max(got[at[int(owner)]], score)
    return got


def report(ids: str, gates: Sequence[str], details: bool = False) -> list[str]:
    data = crisis_train.examples()
    texts = [e.row.text for e in data]
    left = np.array([e.row.id.split("-")[1][:2] in (f"{ids}c", f"{ids}s") for e in data])
    if not left.any():
        return [f"no line with ids -{ids}c.. / -{ids}s.. in the training folders"]
    x = crisis_train.vectors(texts)
    y = np.array([e.row.crisis for e in data])
    sentences = crisis_train.sentence_vectors(texts)
    rest = np.where(~left)[0]
    kept = [data[i] for i in rest]
    cv = crisis_train.cross_validated_scores(
        x[rest],
        y[rest],
        kept,
        sentences=crisis_train.Sentences(
            np.searchsorted(rest, sentences.line[np.isin(sentences.line, rest)]),
            sentences.x[np.isin(sentences.line, rest)],
        ),
    )
    threshold = crisis_train.choose_threshold(cv, kept)
    model = crisis_train._svc().fit(  # type: ignore[attr-defined]
        *crisis_train.with_safe_sentences(x, y, rest, sentences)
    )
    out_rows = np.where(left)[0]
    scores = _scores(model, x, out_rows, sentences)
    says = scores >= threshold
    found = [crisis.find_crisis(texts[i]) for i in out_rows]
    hit = np.array([f is not None for f in found])
    kind = np.array([crisis.gate_kind(f) if f is not None else "" for f in found])
    veto = np.array(
        [
            (crisis.has_laughter(texts[i]) or crisis_markers.told_as_past(texts[i]))
            or (
                f is not None
                and f.category != "danger"
                and crisis.about_someone_else(texts[i])
                and crisis.find_crisis(crisis_markers.without_others(texts[i])) is None
            )
            for f, i in zip(found, out_rows, strict=True)
        ]
    )
    truth = y[out_rows]
    lang = np.array([data[i].lang for i in out_rows])
    lines = [
        f"{int(left.sum())} lines left out ({int(truth.sum())} crisis); threshold {threshold:.3f} "
        f"(cross-validated on the other {len(rest)}); model alone "
        f"{np.mean(says[truth]):.1%} / {np.mean(says[~truth]):.1%}",
        "",
        "| gate | combined | " + " | ".join(LANGUAGES) + " |",
        "|---|---:|" + "---:|" * len(LANGUAGES),
    ]
    for gate in gates:
        by_kind = margins(gate)
        margin = np.array([by_kind.get(k, 0.0) for k in kind])
        alarm = (hit & (says | ~veto) & (scores >= threshold - margin)) | says
        cells = []
        for g in LANGUAGES:
            mine = lang == g
            cells.append(
                f"{np.mean(alarm[mine & truth]):.1%} / {np.mean(alarm[mine & ~truth]):.1%}"
            )
        lines.append(
            f"| {gate} | {np.mean(alarm[truth]):.1%} / {np.mean(alarm[~truth]):.1%} | "
            + " | ".join(cells)
            + " |"
        )
    if details:
        lines += ["", "model alone on the left-out lines at other thresholds:"]
        for t in np.arange(0.30, 0.625, 0.025):
            at = scores >= t
            lines.append(f"  {t:.3f}: {np.mean(at[truth]):.1%} / {np.mean(at[~truth]):.1%}")
        lines += [
            "",
            "pattern hits the model alone does not call crisis (kind, score - threshold):",
        ]
        for j, i in enumerate(out_rows):
            if hit[j] and not says[j]:
                label = "crisis" if truth[j] else "safe"
                lines.append(f"{data[i].row.id}\t{label}\t{kind[j]}\t{scores[j] - threshold:+.2f}")
    return lines


def margins(gate: object) -> dict[str, float]:
    """A gate as given on the command line: one number (the margin for ``other`` hits, the
    rest as merged) or ``other/object/first/danger`` margins (99: never gated)."""
    merged = dict(crisis.GATE_MARGINS)
    if isinstance(gate, str) and "/" in gate:
        values = [float(v) for v in gate.split("/")]
        return {**merged, **dict(zip(crisis.GATE_KINDS, values, strict=False))}
    return {**merged, "other": float(str(gate))}


def main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.crisis_leave_out", description=__doc__)
    p.add_argument("--ids", default="F", help="the id letter of the burnt set (F: blind 5)")
    p.add_argument(
        "--gates",
        nargs="+",
        default=["/".join(str(crisis.GATE_MARGINS[k]) for k in crisis.GATE_KINDS), "99/99/99/99"],
        help="pattern gates to report: other/object/first/danger margins below the threshold within"
        " which a hit of that kind counts (99: never gated), or one number for other",
    )
    p.add_argument("--details", action="store_true", help="list the hits the gate decides")
    args = p.parse_args(list(argv))
    print("\n".join(report(args.ids, args.gates, args.details)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
