"""Layers: Linear, activations, Softmax, Dropout and a fixed input Standardize.

Every layer follows the lesson's protocol: ``forward(x)`` keeps what backward needs and
returns the output; ``backward(dz)`` takes dLoss/dOutput and returns dLoss/dInput;
``update(lr)`` does plain gradient descent on the layer's own parameters (if any).

Beyond the lesson, each layer exposes ``parameters()`` (a list of :class:`Param`), a
``spec()`` dict that the model file stores, and a ``training`` flag used by Dropout.
Shapes: ``x`` is ``(batch, features)`` throughout.
"""

from __future__ import annotations

import numpy as np

from .losses import row_max

DEFAULT_DTYPE = np.float32


def as_generator(seed) -> np.random.Generator:
    """Turn ``None``, an int or a Generator into a ``numpy.random.Generator``."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


class Param:
    """A named view of one parameter array and its gradient, held by ``owner``.

    It reads the owner's attributes each time, so code that reassigns ``layer.W`` (as the
    lesson's does) and optimizers that update ``param.value`` in place both stay in step.
    """

    __slots__ = ("grad_attr", "is_weight", "owner", "value_attr")

    def __init__(self, owner, value_attr: str, grad_attr: str, is_weight: bool):
        self.owner = owner
        self.value_attr = value_attr
        self.grad_attr = grad_attr
        self.is_weight = is_weight  # regularisation applies to weights, not biases

    @property
    def value(self) -> np.ndarray:
        return getattr(self.owner, self.value_attr)

    @value.setter
    def value(self, new: np.ndarray) -> None:
        setattr(self.owner, self.value_attr, new)

    @property
    def grad(self) -> np.ndarray:
        return getattr(self.owner, self.grad_attr)

    @property
    def name(self) -> str:
        return f"{self.owner.name}.{self.value_attr}"

    def __repr__(self) -> str:
        return f"Param({self.name}, shape={self.value.shape})"


class Layer:
    """Base class: no parameters, identity ``update``, a printable name."""

    name = "layer"
    training = True

    def parameters(self) -> list[Param]:
        return []

    def update(self, lr: float) -> None:
        for p in self.parameters():
            p.value -= lr * p.grad

    def spec(self) -> dict:
        return {"type": type(self).__name__}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _init_weights(init: str, nin: int, nout: int, rng: np.random.Generator) -> np.ndarray:
    """Draw a (nout, nin) float64 weight matrix for the named initialiser."""
    if init == "lesson":
        # The lesson's N(0, 1/sqrt(nin)): standard deviation 1/sqrt(nin).
        return rng.normal(0.0, 1.0 / np.sqrt(nin), (nout, nin))
    if init == "xavier":
        limit = np.sqrt(6.0 / (nin + nout))
        return rng.uniform(-limit, limit, (nout, nin))
    if init == "he":
        return rng.normal(0.0, np.sqrt(2.0 / nin), (nout, nin))
    raise ValueError(f"Unknown initialiser {init!r}: choose one of {INITIALISERS}.")


INITIALISERS = ("lesson", "xavier", "he")


class Linear(Layer):
    """Fully connected layer ``y = x @ W.T + b``.

    W: (nout, nin), b: (1, nout); after ``backward``, dW and db hold the gradients.
    ``init`` is one of "lesson" (N(0, 1/sqrt(nin)), the default), "xavier", "he".
    """

    def __init__(self, nin: int, nout: int, init: str = "lesson", seed=None, dtype=DEFAULT_DTYPE):
        for what, n in (("nin", nin), ("nout", nout)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
                raise ValueError(
                    f"Linear({nin}, {nout}): {what} must be a positive whole number of "
                    f"neurons, got {n!r}. A layer needs at least one input and one output."
                )
        self.nin, self.nout, self.init = int(nin), int(nout), init
        dtype = np.dtype(dtype)
        self.W = _init_weights(init, self.nin, self.nout, as_generator(seed)).astype(dtype)
        self.b = np.zeros((1, self.nout), dtype=dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.x = None
        self.name = f"Linear({self.nin}, {self.nout})"
        # The first layer of a net has no use for dLoss/dx; Net switches this off there.
        self.needs_input_grad = True

    @classmethod
    def from_arrays(cls, W: np.ndarray, b: np.ndarray, init: str = "lesson", copy: bool = True) -> Linear:
        """A Linear holding W: (nout, nin) and b: (1, nout) (or (nout,)), without drawing random
        weights first (a loaded model would draw, then throw away, as many numbers as it holds).

        W must be float32 or float64. Both are copied (b in W's dtype); with ``copy=False`` a
        C-ordered W is taken as it is, for callers that hand over arrays nobody else holds.
        """
        W = np.asarray(W)
        if W.ndim != 2 or W.shape[0] < 1 or W.shape[1] < 1 or W.dtype not in (np.float32, np.float64):
            raise ValueError(f"Linear.from_arrays needs W shaped (nout, nin) as float32 or float64, got {W.shape} {W.dtype}.")
        nout, nin = W.shape
        if np.shape(b) not in ((1, nout), (nout,)):
            raise ValueError(f"Linear.from_arrays: W is {W.shape}, so b must be shaped (1, {nout}); got {np.shape(b)}.")
        layer = cls.__new__(cls)
        layer.nin, layer.nout, layer.init = int(nin), int(nout), init
        layer.W = np.array(W, order="C") if copy else np.ascontiguousarray(W)
        layer.b = np.array(b, dtype=W.dtype).reshape(1, nout)
        # np.zeros maps untouched pages lazily: a model that only predicts never pays for its gradients.
        layer.dW = np.zeros(W.shape, dtype=W.dtype)
        layer.db = np.zeros_like(layer.b)
        layer.x = None
        layer.name = f"Linear({layer.nin}, {layer.nout})"
        layer.needs_input_grad = True
        return layer

    def forward(self, x: np.ndarray) -> np.ndarray:
        """x: (batch, nin) -> (batch, nout)."""
        if x.ndim != 2 or x.shape[1] != self.nin:
            raise ValueError(
                f"{self.name} expects input of shape (batch, {self.nin}) but got "
                f"{tuple(x.shape)}: check the number of input features or the previous "
                "layer's width."
            )
        self.x = x
        z = x @ self.W.T
        z += self.b
        return z

    def backward(self, dz: np.ndarray) -> np.ndarray | None:
        """dz: (batch, nout) -> dx: (batch, nin); sets dW (nout, nin) and db (1, nout)."""
        if dz.ndim != 2 or dz.shape[1] != self.nout:
            raise ValueError(
                f"{self.name} received a gradient of shape {tuple(dz.shape)} in backward, "
                f"expected (batch, {self.nout})."
            )
        self.dW = dz.T @ self.x
        self.db = dz.sum(axis=0, keepdims=True)
        if not self.needs_input_grad:
            return None
        return dz @ self.W

    def update(self, lr: float) -> None:
        """Plain gradient descent, W -= lr * dW and b -= lr * db, in place (the lesson's step)."""
        self.W -= lr * self.dW
        self.b -= lr * self.db

    def parameters(self) -> list[Param]:
        return [Param(self, "W", "dW", True), Param(self, "b", "db", False)]

    def spec(self) -> dict:
        return {"type": "Linear", "nin": self.nin, "nout": self.nout}

    def __repr__(self) -> str:
        return self.name


class Tanh(Layer):
    """Hyperbolic tangent; backward uses the kept output: 1 - y²."""

    name = "Tanh"

    def forward(self, x):
        self.y = np.tanh(x)
        return self.y

    def backward(self, dy):
        d = self.y * self.y
        np.subtract(1.0, d, out=d)
        d *= dy
        return d


class Sigmoid(Layer):
    """Logistic sigmoid 1 / (1 + exp(-x)), computed without overflow."""

    name = "Sigmoid"

    def forward(self, x):
        # 0.5 * (1 + tanh(x / 2)) equals the sigmoid and never overflows.
        y = np.tanh(x * 0.5)
        y += 1.0
        y *= 0.5
        self.y = y
        return y

    def backward(self, dy):
        return dy * self.y * (1.0 - self.y)


class ReLU(Layer):
    """max(0, x)."""

    name = "ReLU"

    def forward(self, x):
        self.mask = x > 0
        return np.maximum(x, 0)

    def backward(self, dy):
        return dy * self.mask


class LeakyReLU(Layer):
    """x for x > 0, alpha * x otherwise."""

    name = "LeakyReLU"

    def __init__(self, alpha: float = 0.01):
        if not 0 <= alpha < 1:
            raise ValueError(f"LeakyReLU slope alpha must be in [0, 1), got {alpha}.")
        self.alpha = float(alpha)

    def forward(self, x):
        self.mask = x > 0
        return np.where(self.mask, x, x * self.alpha)

    def backward(self, dy):
        return np.where(self.mask, dy, dy * self.alpha)

    def spec(self):
        return {"type": "LeakyReLU", "alpha": self.alpha}


class Identity(Layer):
    """The linear activation: passes values and gradients through unchanged."""

    name = "Identity"

    def forward(self, x):
        return x

    def backward(self, dy):
        return dy


class Softmax(Layer):
    """Row-wise softmax, stable (subtracts the row max). (batch, k) -> (batch, k)."""

    name = "Softmax"

    def forward(self, z):
        e = z - row_max(z)
        np.exp(e, out=e)
        e /= e.sum(axis=1, keepdims=True)
        self.p = e
        return e

    def backward(self, dp):
        pdp = self.p * dp
        return pdp - self.p * pdp.sum(axis=1, keepdims=True)


class Dropout(Layer):
    """Inverted dropout: in training, zero a fraction ``rate`` and scale the rest up.

    Outside training (``net.eval()`` / ``net.predict``) it is the identity.
    """

    name = "Dropout"

    def __init__(self, rate: float = 0.5, seed=None):
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout rate must be in [0, 1), got {rate}.")
        self.rate = float(rate)
        self.rng = as_generator(seed)
        self.mask = None

    def forward(self, x):
        if not self.training or self.rate == 0:
            self.mask = None
            return x
        keep = 1.0 - self.rate
        self.mask = (self.rng.random(x.shape) < keep).astype(x.dtype) / np.asarray(keep, x.dtype)
        return x * self.mask

    def backward(self, dy):
        return dy if self.mask is None else dy * self.mask

    def spec(self):
        return {"type": "Dropout", "rate": self.rate}


class Standardize(Layer):
    """Fixed input normalisation ``(x - shift) * scale``; no trainable parameters.

    Stored in model files with the network, so a loaded model takes raw inputs.
    shift, scale: (features,) or scalars.
    """

    name = "Standardize"

    def __init__(self, shift, scale, dtype=DEFAULT_DTYPE):
        self.shift = np.atleast_1d(np.asarray(shift, dtype=dtype)).reshape(1, -1)
        self.scale = np.atleast_1d(np.asarray(scale, dtype=dtype)).reshape(1, -1)
        if not (np.isfinite(self.shift).all() and np.isfinite(self.scale).all()):
            raise ValueError("Standardize needs finite shift and scale values.")

    def forward(self, x):
        return (x - self.shift) * self.scale

    def backward(self, dy):
        return dy * self.scale

    def spec(self):
        return {"type": "Standardize"}

    def arrays(self) -> dict[str, np.ndarray]:
        """Fixed arrays the model file stores besides parameters."""
        return {"shift": self.shift, "scale": self.scale}


# The activations by name, in the order a chooser lists them (TF Playground's first).
ACTIVATIONS: dict[str, type[Layer]] = {
    "tanh": Tanh,
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "linear": Identity,
    "leaky_relu": LeakyReLU,
}
# Activations whose layers start best with He initialisation (the others take Xavier).
RELU_LIKE = ("relu", "leaky_relu")


def make_activation(name: str) -> Layer:
    """A new activation layer by name: one of ``ACTIVATIONS`` (tanh, relu, sigmoid, linear, leaky_relu)."""
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(
            f"Unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}."
        ) from None
