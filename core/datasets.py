"""Seeded 2D datasets, feature transforms and the train/test split.

Classification sets give integer labels 0..k-1; regression sets give float targets.
The TensorFlow Playground sets (circle, xor, gauss, spiral, plane, multi-gaussian) follow
its ``dataset.ts``: points in about [-6, 6]², noise from 0 to 0.5, TF's -1/+1 labels
mapped to 0/1. Every generator takes ``rng``, a ``numpy.random.Generator``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .layers import as_generator


@dataclass
class Dataset:
    """A split dataset. x_*: (n, 2) (or (n, 1) for curve), y_*: (n,) labels or targets."""

    name: str
    task: str  # "classification" or "regression"
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_classes: int = 0  # 0 for regression

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(xmin, xmax, ymin, ymax) of the view: TF Playground's [-6, 6]² at least."""
        x = np.concatenate([self.x_train, self.x_test])
        lo = min(-6.0, float(np.floor(x.min())))
        hi = max(6.0, float(np.ceil(x.max())))
        return (lo, hi, lo, hi)


def _uniform(rng, lo, hi, n):
    return rng.uniform(lo, hi, n)


def circle(n: int, noise: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 inside radius 2.5, class 0 in the ring 3.5-5; labels from the noisy point."""
    radius = 5.0
    half = n // 2
    r = np.concatenate([_uniform(rng, 0, radius * 0.5, half), _uniform(rng, radius * 0.7, radius, n - half)])
    angle = _uniform(rng, 0, 2 * np.pi, n)
    x, y = r * np.sin(angle), r * np.cos(angle)
    nx, ny = _uniform(rng, -radius, radius, n) * noise, _uniform(rng, -radius, radius, n) * noise
    label = (np.hypot(x + nx, y + ny) < radius * 0.5).astype(np.intp)
    return np.column_stack([x, y]), label


def xor(n: int, noise: float, rng):
    """Quadrants: class 1 where x·y >= 0 (of the noisy point); 0.3 padding off the axes."""
    pad = 0.3
    x = _uniform(rng, -5, 5, n)
    x += np.where(x > 0, pad, -pad)
    y = _uniform(rng, -5, 5, n)
    y += np.where(y > 0, pad, -pad)
    nx, ny = _uniform(rng, -5, 5, n) * noise, _uniform(rng, -5, 5, n) * noise
    label = ((x + nx) * (y + ny) >= 0).astype(np.intp)
    return np.column_stack([x, y]), label


def gauss(n: int, noise: float, rng):
    """Two Gaussian blobs at (2, 2) (class 1) and (-2, -2) (class 0); noise widens them."""
    variance = 0.5 + (4 - 0.5) * (noise / 0.5)
    half = n // 2
    sd = np.sqrt(variance)
    pos = rng.normal((2, 2), sd, (half, 2))
    neg = rng.normal((-2, -2), sd, (n - half, 2))
    return np.vstack([pos, neg]), np.concatenate([np.ones(half, np.intp), np.zeros(n - half, np.intp)])


def spiral(n: int, noise: float, rng, n_classes: int = 2):
    """Interleaved spiral arms, one per class (TF Playground's two-arm spiral for k = 2)."""
    xs, labels = [], []
    per = [n // n_classes + (1 if c < n % n_classes else 0) for c in range(n_classes)]
    for c, m in enumerate(per):
        i = np.arange(m)
        r = i / m * 5
        t = 1.75 * i / m * 2 * np.pi + c * 2 * np.pi / n_classes
        px = r * np.sin(t) + _uniform(rng, -1, 1, m) * noise
        py = r * np.cos(t) + _uniform(rng, -1, 1, m) * noise
        xs.append(np.column_stack([px, py]))
        # TF Playground's first arm is its positive class.
        labels.append(np.full(m, (1 - c) if n_classes == 2 else c, np.intp))
    return np.vstack(xs), np.concatenate(labels)


def moons(n: int, noise: float, rng):
    """Two interleaving half circles (as scikit-learn's make_moons), scaled to ±5."""
    half = n // 2
    t_out = rng.uniform(0, np.pi, half)
    t_in = rng.uniform(0, np.pi, n - half)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)])
    pts = np.vstack([outer, inner])
    pts += rng.normal(0, 1, pts.shape) * noise * 0.6
    pts = (pts - [0.5, 0.25]) * 3.2
    return pts, np.concatenate([np.zeros(half, np.intp), np.ones(n - half, np.intp)])


def blobs(n: int, noise: float, rng, n_classes: int = 3):
    """k Gaussian blobs with centres evenly on a circle of radius 3.5."""
    angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 2
    centres = 3.5 * np.column_stack([np.cos(angles), np.sin(angles)])
    label = np.arange(n) % n_classes
    sd = 0.5 + 3.0 * noise
    return centres[label] + rng.normal(0, sd, (n, 2)), label.astype(np.intp)


def plane(n: int, noise: float, rng):
    """Regression: target (x + y) / 10 of the noisy point (about [-1, 1] without noise)."""
    radius = 6.0
    x, y = _uniform(rng, -radius, radius, n), _uniform(rng, -radius, radius, n)
    nx, ny = _uniform(rng, -radius, radius, n) * noise, _uniform(rng, -radius, radius, n) * noise
    return np.column_stack([x, y]), (x + nx + y + ny) / 10.0


