"""Backpropagation on one input row, written down: every layer's z and activation, the loss,
every dL/da, dL/dz, dL/dW and dL/db, and the parameters after one gradient-descent step, as
numbers a page can show and a test can check.

It works for any :class:`~core.net.Net` made of Linear layers, each followed by any number of
other layers (an activation, Dropout, which is off here, or Softmax), with fixed layers
(Standardize) allowed before the first Linear, and for any core loss. Everything is computed
in float64 on a copy of the net, so a float32 net shows its exact values and is left untouched.

In the lesson's notation, for layer l = 1..L: ``z_l = w_l a_(l-1) + b_l`` with ``a_0 = x``,
``a_l = alpha(z_l)`` (``a_l = z_l`` when nothing follows the Linear); the chain rule gives
``dL/dz_l = dL/da_l * alpha'(z_l)``, ``dL/dw_l = dL/dz_l a_(l-1)^T``, ``dL/db_l = dL/dz_l`` and
``dL/da_(l-1) = w_l^T dL/dz_l``; the step is ``w - eta dL/dw``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from .layers import ACTIVATIONS, Dropout, Linear, Softmax, Standardize
from .losses import BinaryLogistic, CrossEntropyLoss, SoftmaxCrossEntropy
from .net import Net, check_inputs

# The activations' names as the core's table spells them (Tanh -> "tanh").
_NAMES = {cls: name for name, cls in ACTIVATIONS.items()}


@dataclass(frozen=True)
class LayerTrace:
    """Linear layer ``index`` (1-based) and what follows it, for one input row (vectors 1-D).

    a_in: (nin,) the layer's input a_(l-1) (the network's input features for layer 1);
    W: (nout, nin) and b: (nout,) before the step; z = W a_in + b: (nout,); activation: the name
    of what follows the Linear ("tanh", "softmax"; "" when nothing does, then a = z); a: (nout,);
    da_dz: (nout,) the activation's derivative at z, or None when it is not element-wise
    (softmax); dL_da, dL_dz: (nout,); dL_dW = outer(dL_dz, a_in): (nout, nin);
    dL_db = dL_dz: (nout,); W_new, b_new: after one step W - lr dL_dW, b - lr dL_db.
    """

    index: int
    a_in: np.ndarray
    W: np.ndarray
    b: np.ndarray
    z: np.ndarray
    activation: str
    a: np.ndarray
    da_dz: np.ndarray | None
    dL_da: np.ndarray
    dL_dz: np.ndarray
    dL_dW: np.ndarray
    dL_db: np.ndarray
    W_new: np.ndarray
    b_new: np.ndarray

    @property
    def dL_da_in(self) -> np.ndarray:
        """dL/da_(l-1) = W^T dL/dz: (nin,), what the layer hands back to the one before it."""
        return self.W.T @ self.dL_dz


@dataclass(frozen=True)
class BackpropTrace:
    """One input row through the net and back, then one plain gradient-descent step.

    x: (features,) the row as given; target: the label (a 0-d int array) or the targets (k,);
    loss_name: the loss's class name; loss: its value on this row; layers: one LayerTrace per
    Linear, input side first; probabilities: (k,) softmax of the output for SoftmaxCrossEntropy,
    [P(0), P(1)] for BinaryLogistic, else None; lr: the step's learning rate; loss_after: the
    loss on this row after the step; loss_after_weights_only: the same with the biases left
    as they were (as some worked examples do).
    """

    x: np.ndarray
    target: np.ndarray
    loss_name: str
    loss: float
    layers: tuple[LayerTrace, ...]
    probabilities: np.ndarray | None
    lr: float
    loss_after: float
    loss_after_weights_only: float

    @property
    def output(self) -> np.ndarray:
        """(outputs,) what the net's last layer gives: the loss's input."""
        return self.layers[-1].a


def trace_backprop(net: Net, loss, x, y, lr: float) -> BackpropTrace:
    """Record forward, loss, backward and one gradient-descent step for one row.

    net: a Net (left untouched); loss: a core loss instance (its type is used afresh); x: one
    row (features,) or (1, features); y: its label (an int) or its targets (k,); lr: the step's
    learning rate. Raises ValueError for a net without a Linear layer or mismatched data.
    """
    row = check_inputs(np.asarray(x, dtype=np.float64).reshape(1, -1), net.n_inputs, "The row")
    if not net.linear_layers():
        raise ValueError("Backpropagation needs a net with at least one Linear layer.")
    work = _float64_copy(net)
    before, stages = _stages(work)
    target = np.asarray(y)
    batch_target = target.reshape(1) if target.ndim == 0 else target.reshape(1, -1)

    h = row
    for layer in before:
        h = layer.forward(h)
    forward = []
    for linear, after in stages:
        a_in = h
        z = linear.forward(h)
        a = z
        for layer in after:
            a = layer.forward(a)
        forward.append((a_in, z, a))
        h = a
    loss_fn = type(loss)()
    value = float(loss_fn.forward(h, batch_target))
    grad = loss_fn.backward(value)

    traces = []
    for (linear, after), (a_in, z, a) in zip(reversed(stages), reversed(forward)):
        dL_da = grad
        for layer in reversed(after):
            grad = layer.backward(grad)
        dL_dz = grad
        linear.needs_input_grad = True
        grad = linear.backward(dL_dz)
        W, b = linear.W[...], linear.b.ravel()
        traces.append(LayerTrace(
            index=len(stages) - len(traces), a_in=_vec(a_in), W=W.copy(), b=b.copy(), z=_vec(z),
            activation=_activation_name(after), a=_vec(a), da_dz=_local_derivative(after, z),
            dL_da=_vec(dL_da), dL_dz=_vec(dL_dz), dL_dW=linear.dW.copy(), dL_db=linear.db.ravel().copy(),
            W_new=W - lr * linear.dW, b_new=b - lr * linear.db.ravel()))
    traces.reverse()
    return BackpropTrace(
        x=row.ravel().copy(), target=target.copy(), loss_name=type(loss).__name__, loss=value, layers=tuple(traces),
        probabilities=_probabilities(loss_fn, h), lr=float(lr),
        loss_after=_loss_with(work, traces, loss, row, batch_target, biases=True),
        loss_after_weights_only=_loss_with(work, traces, loss, row, batch_target, biases=False))


def _float64_copy(net: Net) -> Net:
    work = copy.deepcopy(net)
    for layer in work.layers:
        if isinstance(layer, Linear):
            for name in ("W", "b", "dW", "db"):
                setattr(layer, name, getattr(layer, name).astype(np.float64))
        elif isinstance(layer, Standardize):
            layer.shift, layer.scale = layer.shift.astype(np.float64), layer.scale.astype(np.float64)
    return work.eval()


def _stages(net: Net) -> tuple[list, list[tuple[Linear, list]]]:
    """(the layers before the first Linear, [(each Linear, the layers after it up to the next)])."""
    before, stages = [], []
    for layer in net.layers:
        if isinstance(layer, Linear):
            stages.append((layer, []))
        elif stages:
            stages[-1][1].append(layer)
        else:
            before.append(layer)
    return before, stages


def _vec(a: np.ndarray) -> np.ndarray:
    return np.array(a, dtype=np.float64).ravel()


def _activation_name(after: list) -> str:
    names = [_NAMES.get(type(layer), type(layer).__name__.lower()) for layer in after if not isinstance(layer, Dropout)]
    return " then ".join(names)


def _local_derivative(after: list, z: np.ndarray) -> np.ndarray | None:
    """da/dz of the layers after a Linear, element by element (their forward caches are set),
    or None when one of them mixes elements (softmax)."""
    if any(isinstance(layer, Softmax) for layer in after):
        return None
    d = np.ones_like(z)
    for layer in reversed(after):
        d = layer.backward(d)
    return _vec(d)


def _probabilities(loss_fn, out: np.ndarray) -> np.ndarray | None:
    if isinstance(loss_fn, SoftmaxCrossEntropy):
        return _vec(SoftmaxCrossEntropy.probabilities(out))
    if isinstance(loss_fn, BinaryLogistic):
        return _vec(BinaryLogistic.probabilities(out))
    if isinstance(loss_fn, CrossEntropyLoss):
        return _vec(out)
    return None


def _loss_with(net: Net, traces: list[LayerTrace], loss, row: np.ndarray, target: np.ndarray, biases: bool) -> float:
    """The loss on the row with every Linear's weights (and, if ``biases``, biases) stepped."""
    stepped = copy.deepcopy(net)
    for linear, trace in zip(stepped.linear_layers(), traces):
        linear.W = trace.W_new.copy()
        if biases:
            linear.b = trace.b_new.reshape(1, -1).copy()
    with np.errstate(all="ignore"):
        return float(type(loss)().forward(stepped.forward(row), target))
