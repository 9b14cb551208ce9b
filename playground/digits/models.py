"""Digit models on the page, without Streamlit: check an uploaded model, score a model on
held-out digits, and read one drawn or uploaded digit.

Every picture goes through ``core.mnist.preprocess_digit``, the same function the command
line uses; nothing here resizes or centres images itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import ModelFileError, Net, load_model
from core.mnist import flatten_images, predict_digits, preprocess_digit

MAX_MODEL_MB = 20


def check_digit_model(source, max_bytes: int = MAX_MODEL_MB * 2**20) -> Net:
    """Load a model file (bytes or binary file) and make sure it reads digits:
    784 inputs (a flattened 28x28 image) and 10 outputs. Raises ModelFileError saying why not."""
    net = load_model(source, max_bytes=max_bytes).net
    if net.n_inputs != 784 or net.n_outputs != 10:
        raise ModelFileError(
            f"This model takes {net.n_inputs} inputs and gives {net.n_outputs} outputs; a digit model needs "
            "784 inputs (a 28x28 image) and 10 outputs (one per digit). Train one here or with "
            "`python -m core.mnist train`."
        )
    return net


@dataclass(frozen=True)
class Evaluation:
    """How a model does on labelled digits: images (n, 28, 28), labels (n,)."""

    probabilities: np.ndarray  # (n, 10)
    predicted: np.ndarray  # (n,)
    labels: np.ndarray  # (n,)

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.predicted == self.labels))

    def worst_mistakes(self, limit: int = 24) -> np.ndarray:
        """Indices of misclassified digits, the most confidently wrong first (at most ``limit``)."""
        wrong = np.flatnonzero(self.predicted != self.labels)
        confidence = self.probabilities[wrong, self.predicted[wrong]]
        return wrong[np.argsort(-confidence, kind="stable")][:limit]


def as_unit_images(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) uint8 0-255 (MNIST files) or float in [0, 1] -> (n, 28, 28) float32 in [0, 1]."""
    return flatten_images(images).reshape(-1, 28, 28)


def evaluate_digits(net: Net, images: np.ndarray, labels: np.ndarray) -> Evaluation:
    """Score ``net`` on images (n, 28, 28) with labels (n,)."""
    probabilities = predict_digits(net, images)
    return Evaluation(probabilities, probabilities.argmax(axis=1), np.asarray(labels))


@dataclass(frozen=True)
class Reading:
    """What the model makes of one picture: ``digit`` is None when the picture is blank."""

    digit: int | None
    image: np.ndarray | None  # (28, 28) float32 in [0, 1]: the network's input
    probabilities: np.ndarray | None  # (10,)


def read_digit(net: Net, picture: np.ndarray | None) -> Reading:
    """Preprocess a picture ((H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA) and predict its digit."""
    image = None if picture is None else preprocess_digit(picture)
    if image is None:
        return Reading(None, None, None)
    probabilities = predict_digits(net, image[None])[0]
    return Reading(int(np.argmax(probabilities)), image, probabilities)
