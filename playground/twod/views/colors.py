"""Every colour of the 2D page's views, defined once for the paused (plotly) and the live
(Pillow) drawings: TF Playground's palette, the class colours with confidence shading, a
diverging value map, one colour per layer, the points' outlines and the images' greys.

Arrays in, uint8 RGB arrays or hex strings out (NumPy only).
"""

from __future__ import annotations

import numpy as np

# TF Playground's colours: orange for the negative class / values, blue for the positive,
# a light grey in between (its heat map's colour scale: #f59322, #e8eaeb, #0877bd).
ORANGE = "#f59322"
BLUE = "#0877bd"
NEUTRAL = "#e8eaeb"
# Distinct colours for up to 8 classes, starting with TF's orange and blue.
PALETTE = (ORANGE, BLUE, "#2ca02c", "#9467bd", "#d62728", "#17becf", "#8c564b", "#e377c2")
MAX_CLASSES = len(PALETTE)
# One colour per layer (input side first) in the gradient/weight charts, paused and live alike.
LAYER_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
# TF Playground: training points have a white rim, test points a black one.
TRAIN_OUTLINE = "#ffffff"
TEST_OUTLINE = "#111111"
# The loss and accuracy curves: train dark grey, test orange-red.
TRAIN_CURVE, TEST_CURVE = "#444444", "#e4572e"
INK = "#3c3c3c"  # text in the images
GRID = "#ebebeb"  # grid lines and frames in the images

# Shades per class in the decision map's colour table (confidence quantised to this many steps).
CONFIDENCE_LEVELS = 32
# The diverging value map is quantised to this many colours (plenty for the eye, one uint8 index).
VALUE_LEVELS = 255
# TF Playground paints its maps at alpha 160/255 over white, so the full-colour points stand
# out on them; the maps here are pre-blended the same way.
MAP_ALPHA = 160 / 255


def class_colors(n_classes: int) -> list[str]:
    """TF-Playground-like class colours as hex strings: orange/blue for 2, distinct up to 8.

    More than 8 classes cycle through the palette; fewer than 1 gives an empty list.
    """
    n = max(int(n_classes), 0)
    return [PALETTE[i % MAX_CLASSES] for i in range(n)]


