"""The curve fit, for data with one input (the 1-D regression set): the data points and the
network's curve through them, in the place of the decision map.

``fit_figure`` (plotly, paused) and ``fit_png`` (Pillow, while playing) side by side, with the
same colours: train points filled blue, test points outlined orange, the fit a dark line. The
figure's legend is in the ``lang`` the caller passes; the image shows numbers only.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from playground.i18n import translate

from . import colors
from .encoding import base_layout, image_bytes, make_figure, typed
from .labels import label

FIT_COLOR = "#222222"


def fit_figure(x_train, y_train, x_grid, y_pred, x_test=None, y_test=None, height: int = 380,
               point_size: int = 6, lang: str = "en") -> go.Figure:
    """1-D regression: data points and the network's fitted curve.

    x_train: (n,) or (n, 1), y_train: (n,); x_grid: (m,) or (m, 1) sorted, y_pred: (m,) or
    (m, 1) predictions there. Train points filled, test points outlined.
    """
    traces = []
    xg, yp = np.asarray(x_grid, np.float32).ravel(), np.asarray(y_pred, np.float32).ravel()
    order = np.argsort(xg, kind="stable")
    if x_train is not None and len(np.asarray(x_train)):
        traces.append({
            "type": "scatter", "mode": "markers", "x": typed(x_train), "y": typed(y_train),
            "name": translate("train", lang),
            "marker": {"color": colors.BLUE, "size": point_size, "opacity": 0.8,
                       "line": {"color": colors.TRAIN_OUTLINE, "width": 1}},
        })
    if x_test is not None and y_test is not None and len(np.asarray(x_test)):
        traces.append({
            "type": "scatter", "mode": "markers", "x": typed(x_test), "y": typed(y_test),
            "name": translate("test", lang),
            "marker": {"color": "rgba(0,0,0,0)", "size": point_size, "line": {"color": colors.ORANGE, "width": 1.5}},
        })
    traces.append({
        "type": "scatter", "mode": "lines", "x": typed(xg[order]), "y": typed(yp[order]),
        # TRANSLATORS: the curve fitted by the network, in the 1-D chart's legend.
        "name": translate("network", lang),
        "line": {"color": FIT_COLOR, "width": 2.5},
    })
    layout = base_layout(
        height,
        xaxis={"title": {"text": "x"}, "gridcolor": "#eee", "zeroline": False},
        yaxis={"title": {"text": "y"}, "gridcolor": "#eee", "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    return make_figure(traces, layout)


# ---- the live drawing ----------------------------------------------------------------------------
def fit_png(x_train, y_train, x_grid, y_pred, x_test=None, y_test=None, size: int = 400) -> bytes:
    """1-D regression as one small image (the live stand-in for ``fit_figure``):
    x_*: (n,) inputs, y_*: (n,) targets; x_grid: (m,) sorted inputs, y_pred: (m,) the network's
    predictions there. Train points filled, test points outlined, the fit as a dark line."""
    image = Image.new("P", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 40, size - 8, 8, size - 20
    x_train, y_train = np.ravel(x_train).astype(np.float64), np.ravel(y_train).astype(np.float64)
    xg, yp = np.ravel(x_grid).astype(np.float64), np.nan_to_num(np.ravel(y_pred).astype(np.float64))
    tests = x_test is not None and y_test is not None and len(np.ravel(x_test))
    xs = [x_train, xg, *([np.ravel(x_test).astype(np.float64)] if tests else [])]
    ys = [y_train, *([np.ravel(y_test).astype(np.float64)] if tests else [])]
    x_lo, x_hi = min(float(v.min()) for v in xs if v.size), max(float(v.max()) for v in xs if v.size)
    y_data = np.concatenate(ys)
    # The data set the vertical range (with a margin); a wild fit is clipped at the edges, not rescaled.
    y_lo, y_hi = float(y_data.min()), float(y_data.max())
    pad = max(y_hi - y_lo, 1e-6) * 0.15
    y_lo, y_hi = y_lo - pad, y_hi + pad
    x_hi = x_hi if x_hi > x_lo else x_lo + 1

    def px(x, y):
        return (left + (np.asarray(x) - x_lo) / (x_hi - x_lo) * (right - left),
                bottom - (np.clip(y, y_lo, y_hi) - y_lo) / (y_hi - y_lo) * (bottom - top))

    blue, orange, ink, grid = (colors.rgb(c) for c in (colors.BLUE, colors.ORANGE, colors.INK, colors.GRID))
    draw.rectangle((left, top, right, bottom), outline=grid)
    for frac in (0.25, 0.5, 0.75):
        y = bottom - frac * (bottom - top)
        draw.line((left, y, right, y), fill=grid)
    label(draw, (2, top + 10), f"{y_hi:.2g}", ink)
    label(draw, (2, bottom), f"{y_lo:.2g}", ink)
    label(draw, (left, bottom + 15), f"{x_lo:.2g}", ink)
    label(draw, (right, bottom + 15), f"{x_hi:.2g}", ink, anchor="rs")
    for x, y in zip(*px(x_train, y_train)):
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=blue)
    if tests:
        for x, y in zip(*px(np.ravel(x_test), np.ravel(y_test))):
            draw.ellipse((x - 3, y - 3, x + 3, y + 3), outline=orange)
    order = np.argsort(xg, kind="stable")
    gx, gy = px(xg[order], yp[order])
    draw.line(list(zip(gx.tolist(), gy.tolist())), fill=colors.rgb(FIT_COLOR), width=3)
    return image_bytes(image)
