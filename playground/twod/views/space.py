"""The hidden layer's space (computed in the ``hidden_space`` package): the input plane's grid as the layer
bends it, its cells coloured by the network's prediction, the training points, and the decision
boundary where it crosses the plane shown.

Two drawings side by side, with the same colours: ``space_figure`` (plotly, paused: axes, zoom,
hover on the points) and ``space_image`` (Pillow, while playing: one PNG per refresh, drawn by
the training process next to the decision map). A space in, a figure or bytes out; the space's
texts come in its language (``hidden_space(model, lang=...)``), the figure's hover labels in ``lang``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from playground.i18n import translate
from playground.i18n.wrap import clusters

from . import colors
from .encoding import base_layout, image_bytes, make_figure, typed
from .labels import ASCENT, label, width

if TYPE_CHECKING:
    from ..hidden_space import HiddenSpace

GRID_LINE = "rgba(40,40,40,0.45)"  # the bent grid, paused
GRID_LINE_RGB = (95, 95, 95)  # and live
BOUNDARY = "#111111"
MAX_CELL_COLORS = 48  # above this many distinct cell colours the figure merges near ones (one trace each)


def _class_colorscale(n_classes: int) -> list[list]:
    palette = colors.class_colors(max(n_classes, 2))
    return [[i / (len(palette) - 1), c] for i, c in enumerate(palette)]


def _quads(nodes: np.ndarray) -> np.ndarray:
    """Grid nodes (N, N, 2) -> the cells' corners (N-1, N-1, 4, 2), going round each cell."""
    return np.stack([nodes[:-1, :-1], nodes[:-1, 1:], nodes[1:, 1:], nodes[1:, :-1]], axis=2)


