"""The decision map: the network's output over the input plane with the data on top.

Two drawings of the same view, side by side: ``map_figure`` (plotly, when paused: axes,
zoom and hover) and ``map_png`` with ``points_png`` over it (while playing: a training worker
redraws the map for every refresh, and swapping an image costs the browser a few milliseconds
where re-mounting a plotly figure cost ~150 ms of main thread). Both take their colours from ``decision_map_indexed``
and ``colors``, so pausing changes nothing on the map. Arrays in, figures or bytes out.

The paused map travels as one small palette PNG under the points (a few KB), not a heatmap;
all points of one kind share one trace; figures skip plotly's validation (``make_figure``).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from playground.i18n import translate

from . import colors
from .colors import DIVERGING_PALETTE, NEUTRAL, class_colors, class_palette, diverging_colorscale
from .encoding import base_layout, image_bytes, make_figure, png_bytes, png_data_uri, typed


def _points_2d(x) -> np.ndarray:
    """x: (n, 2), (n, 1) or None -> (n, 2) float32 (a single column is drawn at x2 = 0)."""
    if x is None:
        return np.zeros((0, 2), np.float32)
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.shape[1] == 1:
        x = np.column_stack([x[:, 0], np.zeros(len(x), np.float32)])
    return x[:, :2]


def _class_probabilities(values: np.ndarray, n_classes: int) -> np.ndarray:
    """values: (res, res, k) probabilities, or (res, res) P(class 1) for two classes -> (res, res, k)."""
    values = np.asarray(values, dtype=np.float32)
    if values.ndim == 2:
        p1 = np.clip(np.nan_to_num(values), 0.0, 1.0)
        return np.stack([1.0 - p1, p1], axis=-1) if n_classes >= 2 else p1[..., None]
    if values.ndim != 3:
        raise ValueError(f"Decision-map values must be (res, res, n_classes) probabilities, got shape {values.shape}.")
    return values


def value_scale(values=None, targets=None) -> float:
    """Half-width of the diverging map for regression: the largest |target| (so map and
    points share one scale), else the largest |value|; 1 when everything is 0 or missing."""
    for arr in (targets, values):
        if arr is not None:
            a = np.asarray(arr, dtype=np.float64)
            a = a[np.isfinite(a)]
            if a.size and np.abs(a).max() > 0:
                return float(np.abs(a).max())
    return 1.0


def decision_map_indexed(values, task: str, n_classes: int = 2, discretize: bool = False,
                         scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The decision map as palette indices: values (res, res, k) or (res, res) ->
    (indices (res, res) uint8, palette (n <= 256, 3) uint8), flipped so row 0 is the top
    (ymax). Rows of ``values`` run along y from ymin, as ``core.trainer.grid_inputs`` makes them.
    """
    if task == "regression":
        v = np.asarray(values, dtype=np.float32)
        if v.ndim == 3:
            v = v[..., 0]
        index = colors.values_to_index(v, value_scale(v) if scale is None else scale, discretize)
        palette = DIVERGING_PALETTE
    else:
        probs = _class_probabilities(values, n_classes)
        index = colors.probabilities_to_index(probs, discretize)
        palette = class_palette(probs.shape[-1])
    return index[::-1], palette


def decision_map_rgb(values, task: str, n_classes: int = 2, discretize: bool = False,
                     scale: float | None = None) -> np.ndarray:
    """The decision map as an image: values (res, res, k) or (res, res) -> RGB (res, res, 3)
    uint8, row 0 at the top (ymax). See ``decision_map_indexed``."""
    index, palette = decision_map_indexed(values, task, n_classes, discretize, scale)
    return palette[index]


def _class_colorscale(n_classes: int) -> list[list]:
    """A colorscale mapping the integers 0..k-1 (with cmin=0, cmax=max(k-1, 1)) to the class colours."""
    colors = class_colors(max(n_classes, 1))
    if len(colors) == 1:
        return [[0.0, colors[0]], [1.0, colors[0]]]
    return [[i / (len(colors) - 1), c] for i, c in enumerate(colors)]


