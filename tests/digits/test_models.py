"""Models on the digits page: upload checks, scoring, reading one picture."""

from __future__ import annotations

import numpy as np
import pytest

from core import ModelFileError, mlp, model_bytes
from core.mnist import build_digit_net
from playground.digits.models import Evaluation, check_digit_model, evaluate_digits, read_digit


def test_an_uploaded_model_must_read_digits():
    good = check_digit_model(model_bytes(build_digit_net((8,), seed=1)))
    assert (good.n_inputs, good.n_outputs) == (784, 10)
    with pytest.raises(ModelFileError, match="784 inputs"):
        check_digit_model(model_bytes(mlp(2, [3], 2)))
    with pytest.raises(ModelFileError):
        check_digit_model(b"this is not a model file")
    with pytest.raises(ModelFileError, match="larger"):
        check_digit_model(model_bytes(build_digit_net((8,))), max_bytes=100)


def test_worst_mistakes_come_most_confident_first():
    probabilities = np.array([
        [0.9, 0.1],  # right
        [0.6, 0.4],  # wrong, 0.6 sure
        [0.05, 0.95],  # wrong, 0.95 sure
        [0.2, 0.8],  # right
    ])
    result = Evaluation(probabilities, probabilities.argmax(axis=1), np.array([0, 1, 0, 1]))
    assert result.accuracy == 0.5
    assert result.worst_mistakes().tolist() == [2, 1]
    assert result.worst_mistakes(limit=1).tolist() == [2]


def test_evaluate_digits_scores_every_image():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=20)
    result = evaluate_digits(build_digit_net((8,)), images, labels)
    assert result.probabilities.shape == (20, 10)
    assert np.allclose(result.probabilities.sum(axis=1), 1, atol=1e-5)
    assert result.accuracy == pytest.approx(np.mean(result.predicted == labels))


def test_read_digit_blank_and_drawn():
    net = build_digit_net((8,))
    blank = np.zeros((280, 280, 4), dtype=np.uint8)
    assert read_digit(net, blank).digit is None
    assert read_digit(net, None).digit is None
    drawn = blank.copy()
    drawn[..., 3] = 255
    drawn[60:220, 130:148, :3] = 255  # a white bar: a "1"
    reading = read_digit(net, drawn)
    assert reading.image.shape == (28, 28) and reading.image.max() == pytest.approx(1.0)
    assert reading.digit == int(np.argmax(reading.probabilities))
    assert reading.probabilities.sum() == pytest.approx(1, abs=1e-5)
