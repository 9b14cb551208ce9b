"""Net: a stack of layers with the lesson's add/forward/backward/update, and more.

``mlp`` builds the usual multi-layer perceptron in one call. Shapes: x is
(batch, features), the output (batch, outputs).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np

from .layers import DEFAULT_DTYPE, RELU_LIKE, Dropout, Linear, Param, as_generator, make_activation


def check_inputs(x, n_features: int | None = None, what: str = "Input") -> np.ndarray:
    """Refuse empty, non-2D or non-finite input x: (batch, features) with a clear message."""
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"{what} must be a 2-D array shaped (batch, features), got shape {x.shape}.")
    if x.shape[0] == 0:
        raise ValueError(f"{what} is an empty batch (0 rows): pass at least one row.")
    if x.dtype.kind not in "fiub":
        raise ValueError(f"{what} must be numeric, got dtype {x.dtype}.")
    if n_features is not None and x.shape[1] != n_features:
        raise ValueError(f"{what} has {x.shape[1]} features per row but the network expects {n_features}.")
    # A finite sum proves every value finite at a third of isfinite's cost (no boolean array);
    # an infinite sum may only be an overflow of huge values, so then look element by element.
    if x.dtype.kind == "f" and not _finite_sum(x) and not np.isfinite(x).all():
        bad = int(np.argwhere(~np.isfinite(x))[0, 0])
        raise ValueError(f"{what} contains NaN or infinity (first in row {bad}): clean or drop those rows.")
    return x


def _finite_sum(x: np.ndarray) -> bool:
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isfinite(np.add.reduce(x, axis=None)))


class Net:
    """A feed-forward network: layers applied in order.

    The lesson's use: ``net = Net(); net.add(Linear(2, 10)); net.add(Tanh()); ...``,
    then ``p = net.forward(x); ...; net.backward(dp); net.update(lr)``.
    """

    def __init__(self, layers: Sequence | None = None):
        self.layers: list = []
        for layer in layers or ():
            self.add(layer)

    def add(self, layer) -> Net:
        """Append a layer; returns the net so calls can chain."""
        self.layers.append(layer)
        self._refresh()
        return self

    def _refresh(self) -> None:
        first = True
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Linear):
                layer.name = f"layer {i} Linear({layer.nin}, {layer.nout})"
                # Nothing upstream of the first Linear learns, so its dL/dx is never used.
                layer.needs_input_grad = not first
                first = False

    def forward(self, x: np.ndarray) -> np.ndarray:
        """x: (batch, features) -> (batch, outputs), kept for backward.

        Inputs are cast to the parameters' dtype, so float32 nets compute in float32.
        """
        x = check_inputs(x)
        return self.forward_unchecked(x)

    def forward_unchecked(self, x: np.ndarray) -> np.ndarray:
        """``forward`` without the input checks: for data validated once up front."""
        dtype = self.dtype
        if x.dtype != dtype and dtype is not None:
            x = x.astype(dtype)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dz: np.ndarray) -> np.ndarray | None:
        """dz: dLoss/dOutput (batch, outputs). Returns dLoss/dInput, or None when the
        first layer is a Linear (whose input gradient is never needed for learning)."""
        for layer in reversed(self.layers):
            if dz is None:
                break
            dz = layer.backward(dz)
        return dz

    def update(self, lr: float) -> None:
        """Plain gradient descent on every layer, as in the lesson."""
        for layer in self.layers:
            layer.update(lr)

    def parameters(self) -> list[Param]:
        """Every trainable parameter with its gradient, in layer order."""
        return [p for layer in self.layers for p in layer.parameters()]

    def linear_layers(self) -> list[Linear]:
        return [layer for layer in self.layers if isinstance(layer, Linear)]

    @property
    def dtype(self):
        """The parameters' dtype (that of the first Linear's W), None without a Linear."""
        for layer in self.layers:
            if isinstance(layer, Linear):
                return layer.W.dtype
        return None

    @property
    def n_inputs(self) -> int | None:
        lin = self.linear_layers()
        return lin[0].nin if lin else None

    @property
    def n_outputs(self) -> int | None:
        lin = self.linear_layers()
        return lin[-1].nout if lin else None

    def train(self) -> Net:
        for layer in self.layers:
            layer.training = True
        return self

    def eval(self) -> Net:
        for layer in self.layers:
            layer.training = False
        return self

    def predict(self, x: np.ndarray, batch_size: int = 8192) -> np.ndarray:
        """Outputs for x: (n, features) -> (n, outputs) in evaluation mode (no dropout),
        in chunks so large inputs do not allocate huge activations."""
        x = check_inputs(x, self.n_inputs)
        was_training = [layer.training for layer in self.layers]
        self.eval()
        try:
            outs = [self.forward_unchecked(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
        finally:
            for layer, flag in zip(self.layers, was_training):
                layer.training = flag
        return np.concatenate(outs, axis=0)

    def layer_outputs(self, x: np.ndarray, pre_activation: bool = False) -> list[np.ndarray]:
        """What every neuron column produces for x: (batch, features), to look inside the net.

        Returns ``[x, h1, ..., hL, out]``: the input, the output of every hidden layer (the
        input of each Linear after the first, i.e. after its activation) and the raw output,
        each (batch, width). With ``pre_activation`` each hidden layer's z (its Linear's output,
        before the activation) stands in for h. Runs in evaluation mode (dropout off) without
        touching the net: its cached forward state, training flags and any training in progress
        are left alone.
        """
        x = check_inputs(x, self.n_inputs)
        dtype = self.dtype
        if dtype is not None and x.dtype != dtype:
            x = x.astype(dtype)
        outputs = [x]
        z = None
        for layer in self.layers:
            if isinstance(layer, Linear):
                if z is not None:
                    outputs.append(z if pre_activation else x)
                x = z = x @ layer.W.T + layer.b
            elif not isinstance(layer, Dropout):  # dropout is the identity outside training
                # A shallow copy keeps whatever forward caches (y, mask) off the real layer.
                x = copy.copy(layer).forward(x)
        outputs.append(x)
        return outputs

    def output_from(self, h: np.ndarray, layer: int, pre_activation: bool = False) -> np.ndarray:
        """The raw output when hidden layer ``layer`` (1-based, as ``layer_outputs`` counts:
        ``layer_outputs(x)[layer]``) holds h: (batch, width) -> (batch, outputs).

        With ``pre_activation``, h is that layer's z and its activation is applied first. Like
        ``layer_outputs``, runs in evaluation mode without touching the net.
        """
        starts = [i for i, lay in enumerate(self.layers) if isinstance(lay, Linear)]
        if not 1 <= layer < len(starts):
            raise ValueError(f"Hidden layer {layer} does not exist: this net has {len(starts) - 1} hidden layers.")
        x = np.asarray(h)
        dtype = self.dtype
        if x.dtype != dtype:
            x = x.astype(dtype)
        for lay in self.layers[starts[layer - 1] + 1 if pre_activation else starts[layer]:]:
            if isinstance(lay, Linear):
                x = x @ lay.W.T + lay.b
            elif not isinstance(lay, Dropout):
                x = copy.copy(lay).forward(x)
        return x

    def copy(self) -> Net:
        """A deep copy: parameters and layers independent of this net."""
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        return "Net(" + ", ".join(repr(layer) for layer in self.layers) + ")"


def mlp(
    n_inputs: int,
    hidden: Sequence[int],
    n_outputs: int,
    activations: str | Sequence[str] = "tanh",
    init: str | None = None,
    seed=0,
    dtype=DEFAULT_DTYPE,
    dropout: float = 0.0,
) -> Net:
    """Build Linear-activation-...-Linear with raw outputs (logits or regression values).

    ``activations`` is one name for every hidden layer or one per hidden layer. ``init``
    defaults to He for ReLU-like layers and Xavier otherwise. The output layer has no
    activation: pair it with a fused loss (SoftmaxCrossEntropy, BinaryLogistic, MSE).
    """
    hidden = list(hidden)
    for i, width in enumerate(hidden):
        if not isinstance(width, (int, np.integer)) or width < 1:
            raise ValueError(
                f"Hidden layer {i + 1} has {width!r} neurons: every layer needs at least one."
            )
    if isinstance(activations, str):
        activations = [activations] * len(hidden)
    activations = list(activations)
    if len(activations) != len(hidden):
        raise ValueError(
            f"Got {len(activations)} activations for {len(hidden)} hidden layers: give one "
            "name for all, or one per hidden layer."
        )
    rng = as_generator(seed)
    net = Net()
    widths = [n_inputs, *hidden]
    for i, act in enumerate(activations):
        layer_init = init or ("he" if act in RELU_LIKE else "xavier")
        net.add(Linear(widths[i], widths[i + 1], init=layer_init, seed=rng, dtype=dtype))
        net.add(make_activation(act))
        if dropout:
            net.add(Dropout(dropout, seed=rng))
    net.add(Linear(widths[-1], n_outputs, init=init or "xavier", seed=rng, dtype=dtype))
    return net
