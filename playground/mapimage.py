"""The decision map with its data points as one small image, for the live view.

While training plays, the map is redrawn about ten times a second. A plotly figure is
rebuilt and re-mounted by the browser on every change; an ``st.image`` of a small JPEG is
swapped in place, which keeps the browser's share of each refresh small. The colours come
from the chart builders (``charts.decision_map_rgb``), so this view and the plotly figure
(used when paused, with axes and hover) look the same. Pure: arrays in, PNG bytes out.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from playground import charts

TRAIN_OUTLINE = (255, 255, 255)
TEST_OUTLINE = (17, 17, 17)


def map_jpeg(values, extent, task: str, n_classes: int, x_train, y_train, x_test=None, y_test=None,
            discretize: bool = False, show_test: bool = True, size: int = 400, radius: float = 3.5) -> bytes:
    """values: (res, res, k) probabilities or (res, res) predictions, rows along y from ymin;
    extent: (xmin, xmax, ymin, ymax); x_*: (n, 2) points, y_*: (n,) labels or targets.
    Returns a size×size JPEG: the map smoothly upscaled, train points with a white rim, test
    points (when ``show_test``) with a black one."""
    regression = task == "regression"
    scale = charts.value_scale(values, y_train) if regression else None
    rgb = charts.decision_map_rgb(values, task, n_classes, discretize, scale)
    image = Image.fromarray(np.ascontiguousarray(rgb)).resize((size, size), Image.BILINEAR)
    draw = ImageDraw.Draw(image)
    sets = [(x_train, y_train, TRAIN_OUTLINE)]
    if show_test and x_test is not None and len(x_test):
        sets.append((x_test, y_test, TEST_OUTLINE))
    palette = [_rgb(c) for c in charts.class_colors(max(n_classes, 2))]
    xmin, xmax, ymin, ymax = (float(v) for v in extent)
    for x, y, outline in sets:
        x = np.asarray(x, dtype=np.float64)
        px = (x[:, 0] - xmin) / (xmax - xmin) * (size - 1)
        py = (ymax - x[:, 1]) / (ymax - ymin) * (size - 1)
        if regression:
            fills = charts.values_to_rgb(np.asarray(y, dtype=np.float32), scale)
            fills = [tuple(int(c) for c in f) for f in np.asarray(fills).reshape(-1, 3)]
        else:
            fills = [palette[int(label) % len(palette)] for label in y]
        for cx, cy, fill in zip(px.tolist(), py.tolist(), fills):
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill, outline=outline)
    buffer = io.BytesIO()
    # JPEG: ~25 KB at 400 px in ~1 ms; PNG of the smooth shading is twice the size and 30× slower.
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))
