"""Pure figure builders for the digits page: arrays in, plotly figures out.

Nothing here knows Streamlit or the network; the page decides where and when to draw a
figure and the tests check the figures without a browser. Titles, axes and hover labels come
from the catalogue in the ``lang`` the page passes (English by default). Images are (n, 28, 28) floats
in [0, 1] with ink high, as MNIST stores them, so row 0 is the top of the digit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.i18n import translate

DIGITS = list(range(10))
INK = "Greys"  # 0 white, 1 black: digits read as ink on paper
TRAIN_COLOUR, VAL_COLOUR = "#1f77b4", "#ff7f0e"


def _compact(fig: go.Figure, height: int, top: int = 10) -> go.Figure:
    """Tight margins (``top`` leaves room for subplot titles) and a fixed height in pixels."""
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": top, "b": 10})
    return fig


def _epoch_tick(n_epochs: int) -> int:
    """Whole-epoch tick spacing giving at most about ten ticks."""
    return max(1, math.ceil(n_epochs / 10))


def training_curves_figure(
    epochs: Sequence[float],
    train_accuracy: Sequence[float],
    val_accuracy: Sequence[float],
    train_loss: Sequence[float],
    val_loss: Sequence[float],
    lang: str = "en",
) -> go.Figure:
    """Accuracy (left) and loss (right) per epoch for the training and validation sets.

    All five sequences have one entry per finished epoch (the same length, possibly 0).
    """
    n = len(epochs)
    for name, seq in (("train_accuracy", train_accuracy), ("val_accuracy", val_accuracy),
                      ("train_loss", train_loss), ("val_loss", val_loss)):
        if len(seq) != n:
            raise ValueError(f"{name} has {len(seq)} points but there are {n} epochs.")
    fig = make_subplots(rows=1, cols=2, subplot_titles=(translate("Accuracy", lang), translate("Loss", lang)))
    x = list(epochs)
    # TRANSLATORS: the training set's curve in the chart legend (the run status is another message).
    training, validation = translate("training", lang), translate("validation", lang)
    for col, (train, val) in enumerate(((train_accuracy, val_accuracy), (train_loss, val_loss)), start=1):
        fig.add_trace(go.Scatter(x=x, y=list(train), name=training, mode="lines+markers",
                                 line={"color": TRAIN_COLOUR}, legendgroup="train", showlegend=col == 1), 1, col)
        fig.add_trace(go.Scatter(x=x, y=list(val), name=validation, mode="lines+markers",
                                 line={"color": VAL_COLOUR}, legendgroup="val", showlegend=col == 1), 1, col)
    fig.update_xaxes(title_text=translate("epoch", lang), dtick=_epoch_tick(len(x)))
    fig.update_yaxes(tickformat=".0%", col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return _compact(fig, 340, top=30)


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """Counts (n_classes, n_classes): row = true digit, column = predicted digit.

    y_true, y_pred: (n,) integer labels in [0, n_classes).
    """
    y_true, y_pred = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"Labels and predictions must both be (n,), got {y_true.shape} and {y_pred.shape}.")
    if len(y_true) and (min(y_true.min(), y_pred.min()) < 0 or max(y_true.max(), y_pred.max()) >= n_classes):
        raise ValueError(f"Labels must lie in 0..{n_classes - 1}.")
    return np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def per_class_accuracy(cm: np.ndarray) -> np.ndarray:
    """Fraction of each true class predicted right, from a confusion matrix (k, k) -> (k,).

    A class with no examples gets NaN (no accuracy to speak of) rather than 0.
    """
    cm = np.asarray(cm, dtype=np.float64)
    totals = cm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(cm) / np.where(totals > 0, totals, 1), np.nan)


def confusion_matrix_figure(cm: np.ndarray, lang: str = "en") -> go.Figure:
    """Heatmap of a (10, 10) confusion matrix with the counts written in the cells."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"A confusion matrix is square, got shape {cm.shape}.")
    labels = [str(d) for d in range(cm.shape[0])]
    fig = go.Figure(go.Heatmap(
        z=cm, x=labels, y=labels, colorscale="Blues", text=cm, texttemplate="%{text}",
        hovertemplate=translate("true {true}, predicted {predicted}: {count}", lang, true="%{y}", predicted="%{x}",
                                count="%{z}") + "<extra></extra>", showscale=False,
    ))
    fig.update_xaxes(title_text=translate("predicted digit", lang), side="top", type="category")
    fig.update_yaxes(title_text=translate("true digit", lang), autorange="reversed", type="category", scaleanchor="x")
    return _compact(fig, 420, top=40)


