"""Pure figure builders for the playground: arrays in, plotly figures out (no Streamlit).

The page redraws these several times a second while a network trains, so each builder is
vectorised and keeps its build time and JSON payload small:

- the decision map is one 8-bit palette PNG (Pillow) placed as a layout image under the
  points, its colours looked up in a table (class colour shaded by confidence, or a
  diverging value map), instead of a 100×100 float heatmap;
- arrays go out pre-encoded as plotly typed arrays (float32, uint8 class indices, uint16
  epochs); all points of one kind share one trace; long histories are thinned;
- figures are assembled without plotly's per-property validation (``make_figure``; the
  tests validate every builder's output instead);
- the network view draws all links in a handful of filled traces and every neuron map in
  one PNG sprite (see ``charts_network``).

Contract with the page: ``class_colors``, ``decision_map_figure``, ``curve_fit_figure``,
``loss_figure``, ``gradient_figure``, ``network_figure``, ``neuron_maps``. Also here for
image views: ``decision_map_rgb`` / ``decision_map_png`` / ``decision_map_indexed``,
``values_to_rgb``, ``value_scale``, ``map_colors``. Colours and encoding live in
``charts_render``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from .charts_network import network_figure, neuron_maps
from .charts_render import (
    BLUE,
    DIVERGING_PALETTE,
    NEUTRAL,
    ORANGE,
    class_colors,
    class_palette,
    diverging_colorscale,
    make_figure,
    map_colors,
    png_bytes,
    png_data_uri,
    probabilities_to_index,
    probabilities_to_rgb,
    typed,
    values_to_index,
    values_to_rgb,
)

__all__ = [
    "class_colors",
    "curve_fit_figure",
    "decision_map_figure",
    "decision_map_indexed",
    "decision_map_png",
    "decision_map_rgb",
    "gradient_figure",
    "loss_figure",
    "map_colors",
    "network_figure",
    "neuron_maps",
    "probabilities_to_rgb",
    "value_scale",
    "values_to_rgb",
]

FONT = {"family": "Helvetica, Arial, sans-serif", "size": 12, "color": "#333"}
TRAIN_OUTLINE = "#ffffff"  # TF Playground: training points have a white rim ...
TEST_OUTLINE = "#111111"  # ... and test points a black one.
# Long histories are thinned to about this many points per line: the eye cannot tell more
# apart in a chart a few hundred pixels wide, and the payload stays small.
MAX_CURVE_POINTS = 400
LAYER_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def _base_layout(height: int, **extra) -> dict:
    layout = {
        "height": height,
        "margin": {"l": 50, "r": 20, "t": 30, "b": 40, "pad": 0},
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "uirevision": "keep",  # keep the user's zoom and hidden traces across redraws
    }
    layout.update(extra)
    return layout


def _f32(a) -> np.ndarray:
    """Float32 copy of a 1-D array: half the payload of float64, plenty for a chart."""
    return np.asarray(a, dtype=np.float32).ravel()


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
        index = values_to_index(v, value_scale(v) if scale is None else scale, discretize)
        palette = DIVERGING_PALETTE
    else:
        probs = _class_probabilities(values, n_classes)
        index = probabilities_to_index(probs, discretize)
        palette = class_palette(probs.shape[-1])
    return index[::-1], palette


def decision_map_rgb(values, task: str, n_classes: int = 2, discretize: bool = False,
                     scale: float | None = None) -> np.ndarray:
    """The decision map as an image: values (res, res, k) or (res, res) -> RGB (res, res, 3)
    uint8, row 0 at the top (ymax). See ``decision_map_indexed``."""
    index, palette = decision_map_indexed(values, task, n_classes, discretize, scale)
    return palette[index]


def decision_map_png(values, task: str, n_classes: int = 2, discretize: bool = False, scale: float | None = None) -> bytes:
    """The decision map alone as PNG bytes (e.g. for ``st.image``); see ``decision_map_rgb``."""
    index, palette = decision_map_indexed(values, task, n_classes, discretize, scale)
    return png_bytes(index, palette)


def _class_colorscale(n_classes: int) -> list[list]:
    """A colorscale mapping the integers 0..k-1 (with cmin=0, cmax=max(k-1, 1)) to the class colours."""
    colors = class_colors(max(n_classes, 1))
    if len(colors) == 1:
        return [[0.0, colors[0]], [1.0, colors[0]]]
    return [[i / (len(colors) - 1), c] for i, c in enumerate(colors)]


def _class_point_trace(x, y, n_classes: int, test: bool, size: int) -> dict | None:
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
            "line": {"color": TEST_OUTLINE if test else TRAIN_OUTLINE, "width": 1.2 if test else 1},
        },
        "hovertemplate": f"{kind}, class %{{marker.color}}<br>x1=%{{x:.2f}}, x2=%{{y:.2f}}<extra></extra>",
    }


def _class_legend(n_classes: int) -> dict:
    """One annotation listing the class colours (cheaper than a legend entry per class)."""
    items = "  ".join(f'<span style="color:{c}">●</span> class {i}' for i, c in enumerate(class_colors(n_classes)))
    return {"text": items + '  <span style="color:#111">○</span> test', "xref": "paper", "yref": "paper", "x": 0.5,
            "y": 0, "yshift": -22, "xanchor": "center", "yanchor": "top", "showarrow": False, "font": {"size": 11}}


def _value_point_trace(x, y, scale: float, test: bool, size: int) -> dict:
    kind = "test" if test else "train"
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
            "line": {"color": TEST_OUTLINE if test else TRAIN_OUTLINE, "width": 1.2 if test else 1},
            "showscale": not test,
            "colorbar": {"thickness": 10, "len": 0.8, "title": {"text": "value", "side": "right"}},
        },
        "hovertemplate": f"{kind}<br>x1=%{{x:.2f}}, x2=%{{y:.2f}}<br>target=%{{marker.color:.3f}}<extra></extra>",
    }


def decision_map_figure(
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

    The map travels as one small PNG layout image (a few KB), not a heatmap.
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
            traces.append(_value_point_trace(xtr, y_train, scale, False, point_size))
        if xte is not None and len(xte):
            traces.append(_value_point_trace(xte, y_test, scale, True, point_size))
    else:
        for x, y, test in ((xtr, y_train, False), (xte, y_test, True)):
            trace = _class_point_trace(x, y, n_classes, test, point_size) if x is not None and len(x) else None
            if trace is not None:
                traces.append(trace)
    axis = {"showgrid": False, "zeroline": False, "ticks": "outside", "mirror": True, "linecolor": "#bbb",
            "constrain": "domain"}
    layout = _base_layout(
        height,
        images=[image],
        xaxis={**axis, "range": [xmin, xmax]},
        yaxis={**axis, "range": [ymin, ymax], "scaleanchor": "x", "scaleratio": 1},
        plot_bgcolor=NEUTRAL,
        showlegend=False,
        annotations=[_class_legend(n_classes)] if not regression and n_classes > 2 else [],
        # pad 0: Streamlit's theme pads 8 px between plot and axes, a grey band around the map.
        margin={"l": 35, "r": 10, "t": 10, "b": 50 if not regression and n_classes > 2 else 30, "pad": 0},
    )
    return make_figure(traces, layout)


def _thin(n: int, max_points: int) -> np.ndarray | slice:
    """Indices keeping at most ~max_points of n, always the first and the last."""
    if n <= max_points:
        return slice(None)
    idx = np.unique(np.linspace(0, n - 1, max_points).round().astype(np.intp))
    return idx


def curve_fit_figure(x_train, y_train, x_grid, y_pred, x_test=None, y_test=None, height: int = 380,
                     point_size: int = 6) -> go.Figure:
    """1-D regression: data points and the network's fitted curve.

    x_train: (n,) or (n, 1), y_train: (n,); x_grid: (m,) or (m, 1) sorted, y_pred: (m,) or
    (m, 1) predictions there. Train points filled, test points outlined.
    """
    traces = []
    xg, yp = _f32(x_grid), _f32(y_pred)
    order = np.argsort(xg, kind="stable")
    if x_train is not None and len(np.asarray(x_train)):
        traces.append({
            "type": "scatter", "mode": "markers", "x": typed(x_train), "y": typed(y_train), "name": "train",
            "marker": {"color": BLUE, "size": point_size, "opacity": 0.8, "line": {"color": TRAIN_OUTLINE, "width": 1}},
        })
    if x_test is not None and y_test is not None and len(np.asarray(x_test)):
        traces.append({
            "type": "scatter", "mode": "markers", "x": typed(x_test), "y": typed(y_test), "name": "test",
            "marker": {"color": "rgba(0,0,0,0)", "size": point_size, "line": {"color": ORANGE, "width": 1.5}},
        })
    traces.append({
        "type": "scatter", "mode": "lines", "x": typed(xg[order]), "y": typed(yp[order]), "name": "network",
        "line": {"color": "#222", "width": 2.5},
    })
    layout = _base_layout(
        height,
        xaxis={"title": {"text": "x"}, "gridcolor": "#eee", "zeroline": False},
        yaxis={"title": {"text": "y"}, "gridcolor": "#eee", "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    return make_figure(traces, layout)


def typed_x(x: np.ndarray) -> dict:
    """Epochs for an x axis: as uint16 when they are whole numbers below 65536 (half the
    bytes of float32), else float32."""
    x = np.asarray(x)
    if x.size and np.isfinite(x).all() and x.min() >= 0 and x.max() < 65536 and np.all(x == np.round(x)):
        return typed(x, "u2")
    return typed(x)


def _series(epochs, values, max_points: int):
    """Aligned, thinned (x, y) float32 arrays, or None when the series is missing/empty."""
    if values is None:
        return None
    y = np.asarray(values, dtype=np.float64).ravel()
    if y.size == 0:
        return None
    x = np.arange(1, y.size + 1, dtype=np.float64) if epochs is None else np.asarray(epochs, dtype=np.float64).ravel()
    n = min(x.size, y.size)
    x, y = x[-n:], y[-n:]
    keep = _thin(n, max_points)
    return _f32(x[keep]), _f32(y[keep])


def loss_figure(epochs, train_loss, test_loss=None, train_acc=None, test_acc=None, height: int = 300,
                log_loss: bool = False, max_points: int = MAX_CURVE_POINTS) -> go.Figure:
    """Loss against epoch for train and test, and accuracy on a second axis when given.

    epochs: (T,); train_loss, test_loss, train_acc, test_acc: (T,) or None. Histories
    longer than ``max_points`` are thinned evenly (first and last kept). An empty history
    gives empty axes with a hint.
    """
    lines = (
        ("train loss", train_loss, "y", "#444444", "solid"),
        ("test loss", test_loss, "y", "#e4572e", "solid"),
        ("train accuracy", train_acc, "y2", "#444444", "dot"),
        ("test accuracy", test_acc, "y2", "#e4572e", "dot"),
    )
    traces = []
    has_acc = False
    for name, values, axis, color, dash in lines:
        series = _series(epochs, values, max_points)
        if series is None:
            continue
        x, y = series
        has_acc |= axis == "y2"
        traces.append({
            "type": "scatter", "mode": "lines+markers" if len(x) < 3 else "lines", "x": typed_x(x), "y": typed(y), "name": name,
            "yaxis": axis, "line": {"color": color, "width": 2, "dash": dash},
            "hovertemplate": f"{name}: %{{y:.4f}}<br>epoch %{{x:.0f}}<extra></extra>",
        })
    layout = _base_layout(
        height,
        xaxis={"title": {"text": "epoch"}, "gridcolor": "#eee", "zeroline": False, "rangemode": "tozero"},
        yaxis={"title": {"text": "loss"}, "gridcolor": "#eee", "zeroline": False,
               **({"type": "log"} if log_loss else {"rangemode": "tozero"})},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        margin={"l": 50, "r": 50 if has_acc else 20, "t": 30, "b": 40, "pad": 0},
    )
    if has_acc:
        layout["yaxis2"] = {"title": {"text": "accuracy"}, "overlaying": "y", "side": "right", "range": [0, 1.02],
                            "showgrid": False, "tickformat": ".0%"}
    if not traces:
        layout["annotations"] = [_hint("No training yet: press Play or Step.")]
    return make_figure(traces, layout)


def _hint(text: str) -> dict:
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
            "font": {"color": "#888", "size": 13}}


def _log_safe(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Values for a log axis: zeros and negatives raised to a floor a decade below the
    smallest positive value (so a dead layer still shows, at the bottom); NaN and infinity
    become gaps. Returns (values, floor)."""
    a = np.asarray(a, dtype=np.float64)
    finite = np.isfinite(a)
    positive = a[finite & (a > 0)]
    floor = float(positive.min()) / 10 if positive.size else 1e-12
    out = np.where(finite, np.maximum(a, floor), np.nan)
    return out, floor


