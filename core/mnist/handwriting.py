"""Synthetic pen-drawn digits on the app's 280x280 canvas: a test of reading anyone's handwriting.

What it is for: the ready model learns from MNIST, but the digits page feeds it what people
draw with a mouse, at any size, stroke width and slant. This module draws such digits
reproducibly, from nothing but NumPy and Pillow: a few hand-designed stroke templates per
digit (open and closed 4s, 1s with and without a flag, 7s with a crossbar, snowman 8s...),
each drawn with random size, position, aspect, stroke width, slant, rotation, wobble of the
shape and jitter of the pen, white on black on a 280x280 RGBA picture like the canvas gives,
then (in :func:`canvas_digit_set`) passed through :func:`core.mnist.preprocess.preprocess_digit`
exactly as the page does. None of it comes from MNIST.

``TEST_TEMPLATES`` and ``TEST_SEED`` define the fixed canvas test set of
``benchmarks/bench_handwriting.py``; they were fixed before any recipe was measured on them.
``TRAIN_TEMPLATES``, ``TRAIN_VARIATION`` and ``TRAIN_SEED`` make synthetic training digits for
the ready model (``Recipe.synthetic_per_class``): another family of templates, never the test's.

Template coordinates: x to the right, y down, the digit's height is 1 and its width about 0.6.
A template is a list of strokes (pen down ... pen up); a stroke is a list of pieces joined
at sharp corners; a piece is a list of control points joined by a smooth (Catmull-Rom) curve,
so a two-point piece is a straight line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from .preprocess import preprocess_digit

CANVAS = 280
APP_STROKE = 18  # the page's pen width
TEST_SEED = 20240611


def _ellipse(cx: float, cy: float, rx: float, ry: float, start: float, turn: float, n: int = 10) -> list[tuple[float, float]]:
    """Control points along an ellipse from angle ``start`` (degrees, 0 = right, 90 = up) turning ``turn`` degrees
    (positive = counter-clockwise on screen)."""
    angles = np.deg2rad(start + np.linspace(0.0, turn, n))
    return [(cx + rx * np.cos(a), cy - ry * np.sin(a)) for a in angles]


TEST_TEMPLATES: dict[int, list] = {
    0: [
        [[[(0.35, 0.0), (0.1, 0.2), (0.02, 0.5), (0.12, 0.85), (0.35, 1.0), (0.58, 0.85), (0.66, 0.5), (0.58, 0.15),
           (0.35, 0.0), (0.26, 0.06)]]],
        [[_ellipse(0.32, 0.5, 0.3, 0.5, 60, 370, 14)]],
    ],
    1: [
        [[[(0.3, 0.0), (0.3, 1.0)]]],
        [[[(0.1, 0.22), (0.32, 0.0)], [(0.32, 0.0), (0.32, 1.0)]]],
        [[[(0.1, 0.22), (0.32, 0.0)], [(0.32, 0.0), (0.32, 1.0)]], [[(0.08, 1.0), (0.56, 1.0)]]],
    ],
    2: [
        [[[(0.05, 0.25), (0.2, 0.04), (0.4, 0.0), (0.58, 0.15), (0.55, 0.4), (0.3, 0.7), (0.02, 1.0)],
          [(0.02, 1.0), (0.65, 0.98)]]],
        [[[(0.05, 0.22), (0.25, 0.02), (0.5, 0.05), (0.58, 0.3), (0.4, 0.62), (0.2, 0.82), (0.05, 0.96), (0.1, 1.0),
           (0.22, 0.93), (0.38, 0.97), (0.65, 0.98)]]],
    ],
    3: [
        [[[(0.05, 0.12), (0.3, 0.0), (0.55, 0.1), (0.55, 0.32), (0.3, 0.47)],
          [(0.3, 0.47), (0.58, 0.62), (0.6, 0.85), (0.35, 1.0), (0.02, 0.9)]]],
        [[[(0.05, 0.0), (0.6, 0.0)], [(0.6, 0.0), (0.3, 0.4)],
          [(0.3, 0.4), (0.55, 0.5), (0.62, 0.75), (0.4, 0.98), (0.05, 0.9)]]],
    ],
    4: [
        [[[(0.15, 0.0), (0.02, 0.6)], [(0.02, 0.6), (0.68, 0.6)]], [[(0.5, 0.18), (0.5, 1.0)]]],
        [[[(0.48, 0.0), (0.02, 0.65)], [(0.02, 0.65), (0.68, 0.65)]], [[(0.48, 0.0), (0.48, 1.0)]]],
        [[[(0.1, 0.0), (0.05, 0.45), (0.2, 0.58)], [(0.2, 0.58), (0.7, 0.56)]], [[(0.55, 0.05), (0.52, 1.0)]]],
    ],
    5: [
        [[[(0.12, 0.0), (0.08, 0.45)], [(0.08, 0.45), (0.35, 0.38), (0.6, 0.55), (0.6, 0.8), (0.35, 1.0), (0.02, 0.9)]],
         [[(0.12, 0.0), (0.6, 0.0)]]],
        [[[(0.62, 0.0), (0.12, 0.0)], [(0.12, 0.0), (0.08, 0.45)],
          [(0.08, 0.45), (0.35, 0.38), (0.6, 0.55), (0.6, 0.8), (0.35, 1.0), (0.02, 0.9)]]],
    ],
    6: [
        [[[(0.55, 0.02), (0.3, 0.15), (0.1, 0.45), (0.05, 0.75), (0.25, 1.0), (0.5, 0.95), (0.6, 0.72), (0.45, 0.52),
           (0.2, 0.55), (0.07, 0.7)]]],
        [[[(0.45, 0.0), (0.2, 0.35), (0.05, 0.7), (0.2, 0.98), (0.48, 0.95), (0.6, 0.75), (0.45, 0.55), (0.2, 0.58),
           (0.05, 0.72)]]],
    ],
    7: [
        [[[(0.0, 0.0), (0.65, 0.0)], [(0.65, 0.0), (0.2, 1.0)]]],
        [[[(0.0, 0.0), (0.65, 0.0)], [(0.65, 0.0), (0.2, 1.0)]], [[(0.2, 0.5), (0.62, 0.5)]]],
        [[[(0.0, 0.12), (0.02, 0.0)], [(0.02, 0.0), (0.65, 0.02)], [(0.65, 0.02), (0.42, 0.4), (0.3, 1.0)]]],
    ],
    8: [
        [[[(0.55, 0.1), (0.35, 0.0), (0.1, 0.1), (0.12, 0.3), (0.35, 0.47), (0.6, 0.65), (0.6, 0.9), (0.35, 1.0),
           (0.08, 0.9), (0.1, 0.65), (0.35, 0.47), (0.55, 0.3), (0.56, 0.12)]]],
        [[_ellipse(0.33, 0.24, 0.22, 0.24, 90, 360, 12)], [_ellipse(0.33, 0.73, 0.3, 0.27, 90, 360, 12)]],
    ],
    9: [
        [[[(0.55, 0.2), (0.35, 0.02), (0.1, 0.12), (0.08, 0.35), (0.3, 0.48), (0.55, 0.35), (0.58, 0.12)],
          [(0.58, 0.12), (0.55, 1.0)]]],
        [[[(0.55, 0.2), (0.35, 0.02), (0.1, 0.12), (0.08, 0.35), (0.3, 0.48), (0.55, 0.35), (0.58, 0.15)],
          [(0.58, 0.15), (0.55, 0.6), (0.4, 0.95), (0.15, 1.0)]]],
    ],
}


# A second, disjoint family for training (never used by the test set): other hands drawn with
# other control points, and some styles the test family lacks (a Z-like 2, a 4 with a tall
# stem, a 9 with a hooked tail...). Training on it teaches styles MNIST's American writers rarely
# use (flagged 1s, crossed 7s) without ever showing the model a test template.
TRAIN_TEMPLATES: dict[int, list] = {
    0: [
        [[_ellipse(0.3, 0.5, 0.27, 0.5, 100, -365, 14)]],
        [[[(0.45, 0.05), (0.2, 0.05), (0.05, 0.4), (0.1, 0.8), (0.3, 0.98), (0.52, 0.85), (0.6, 0.45), (0.5, 0.1),
           (0.3, 0.02)]]],
    ],
    1: [
        [[[(0.02, 0.3), (0.16, 0.16), (0.28, 0.0)], [(0.28, 0.0), (0.27, 1.0)]]],
        [[[(0.15, 0.12), (0.35, 0.0)], [(0.35, 0.0), (0.33, 1.0)]], [[(0.12, 0.98), (0.55, 0.99)]]],
        [[[(0.32, 0.0), (0.3, 0.5), (0.26, 1.0)]]],
        [[[(0.0, 0.4), (0.3, 0.0)], [(0.3, 0.0), (0.3, 1.0)]]],
    ],
    2: [
        [[[(0.0, 0.05), (0.55, 0.02)], [(0.55, 0.02), (0.05, 0.97)], [(0.05, 0.97), (0.62, 1.0)]]],
        [[[(0.08, 0.3), (0.12, 0.08), (0.35, 0.0), (0.55, 0.1), (0.52, 0.38), (0.25, 0.72), (0.05, 0.92), (0.3, 0.95),
           (0.6, 1.0)]]],
        [[[(0.0, 0.18), (0.3, 0.0), (0.6, 0.12), (0.55, 0.45), (0.05, 0.98)], [(0.05, 0.98), (0.62, 0.95)]]],
    ],
    3: [
        [[[(0.0, 0.15), (0.2, 0.0), (0.5, 0.05), (0.52, 0.28), (0.22, 0.5)],
          [(0.22, 0.5), (0.55, 0.58), (0.62, 0.82), (0.4, 1.0), (0.1, 0.97), (0.0, 0.85)]]],
        [[[(0.05, 0.08), (0.35, 0.0), (0.6, 0.18), (0.4, 0.46), (0.2, 0.5), (0.45, 0.52), (0.62, 0.75), (0.45, 0.97),
           (0.0, 0.92)]]],
    ],
    4: [
        [[[(0.3, 0.0), (0.0, 0.7)], [(0.0, 0.7), (0.65, 0.7)]], [[(0.45, 0.3), (0.45, 1.0)]]],
        [[[(0.08, 0.05), (0.08, 0.55)], [(0.08, 0.55), (0.6, 0.55)]], [[(0.5, 0.0), (0.5, 1.0)]]],
        [[[(0.55, 0.0), (0.0, 0.62)], [(0.0, 0.62), (0.6, 0.62)]], [[(0.55, 0.0), (0.5, 0.6), (0.48, 1.0)]]],
    ],
    5: [
        [[[(0.08, 0.02), (0.05, 0.5)], [(0.05, 0.5), (0.4, 0.42), (0.58, 0.65), (0.45, 0.95), (0.0, 0.95)]],
         [[(0.1, 0.02), (0.55, 0.05)]]],
        [[[(0.6, 0.02), (0.2, 0.0), (0.12, 0.15), (0.1, 0.4), (0.3, 0.38), (0.55, 0.5), (0.62, 0.72), (0.45, 0.95),
           (0.2, 1.0), (0.05, 0.88)]]],
    ],
    6: [
        [[[(0.5, 0.0), (0.15, 0.4), (0.05, 0.8), (0.3, 1.0), (0.55, 0.82), (0.45, 0.62), (0.2, 0.65), (0.08, 0.78)]]],
        [[[(0.6, 0.08), (0.4, 0.0), (0.15, 0.2), (0.05, 0.55), (0.1, 0.88), (0.35, 1.0), (0.58, 0.8), (0.5, 0.55),
           (0.25, 0.52), (0.1, 0.62)]]],
    ],
    7: [
        [[[(0.05, 0.05), (0.3, 0.0), (0.6, 0.02)], [(0.6, 0.02), (0.35, 0.55), (0.25, 1.0)]]],
        [[[(0.0, 0.02), (0.62, 0.0)], [(0.62, 0.0), (0.28, 1.0)]], [[(0.25, 0.45), (0.65, 0.42)]]],
        [[[(0.0, 0.0), (0.6, 0.0)], [(0.6, 0.0), (0.35, 1.0)]], [[(0.3, 0.55), (0.55, 0.52)]]],
    ],
    8: [
        [[[(0.1, 0.15), (0.3, 0.0), (0.55, 0.12), (0.5, 0.35), (0.3, 0.5), (0.08, 0.7), (0.15, 0.95), (0.4, 1.0),
           (0.6, 0.8), (0.5, 0.6), (0.3, 0.5), (0.12, 0.35), (0.1, 0.15)]]],
        [[[(0.35, 0.45), (0.1, 0.25), (0.25, 0.02), (0.5, 0.1), (0.45, 0.35), (0.3, 0.5), (0.05, 0.75), (0.3, 1.0),
           (0.6, 0.8), (0.45, 0.55), (0.3, 0.48)]]],
    ],
    9: [
        [[[(0.55, 0.15), (0.3, 0.0), (0.05, 0.2), (0.15, 0.42), (0.4, 0.4), (0.55, 0.2)],
          [(0.55, 0.2), (0.5, 1.0)]]],
        [[_ellipse(0.3, 0.25, 0.27, 0.24, 0, 360, 12)],
         [[(0.57, 0.25), (0.55, 0.7), (0.5, 0.92), (0.3, 1.0), (0.12, 0.9)]]],
        [[[(0.6, 0.05), (0.3, 0.0), (0.1, 0.2), (0.2, 0.45), (0.5, 0.35), (0.6, 0.05)], [(0.6, 0.05), (0.4, 1.0)]]],
    ],
}


@dataclass(frozen=True)
class Variation:
    """How far a drawing strays from its template (uniform in the ranges unless said otherwise).

    height: the digit's height on the canvas in px (log-uniform); aspect: width multiplier;
    slant: x shift per unit of height going up (0.35 is about 19 degrees); rotate: degrees;
    wobble: standard deviation of each control point's displacement, in digit heights;
    jitter: standard deviation of the pen's hand tremor in px; app_share: share of drawings
    made with the page's 18-px pen, the others use a width log-uniform in ``width``;
    max_width_ratio: the pen is at most this share of the digit's height (a thicker pen fills
    the loops, and people then draw larger); spacing: px between the points the mouse reports.
    """

    height: tuple[float, float] = (60.0, 250.0)
    aspect: tuple[float, float] = (0.75, 1.3)
    slant: float = 0.35
    rotate: float = 10.0
    wobble: float = 0.03
    jitter: float = 0.8
    app_share: float = 0.5
    width: tuple[float, float] = (5.0, 36.0)
    max_width_ratio: float = 0.25
    spacing: tuple[float, float] = (2.0, 8.0)


DEFAULT_VARIATION = Variation()
# Synthetic training digits vary more than the test set's (smaller, thinner and thicker pens, more slant and
# rotation), from their own seed: training on a wider spread makes the net robust, not fitted to the test's ranges.
TRAIN_VARIATION = Variation(height=(40.0, 260.0), slant=0.45, rotate=15.0, wobble=0.035, width=(3.0, 40.0), max_width_ratio=0.3)
TRAIN_SEED = 7_000_000


def _catmull_rom(points: np.ndarray, per_segment: int = 12) -> np.ndarray:
    """A smooth curve through points (k, 2) -> (m, 2): uniform Catmull-Rom, ends extended linearly."""
    if len(points) < 3:
        return points
    padded = np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None]
    parts = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        parts.append(0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (3 * p1 - p0 - 3 * p2 + p3) * t**3))
    parts.append(points[-1:])
    return np.vstack(parts)


def _densify(curve: np.ndarray, step: float) -> np.ndarray:
    """Points every ``step`` along a polyline (m, 2), both ends kept."""
    lengths = np.linalg.norm(np.diff(curve, axis=0), axis=1)
    along = np.concatenate([[0.0], np.cumsum(lengths)])
    n = max(2, int(np.ceil(along[-1] / step)) + 1)
    at = np.linspace(0.0, along[-1], n)
    return np.column_stack([np.interp(at, along, curve[:, 0]), np.interp(at, along, curve[:, 1])])


def _stroke_path(stroke: list, rng: np.random.Generator, wobble: float) -> tuple[np.ndarray, np.ndarray]:
    """One stroke's pieces, control points wobbled (shared corners move together), as a dense path.

    Returns points (m, 2) about 0.005 digit heights apart and a boolean mask (m,) of the corners
    and ends, which the pen must pass through."""
    path, corners = [], []
    corner = None
    for piece in stroke:
        pts = np.asarray(piece, dtype=np.float64) + rng.normal(0.0, wobble, (len(piece), 2))
        if corner is not None:
            pts[0] = corner  # the piece starts where the previous one ended
        corner = pts[-1]
        curve = _densify(_catmull_rom(pts), 0.005)
        mask = np.zeros(len(curve), dtype=bool)
        mask[[0, -1]] = True
        if path:
            curve, mask = curve[1:], mask[1:]
        path.append(curve)
        corners.append(mask)
    return np.vstack(path), np.concatenate(corners)


def _mouse_samples(path: np.ndarray, corners: np.ndarray, spacing: float) -> np.ndarray:
    """The points of a dense pixel path (m, 2) a mouse reports about every ``spacing`` px, corners and ends kept."""
    along = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    ticks = np.searchsorted(along, np.arange(0.0, along[-1], spacing))
    keep = np.zeros(len(path), dtype=bool)
    keep[ticks] = True
    keep |= corners
    return path[keep]


@dataclass(frozen=True)
class Drawing:
    """One synthetic drawing: the canvas picture (280, 280, 4) uint8 RGBA and how it was drawn.

    template: index into the digit's templates; width: pen width in px; height: the digit's
    height in px before any shrinking to fit the canvas; slant: x shift per unit of height;
    rotate: degrees.
    """

    digit: int
    picture: np.ndarray
    template: int
    width: float
    height: float
    slant: float
    rotate: float


def draw_digit(digit: int, rng: np.random.Generator, templates: dict[int, list] | None = None,
               variation: Variation = DEFAULT_VARIATION) -> np.ndarray:
    """One random drawing of ``digit`` from one of its templates (TEST_TEMPLATES by default).

    Returns the canvas picture (280, 280, 4) uint8 RGBA: white strokes on opaque black.
    """
    return sketch(digit, rng, templates, variation).picture


def sketch(digit: int, rng: np.random.Generator, templates: dict[int, list] | None = None,
           variation: Variation = DEFAULT_VARIATION) -> Drawing:
    """Like :func:`draw_digit`, also saying how the digit was drawn (a :class:`Drawing`)."""
    templates = TEST_TEMPLATES if templates is None else templates
    if digit not in templates:
        raise ValueError(f"No template for digit {digit!r}; digits are 0-9.")
    v = variation
    which = int(rng.integers(len(templates[digit])))
    strokes = [_stroke_path(stroke, rng, v.wobble) for stroke in templates[digit][which]]
    paths, corners = [p for p, _ in strokes], [c for _, c in strokes]

    if rng.random() < v.app_share:
        width = float(APP_STROKE)
    else:
        width = float(np.exp(rng.uniform(np.log(v.width[0]), np.log(v.width[1]))))
    low = max(v.height[0], width / v.max_width_ratio)
    height = float(np.exp(rng.uniform(np.log(low), np.log(max(low, v.height[1])))))
    aspect = rng.uniform(*v.aspect)
    slant = rng.uniform(-v.slant, v.slant)
    degrees = rng.uniform(-v.rotate, v.rotate)
    angle = np.deg2rad(degrees)
    # Unit box -> pixels: aspect and size, slant about the middle height, then rotation.
    linear = np.array([[aspect, -slant], [0.0, 1.0]]) * height
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    linear = rotation @ linear
    paths = [(p - [0.0, 0.5]) @ linear.T for p in paths]
    every = np.vstack(paths)
    lo, hi = every.min(axis=0) - width / 2, every.max(axis=0) + width / 2
    span = hi - lo
    margin = 4.0
    if span.max() > CANVAS - 2 * margin:  # too large after slant and rotation: shrink to fit
        shrink = (CANVAS - 2 * margin - width) / (span.max() - width)
        paths = [p * shrink for p in paths]
        every = np.vstack(paths)
        lo, hi = every.min(axis=0) - width / 2, every.max(axis=0) + width / 2
        span = hi - lo
    offset = np.array([rng.uniform(margin, max(margin, CANVAS - margin - span[i])) for i in range(2)]) - lo

    picture = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 255))
    pen = ImageDraw.Draw(picture)
    for path, corner in zip(paths, corners):
        # The mouse reports the path every few pixels (faster hands, farther apart), with a little tremor.
        points = _mouse_samples(path + offset, corner, rng.uniform(*v.spacing))
        points = points + rng.normal(0.0, v.jitter, points.shape)
        xy = [tuple(p) for p in points]
        pen.line(xy, fill=(255, 255, 255, 255), width=round(width), joint="curve")
        r = width / 2  # round pen ends, as the canvas draws them
        for x, y in (xy[0], xy[-1]):
            pen.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 255))
    return Drawing(digit, np.asarray(picture), which, width, height, float(slant), float(degrees))


def canvas_drawings(n_per_class: int, seed: int = TEST_SEED, templates: dict[int, list] | None = None,
                    variation: Variation = DEFAULT_VARIATION) -> Iterator[Drawing]:
    """n_per_class drawings of every digit, in the order 0, 1, ..., 9, 0, 1, ...; the same seed gives the same ones."""
    rng = np.random.default_rng(seed)
    for _ in range(n_per_class):
        for digit in range(10):
            yield sketch(digit, rng, templates, variation)


def canvas_digit_set(n_per_class: int, seed: int = TEST_SEED, templates: dict[int, list] | None = None,
                     variation: Variation = DEFAULT_VARIATION) -> tuple[np.ndarray, np.ndarray]:
    """n_per_class drawings of every digit 0-9, each through ``preprocess_digit`` as the page reads it.

    Returns images (10 * n_per_class, 28, 28) float32 in [0, 1] and labels (10 * n_per_class,) int64,
    in the order 0, 1, ..., 9, 0, 1, ... The same seed gives the same set.
    """
    labels = np.tile(np.arange(10, dtype=np.int64), n_per_class)
    images = np.empty((len(labels), 28, 28), dtype=np.float32)
    for i, drawing in enumerate(canvas_drawings(n_per_class, seed, templates, variation)):
        images[i] = preprocess_digit(drawing.picture)
    return images, labels