_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gaussian(n: int, noise: float, rng):
    """Regression: six signed bumps; each point takes the bump largest in absolute value."""
    radius = 6.0
    x, y = _uniform(rng, -radius, radius, n), _uniform(rng, -radius, radius, n)
    nx, ny = _uniform(rng, -radius, radius, n) * noise, _uniform(rng, -radius, radius, n) * noise
    px, py = x + nx, y + ny
    d = np.hypot(px[:, None] - _GAUSSIANS[:, 0], py[:, None] - _GAUSSIANS[:, 1])
    values = _GAUSSIANS[:, 2] * np.clip(1 - d / 2, 0, 1)
    target = values[np.arange(n), np.abs(values).argmax(axis=1)]
    return np.column_stack([x, y]), target


def curve(n: int, noise: float, rng):
    """1-D regression: y = sin(x) · 0.8 + noise for x in [-6, 6]; x has one column."""
    x = rng.uniform(-6, 6, n)
    y = 0.8 * np.sin(x) + rng.normal(0, 1, n) * noise * 0.5
    return x.reshape(-1, 1), y


@dataclass(frozen=True)
class DatasetKind:
    """How one named dataset is made: its generator ``(n, noise, rng[, n_classes]) -> (x, y)``,
    its task, its default number of points, whether it takes ``n_classes`` and its input columns."""

    generate: Callable
    task: str  # "classification" or "regression"
    default_points: int
    multiclass: bool = False
    input_dims: int = 2


# Every dataset by name, in the order a chooser lists them (TF Playground's first).
DATASETS: dict[str, DatasetKind] = {
    "circle": DatasetKind(circle, "classification", 500),
    "xor": DatasetKind(xor, "classification", 500),
    "gauss": DatasetKind(gauss, "classification", 500),
    "spiral": DatasetKind(spiral, "classification", 500, multiclass=True),
    "moons": DatasetKind(moons, "classification", 500),
    "blobs": DatasetKind(blobs, "classification", 500, multiclass=True),
    "plane": DatasetKind(plane, "regression", 1200),
    "multi_gaussian": DatasetKind(multi_gaussian, "regression", 1200),
    "curve": DatasetKind(curve, "regression", 200, input_dims=1),
}
MAX_CLASSES = 8


def train_test_split(x, y, train_fraction: float, rng) -> tuple:
    """Shuffle rows with rng and split: (x_train, y_train, x_test, y_test)."""
    if not 0 < train_fraction <= 1:
        raise ValueError(f"The train share must be in (0, 1], got {train_fraction}.")
    order = as_generator(rng).permutation(len(x))
    n_train = max(1, int(round(len(x) * train_fraction)))
    tr, te = order[:n_train], order[n_train:]
    return x[tr], y[tr], x[te], y[te]


def make_dataset(
    name: str,
    n_points: int | None = None,
    noise: float = 0.0,
    train_fraction: float = 0.5,
    seed=0,
    n_classes: int = 2,
) -> Dataset:
    """Generate and split a named dataset.

    name: one of ``DATASETS``; noise in [0, 0.5] as TF Playground's 0-50 %; n_classes applies
    to the multi-class sets, spiral and blobs (2..MAX_CLASSES).
    """
    kind = DATASETS.get(name)
    if kind is None:
        raise ValueError(f"Unknown dataset {name!r}: choose one of {', '.join(DATASETS)}.")
    if n_points is None:
        n_points = kind.default_points
    if not isinstance(n_points, (int, np.integer)) or n_points < 4:
        raise ValueError(f"A dataset needs at least 4 points, got {n_points!r}.")
    if not 0 <= noise <= 1:
        raise ValueError(f"Noise must be between 0 and 1 (0-100 %), got {noise}.")
    rng = as_generator(seed)
    if kind.multiclass:
        if not 2 <= n_classes <= MAX_CLASSES:
            raise ValueError(f"{name} takes 2 to {MAX_CLASSES} classes, got {n_classes}.")
        x, y = kind.generate(n_points, noise, rng, n_classes=n_classes)
    else:
        x, y = kind.generate(n_points, noise, rng)
    k = int(y.max()) + 1 if kind.task == "classification" else 0
    x_tr, y_tr, x_te, y_te = train_test_split(x, y, train_fraction, rng)
    return Dataset(name, kind.task, x_tr, y_tr, x_te, y_te, k)


# Input features as TF Playground offers them, in its order: name -> function of (x1, x2).
FEATURES = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: np.sin(a),
    "sin(x2)": lambda a, b: np.sin(b),
}


def usable_features(names, input_dims: int = 2) -> tuple[str, ...]:
    """The names among ``names`` that data with ``input_dims`` columns can give, in FEATURES'
    order (one column, the curve: only the features of x1); ("x1",) when none is left."""
    usable = tuple(f for f in FEATURES if f in names and (input_dims > 1 or "x2" not in f))
    return usable or ("x1",)


def make_features(points: np.ndarray, names) -> np.ndarray:
    """points: (n, 2) or (n, 1) -> (n, len(names)) columns of the named features.

    With one input column (the curve), features of x2 are refused.
    """
    points = np.asarray(points)
    names = list(names)
    if not names:
        raise ValueError("Pick at least one input feature.")
    a = points[:, 0]
    b = points[:, 1] if points.shape[1] > 1 else None
    cols = []
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"Unknown feature {name!r}: choose from {', '.join(FEATURES)}.")
        if b is None and "x2" in name:
            raise ValueError(f"Feature {name} needs a second input column; this data has one.")
        cols.append(FEATURES[name](a, b))
    return np.column_stack(cols)