def _norm_matrix(rows) -> np.ndarray | None:
    """Per-step norms (T, L) as float64; a 1-D sequence is one layer. Ragged rows (the
    architecture changed mid-history) keep only the latest run of rows of the current width."""
    if rows is None:
        return None
    try:
        a = np.asarray(rows, dtype=np.float64)
    except ValueError:
        rows = list(rows)
        width, tail = len(rows[-1]), []
        for row in reversed(rows):
            if len(row) != width:
                break
            tail.append(row)
        a = np.asarray(tail[::-1], dtype=np.float64)
    if a.ndim == 1:
        a = a.reshape(-1, 1) if a.size else a.reshape(0, 0)
    return a


def gradient_figure(epochs, grad_norms, weight_norms, layer_names: Sequence[str] | None = None, height: int = 380,
                    max_points: int = MAX_CURVE_POINTS // 2) -> go.Figure:
    """Per-layer gradient norms (top, log scale) and weight norms (bottom, log scale) over time.

    epochs: (T,); grad_norms, weight_norms: (T, L) with one column per Linear layer, input
    side first; layer_names: L labels (default "layer 1" ...). Both panels use a log y axis
    so vanishing gradients (orders of magnitude apart between layers) and exploding ones
    are plain to see; exact zeros sit at a floor a decade below the smallest positive value.
    """
    g, w = _norm_matrix(grad_norms), _norm_matrix(weight_norms)
    n_layers = g.shape[1] if g is not None and g.size else (w.shape[1] if w is not None and w.size else 0)
    names = list(layer_names or [])
    names += [f"layer {i + 1}" for i in range(len(names), n_layers)]
    traces = []
    for panel, data, axes in (("gradient", g, ("x", "y")), ("weight", w, ("x2", "y2"))):
        if data is None or data.size == 0:
            continue
        safe, _ = _log_safe(data)
        t = data.shape[0]
        x = np.arange(1, t + 1, dtype=np.float64) if epochs is None else np.asarray(epochs, dtype=np.float64).ravel()[-t:]
        keep = _thin(len(x), max_points)
        for j in range(data.shape[1]):
            color = LAYER_COLORS[j % len(LAYER_COLORS)]
            traces.append({
                "type": "scatter", "mode": "lines+markers" if len(x) < 3 else "lines",
                "x": typed_x(x[keep]), "y": typed(safe[-len(x):, j][keep]),
                "name": names[j], "legendgroup": names[j], "showlegend": panel == "gradient",
                "xaxis": axes[0], "yaxis": axes[1],
                "line": {"color": color, "width": 2, "dash": "solid" if panel == "gradient" else "dash"},
                "hovertemplate": f"{names[j]} {panel} norm: %{{y:.3g}}<br>epoch %{{x:.0f}}<extra></extra>",
            })
    log_axis = {"type": "log", "gridcolor": "#eee", "exponentformat": "power"}
    layout = _base_layout(
        height,
        xaxis={"anchor": "y", "domain": [0, 1], "showticklabels": False, "gridcolor": "#eee", "matches": "x2"},
        xaxis2={"anchor": "y2", "domain": [0, 1], "title": {"text": "epoch"}, "gridcolor": "#eee"},
        yaxis={**log_axis, "domain": [0.45, 1], "title": {"text": "gradient ‖dW‖"}},
        yaxis2={**log_axis, "domain": [0, 0.37], "title": {"text": "weights ‖W‖"}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        annotations=[],
    )
    if not traces:
        layout["annotations"].append(_hint("No training yet: press Play or Step."))
    return make_figure(traces, layout)
