"""The crisis model's training kernel (round 9): the encoder's RBF plus the n-grams' dot product.

A training vector (``crisis_train.vectors``) is the encoder's 512 numbers and, with n-grams, one
more: its row in ``ROWS``, where its text's n-gram vector (``crisis_ngrams.features``) is kept,
so the folds, sentences and concatenations of the vectors carry their n-grams along and
scikit-learn's ``SVC`` takes :class:`Kernel` as its kernel. The n-gram part of the fitted
decision is linear, so it folds into one weight vector (``crisis_train.train``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.services import crisis_ngrams

ENCODER_DIM = 512


class NgramRows:
    """Every text's n-gram vector, by row number."""

    def __init__(self) -> None:
        self.rows: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, texts: Sequence[str]) -> np.ndarray:
        start = len(self.rows)
        self.rows += [crisis_ngrams.features(t) for t in texts]
        return np.arange(start, len(self.rows), dtype=np.float32)

    def matrix(self, ids: np.ndarray) -> object:
        from scipy.sparse import csr_matrix  # development dependency (with scikit-learn)

        rows = [self.rows[int(i)] for i in ids]
        indptr = np.cumsum([0] + [len(r[0]) for r in rows])
        index = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int64)
        value = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0, dtype=np.float32)
        return csr_matrix((value, index, indptr), shape=(len(rows), crisis_ngrams.DIM))


ROWS = NgramRows()


@dataclass(frozen=True, slots=True)
class Kernel:
    """RBF (``gamma``) on the encoder's unit vectors plus ``weight`` times the n-gram vectors'
    dot product: one SVM reads both."""

    gamma: float
    weight: float

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        dot = a[:, :ENCODER_DIM] @ b[:, :ENCODER_DIM].T
        out = np.exp(-self.gamma * np.maximum(0.0, 2.0 - 2.0 * dot.astype(np.float64)))
        grams = ROWS.matrix(a[:, ENCODER_DIM]) @ ROWS.matrix(b[:, ENCODER_DIM]).T  # type: ignore[attr-defined]
        return np.asarray(out + self.weight * grams.toarray())
