"""Digit models on the page, without Streamlit: check an uploaded model, score a model on
held-out digits, read one drawn or uploaded digit, and see what it lights up inside (hidden
activations, the first-layer units it pushes most, the probabilities' history while drawing).

Every picture goes through ``core.mnist.preprocess_digit``, the same function the command
line uses; nothing here resizes or centres images itself.

The networks a session keeps (its runs' snapshots, an uploaded model) hold only their weights:
:func:`frozen_copy` leaves out gradient buffers and the forward pass's caches, and predictions
run on a throwaway shell (:func:`_shell`) so no cache lands on a kept or shared network.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, replace

import numpy as np

from core import Dropout, Linear, ModelFileError, Net, Standardize, load_model
from core.mnist import flatten_images, predict_digits, preprocess_digit
from playground.i18n import Message

MAX_MODEL_MB = 20  # the model uploader's cap (the largest upload of the app: .streamlit/config.toml follows it)
MAX_IMAGE_MB = 5  # the picture uploader's cap
# The same cap as the networks the page trains (run.MAX_PARAMETERS; not imported: run.py imports this module).
MAX_MODEL_PARAMETERS = 1_000_000


def frozen_copy(net: Net) -> Net:
    """A copy of ``net`` for reading only (predicting, inspecting, saving), in evaluation mode:
    its own weights, biases and fixed arrays, but no gradient buffers (read-only zero views of
    the right shape that take no memory) and none of the arrays a forward or backward pass keeps
    (after an evaluation the trainer's net holds the activations of thousands of rows)."""
    layers = []
    for layer in net.layers:
        clone = copy.copy(layer)  # settings (sizes, slopes, rates) shared; arrays replaced below
        params = layer.parameters()
        values = {p.value_attr for p in params} | (set(layer.arrays()) if isinstance(layer, Standardize) else set())
        grads = {p.grad_attr for p in params}
        for name, value in vars(layer).items():
            if name in values:
                setattr(clone, name, np.array(value))
            elif name in grads and isinstance(value, np.ndarray):
                setattr(clone, name, np.broadcast_to(np.zeros((), value.dtype), value.shape))
            elif isinstance(value, np.ndarray):
                setattr(clone, name, None)  # a cache of the last pass
        layers.append(clone)
    return Net(layers).eval()


def _shell(net: Net) -> Net:
    """A throwaway net over ``net``'s own arrays: a forward pass keeps its caches on the shell's
    layers, which go when the shell goes, not on a kept (or shared) network."""
    return Net([copy.copy(layer) for layer in net.layers])


def parameter_count(net: Net) -> int:
    """Weights and biases (and fixed arrays) of ``net``: the numbers a model file of it holds."""
    arrays = [p.value for p in net.parameters()]
    arrays += [a for layer in net.layers if isinstance(layer, Standardize) for a in layer.arrays().values()]
    return sum(int(a.size) for a in arrays)


def check_digit_model(source, max_bytes: int = MAX_MODEL_MB * 2**20) -> Net:
    """Load a model file (bytes or binary file) and make sure it reads digits: 784 inputs (a
    flattened 28x28 image), 10 outputs and at most MAX_MODEL_PARAMETERS numbers. Returns a
    :func:`frozen_copy`. Raises ModelFileError saying why not (this page's own refusals carry a
    Message, the page translates them).

    The file's declared sizes are checked by ``core.load_model`` before it inflates anything
    (its own cap is MAX_PARAMETERS in core/modelfile.py); this cap is the page's, for what a
    session may keep."""
    net = load_model(source, max_bytes=max_bytes).net
    if net.n_inputs != 784 or net.n_outputs != 10:
        raise ModelFileError(Message(
            "This model takes {inputs} inputs and gives {outputs} outputs; a digit model needs 784 inputs (a 28x28 "
            "image) and 10 outputs (one per digit). Train one here or with `python -m core.mnist train`.",
            inputs=net.n_inputs, outputs=net.n_outputs))
    n = parameter_count(net)
    if n > MAX_MODEL_PARAMETERS:
        raise ModelFileError(Message(
            "This model has {count} weights and biases; the page reads models of up to {max}. Use it with "
            "`python -m core.mnist predict --model FILE IMAGE` instead.", count=f"{n:,}", max=f"{MAX_MODEL_PARAMETERS:,}"))
    return frozen_copy(net)


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
    probabilities = predict_digits(_shell(net), images)
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
    probabilities = predict_digits(_shell(net), image[None])[0]
    return Reading(int(np.argmax(probabilities)), image, probabilities)


# ---- what one drawing lights up -------------------------------------------------------------------------
TOP_UNITS = 5  # units named as "most active" / "contributed most"
MAX_UPDATES = 60  # probability snapshots kept per drawing (the most recent)


@dataclass(frozen=True)
class Insides:
    """What one input x: (784,) does inside a network.

    hidden: each hidden layer's activations (width,), input side first (none for a 1-layer net);
    weights: the first Linear's W (units, 784); inputs: what that layer receives for this picture
    (784,); contributions: (units,) each first-layer unit's weight·input, W[j] · inputs (no bias):
    how much this drawing pushes unit j up (positive) or down.
    """

    hidden: tuple[np.ndarray, ...]
    weights: np.ndarray
    inputs: np.ndarray
    contributions: np.ndarray

    def top_contributors(self, k: int = TOP_UNITS) -> np.ndarray:
        """Indices of the k first-layer units with the largest contributions, largest first."""
        return np.argsort(-self.contributions, kind="stable")[:k]

    def pixel_contributions(self, units) -> np.ndarray:
        """(len(units), 784): weight × input per pixel of those units (each row sums to its contribution)."""
        return self.weights[np.asarray(units)] * self.inputs


def most_active(activations: np.ndarray, k: int = TOP_UNITS) -> np.ndarray:
    """Indices of the k largest activations (width,), largest first."""
    return np.argsort(-np.asarray(activations), kind="stable")[:k]


def look_inside(net: Net, image: np.ndarray) -> Insides:
    """What the digit image (28, 28) in [0, 1] lights up in ``net`` (a 784-input digit net).

    Evaluation mode, without touching the net (``Net.layer_outputs``), in the net's dtype.
    """
    x = flatten_images(image)  # (1, 784)
    outputs = net.layer_outputs(x)
    first = net.linear_layers()[0]
    inputs = _first_linear_input(net, outputs[0])[0]
    contributions = first.W @ inputs
    return Insides(tuple(h[0] for h in outputs[1:-1]), first.W, inputs, contributions)


def _first_linear_input(net: Net, x: np.ndarray) -> np.ndarray:
    """What the first Linear receives for x: x itself, or x after layers before it (e.g. a
    Standardize stored with an uploaded model), run on copies so the net keeps its state."""
    for layer in net.layers:
        if isinstance(layer, Linear):
            return x
        if not isinstance(layer, Dropout):
            x = copy.copy(layer).forward(x)
    return x


@dataclass(frozen=True)
class ProbabilityHistory:
    """The ten probabilities after each update of one drawing read by one model, oldest first.

    drawing, model: what the history belongs to (another drawing or model starts a new one);
    probabilities: one (10,) row per update, at most MAX_UPDATES (the latest); updates: how many
    updates there were in all; fingerprint: of the last image read (an unchanged drawing adds nothing).
    """

    drawing: str = ""
    model: str = ""
    probabilities: tuple[np.ndarray, ...] = ()
    updates: int = 0
    fingerprint: bytes = b""

    def after(self, drawing: str, model: str, reading: Reading) -> ProbabilityHistory:
        """The history once ``reading`` of ``drawing`` by ``model`` is counted (a new object)."""
        start = self if (drawing, model) == (self.drawing, self.model) else ProbabilityHistory(drawing, model)
        if reading.digit is None:
            return start
        fingerprint = hashlib.blake2b(np.ascontiguousarray(reading.image).tobytes(), digest_size=16).digest()
        if fingerprint == start.fingerprint:
            return start
        rows = (*start.probabilities, np.asarray(reading.probabilities, dtype=np.float64))[-MAX_UPDATES:]
        return replace(start, probabilities=rows, updates=start.updates + 1, fingerprint=fingerprint)

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """(update numbers (n,), probabilities (n, 10)) of the rows kept, numbered from 1."""
        n = len(self.probabilities)
        numbers = np.arange(self.updates - n + 1, self.updates + 1)
        return numbers, np.array(self.probabilities, dtype=np.float64).reshape(n, 10)
