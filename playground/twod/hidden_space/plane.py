"""The plane a hidden layer's space is shown in: two chosen neurons, the first two principal
components of the training points' values, or the plane across the output layer's decision
line; and the window of the axes. ``h: (points, width)`` is one hidden layer's values.
"""

from __future__ import annotations

import math

import numpy as np

from core import Linear

PAD = 0.05  # automatic axes: margin around everything, as a fraction of the span
BOUNDED = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}  # fixed axes for bounded activations


def finite(a: np.ndarray) -> np.ndarray:
    """``a`` as float64 with NaN at 0 and infinities at ±1e6: a diverging layer still draws."""
    return np.nan_to_num(np.asarray(a, dtype=np.float64), nan=0.0, posinf=1e6, neginf=-1e6)


def plane_through(h: np.ndarray, neurons: tuple[int, int] | None, width: int):
    """(origin (width,), basis (2, width), explained or None) of the plane the view shows."""
    mean = h.mean(axis=0) if len(h) else np.zeros(width)
    if width == 1:
        return np.zeros(1), np.array([[1.0], [0.0]]), None
    if neurons is not None:
        i, j = neurons
        origin = mean.copy()
        origin[[i, j]] = 0.0  # the shown neurons read as they are; the others sit at their mean
        basis = np.zeros((2, width))
        basis[0, i] = basis[1, j] = 1.0
        return origin, basis, None
    centred = h - mean
    # The principal axes are the scatter matrix's eigenvectors (width x width: cheap, unlike an SVD of the points).
    spread, vectors = np.linalg.eigh(centred.T @ centred)
    order = np.argsort(spread)[::-1]
    spread, basis = np.maximum(spread[order], 0.0), vectors[:, order[:2]].T.copy()
    # Eigenvectors' signs are arbitrary: make each axis's largest entry positive, so frames do not flip.
    signs = np.sign(basis[np.arange(2), np.abs(basis).argmax(axis=1)])
    basis *= np.where(signs == 0, 1.0, signs)[:, None]
    total = float(spread.sum())
    explained = (float(spread[0] / total), float(spread[1] / total)) if total > 0 else None
    return mean, basis, explained


def plane_across_boundary(h: np.ndarray, output: Linear):
    """The plane across the output layer's decision line: axis 1 along the normal of its
    hyperplane (two classes), with the boundary at u = 0, so every point's side is exact; axis 2
    the main spread of the points along the boundary (PCA of the rest). None when the output
    has no direction (all weights equal)."""
    W, b = np.asarray(output.W, np.float64), np.asarray(output.b, np.float64).ravel()
    w, c = (W[1] - W[0], b[1] - b[0]) if W.shape[0] == 2 else (W[0], b[0])
    norm = float(np.linalg.norm(w))
    if norm < 1e-12:
        return None
    normal = w / norm
    mean = h.mean(axis=0) if len(h) else np.zeros(len(w))
    rest = (h - mean) - np.outer((h - mean) @ normal, normal)
    spread, vectors = np.linalg.eigh(rest.T @ rest)
    along = vectors[:, int(np.argmax(spread))]
    along = along - (along @ normal) * normal  # exactly orthogonal, whatever the rounding
    along /= max(float(np.linalg.norm(along)), 1e-12)
    along *= 1.0 if along[np.abs(along).argmax()] >= 0 else -1.0
    origin = mean - (normal @ mean + c / norm) * normal  # u = (w.h + c) / |w|
    total = float(np.square(h - mean).sum())
    explained = (float(np.square((h - mean) @ normal).sum()) / total, float(np.maximum(spread, 0).max()) / total) \
        if total > 0 else None
    return origin, np.vstack([normal, along]), explained


def axes_window(uv: np.ndarray, activation: str, pre: bool, neurons, width: int, fixed: bool):
    """The axes' range: fitted around everything (automatic), or fixed: the activation's range
    for neurons of a bounded one, else round symmetric ranges (1, 2, 5, 10, ...) that change
    only in steps."""
    if fixed:
        bounded = None if (pre or neurons is None) else BOUNDED.get(activation)
        if bounded is not None:
            lo, hi = bounded
            pad = PAD * (hi - lo)
            v_range = (lo - pad, hi + pad) if width > 1 else (-1.0, 1.0)
            return (lo - pad, hi + pad, *v_range)
        reach = nice_reach(float(np.abs(uv).max()) if uv.size else 1.0)
        return (-reach, reach, -reach, reach)
    window = []
    for axis in (0, 1):
        lo, hi = float(uv[:, axis].min()), float(uv[:, axis].max())
        span = hi - lo
        if span < 1e-9:
            lo, hi, span = lo - 0.5, hi + 0.5, 1.0
        window += [lo - PAD * span, hi + PAD * span]
    return tuple(window)


def nice_reach(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least ``value`` (> 0)."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value * (1 - 1e-12))
