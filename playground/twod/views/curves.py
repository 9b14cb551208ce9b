"""The training curves: loss and accuracy over epochs, and each layer's gradient and weight
norms (log scales, where vanishing and exploding gradients are plain to see).

``loss_figure`` and ``gradient_figure`` (plotly, paused: zoom and hover) and ``curves_png``
(Pillow, while playing: one small image drawn in a few milliseconds, because re-mounting the
plotly charts was the browser's heaviest work per second) side by side, with one set of colours:
train dark grey, test orange-red, one colour per layer (``colors.LAYER_COLORS``). Every text is
taken from the catalogue in the ``lang`` the caller passes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from playground.i18n import N_, translate

from . import colors
from .encoding import base_layout, hint, image_bytes, make_figure, typed
from .labels import ASCENT, label, width

# Long histories are thinned to about this many points per line: the eye cannot tell more
# apart in a chart a few hundred pixels wide, and the payload stays small.
MAX_CURVE_POINTS = 400
NO_TRAINING_YET = N_("No training yet: press Play or Step.")
# TRANSLATORS: chart legends, also drawn into the live image's legend: keep them short.
TRAIN_LOSS, TEST_LOSS = N_("train loss"), N_("test loss")
TRAIN_ACCURACY, TEST_ACCURACY = N_("train accuracy"), N_("test accuracy")
# TRANSLATORS: drawn into the live images with little room: keep these short (the legend's four entries share
# ~400 px at 14 px).
TRAIN_ACC, TEST_ACC = N_("train acc"), N_("test acc")
LAYER = N_("layer {layer}")
LOSS_TITLE, GRADIENT_TITLE, WEIGHT_TITLE = N_("loss"), N_("gradient |dW| (log)"), N_("weights |W| (log)")
LAST_EPOCH = N_("epoch {epoch}")
# Every message curves_png draws (the font must have their glyphs: tests/i18n/test_fonts.py).
IMAGE_MESSAGES = (TRAIN_LOSS, TEST_LOSS, TRAIN_ACC, TEST_ACC, LAYER, LOSS_TITLE, GRADIENT_TITLE, WEIGHT_TITLE, LAST_EPOCH,
                  NO_TRAINING_YET)


def _thin(n: int, max_points: int) -> np.ndarray | slice:
    """Indices keeping at most ~max_points of n, always the first and the last."""
    if n <= max_points:
        return slice(None)
    idx = np.unique(np.linspace(0, n - 1, max_points).round().astype(np.intp))
    return idx


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
    return x[keep].astype(np.float32), y[keep].astype(np.float32)


def loss_figure(epochs, train_loss, test_loss=None, train_acc=None, test_acc=None, height: int = 300,
                log_loss: bool = False, max_points: int = MAX_CURVE_POINTS, lang: str = "en") -> go.Figure:
    """Loss against epoch for train and test, and accuracy on a second axis when given.

    epochs: (T,); train_loss, test_loss, train_acc, test_acc: (T,) or None. Histories
    longer than ``max_points`` are thinned evenly (first and last kept). An empty history
    gives empty axes with a hint. Texts in ``lang``.
    """
    lines = (
        (translate(TRAIN_LOSS, lang), train_loss, "y", colors.TRAIN_CURVE, "solid"),
        (translate(TEST_LOSS, lang), test_loss, "y", colors.TEST_CURVE, "solid"),
        (translate(TRAIN_ACCURACY, lang), train_acc, "y2", colors.TRAIN_CURVE, "dot"),
        (translate(TEST_ACCURACY, lang), test_acc, "y2", colors.TEST_CURVE, "dot"),
    )
    epoch = translate("epoch", lang)
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
            "hovertemplate": f"{name}: %{{y:.4f}}<br>{epoch} %{{x:.0f}}<extra></extra>",
        })
    layout = base_layout(
        height,
        xaxis={"title": {"text": epoch}, "gridcolor": "#eee", "zeroline": False, "rangemode": "tozero"},
        yaxis={"title": {"text": translate("loss", lang)}, "gridcolor": "#eee", "zeroline": False,
               **({"type": "log"} if log_loss else {"rangemode": "tozero"})},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        margin={"l": 50, "r": 50 if has_acc else 20, "t": 30, "b": 40, "pad": 0},
    )
    if has_acc:
        layout["yaxis2"] = {"title": {"text": translate("accuracy", lang)}, "overlaying": "y", "side": "right",
                            "range": [0, 1.02], "showgrid": False, "tickformat": ".0%"}
    if not traces:
        layout["annotations"] = [hint(translate(NO_TRAINING_YET, lang))]
    return make_figure(traces, layout)


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


def norm_matrix(rows) -> np.ndarray | None:
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
                    max_points: int = MAX_CURVE_POINTS // 2, lang: str = "en") -> go.Figure:
    """Per-layer gradient norms (top, log scale) and weight norms (bottom, log scale) over time.

    epochs: (T,); grad_norms, weight_norms: (T, L) with one column per Linear layer, input
    side first; layer_names: L labels (default "layer 1" ...). Both panels use a log y axis
    so vanishing gradients (orders of magnitude apart between layers) and exploding ones
    are plain to see; exact zeros sit at a floor a decade below the smallest positive value.
    Texts in ``lang`` (the layer names come translated).
    """
    g, w = norm_matrix(grad_norms), norm_matrix(weight_norms)
    n_layers = g.shape[1] if g is not None and g.size else (w.shape[1] if w is not None and w.size else 0)
    names = list(layer_names or [])
    names += [translate(LAYER, lang, layer=i + 1) for i in range(len(names), n_layers)]
    epoch = translate("epoch", lang)
    # TRANSLATORS: hover labels of the gradient chart: {layer} a layer's name, {value} a number.
    hover = {"gradient": N_("{layer} gradient norm: {value}"), "weight": N_("{layer} weight norm: {value}")}
    traces = []
    for panel, data, axes in (("gradient", g, ("x", "y")), ("weight", w, ("x2", "y2"))):
        if data is None or data.size == 0:
            continue
        safe, _ = _log_safe(data)
        t = data.shape[0]
        x = np.arange(1, t + 1, dtype=np.float64) if epochs is None else np.asarray(epochs, dtype=np.float64).ravel()[-t:]
        keep = _thin(len(x), max_points)
        for j in range(data.shape[1]):
            color = colors.LAYER_COLORS[j % len(colors.LAYER_COLORS)]
            traces.append({
                "type": "scatter", "mode": "lines+markers" if len(x) < 3 else "lines",
                "x": typed_x(x[keep]), "y": typed(safe[-len(x):, j][keep]),
                "name": names[j], "legendgroup": names[j], "showlegend": panel == "gradient",
                "xaxis": axes[0], "yaxis": axes[1],
                "line": {"color": color, "width": 2, "dash": "solid" if panel == "gradient" else "dash"},
                "hovertemplate": translate(hover[panel], lang, layer=names[j], value="%{y:.3g}")
                + f"<br>{epoch} %{{x:.0f}}<extra></extra>",
            })
    log_axis = {"type": "log", "gridcolor": "#eee", "exponentformat": "power"}
    layout = base_layout(
        height,
        xaxis={"anchor": "y", "domain": [0, 1], "showticklabels": False, "gridcolor": "#eee", "matches": "x2"},
        xaxis2={"anchor": "y2", "domain": [0, 1], "title": {"text": epoch}, "gridcolor": "#eee"},
        yaxis={**log_axis, "domain": [0.45, 1], "title": {"text": translate("gradient ‖dW‖", lang)}},
        yaxis2={**log_axis, "domain": [0, 0.37], "title": {"text": translate("weights ‖W‖", lang)}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        annotations=[],
    )
    if not traces:
        layout["annotations"].append(hint(translate(NO_TRAINING_YET, lang)))
    return make_figure(traces, layout)


# ---- the live drawing ----------------------------------------------------------------------------
def curves_png(epochs, train_loss, test_loss, train_acc, test_acc, grad_norms, weight_norms, layer_names,
               width: int = 560, height: int = 520, lang: str = "en") -> bytes:
    """Loss (thick) and accuracy (thin, 0 to 100 %) over epochs, then per-layer gradient and
    weight norms on log scales, as one small PNG drawn with Pillow in a few milliseconds, its
    text in ``lang`` (the layer names come translated).
    While training plays this stands in for the plotly charts: re-mounting them was the
    browser's heaviest work per second (measured, see benchmarks/bench_ui.py)."""
    # A palette image: a dozen flat colours encode as PNG ~5x faster than RGB (and smaller); the
    # text's anti-aliasing adds a few shades of each text colour (labels.py).
    image = Image.new("P", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    epochs = np.asarray(epochs, dtype=np.float64).ravel()
    panel_h = (height - 20) // 3
    train, test = colors.rgb(colors.TRAIN_CURVE), colors.rgb(colors.TEST_CURVE)
    loss = [(translate(name, lang), np.asarray(v, dtype=np.float64).ravel(), color)
            for name, v, color in ((TRAIN_LOSS, train_loss, train), (TEST_LOSS, test_loss, test))
            if v is not None and len(v)]
    acc = [(translate(name, lang), np.asarray(v, dtype=np.float64).ravel(), color)
           for name, v, color in ((TRAIN_ACC, train_acc, train), (TEST_ACC, test_acc, test))
           if v is not None and len(v)]
    top = 0
    _panel(draw, (0, top, width, top + panel_h), epochs, loss, log=False, title=translate(LOSS_TITLE, lang), lang=lang,
           thin=acc)
    names = list(layer_names or [])
    for rows, title in ((grad_norms, GRADIENT_TITLE), (weight_norms, WEIGHT_TITLE)):
        top += panel_h + 10
        data = norm_matrix(rows)
        data = np.zeros((0, 0)) if data is None else data
        series = [(names[j] if j < len(names) else translate(LAYER, lang, layer=j + 1), data[:, j],
                   colors.rgb(colors.LAYER_COLORS[j % len(colors.LAYER_COLORS)])) for j in range(data.shape[1])]
        _panel(draw, (0, top, width, top + panel_h), epochs, series, log=True, title=translate(title, lang), lang=lang)
    return image_bytes(image)


LEGEND_GAP = 10  # px between legend entries
PLOT_LEFT = 62  # px left of a panel's plot: room for the y axis' numbers; the legend starts here too


def legend_room(image_width: int) -> int:
    """Pixels the legend of a panel of an image ``image_width`` wide has for its entries."""
    return image_width - PLOT_LEFT - 4
TITLE_BAND = ASCENT + 7  # px above a panel's plot: its title and legend, on one baseline


def _panel(draw, box, epochs, series, log: bool, title: str, lang: str = "en", thin=()) -> None:
    """One chart: title and legend on top, a grid, y range at the left, epochs underneath."""
    x0, y0, x1, y1 = box
    ink, grid = colors.rgb(colors.INK), colors.rgb(colors.GRID)
    left, right, top, bottom = x0 + PLOT_LEFT, x1 - 10, y0 + TITLE_BAND, y1 - 16
    baseline = y0 + ASCENT + 1
    label(draw, (x0 + 4, baseline), title, ink)
    legend_x = max(left, x0 + 4 + width(title) + 2 * LEGEND_GAP)
    for name, _, color in [*series, *thin]:
        if legend_x + width(name) > x1 - 4:  # no room for more: a sign that the legend goes on
            label(draw, (legend_x, baseline), "…", ink)
            break
        label(draw, (legend_x, baseline), name, color)
        legend_x += LEGEND_GAP + width(name)
    draw.rectangle((left, top, right, bottom), outline=grid)
    ys = [np.asarray(v, dtype=np.float64) for _, v, _ in series if len(v)]
    if not ys:
        label(draw, (left + 10, (top + bottom) // 2 + 4), translate(NO_TRAINING_YET, lang), ink)
        return
    values = np.concatenate(ys)
    values = values[np.isfinite(values)]
    if log:
        positive = values[values > 0]
        floor = positive.min() / 10 if positive.size else 1e-12
        lo = np.log10(positive.min() if positive.size else floor)
        hi = np.log10(max(values.max(), floor) if values.size else 1.0)
    else:
        lo, hi = 0.0, float(values.max()) if values.size else 1.0
    hi = hi if hi > lo else lo + 1
    n = max(len(v) for v in ys)
    e_first, e_last = (float(epochs[-n]), float(epochs[-1])) if len(epochs) >= n else (1.0, float(n))
    span = max(e_last - e_first, 1.0)
    for frac in (0.25, 0.5, 0.75):
        y = bottom - frac * (bottom - top)
        draw.line((left, y, right, y), fill=grid)

    def number(v):
        return f"{10 ** v:.2g}" if log else f"{v:.3g}"
    label(draw, (x0 + 4, top + 9), number(hi), ink)
    label(draw, (x0 + 4, bottom), number(lo), ink)
    label(draw, (left, bottom + 13), f"{e_first:.0f}", ink)
    label(draw, (right, bottom + 13), translate(LAST_EPOCH, lang, epoch=f"{e_last:.0f}"), ink, anchor="rs")

    def points(v, lo, hi):
        v = np.asarray(v, dtype=np.float64)
        x = epochs[-len(v):] if len(epochs) >= len(v) else np.arange(1, len(v) + 1, dtype=np.float64)
        if len(v) > 2 * (right - left):
            keep = np.linspace(0, len(v) - 1, 2 * (right - left)).round().astype(int)
            x, v = x[keep], v[keep]
        if log:
            v = np.log10(np.maximum(v, 10 ** lo))
        px = left + (x - e_first) / span * (right - left)
        py = bottom - (np.clip(v, lo, hi) - lo) / (hi - lo) * (bottom - top)
        return list(zip(px.tolist(), py.tolist()))

    for _, v, color in series:
        pts = points(v, lo, hi)
        if len(pts) > 1:
            draw.line(pts, fill=color, width=2)
    for _, v, color in thin:  # accuracy: 0 to 1 over the panel's height, a thin line
        pts = points(v, 0.0, 1.0)
        if len(pts) > 1:
            draw.line(pts, fill=color, width=1)
    if thin:
        label(draw, (right - 4, top + 13), "100%", ink, anchor="rs")