def _grid_polyline(nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every grid line (rows, then columns) as one NaN-separated polyline: (x, y)."""
    n = nodes.shape[0]
    gap = np.full((n, 1, 2), np.nan)
    rows = np.concatenate([nodes, gap], axis=1).reshape(-1, 2)
    cols = np.concatenate([nodes.transpose(1, 0, 2), gap], axis=1).reshape(-1, 2)
    both = np.vstack([rows, cols])
    return both[:, 0], both[:, 1]


def space_figure(space: HiddenSpace, height: int = 440, point_size: int = 6, lang: str = "en") -> go.Figure:
    """The hidden space as an interactive chart: coloured cells, the bent grid, the decision
    boundary (a straight line when exact, else the field's contour) and the training points."""
    traces: list[dict] = []
    quads = _quads(space.nodes).reshape(-1, 4, 2)
    rgb = space.cell_rgb.reshape(-1, 3).astype(np.int32)
    unique, inverse = np.unique(rgb, axis=0, return_inverse=True)
    if len(unique) > MAX_CELL_COLORS:  # merge near shades: one trace per colour
        rgb = (rgb // 12) * 12 + 6
        unique, inverse = np.unique(rgb, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    closed = np.concatenate([quads, quads[:, :1], np.full((len(quads), 1, 2), np.nan)], axis=1)  # (cells, 6, 2)
    for k, color in enumerate(unique):
        cells = closed[inverse == k].reshape(-1, 2)
        traces.append({"type": "scatter", "mode": "lines", "x": typed(cells[:, 0]), "y": typed(cells[:, 1]),
                       "fill": "toself", "fillcolor": colors.rgb_to_hex(color), "line": {"width": 0},
                       "hoverinfo": "skip", "name": "cells"})
    gx, gy = _grid_polyline(space.nodes)
    traces.append({"type": "scatter", "mode": "lines", "x": typed(gx), "y": typed(gy), "name": "grid",
                   "line": {"color": GRID_LINE, "width": 1}, "hoverinfo": "skip"})
    if space.line is not None:
        (u0, v0), (u1, v1) = space.line
        traces.append({"type": "scatter", "mode": "lines", "x": [u0, u1], "y": [v0, v1], "name": "decision line",
                       "line": {"color": BOUNDARY, "width": 3}, "hoverinfo": "skip"})
    elif space.field is not None and space.levels:
        res_v, res_u = space.field.shape
        traces.append({
            "type": "contour", "name": "decision boundary", "showscale": False, "hoverinfo": "skip",
            "x": typed(np.linspace(space.window[0], space.window[1], res_u)),
            "y": typed(np.linspace(space.window[2], space.window[3], res_v)),
            "z": space.field.astype(np.float32).tolist(),
            "contours": {"coloring": "none", "start": min(space.levels), "end": max(space.levels), "size": 1},
            "line": {"color": BOUNDARY, "width": 2.5},
        })
    pts = space.points
    marker = {"size": point_size, "line": {"color": colors.TRAIN_OUTLINE, "width": 1}}
    if space.task == "classification":
        marker.update(color=typed(space.labels, "u1"), colorscale=_class_colorscale(space.n_classes), cmin=0,
                      cmax=max(space.n_classes - 1, 1))
        hover = translate("class {label}", lang, label="%{marker.color}") + "<br>(%{x:.3g}, %{y:.3g})<extra></extra>"
    else:
        scale = max(float(np.abs(space.labels).max()) if len(space.labels) else 1.0, 1e-12)
        marker.update(color=typed(space.labels), colorscale=colors.diverging_colorscale(), cmin=-scale, cmax=scale)
        hover = (translate("target {value}", lang, value="%{marker.color:.3g}")
                 + "<br>(%{x:.3g}, %{y:.3g})<extra></extra>")
    traces.append({"type": "scatter", "mode": "markers", "x": typed(pts[:, 0]), "y": typed(pts[:, 1]),
                   "name": "training points", "marker": marker, "hovertemplate": hover})
    axis = {"showgrid": False, "zeroline": False, "ticks": "outside", "mirror": True, "linecolor": "#bbb"}
    u0, u1, v0, v1 = space.window
    layout = base_layout(
        height, showlegend=False, plot_bgcolor="white",
        title={"text": space.title, "x": 0.02, "y": 0.98, "font": {"size": 13}},
        xaxis={**axis, "range": [u0, u1], "title": {"text": space.x_label}},
        yaxis={**axis, "range": [v0, v1], "title": {"text": space.y_label}},
        margin={"l": 55, "r": 10, "t": 30, "b": 45, "pad": 0},
    )
    return make_figure(traces, layout)


# ---- the live drawing ----------------------------------------------------------------------------
MARGIN = (34, 2 * ASCENT + 8, 8, 20)  # left, top, right, bottom: room for the numbers and two lines of titles


def space_image(space: HiddenSpace, size: int = 400, radius: float = 3.5) -> bytes:
    """The hidden space as a size×size PNG: the same picture as ``space_figure``, drawn fast."""
    left, top, right, bottom = MARGIN[0], MARGIN[1], size - MARGIN[2], size - MARGIN[3]
    w, h = right - left, bottom - top
    u0, u1, v0, v1 = space.window

    def to_px(uv: np.ndarray) -> np.ndarray:
        px = (uv[..., 0] - u0) / (u1 - u0) * (w - 1)
        py = (v1 - uv[..., 1]) / (v1 - v0) * (h - 1)
        # Far-off coordinates are clipped by Pillow anyway; bounding them keeps its integers small.
        return np.clip(np.stack([px, py], axis=-1), -4.0 * size, 5.0 * size)

    plot = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(plot)
    quads = to_px(_quads(space.nodes)).reshape(-1, 4, 2)
    for quad, color in zip(quads.tolist(), space.cell_rgb.reshape(-1, 3).tolist()):
        draw.polygon([tuple(corner) for corner in quad], fill=tuple(color))
    nodes = to_px(space.nodes)
    for line in (*nodes, *nodes.transpose(1, 0, 2)):
        draw.line([tuple(p) for p in line.tolist()], fill=GRID_LINE_RGB, width=1)
    ink = colors.rgb(BOUNDARY)
    if space.line is not None:
        ends = to_px(np.asarray(space.line, dtype=np.float64))
        draw.line([tuple(p) for p in ends.tolist()], fill=ink, width=3)
    elif space.field is not None and space.levels:
        # The field at the plot's own resolution (two classes: smoothly interpolated; more: the
        # winning class, nearest), so the boundary is a thin line, not blocks.
        smooth = len(space.levels) == 1
        field = Image.fromarray(np.ascontiguousarray(space.field[::-1], dtype=np.float32), "F")
        field = np.asarray(field.resize((w, h), Image.BILINEAR if smooth else Image.NEAREST))
        mask = _boundary_mask(field, space.levels)
        plot.paste(Image.new("RGB", (w, h), ink), (0, 0), Image.fromarray((mask * 255).astype(np.uint8)))
    _draw_points(draw, to_px(space.points), space, radius)

    image = Image.new("RGB", (size, size), (255, 255, 255))
    image.paste(plot, (left, top))
    draw = ImageDraw.Draw(image)
    text, frame = colors.rgb(colors.INK), (187, 187, 187)
    draw.rectangle((left - 1, top - 1, right, bottom), outline=frame)
    label(draw, (left, ASCENT + 1), _fit(space.title, size - left - 4), text)
    label(draw, (left, 2 * ASCENT + 3), _fit(space.axes_line, size - left - 4), text)
    label(draw, (left, bottom + 15), f"{u0:.3g}", text)
    label(draw, (right, bottom + 15), f"{u1:.3g}", text, anchor="rs")
    label(draw, (2, top + 10), f"{v1:.3g}", text)
    label(draw, (2, bottom), f"{v0:.3g}", text)
    return image_bytes(image)


def _fit(text: str, room: float) -> str:
    """``text``, shortened with "…" when it is wider than ``room`` pixels (a line of the small image)."""
    if width(text) <= room:
        return text
    parts = clusters(text)  # a Thai vowel or tone mark stays with its consonant
    while parts and width("".join(parts) + "…") > room:
        parts.pop()
    return "".join(parts).rstrip() + "…"


def _boundary_mask(field: np.ndarray, levels) -> np.ndarray:
    """(res, res) True where the field crosses one of its levels between neighbouring samples."""
    band = np.digitize(field, np.asarray(sorted(levels)))
    mask = np.zeros(field.shape, dtype=bool)
    across = band[:, 1:] != band[:, :-1]
    mask[:, 1:] |= across
    mask[:, :-1] |= across  # both neighbours: a line two pixels wide
    down = band[1:, :] != band[:-1, :]
    mask[1:, :] |= down
    mask[:-1, :] |= down
    return mask


def _draw_points(draw: ImageDraw.ImageDraw, px: np.ndarray, space: HiddenSpace, radius: float) -> None:
    outline = colors.rgb(colors.TRAIN_OUTLINE)
    if space.task == "classification":
        palette = [colors.rgb(c) for c in colors.class_colors(space.n_classes)]
        fills = [palette[int(label) % len(palette)] for label in space.labels]
    else:
        scale = max(float(np.abs(space.labels).max()) if len(space.labels) else 1.0, 1e-12)
        fills = [tuple(int(c) for c in f) for f in colors.values_to_rgb(space.labels, scale, on_map=False)]
    for (x, y), fill in zip(px.tolist(), fills):
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill, outline=outline)
