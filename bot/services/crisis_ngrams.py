"""Character n-grams of a message, hashed: the crisis model's second view of a text (round 9).

The sentence encoder (``crisis_model``) reads meaning but smooths over spelling: a new writer's
slang, chat spelling and word forms ("lebensmüde", "jpp", "scarif", "суицид") land wherever
the encoder puts them. Character 3- to 5-grams inside word boundaries (each word padded with a
space, as scikit-learn's ``char_wb``) catch a stem in any of its forms and typos. Each n-gram is
hashed (CRC-32, stable across processes and machines) into ``DIM`` buckets; counts are damped
(``1 + log``) and the vector has unit length, so a long message does not outweigh a short one.

The model adds ``features(text) · weights`` to the encoder's score (``crisis_model.decision``):
the weights are the support vectors' n-gram vectors summed with their dual coefficients, so
the cost per message is one pass over its n-grams. Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter

import numpy as np

from bot.services.crisis_phrases import normalise

#: Hash buckets (a power of two).
DIM = 1 << 18
SIZES = (3, 4, 5)
_WORD = re.compile(r"\w+")


def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode()) & (DIM - 1)


def _grams(text: str) -> Counter[int]:
    counts: Counter[int] = Counter()
    for word in _WORD.findall(normalise(text)):
        padded = f" {word} "
        for n in SIZES:
            for i in range(len(padded) - n + 1):
                counts[_bucket(padded[i : i + n])] += 1
    return counts


def features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The text's n-gram buckets and their weights (unit length); empty for a text of no
    words."""
    counts = _grams(text)
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    value = np.fromiter((1.0 + math.log(c) for c in counts.values()), np.float32, len(counts))
    return index, value / np.float32(np.linalg.norm(value))


def scores(texts: list[str], weights: np.ndarray) -> np.ndarray:
    """``features(text) · weights`` for each text (``weights``: ``DIM`` numbers)."""
    out = np.zeros(len(texts), dtype=np.float64)
    for k, text in enumerate(texts):
        index, value = features(text)
        out[k] = float(value @ weights[index]) if len(index) else 0.0
    return out