def _class_point_trace(x, y, n_classes: int, test: bool, size: int, lang: str = "en") -> dict | None:
    """All points of one kind (train or test) in ONE trace, coloured per point by class
    (plotly spends ~0.3 ms per trace, so not one trace per class)."""
    labels = np.nan_to_num(np.asarray(y, dtype=np.float64).ravel(), nan=-1)
    keep = (labels >= 0) & (labels < max(n_classes, 1))
    if not keep.any():
        return None
    kind = "test" if test else "train"
    return {
        "type": "scatter",
        "mode": "markers",
        "x": typed(x[keep, 0]),
        "y": typed(x[keep, 1]),
        "name": f"{kind} points",
        "marker": {
            "color": typed(labels[keep], "u1"),
            "colorscale": _class_colorscale(n_classes),
            "cmin": 0,
            "cmax": max(n_classes - 1, 1),
            "size": size,
            "line": {"color": colors.TEST_OUTLINE if test else colors.TRAIN_OUTLINE, "width": 1.2 if test else 1},
        },
        # TRANSLATORS: hover labels of the data points on the decision map.
        "hovertemplate": (translate("test, class {label}", lang, label="%{marker.color}") if test else
                          translate("train, class {label}", lang, label="%{marker.color}"))
        + "<br>x1=%{x:.2f}, x2=%{y:.2f}<extra></extra>",
    }


def _class_legend(n_classes: int, lang: str = "en") -> dict:
    """One annotation listing the class colours (cheaper than a legend entry per class)."""
    items = "  ".join(f'<span style="color:{c}">●</span> ' + translate("class {label}", lang, label=i)
                      for i, c in enumerate(class_colors(n_classes)))
    test = translate("test", lang)
    return {"text": items + f'  <span style="color:#111">○</span> {test}', "xref": "paper", "yref": "paper", "x": 0.5,
            "y": 0, "yshift": -22, "xanchor": "center", "yanchor": "top", "showarrow": False, "font": {"size": 11}}


def _value_point_trace(x, y, scale: float, test: bool, size: int, lang: str = "en") -> dict:
    kind = "test" if test else "train"
    name = translate("test", lang) if test else translate("train", lang)
    # TRANSLATORS: a regression point's target value, in its hover label.
    target = translate("target", lang)
    return {
        "type": "scatter",
        "mode": "markers",
        "x": typed(x[:, 0]),
        "y": typed(x[:, 1]),
        "name": f"{kind} points",
        "marker": {
            "color": typed(y),
            "colorscale": diverging_colorscale(),
            "cmin": -scale,
            "cmax": scale,
            "size": size,
            "line": {"color": colors.TEST_OUTLINE if test else colors.TRAIN_OUTLINE, "width": 1.2 if test else 1},
            "showscale": not test,
            # TRANSLATORS: the colour bar's title (a regression value).
            "colorbar": {"thickness": 10, "len": 0.8, "title": {"text": translate("value", lang), "side": "right"}},
        },
        "hovertemplate": f"{name}<br>x1=%{{x:.2f}}, x2=%{{y:.2f}}<br>{target}=%{{marker.color:.3f}}<extra></extra>",
    }


def map_figure(
    values,
    extent,
    task: str,
    n_classes: int,
    x_train,
    y_train,
    x_test=None,
    y_test=None,
    discretize: bool = False,
    show_test: bool = True,
    height: int = 420,
    point_size: int = 6,
    scale: float | None = None,
    lang: str = "en",
) -> go.Figure:
    """The network's output over the input plane with the data on top.

    values: (res, res, n_classes) class probabilities (classification; (res, res) is read
    as P(class 1)) or (res, res) predictions (regression), rows along y as from
    ``core.trainer.grid_inputs(extent, res)``. extent: (xmin, xmax, ymin, ymax).
    x_*: (n, 2) points, y_*: (n,) labels or targets. Classification: the likeliest class's
    colour shaded by confidence; regression: a diverging orange-grey-blue map over
    [-scale, scale] (default: the largest |training target|). ``discretize`` shows hard
    class colours (regression: the sign). Train points are filled with a white rim, test
    points outlined in black (as TF Playground); ``show_test=False`` leaves the test points
    out. Below the map, a line names the class colours when there are more than two.

    The map travels as one small PNG layout image (a few KB), not a heatmap. Hover labels and
    the class legend in ``lang``.
    """
    xmin, xmax, ymin, ymax = (float(v) for v in extent)
    regression = task == "regression"
    if regression and scale is None:
        scale = value_scale(values, y_train)
    index, palette = decision_map_indexed(values, task, n_classes, discretize, scale)
    rows, cols = index.shape[:2]
    # grid_inputs samples the edges themselves: each pixel is centred on its sample.
    dx = (xmax - xmin) / max(cols - 1, 1)
    dy = (ymax - ymin) / max(rows - 1, 1)
    image = {
        "source": png_data_uri(index, palette),
        "xref": "x",
        "yref": "y",
        "x": xmin - dx / 2,
        "y": ymax + dy / 2,
        "sizex": xmax - xmin + dx,
        "sizey": ymax - ymin + dy,
        "sizing": "stretch",
        "layer": "below",
    }
    traces: list[dict] = []
    xtr = _points_2d(x_train)
    xte = _points_2d(x_test) if show_test and x_test is not None and y_test is not None else None
    if regression:
        if len(xtr):
            traces.append(_value_point_trace(xtr, y_train, scale, False, point_size, lang))
        if xte is not None and len(xte):
            traces.append(_value_point_trace(xte, y_test, scale, True, point_size, lang))
    else:
        for x, y, test in ((xtr, y_train, False), (xte, y_test, True)):
            trace = _class_point_trace(x, y, n_classes, test, point_size, lang) if x is not None and len(x) else None
            if trace is not None:
                traces.append(trace)
    axis = {"showgrid": False, "zeroline": False, "ticks": "outside", "mirror": True, "linecolor": "#bbb",
            "constrain": "domain"}
    layout = base_layout(
        height,
        images=[image],
        xaxis={**axis, "range": [xmin, xmax]},
        yaxis={**axis, "range": [ymin, ymax], "scaleanchor": "x", "scaleratio": 1},
        plot_bgcolor=NEUTRAL,
        showlegend=False,
        annotations=[_class_legend(n_classes, lang)] if not regression and n_classes > 2 else [],
        # pad 0: Streamlit's theme pads 8 px between plot and axes, a grey band around the map.
        margin={"l": 35, "r": 10, "t": 10, "b": 50 if not regression and n_classes > 2 else 30, "pad": 0},
    )
    return make_figure(traces, layout)