def per_class_accuracy_figure(accuracy_by_class: np.ndarray, lang: str = "en") -> go.Figure:
    """Bars of accuracy (k,) per true digit, the weakest in a warning colour."""
    acc = np.asarray(accuracy_by_class, dtype=np.float64)
    finite = np.where(np.isfinite(acc), acc, np.inf)
    worst = int(np.argmin(finite)) if np.isfinite(finite).any() else -1
    colours = ["#d62728" if i == worst else "#2ca02c" for i in range(len(acc))]
    fig = go.Figure(go.Bar(
        x=[str(d) for d in range(len(acc))], y=np.nan_to_num(acc, nan=0.0), marker_color=colours,
        # TRANSLATORS: no accuracy for a digit that has no examples.
        text=[(translate("n/a", lang) if not math.isfinite(a) else f"{a:.1%}") for a in acc], textposition="outside",
        hovertemplate=translate("digit {digit}: {value}", lang, digit="%{x}", value="%{y:.1%}") + "<extra></extra>",
    ))
    fig.update_xaxes(title_text=translate("true digit", lang), type="category")
    fig.update_yaxes(title_text=translate("accuracy", lang), tickformat=".0%", range=[0, 1.1])
    return _compact(fig, 320)


GAP = 2  # blank pixels between tiles of a mosaic
TITLE_ROWS = 9  # blank pixel rows above each tile for its title


