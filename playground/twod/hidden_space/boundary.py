"""Where the network's decision boundary crosses the plane of a hidden layer's space: one exact
straight line when the output layer alone follows (the last hidden layer after its activation,
two classes), otherwise a field sampled over the window whose level lines are the boundary.
"""

from __future__ import annotations

import numpy as np

from core import Linear

from .plane import finite


def boundary_field(net, layer: int, pre: bool, origin, basis, window, res: int):
    """The decision boundary's field over the window: (res, res) rows along v, and its levels.
    Two classes: logit 1 - logit 0 (boundary at 0); more: the winning class (boundaries between
    whole numbers)."""
    u = np.linspace(window[0], window[1], res)
    v = np.linspace(window[2], window[3], res)
    uu, vv = np.meshgrid(u, v)
    h = (origin + uu.reshape(-1, 1) * basis[0] + vv.reshape(-1, 1) * basis[1]).astype(net.dtype or np.float64)
    with np.errstate(all="ignore"):
        out = finite(net.output_from(h, layer, pre_activation=pre))
    if out.shape[1] == 1:
        return out[:, 0].reshape(res, res), (0.0,)
    if out.shape[1] == 2:
        return (out[:, 1] - out[:, 0]).reshape(res, res), (0.0,)
    k = out.shape[1]
    return out.argmax(axis=1).astype(np.float64).reshape(res, res), tuple(c + 0.5 for c in range(k - 1))


def exact_line(net, layer: int, pre: bool, origin, basis, window):
    """The output layer's decision line in the plane, clipped to the window, when the boundary is
    one straight line there: the last hidden layer after its activation, two classes (two logits
    or one), the output layer last. None otherwise or when it misses the window."""
    if not is_linear_boundary(net, layer, pre):
        return None
    linears = net.linear_layers()
    W, b = np.asarray(linears[-1].W, np.float64), np.asarray(linears[-1].b, np.float64).ravel()
    if W.shape[0] == 2:
        w, c = W[1] - W[0], b[1] - b[0]
    elif W.shape[0] == 1:
        w, c = W[0], b[0]
    else:
        return None
    alpha, beta, gamma = float(w @ basis[0]), float(w @ basis[1]), float(w @ origin + c)
    return clip_line(alpha, beta, gamma, window)


def is_linear_boundary(net, layer: int, pre: bool) -> bool:
    """True when the boundary in this layer's space is straight: the last hidden layer after its
    activation, followed only by the output layer, with two classes (two logits or one)."""
    linears = net.linear_layers()
    return (not pre and layer == len(linears) - 1 and isinstance(net.layers[-1], Linear)
            and linears[-1].nout in (1, 2))


def clip_line(alpha: float, beta: float, gamma: float, window) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The segment of the line alpha u + beta v + gamma = 0 inside the window (u0, u1, v0, v1), or None."""
    u0, u1, v0, v1 = window
    found = []
    if abs(beta) > 1e-12:
        for u in (u0, u1):
            v = -(alpha * u + gamma) / beta
            if v0 <= v <= v1:
                found.append((u, v))
    if abs(alpha) > 1e-12:
        for v in (v0, v1):
            u = -(beta * v + gamma) / alpha
            if u0 <= u <= u1:
                found.append((u, v))
    if len(found) < 2:
        return None
    found.sort()
    return (float(found[0][0]), float(found[0][1])), (float(found[-1][0]), float(found[-1][1]))