# ---- the live drawing ----------------------------------------------------------------------------
def map_png(values, task: str, n_classes: int, discretize: bool = False, scale: float | None = None) -> bytes:
    """The live map itself: values (res, res, k) probabilities or (res, res) predictions, rows
    along y from ymin -> a res×res palette PNG (a few KB), row 0 at the top. The browser scales it
    up smoothly, as TF Playground scales its 100×100 canvas, and ``points_png`` lies on top:
    resizing and compositing 400 px here cost more than the rest of a frame (measured)."""
    if task == "regression" and scale is None:
        scale = value_scale(values)
    index, palette = decision_map_indexed(values, task, n_classes, discretize, scale)
    return png_bytes(index, palette)


def points_png(extent, task: str, n_classes: int, x_train, y_train, x_test=None, y_test=None, show_test: bool = True,
               size: int = 400, radius: float = 3.5, scale: float | None = None) -> bytes:
    """The data points as a transparent size×size PNG to lay over the map: extent (xmin, xmax,
    ymin, ymax); x_*: (n, 2) points, y_*: (n,) labels or targets; train points with a white rim,
    test points (when ``show_test``) with a black one. Drawn and encoded once per data set (the
    points do not move while training plays)."""
    regression = task == "regression"
    if regression and scale is None:
        scale = value_scale(None, y_train)
    arrays = [np.ascontiguousarray(a) for a in (x_train, y_train)]
    if show_test and x_test is not None and len(x_test):
        arrays += [np.ascontiguousarray(a) for a in (x_test, y_test)]
    key = (tuple((a.dtype.str, a.shape, a.tobytes()) for a in arrays), tuple(float(v) for v in extent), regression,
           scale, n_classes, size, radius)
    return _points_overlay(key, *arrays)


_OVERLAYS: dict = {}  # points layers by data set (a few; a dict shared by the sessions' threads)


def _points_overlay(key, *arrays) -> bytes:
    """The data points as a transparent PNG, drawn once per data set. The key holds the arrays' bytes."""
    overlay = _OVERLAYS.get(key)
    if overlay is None:
        overlay = image_bytes(_draw_points(key[1:], *arrays))
        if len(_OVERLAYS) >= 16:
            _OVERLAYS.clear()
        _OVERLAYS[key] = overlay
    return overlay


def _draw_points(settings, *arrays) -> Image.Image:
    extent, regression, scale, n_classes, size, radius = settings
    overlay = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    sets = [(arrays[0], arrays[1], colors.rgb(colors.TRAIN_OUTLINE))]
    if len(arrays) > 2:
        sets.append((arrays[2], arrays[3], colors.rgb(colors.TEST_OUTLINE)))
    palette = [colors.rgb(c) for c in class_colors(max(n_classes, 2))]
    xmin, xmax, ymin, ymax = extent
    for x, y, outline in sets:
        x = np.asarray(x, dtype=np.float64)
        px = (x[:, 0] - xmin) / (xmax - xmin) * (size - 1)
        py = (ymax - x[:, 1]) / (ymax - ymin) * (size - 1)
        if regression:
            fills = colors.values_to_rgb(np.asarray(y, dtype=np.float32), scale)
            fills = [tuple(int(c) for c in f) for f in np.asarray(fills).reshape(-1, 3)]
        else:
            fills = [palette[int(label) % len(palette)] for label in y]
        for cx, cy, fill in zip(px.tolist(), py.tolist(), fills):
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(*fill, 255), outline=(*outline, 255))
    return overlay