def mosaic(images: np.ndarray, columns: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Tile images (n, h, w) into one array, row by row, ``columns`` per row.

    Returns the mosaic ((rows * (TITLE_ROWS + h + GAP)), columns * (w + GAP)) float32, NaN
    between tiles (drawn as blank), and each tile's top-left (row, col) in it. One picture
    instead of n subplots keeps the figure small and quick to build.
    """
    images = np.asarray(images, dtype=np.float32)
    n, h, w = images.shape
    columns = max(1, min(columns, n))
    rows = math.ceil(n / columns)
    cell_h, cell_w = TITLE_ROWS + h + GAP, w + GAP
    out = np.full((rows * cell_h, columns * cell_w - GAP), np.nan, dtype=np.float32)
    corners = []
    for i, image in enumerate(images):
        top, left = (i // columns) * cell_h + TITLE_ROWS, (i % columns) * cell_w
        out[top : top + h, left : left + w] = image
        corners.append((top, left))
    return out, corners


def _image_grid(images: np.ndarray, titles: list[str], columns: int, colorscale, zmin: float, zmax: float,
                zmid: float | None = None, px_per_pixel: float = 3.2) -> go.Figure:
    """Images (n, 28, 28) as one heatmap mosaic on one colour scale, each titled above."""
    picture, corners = mosaic(images, columns)
    w = np.asarray(images).shape[2]
    # Annotations given all at once: adding them one by one costs plotly ~20 ms each.
    notes = [{"text": title, "x": left + (w - 1) / 2, "y": top - 1, "yanchor": "bottom", "showarrow": False,
              "font": {"size": 11}} for (top, left), title in zip(corners, titles)]
    fig = go.Figure(go.Heatmap(z=picture, colorscale=colorscale, zmin=zmin, zmax=zmax, zmid=zmid, showscale=False,
                               hoverongaps=False, hovertemplate="%{z:.2f}<extra></extra>"), layout={"annotations": notes})
    fig.update_xaxes(visible=False, range=[-0.5, picture.shape[1] - 0.5])
    # MNIST rows run top to bottom; square pixels.
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(plot_bgcolor="rgba(0,0,0,0)")
    return _compact(fig, round(picture.shape[0] * px_per_pixel) + 20)


def misclassified_gallery_figure(
    images: np.ndarray, true_labels: np.ndarray, predicted: np.ndarray, columns: int = 8, lang: str = "en"
) -> go.Figure:
    """Misclassified digits (n, 28, 28) in [0, 1], each titled "pred P / true T".

    The caller picks which digits to show (e.g. the most confident mistakes); n may be 0,
    giving an empty figure with a note.
    """
    images = np.asarray(images)
    true_labels, predicted = np.asarray(true_labels), np.asarray(predicted)
    if not (len(images) == len(true_labels) == len(predicted)):
        raise ValueError(f"{len(images)} images, {len(true_labels)} labels and {len(predicted)} predictions differ.")
    if len(images) == 0:
        fig = go.Figure()
        fig.add_annotation(text=translate("No misclassified digits", lang), showarrow=False, x=0.5, y=0.5, xref="paper",
                           yref="paper")
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _compact(fig, 120)
    if images.ndim != 3:
        raise ValueError(f"Images must be (n, 28, 28), got {images.shape}.")
    # TRANSLATORS: a mistake's title above its picture; keep it short.
    titles = [translate("pred {predicted} / true {true}", lang, predicted=int(p), true=int(t))
              for p, t in zip(predicted, true_labels)]
    return _image_grid(images, titles, columns, INK, 0.0, 1.0)


def first_layer_weights_figure(weights: np.ndarray, max_units: int = 32, columns: int = 8, lang: str = "en") -> go.Figure:
    """First-layer weights W: (units, 784) shown as 28x28 images, one per unit.

    Red is a positive weight, blue negative, white zero, on one symmetric scale so units
    compare. Shows the first ``max_units`` units.
    """
    weights = np.asarray(weights, dtype=np.float32)
    if weights.ndim != 2 or weights.shape[1] != 784:
        raise ValueError(f"First-layer weights must be (units, 784), got {weights.shape}.")
    shown = weights[:max_units]
    limit = float(np.abs(shown).max()) or 1.0
    # In a one-layer net (784-10) the first layer's units are the digits themselves.
    if len(weights) == 10:
        titles = [translate("digit {digit}", lang, digit=i) for i in range(len(shown))]
    else:
        titles = [translate("unit {unit}", lang, unit=i) for i in range(len(shown))]
    return _image_grid(shown.reshape(-1, 28, 28), titles, columns, "RdBu_r", -limit, limit, zmid=0.0)


def max_weight_figure(epochs: Sequence[float], max_abs_by_layer: Sequence[Sequence[float]], lang: str = "en") -> go.Figure:
    """Largest absolute weight of each Linear layer per epoch (the lab's question).

    max_abs_by_layer: one row per epoch, one column per Linear layer (input side first).
    """
    values = np.asarray(max_abs_by_layer, dtype=np.float64)
    if len(epochs) == 0:
        values = np.zeros((0, 0))
    elif values.ndim != 2 or len(values) != len(epochs):
        raise ValueError(f"Expected one row per epoch ({len(epochs)}), got shape {values.shape}.")
    fig = go.Figure()
    for layer in range(values.shape[1]):
        fig.add_trace(go.Scatter(x=list(epochs), y=values[:, layer], mode="lines+markers",
                                 name=translate("layer {layer}", lang, layer=layer + 1)))
    fig.update_xaxes(title_text=translate("epoch", lang), dtick=_epoch_tick(len(epochs)))
    fig.update_yaxes(title_text=translate("max |w|", lang), rangemode="tozero")
    return _compact(fig, 300)


def probability_bars_figure(probabilities: np.ndarray, lang: str = "en") -> go.Figure:
    """Bars of the ten digit probabilities (10,), the predicted digit highlighted."""
    p = np.asarray(probabilities, dtype=np.float64).ravel()
    if p.shape != (10,):
        raise ValueError(f"Expected 10 probabilities, got {p.shape}.")
    best = int(np.argmax(p))
    fig = go.Figure(go.Bar(
        x=[str(d) for d in DIGITS], y=p, marker_color=["#d62728" if d == best else "#7f7f7f" for d in DIGITS],
        text=[f"{v:.0%}" for v in p], textposition="outside",
        hovertemplate=translate("digit {digit}: {value}", lang, digit="%{x}", value="%{y:.2%}") + "<extra></extra>",
    ))
    fig.update_xaxes(title_text=translate("digit", lang), type="category")
    fig.update_yaxes(title_text=translate("probability", lang), range=[0, 1.15], tickformat=".0%")
    return _compact(fig, 280)
