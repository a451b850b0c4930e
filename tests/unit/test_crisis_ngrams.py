"""The character n-grams the crisis model reads beside the encoder (``crisis_ngrams``)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.services import crisis_ngrams


def _vector(text: str) -> np.ndarray:
    index, value = crisis_ngrams.features(text)
    out = np.zeros(crisis_ngrams.DIM, dtype=np.float32)
    out[index] = value
    return out


def test_a_text_is_a_unit_vector_and_the_same_in_every_process() -> None:
    index, value = crisis_ngrams.features("Ich habe mich wieder geritzt")
    assert abs(float(np.linalg.norm(value)) - 1.0) < 1e-5
    # CRC-32 buckets: fixed across runs and machines (Python's own hash is not).
    assert index[0] == crisis_ngrams._bucket(" ic")
    assert crisis_ngrams.features("")[0].size == 0


def test_word_forms_and_chat_spelling_share_their_stems() -> None:
    forms = _vector("ich bin lebensmüde") @ _vector("LEBENSMUDE, echt")
    other = _vector("ich bin lebensmüde") @ _vector("wir gehen heute schwimmen")
    assert forms > 0.4 > other


def test_scores_are_dot_products_with_the_weights() -> None:
    weights = np.zeros(crisis_ngrams.DIM, dtype=np.float32)
    index, value = crisis_ngrams.features("scarif")
    weights[index] = 2.0
    got = crisis_ngrams.scores(["scarif", "", "bonjour"], weights)
    assert got[0] == pytest.approx(2.0 * float(value.sum()), rel=1e-5)
    assert got[1] == 0.0 and got[2] < got[0]


def test_the_shipped_model_reads_ngrams_and_stays_small() -> None:
    from bot.services import crisis_model

    assert crisis_model.MODEL_PATH.stat().st_size < 15 * 1024 * 1024
    svm = crisis_model._svm()
    assert svm.ngrams is not None and svm.ngrams.shape == (crisis_ngrams.DIM,)
    text = ["hab meine alten narben mit der schere wieder aufgemacht"]
    vectors = crisis_model.embed(text)
    with_grams = crisis_model.decision(vectors, svm, text)
    without = crisis_model.decision(vectors, svm)
    assert with_grams[0] - without[0] == pytest.approx(
        crisis_ngrams.scores(text, svm.ngrams)[0], abs=1e-4
    )
