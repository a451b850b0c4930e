"""Train the learned crisis detector: ``bot/content/crisis_model.npz`` (issue 14).

    uv run --frozen python -m bench.crisis_train [--check]

Training data: the tuning set, held-out sets 2 and 3, and the synthetic training lines in
``tests/data/crisis/train/`` (written for training only); the tuning set holds the burnt
fourth to seventh blind sets (rounds 6-9). No blind set (``blind2/``, ``blind3/``,
``blind8/``) is read here: neither for training nor for the threshold. Each text is embedded
by the multilingual Universal Sentence Encoder (``bot.services.crisis_model.embed``, rounded to 4
decimals so the fit does not hang on the last bits of a BLAS kernel); an RBF support-vector
machine (scikit-learn's ``SVC``, ``C`` and ``gamma`` below, classes balanced) is fitted; since
round 9 its kernel is the RBF on those vectors plus ``NGRAM_WEIGHT`` times the dot product of
the texts' hashed character n-grams (``bot.services.crisis_ngrams``), which the file stores as
one weight vector (``ngram_index`` / ``ngram_weights``).

The threshold comes from 5-fold cross-validation (stratified by language and label, seed 0):
every training line is scored by a model that did not see it (whole and, for a line of several
sentences, sentence by sentence, its best score: as the bot reads a message), and the threshold
is the lowest score at which at most ``CV_FALSE_ALARMS`` of all safe lines and at most
``CV_FALSE_ALARMS_EACH`` of each language's are above it (``choose_threshold``). It and the
cross-validated recall per language are printed.

The fit is deterministic (libsvm has no randomness without probability estimates): running
this again rewrites the same file; ``--check`` refits and fails when the committed file's
numbers differ. scikit-learn is a development dependency only; the bot loads the arrays and
scores with numpy (``crisis_model.decision``), checked here against scikit-learn's own score.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench import crisis_kernel
from bench.crisis_kernel import ENCODER_DIM
from bot.services import crisis_model
from tests.crisis_sets import DATA, LANGUAGES, TUNING, Row, load

#: The folders trained on (no blind set is among them, on purpose).
TRAINING = (TUNING, "heldout2", "heldout3", "train")
C = 10.0
#: Round 5 (4,461 lines): 1.5 rather than round 4's 2.0. In cross-validation 0.75 and 1.0 read
#: higher recall (82.7 %, 81.7 % against 77.0 %), but they alarmed on 4 and 3 of the 25 unit-test
#: negatives ("that would be career suicide"); 1.5 is the smallest that keeps them calm.
GAMMA = 1.5
FOLDS = 5
#: Round 9: the weight of the character n-grams' linear kernel beside the encoder's RBF
#: (``crisis_ngrams``); 0 = the encoder alone (rounds 4-8). Blind 4-7 each left out in turn
#: (``bench.crisis_leave_out --ids E F G H``), model alone: 0 read 74.8 % / 2.1 %, 0.5 77.6 % /
#: 1.9 %, 0.75 77.9 % / 1.9 %, 1.0 77.6 % / 1.9 %, 2.0 74.3 % / 1.8 % (BENCHMARKS.md, round 9).
NGRAM_WEIGHT = 0.75
#: Cross-validated false alarms allowed, all languages together and in each (round 7).
CV_FALSE_ALARMS = 0.02
CV_FALSE_ALARMS_EACH = 0.03


@dataclass(frozen=True, slots=True)
class Example:
    lang: str
    row: Row


def examples() -> list[Example]:
    return [
        Example(lang, row)
        for folder in TRAINING
        for lang in LANGUAGES
        if (DATA / folder / f"{lang}.tsv").is_file()
        for row in load(lang, folder)
    ]


def vectors(texts: Sequence[str]) -> np.ndarray:
    """Training vectors: each text whole (the training lines are all short), rounded. The lines
    are read as written, idioms included: at run time the model reads a text with the idioms
    the guards know masked (``crisis.model_text``), but the idioms in the safe lines teach it
    the neighbourhood of those it does not know ("social suicide"); trained on masked lines, its
    cross-validated recall was 1.5 points lower at the same false-alarm rule (round 6)."""
    prepared = [" ".join(t[: crisis_model.MAX_SCAN].split()) for t in texts]
    out = np.concatenate(
        [crisis_model.embed(prepared[i : i + 64]) for i in range(0, len(prepared), 64)]
    )
    out = np.round(out, 4).astype(np.float32)
    if not NGRAM_WEIGHT:
        return out
    return np.hstack([out, crisis_kernel.ROWS.add(prepared)[:, None]])


def _svc() -> object:
    from sklearn.svm import SVC  # development dependency

    if NGRAM_WEIGHT:
        return SVC(C=C, kernel=crisis_kernel.Kernel(GAMMA, NGRAM_WEIGHT), class_weight="balanced")
    return SVC(C=C, kernel="rbf", gamma=GAMMA, class_weight="balanced")


def _false_alarms(data: list[Example], alarms: np.ndarray) -> dict[str, float]:
    out = {}
    for lang in LANGUAGES:
        safe = [i for i, e in enumerate(data) if e.lang == lang and not e.row.crisis]
        out[lang] = float(np.mean(alarms[safe])) if safe else 0.0
    return out


def _recall(data: list[Example], alarms: np.ndarray) -> dict[str, float]:
    out = {}
    for lang in LANGUAGES:
        hits = [i for i, e in enumerate(data) if e.lang == lang and e.row.crisis]
        out[lang] = float(np.mean(alarms[hits])) if hits else 1.0
    return out


@dataclass(frozen=True, slots=True)
class Sentences:
    """The sentences the model also reads of the lines that have several
    (``crisis_model.sentences``): ``line[k]`` is the line sentence ``k`` belongs to."""

    line: np.ndarray
    x: np.ndarray


def sentence_vectors(texts: Sequence[str]) -> Sentences:
    owner: list[int] = []
    parts: list[str] = []
    for i, text in enumerate(texts):
        for piece in crisis_model.pieces(text):
            for sentence in crisis_model.sentences(piece):
                owner.append(i)
                parts.append(sentence)
    x = vectors(parts) if parts else np.zeros((0, ENCODER_DIM + bool(NGRAM_WEIGHT)), np.float32)
    return Sentences(np.array(owner, dtype=int), x)


def with_safe_sentences(
    x: np.ndarray, y: np.ndarray, rows: np.ndarray, sentences: Sentences | None
) -> tuple[np.ndarray, np.ndarray]:
    """The lines ``rows`` of ``x`` / ``y``, and beside them every sentence of those that are
    safe, as safe examples (round 8): the bot scores a message sentence by sentence too, and a
    sentence of a safe message is safe ("10 years sober today. some days i didnt think id make
    it but here i am"), while a crisis message's sentences need not all be crisis."""
    if sentences is None or not len(sentences.line):
        return x[rows], y[rows]
    mine = np.isin(sentences.line, rows[~y[rows]])
    return (
        np.concatenate([x[rows], sentences.x[mine]]),
        np.concatenate([y[rows], np.zeros(int(mine.sum()), dtype=bool)]),
    )


def cross_validated_scores(
    x: np.ndarray,
    y: np.ndarray,
    data: list[Example],
    scored: np.ndarray | None = None,
    sentences: Sentences | None = None,
) -> np.ndarray:
    """Every line's score by a model fitted on the other folds (on ``x``); the lines scored are
    ``scored`` when given (the same lines as the model reads them at run time), else ``x``;
    with ``sentences``, a line's score is its best of the whole line and its sentences (as
    ``crisis_model.crisis_score`` reads a message)."""
    from sklearn.model_selection import StratifiedKFold

    strata = [f"{e.lang}:{e.row.crisis}" for e in data]
    read = x if scored is None else scored
    scores = np.zeros(len(y))
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(x, strata):
        model = _svc().fit(*with_safe_sentences(x, y, train, sentences))  # type: ignore[attr-defined]
        scores[test] = model.decision_function(read[test])  # type: ignore[attr-defined]
        if sentences is not None and len(sentences.line):
            mine = np.isin(sentences.line, test)
            if mine.any():
                got = model.decision_function(sentences.x[mine])  # type: ignore[attr-defined]
                np.maximum.at(scores, sentences.line[mine], got)
    return scores


def choose_threshold(scores: np.ndarray, data: list[Example]) -> float:
    """The lowest score where the false alarms of all languages together stay within
    ``CV_FALSE_ALARMS`` and every language's within ``CV_FALSE_ALARMS_EACH``.

    Up to round 6 the rule was "every language within 2 %": the threshold was then set by the
    worst language's six or seven highest safe lines, and a handful of new hard safe lines moved
    every language's recall (round 6). Round 7, with blind 5 left out of training and its lines
    scored by a model fitted on the rest: the old rule read 75.1 % / 1.1 % there, this one
    82.6 % / 1.5 % (BENCHMARKS.md)."""
    safe = ~np.array([e.row.crisis for e in data])
    for candidate in np.unique(np.round(scores, 3)):
        alarms = scores >= candidate
        if (
            float(np.mean(alarms[safe])) <= CV_FALSE_ALARMS
            and max(_false_alarms(data, alarms).values()) <= CV_FALSE_ALARMS_EACH
        ):
            return float(candidate)
    return float(scores.max())


def train() -> tuple[dict[str, np.ndarray], list[str]]:
    data = examples()
    x = vectors([e.row.text for e in data])
    y = np.array([e.row.crisis for e in data])
    sentences = sentence_vectors([e.row.text for e in data])
    scores = cross_validated_scores(x, y, data, sentences=sentences)
    threshold = choose_threshold(scores, data)
    recall, false_alarms = (
        _recall(data, scores >= threshold),
        _false_alarms(data, scores >= threshold),
    )
    fit_x, fit_y = with_safe_sentences(x, y, np.arange(len(y)), sentences)
    model = _svc().fit(fit_x, fit_y)  # type: ignore[attr-defined]
    support = fit_x[model.support_]  # type: ignore[attr-defined]
    arrays = {
        "vectors": support[:, :ENCODER_DIM].astype(np.float16),
        "weights": model.dual_coef_[0].astype(np.float32),  # type: ignore[attr-defined]
        "intercept": np.float64(model.intercept_[0]),  # type: ignore[attr-defined]
        "gamma": np.float64(GAMMA),
        "threshold": np.float64(threshold),
    }
    ngrams = None
    if NGRAM_WEIGHT:
        summed = crisis_kernel.ROWS.matrix(support[:, ENCODER_DIM]).T @ arrays["weights"]  # type: ignore[attr-defined]
        ngrams = (NGRAM_WEIGHT * np.asarray(summed, dtype=np.float64)).astype(np.float32)
        arrays["ngram_index"] = np.flatnonzero(ngrams).astype(np.int32)
        arrays["ngram_weights"] = ngrams[arrays["ngram_index"]]
    svm = crisis_model._Svm(
        arrays["vectors"].astype(np.float32),
        arrays["weights"],
        float(arrays["intercept"]),
        GAMMA,
        threshold,
        ngrams,
    )
    texts = [" ".join(e.row.text[: crisis_model.MAX_SCAN].split()) for e in data[:200]]
    ours = crisis_model.decision(x[:200, :ENCODER_DIM], svm, texts)
    theirs = model.decision_function(x[:200])  # type: ignore[attr-defined]
    assert np.allclose(ours, theirs, atol=2e-2), "numpy scoring differs from scikit-learn's"
    report = [
        f"{len(data)} training lines ({int(y.sum())} crisis), {len(model.support_)} support "  # type: ignore[attr-defined]
        f"vectors; threshold {threshold:.3f} ({FOLDS}-fold cross-validation, false alarms "
        f"<= {CV_FALSE_ALARMS:.0%} in all, <= {CV_FALSE_ALARMS_EACH:.0%} per language)",
        "cross-validated, model alone: "
        + ", ".join(f"{lang} {recall[lang]:.1%} / {false_alarms[lang]:.1%}" for lang in LANGUAGES),
    ]
    return arrays, report


def main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.crisis_train", description=__doc__)
    p.add_argument("--check", action="store_true", help="refit; fail if the file differs")
    args = p.parse_args(list(argv))
    arrays, report = train()
    print("\n".join(report))
    if args.check:
        with np.load(crisis_model.MODEL_PATH, allow_pickle=False) as z:
            same = all(
                z[k].shape == v.shape and np.allclose(z[k], v, atol=1e-3) for k, v in arrays.items()
            )
        print("same as the committed model" if same else "differs from the committed model")
        return 0 if same else 1
    np.savez_compressed(crisis_model.MODEL_PATH, **arrays)  # type: ignore[arg-type]
    print(f"wrote {crisis_model.MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