def hex_to_rgb(color: str) -> np.ndarray:
    """'#rrggbb' -> (3,) float array of 0..255."""
    c = color.lstrip("#")
    return np.array([int(c[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)


def rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' -> (r, g, b) ints, as Pillow draws with them."""
    return tuple(int(v) for v in hex_to_rgb(color))


def rgb_to_hex(rgb) -> str:
    r, g, b = (int(round(float(v))) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def on_white(rgb, alpha: float = MAP_ALPHA) -> np.ndarray:
    """Colours (..., 3) as they look painted at ``alpha`` over white, as uint8."""
    return np.rint(alpha * np.asarray(rgb, dtype=np.float64) + (1.0 - alpha) * 255.0).astype(np.uint8)


def map_colors(n_classes: int) -> list[str]:
    """The colour each class fills the decision map with when the net is sure (and with
    "discretize"): its class colour at the maps' alpha over white."""
    return [rgb_to_hex(on_white(hex_to_rgb(c))) for c in class_colors(n_classes)]


def class_color_table(n_classes: int, levels: int = CONFIDENCE_LEVELS, alpha: float = MAP_ALPHA) -> np.ndarray:
    """Colour table (n_classes * levels, 3) uint8: row c * levels + j is class c's colour
    blended from the neutral grey (j = 0, no confidence) to the full class colour
    (j = levels - 1, fully confident), then painted at ``alpha`` over white."""
    neutral = hex_to_rgb(NEUTRAL)
    t = np.linspace(0.0, 1.0, levels)[:, None]
    rows = [neutral + t * (hex_to_rgb(c) - neutral) for c in class_colors(max(n_classes, 1))]
    return on_white(np.concatenate(rows), alpha)


def diverging_table(levels: int = VALUE_LEVELS, alpha: float = 1.0) -> np.ndarray:
    """Colour table (levels, 3) uint8 from orange (-1) through grey (0) to blue (+1)."""
    t = np.linspace(-1.0, 1.0, levels)[:, None]
    neutral, orange, blue = hex_to_rgb(NEUTRAL), hex_to_rgb(ORANGE), hex_to_rgb(BLUE)
    rgb = np.where(t < 0, neutral + (-t) * (orange - neutral), neutral + t * (blue - neutral))
    return on_white(rgb, alpha)


_DIVERGING = diverging_table()  # full colours, for points
DIVERGING_PALETTE = diverging_table(alpha=MAP_ALPHA)  # as painted in maps: 255 colours
_CLASS_TABLES: dict[int, np.ndarray] = {}


def _class_table(n_classes: int) -> np.ndarray:
    table = _CLASS_TABLES.get(n_classes)
    if table is None:
        table = _CLASS_TABLES[n_classes] = class_color_table(n_classes)
    return table


def diverging_colorscale(n: int = 11) -> list[list]:
    """The diverging map in full colour as a plotly colorscale (value-coloured points, colour bars)."""
    idx = np.rint(np.linspace(0, VALUE_LEVELS - 1, n)).astype(int)
    return [[float(i) / (n - 1), rgb_to_hex(_DIVERGING[k])] for i, k in enumerate(idx)]


def class_palette(n_classes: int) -> np.ndarray:
    """The decision map's colour table for k classes: (k * CONFIDENCE_LEVELS, 3) uint8, at
    most 256 rows for up to 8 classes, so a map fits an 8-bit palette PNG."""
    return _class_table(max(int(n_classes), 1))


def probabilities_to_index(probs: np.ndarray, discretize: bool = False) -> np.ndarray:
    """Class probabilities (..., k) -> indices (...) into ``class_palette(k)`` (uint8 when k <= 8).

    The colour is the most likely class's, shaded by confidence: from grey at chance
    (max probability 1/k) to the class's map colour at certainty. ``discretize`` paints
    every cell in its class's map colour. NaN counts as 0.
    """
    probs = np.asarray(probs, dtype=np.float32)
    if not np.isfinite(probs).all():
        probs = np.nan_to_num(probs, nan=0.0, posinf=1.0, neginf=0.0)
    k = probs.shape[-1]
    winner = probs.argmax(axis=-1)
    levels = CONFIDENCE_LEVELS
    if discretize or k < 2:
        index = winner * levels + (levels - 1)
    else:
        top = probs.max(axis=-1)
        # (top - 1/k) / (1 - 1/k) in [0, 1], scaled to the levels and rounded.
        level = (top - 1.0 / k) * ((levels - 1) * k / (k - 1.0)) + 0.5
        np.clip(level, 0, levels - 1, out=level)
        index = winner * levels + level.astype(np.intp)
    return index.astype(np.uint8 if k * levels <= 256 else np.intp)


def probabilities_to_rgb(probs: np.ndarray, discretize: bool = False) -> np.ndarray:
    """Class probabilities (..., k) -> map colours RGB (..., 3) uint8 (see probabilities_to_index)."""
    k = np.shape(probs)[-1]
    return class_palette(k)[probabilities_to_index(probs, discretize)]


def values_to_index(values: np.ndarray, scale: float, discretize: bool = False) -> np.ndarray:
    """Values (...) -> uint8 indices into ``DIVERGING_PALETTE`` over [-scale, scale].

    ``discretize`` keeps only the sign: orange for negative, blue for positive. NaN is grey.
    """
    v = np.asarray(values, dtype=np.float32)
    if not np.isfinite(v).all():
        v = np.nan_to_num(v, nan=0.0, posinf=np.float32(scale), neginf=-np.float32(scale))
    scale = float(scale) if np.isfinite(scale) and scale > 0 else 1.0
    if discretize:
        v = np.sign(v)
        scale = 1.0
    t = v * (0.5 * (VALUE_LEVELS - 1) / scale)
    t += 0.5 * (VALUE_LEVELS - 1) + 0.5
    np.clip(t, 0, VALUE_LEVELS - 1, out=t)
    return t.astype(np.uint8)


def values_to_rgb(values: np.ndarray, scale: float, discretize: bool = False, on_map: bool = True) -> np.ndarray:
    """Values (...) -> RGB (..., 3) uint8 on the diverging map (see values_to_index): as
    painted on maps, or with ``on_map=False`` in full colour (for points drawn on a map)."""
    return (DIVERGING_PALETTE if on_map else _DIVERGING)[values_to_index(values, scale, discretize)]
