"""Cross-validated figures for the crisis detector on its training data (issue 14).

    uv run --frozen python -m bench.crisis_cv [--data DIR]

Every training line (``bench.crisis_train.TRAINING``: tuning set, held-out 2 and 3, the
synthetic ``train/`` lines; never a blind set) is scored by an SVM that did not see it (the same
5-fold split and threshold rule as ``crisis_train``). Per language it reports recall / false
alarms of the patterns (``find_crisis``, which were written on the tuning set, so their rows
there are not evidence), the model alone, the OR the bot ran up to round 4, and what
``detect_crisis`` runs now: the OR with the **laughter veto** (a pattern hit in a message with a
laughter or hyperbole marker, ``crisis.has_laughter``, counts only when the model agrees) and,
since round 6, the **others veto** (likewise for a suicide or self-harm hit in a message about
someone else's crisis, ``crisis.about_someone_else``). Each
figure twice: over all training lines and over the synthetic lines alone (``train/``, which the
patterns were not tuned on).

``--data DIR`` reads the sets from another folder laid out like ``tests/data/crisis`` (to
measure an earlier version of the training lines). Pure CPU; about a minute.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

import tests.crisis_sets as crisis_sets
from bench import crisis_train
from bench.crisis_leave_out import margins as _margins
from bot.services import crisis, crisis_markers
from bot.services.crisis_forms import BARRIER, lemma_stream
from bot.services.crisis_phrases import normalise
from tests.crisis_sets import LANGUAGES

#: (pattern hit, model says crisis, laughter, someone else's crisis and not a danger hit) → alarm
Rule = Callable[[bool, bool, bool, bool], bool]

RULES: dict[str, Rule] = {
    "patterns": lambda p, m, h, o: p,
    "model": lambda p, m, h, o: m,
    "or (round 4)": lambda p, m, h, o: p or m,
    "or + laughter veto (round 5)": lambda p, m, h, o: (p and (m or not h)) or m,
    "or + laughter and others veto (round 6)": lambda p, m, h, o: (p and (m or not (h or o))) or m,
}


#: How far below its threshold the model's score must be for the veto, each reported.
VETO_MARGINS = (0.0, 0.25, 0.5, 1.0)
#: Round 7: a pattern hit (any) counts only when the model's score is at least its threshold
#: minus this; each reported.
#: Gates compared (``other/object/first/danger`` margins, 99: never gated; see
#: ``bench.crisis_leave_out``): round 7's, round 8's and round 9's candidates.
PATTERN_GATES = ("1.0/99/99/99", "1.0/0.75/99/99", "0.75/0.5/99/99", "0.5/0.5/99/99")


def pattern_groups(text: str) -> set[str]:
    """Every pattern group that hits ``text`` (not only the first, as ``find_crisis`` stops
    at): ``phrases:<category>`` (``crisis.toml``, all languages) or ``<lang>:<category>``
    (``crisis_patterns.toml``), after the same guards and story frames."""
    p = crisis._patterns()
    scanned = crisis._unframe(p.negative.sub(" . ", normalise(text)), p)
    out = {f"phrases:{c}" for c in crisis.CATEGORIES if p.surface[c].search(scanned)}
    for lang in crisis._languages(scanned, p.common):
        stream = lemma_stream(scanned, lang)
        guard = p.lemma_negative[lang]
        if guard is not None:
            stream = guard.sub(BARRIER, stream)
        for c in crisis.CATEGORIES:
            pattern = p.lemma[lang][c]
            if pattern is not None and pattern.search(stream):
                out.add(f"{lang}:{c}")
    return out


def group_report(
    data: list[crisis_train.Example], model: np.ndarray, vetoed: np.ndarray
) -> list[str]:
    """Per pattern group: the crisis lines it alone catches (the model says no and no other
    group hits) against the safe lines it alone alarms on (the model says no, no veto
    applies, no other group hits): what pruning the group would cost and save."""
    groups = [pattern_groups(e.row.text) for e in data]
    earned: dict[str, int] = {}
    cost: dict[str, int] = {}
    for e, hit, m, v in zip(data, groups, model, vetoed, strict=True):
        if m or len(hit) != 1 or (v and not e.row.crisis):
            continue
        (group,) = hit
        book = earned if e.row.crisis else cost
        book[group] = book.get(group, 0) + 1
    names = sorted(set(earned) | set(cost), key=lambda g: earned.get(g, 0) - cost.get(g, 0))
    return [
        "pattern groups, lines each alone decides (crisis caught / safe alarmed): "
        + ", ".join(f"{g} {earned.get(g, 0)}/{cost.get(g, 0)}" for g in names)
    ]


def _rate(mask: np.ndarray) -> str:
    return f"{mask.mean():.1%}" if mask.size else "-"


def _rows(
    name: str, alarm: np.ndarray, y: np.ndarray, synthetic: np.ndarray, lang: np.ndarray
) -> list[str]:
    """A detector's two table rows (all lines, synthetic only): recall / false alarms per
    language and over all."""
    rows = []
    for scope, keep in (("all", np.ones_like(y)), ("synthetic", synthetic)):
        cells = []
        for group in (*LANGUAGES, None):
            mine = keep & ((lang == group) if group else True)
            cells.append(f"{_rate(alarm[mine & y])} / {_rate(alarm[mine & ~y])}")
        rows.append(f"| {name} | {scope} | " + " | ".join(cells) + " |")
    return rows


def report(data_dir: Path | None = None) -> list[str]:
    if data_dir is not None:
        crisis_sets.DATA = data_dir  # ``load`` reads the module's DATA
        crisis_train.DATA = data_dir
    data = crisis_train.examples()
    x = crisis_train.vectors([e.row.text for e in data])
    y = np.array([e.row.crisis for e in data])
    texts = [e.row.text for e in data]
    whole = crisis_train.cross_validated_scores(x, y, data)
    whole_threshold = crisis_train.choose_threshold(whole, data)
    sentences = crisis_train.sentence_vectors(texts)
    scores = crisis_train.cross_validated_scores(x, y, data, sentences=sentences)
    threshold = crisis_train.choose_threshold(scores, data)
    # As the bot's model reads them: a line with an idiom the guards know is crisis only when
    # it is with and without the idiom (crisis.model_says_crisis), so its score is the lower.
    masked = [i for i, e in enumerate(data) if crisis.model_text(e.row.text) != e.row.text]
    read = x.copy()
    read[masked] = crisis_train.vectors([crisis.model_text(data[i].row.text) for i in masked])
    masked_sentences = crisis_train.sentence_vectors([crisis.model_text(t) for t in texts])
    scores = np.minimum(
        scores,
        crisis_train.cross_validated_scores(x, y, data, read, sentences=masked_sentences),
    )
    model = scores >= threshold
    found = [crisis.find_crisis(e.row.text) for e in data]
    pattern = np.array([f is not None for f in found])
    laughter = np.array(
        [crisis.has_laughter(e.row.text) or crisis_markers.told_as_past(e.row.text) for e in data]
    )
    others = np.array(
        [
            f is not None
            and f.category != "danger"
            and crisis.about_someone_else(e.row.text)
            and crisis.find_crisis(crisis_markers.without_others(e.row.text)) is None
            for f, e in zip(found, data, strict=True)
        ]
    )
    synthetic = np.array([e.row.id.split("-")[1].startswith("T") for e in data])
    lang = np.array([e.lang for e in data])
    out = [
        f"{len(data)} training lines ({int(y.sum())} crisis, {int(synthetic.sum())} synthetic); "
        f"cross-validated threshold {threshold:.3f}; {len(masked)} lines read with an idiom "
        f"masked; laughter markers in "
        f"{int((laughter & ~y).sum())} safe and {int((laughter & y).sum())} crisis lines",
        "",
        "| detector | lines | " + " | ".join(LANGUAGES) + " | all |",
        "|---|---|" + "---:|" * (len(LANGUAGES) + 1),
    ]
    for name, rule in RULES.items():
        alarm = np.array(
            [rule(*a) for a in zip(pattern, model, laughter, others, strict=True)], dtype=bool
        )
        out += _rows(name, alarm, y, synthetic, lang)
    kind = [crisis.gate_kind(f) if f is not None else "" for f in found]
    merged = "/".join(str(crisis.GATE_MARGINS[k]) for k in crisis.GATE_KINDS)
    gated = {  # a hit of each kind counts only when the model is within its margin
        f"round 6 + pattern gate {g}" + (" (what the bot runs)" if g == merged else ""): np.array(
            [
                (p and (m or not (h or o)) and sc >= threshold - _margins(g).get(k, 0.0)) or m
                for p, m, h, o, k, sc in zip(
                    pattern, model, laughter, others, kind, scores, strict=True
                )
            ],
            dtype=bool,
        )
        for g in (*PATTERN_GATES, merged)
    }
    whole_model = whole >= whole_threshold
    for name, alarm in {"model, whole line only": whole_model, **gated}.items():
        out += _rows(name, alarm, y, synthetic, lang)
    out += [
        "",
        "(recall / false alarms; the model reads each line whole and sentence by sentence, "
        f"threshold {threshold:.3f}; whole line only: threshold {whole_threshold:.3f})",
    ]
    out += group_report(data, model, laughter | others)
    vetoed = others & ~laughter & ~model
    out.append(
        f"others veto (round 6): drops {int((vetoed & ~y).sum())} false alarms and "
        f"{int((vetoed & y).sum())} crisis lines "
        + " ".join(e.row.id for e, v in zip(data, vetoed & y, strict=True) if v)
    )
    for margin in VETO_MARGINS:  # the veto when the model must be this far below its threshold
        vetoed = pattern & laughter & (scores < threshold - margin)
        out.append(
            f"veto below threshold - {margin}: drops {int((vetoed & ~y).sum())} false alarms and "
            f"{int((vetoed & y).sum())} crisis lines "
            + " ".join(e.row.id for e, v in zip(data, vetoed & y, strict=True) if v)
        )
    vetoed = pattern & (scores < threshold - 1.0)
    out.append(
        f"(for comparison, a veto of any pattern hit, laughter or not, below threshold - 1.0: "
        f"drops {int((vetoed & ~y).sum())} false alarms and {int((vetoed & y).sum())} crisis lines)"
    )
    return out


def main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.crisis_cv", description=__doc__)
    p.add_argument("--data", type=Path, help="a folder laid out like tests/data/crisis")
    args = p.parse_args(list(argv))
    print("\n".join(report(args.data)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
