"""Pure figure builders for what a drawn digit lights up: the probabilities while drawing, the
hidden layers' activations and the first-layer units it pushes most. Arrays in, plotly out.

The computations (which units, what contributions) are ``models.look_inside``'s; these only
draw them. Images are 28×28 with row 0 at the top, as in ``charts.py``. Texts in the ``lang`` the
page passes (English by default).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.i18n import N_, translate

from .charts import DIGITS, mosaic

# One colour per digit (plotly's ten), so a digit keeps its colour from update to update.
DIGIT_COLOURS = ("#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880", "#ff97ff",
                 "#fecb52")
RING_COLOUR = "#00a0e8"  # rings round the most active units: blue stands out on the reds of high activations
STRIP_COLUMNS = 32  # units per row of a layer's activation grid
TILE_PX = 3.2  # screen pixels per image pixel in the weight mosaic

HISTORY_AXIS = N_("update of the drawing (each stroke)")
LAYER_TITLE = N_("hidden layer {layer}: {width} units · most active {units}")
# TRANSLATORS: a first-layer unit (or, in a 1-layer network, a digit) and its contribution, e.g. "unit 12: +0.85".
UNIT_TITLE, DIGIT_TITLE = N_("unit {unit}: {contribution}"), N_("digit {unit}: {contribution}")
PRODUCT_TITLE = N_("× your drawing")


def _compact(fig: go.Figure, height: int, top: int = 10) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": top, "b": 10})
    return fig


def probability_history_figure(updates: Sequence[int], probabilities: np.ndarray, lang: str = "en") -> go.Figure:
    """The ten probabilities (n, 10) after each update of a drawing (updates: (n,) numbers), one
    line per digit; the digit read last is drawn thick and named at the end of its line."""
    p = np.asarray(probabilities, dtype=np.float64)
    x = list(updates)
    if p.ndim != 2 or p.shape[1] != 10 or len(p) != len(x):
        raise ValueError(f"Expected (updates, 10) probabilities for {len(x)} updates, got {p.shape}.")
    fig = go.Figure()
    best = int(np.argmax(p[-1])) if len(p) else -1
    for d in DIGITS:
        fig.add_trace(go.Scatter(
            x=x, y=p[:, d], name=str(d), mode="lines+markers" if len(x) < 12 else "lines",
            line={"color": DIGIT_COLOURS[d], "width": 4 if d == best else 1.5}, opacity=1.0 if d == best else 0.55,
            hovertemplate=translate("digit {digit}: {value}", lang, digit=d, value="%{y:.1%}") + "<extra></extra>",
        ))
    if best >= 0:
        fig.add_annotation(x=x[-1], y=p[-1, best], text=str(best), showarrow=False, xanchor="left", xshift=6,
                           font={"size": 16, "color": DIGIT_COLOURS[best]})
    fig.update_xaxes(title_text=translate(HISTORY_AXIS, lang), dtick=max(1, math.ceil(len(x) / 10)))
    fig.update_yaxes(title_text=translate("probability", lang), range=[0, 1.05], tickformat=".0%")
    fig.update_layout(legend={"orientation": "h", "y": -0.35, "title": {"text": translate("digit", lang)}},
                      hovermode="x unified")
    return _compact(fig, 260)


def _grid(values: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """values (width,) laid out row by row, ``columns`` per row: (rows, columns) values padded with
    NaN, and the unit index of each cell (-1 for padding)."""
    width = len(values)
    columns = max(1, min(columns, width))
    rows = math.ceil(width / columns)
    grid = np.full(rows * columns, np.nan)
    grid[:width] = values
    index = np.full(rows * columns, -1)
    index[:width] = np.arange(width)
    return grid.reshape(rows, columns), index.reshape(rows, columns)


def activations_figure(layers: Sequence[np.ndarray], top: Sequence[Sequence[int]],
                       columns: int = STRIP_COLUMNS, lang: str = "en") -> go.Figure:
    """Each hidden layer's activations (width,) as a grid of cells, ``columns`` units per row, one
    panel per layer (input side first); the units in ``top[i]`` (most active first) are ringed.

    Layers whose activations are all >= 0 (ReLU, sigmoid) run white to dark red; others (tanh)
    run blue (negative) to red (positive) around 0.
    """
    layers = [np.asarray(a, dtype=np.float64).ravel() for a in layers]
    if len(top) != len(layers):
        raise ValueError(f"{len(layers)} layers but {len(top)} lists of top units.")
    if not layers:
        raise ValueError("This network has no hidden layer to show.")
    grids = [_grid(a, columns) for a in layers]
    heights = [g.shape[0] for g, _ in grids]
    titles = [translate(LAYER_TITLE, lang, layer=i + 1, width=len(a), units=", ".join(str(int(u)) for u in t))
              for i, (a, t) in enumerate(zip(layers, top))]
    unit_hover = translate("unit {unit}: {value}", lang, unit="%{customdata}", value="%{z:.3f}") + "<extra></extra>"
    ring_hover = translate("most active #{rank}: unit {unit}", lang, rank="%{text}", unit="%{customdata}") + "<extra></extra>"
    fig = make_subplots(rows=len(layers), cols=1, subplot_titles=titles, row_heights=heights,
                        vertical_spacing=min(0.12, 0.35 / len(layers)))
    for row, (a, (grid, index), units) in enumerate(zip(layers, grids, top), start=1):
        finite = a[np.isfinite(a)]
        signed = bool(finite.size and finite.min() < 0)
        limit = float(np.abs(finite).max()) if finite.size else 1.0
        fig.add_trace(go.Heatmap(
            z=grid, customdata=index, colorscale="RdBu_r" if signed else "Reds", zmin=-limit if signed else 0.0,
            zmax=limit or 1.0, zmid=0.0 if signed else None, showscale=False, hoverongaps=False, xgap=1, ygap=1,
            hovertemplate=unit_hover,
        ), row, 1)
        n_cols = grid.shape[1]
        units = [int(u) for u in units]
        fig.add_trace(go.Scatter(
            x=[u % n_cols for u in units], y=[u // n_cols for u in units], mode="markers",
            text=[str(rank) for rank in range(1, len(units) + 1)], customdata=units,
            marker={"symbol": "circle-open", "size": 13, "color": RING_COLOUR, "line": {"width": 3, "color": RING_COLOUR}},
            hovertemplate=ring_hover, showlegend=False,
        ), row, 1)
        fig.update_xaxes(visible=False, range=[-0.5, n_cols - 0.5], row=row, col=1)
        fig.update_yaxes(visible=False, autorange="reversed", row=row, col=1)
    fig.update_annotations(font={"size": 12})
    return _compact(fig, 60 * len(layers) + 16 * sum(heights) + 20, top=30)


def top_units_figure(weights: np.ndarray, products: np.ndarray, units: Sequence[int], contributions: Sequence[float],
                     name: str = "unit", lang: str = "en") -> go.Figure:
    """The first-layer units a drawing pushes most: their weights (k, 784) as 28×28 images (top
    row), titled with each unit's contribution, and weight × drawing per pixel (k, 784) below
    (each sums to the contribution), on one symmetric scale: red pushes the unit up, blue down.
    ``name``: "unit", or "digit" when the first layer is the output (a 1-layer net)."""
    weights = np.asarray(weights, dtype=np.float32)
    products = np.asarray(products, dtype=np.float32)
    k = len(units)
    if weights.shape != (k, 784) or products.shape != (k, 784) or len(contributions) != k or k == 0:
        raise ValueError(f"Expected (k, 784) weights and products for k = {k} units, got {weights.shape} and "
                         f"{products.shape}.")
    picture, corners = mosaic(np.concatenate([weights, products]).reshape(-1, 28, 28), columns=k)
    title = DIGIT_TITLE if name == "digit" else UNIT_TITLE
    titles = [translate(title, lang, unit=int(u), contribution=f"{float(c):+.2f}") for u, c in zip(units, contributions)]
    titles += [translate(PRODUCT_TITLE, lang)] * k
    notes = [{"text": title, "x": left + 13.5, "y": top - 1, "yanchor": "bottom", "showarrow": False, "font": {"size": 11}}
             for (top, left), title in zip(corners, titles)]
    limit = float(np.abs(weights).max()) or 1.0  # |w·x| <= |w| for inputs in [0, 1]: one scale fits both rows
    fig = go.Figure(go.Heatmap(z=picture, colorscale="RdBu_r", zmin=-limit, zmax=limit, zmid=0.0, showscale=False,
                               hoverongaps=False, hovertemplate="%{z:.3f}<extra></extra>"), layout={"annotations": notes})
    fig.update_xaxes(visible=False, range=[-0.5, picture.shape[1] - 0.5])
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(plot_bgcolor="rgba(0,0,0,0)")
    return _compact(fig, round(picture.shape[0] * TILE_PX) + 20)
