"""The network diagram: nodes per layer, links coloured by sign and thickened by |weight|, and
a small output map per neuron over the input plane (as TensorFlow Playground draws it).

Two drawings side by side, with the same colours and link styles: ``network_figure`` (plotly,
paused: hover shows weights and biases) and ``network_png`` (Pillow, while playing: re-mounting
the plotly figure cost the browser ~150 ms of main thread per refresh, swapping an image a few).

Speed of the figure: every link is a thin filled quadrilateral whose thickness (in data units)
grows with |w|, and all links go into at most 2 × ``OPACITY_LEVELS`` filled traces (by sign and
strength); every neuron map goes into ONE palette PNG (a sprite with each thumbnail at its
node) placed as a layout image. So a net is < 10 traces and one image whatever its number of
weights (plotly spends ~0.1-0.3 ms per trace).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from playground.i18n import N_, translate

from .colors import BLUE, DIVERGING_PALETTE, NEUTRAL, ORANGE, hex_to_rgb
from .encoding import image_bytes, make_figure, png_data_uri, typed
from .labels import label
from .labels import width as text_width
from .neurons import columns_of_maps, thumbnails

# TRANSLATORS: the network diagram's column titles (also drawn into the live image: keep them short);
# {layer} is the hidden layer's number, {neurons} how many neurons it has.
INPUT_TITLE, HIDDEN_TITLE, OUTPUT_TITLE = N_("input"), N_("hidden {layer} ({neurons})"), N_("output")
IMAGE_MESSAGES = (INPUT_TITLE, HIDDEN_TITLE, OUTPUT_TITLE)  # what network_png draws


def column_titles(sizes: Sequence[int], lang: str) -> list[str]:
    """The diagram's column titles for layer sizes [n_inputs, hidden..., n_outputs], in ``lang``."""
    hidden = [translate(HIDDEN_TITLE, lang, layer=c, neurons=sizes[c]) for c in range(1, len(sizes) - 1)]
    return [translate(INPUT_TITLE, lang), *hidden, translate(OUTPUT_TITLE, lang)]

NODE = 1.0  # node (thumbnail) side, in data units
COLUMN_GAP = 3.0  # distance between neighbouring columns' centres
MIN_LINK_WIDTH, MAX_LINK_WIDTH = 0.025, 0.22  # link thickness, in node sides
OPACITY_LEVELS = 2  # links fade with small |w|, in this many steps per sign
DENSE_LINKS = 6.0  # between layers with more than DENSE_LINKS² links, links get proportionally thinner
MAX_HOVER_LINKS = 500  # above this, links carry no hover labels (payload: 12 bytes a link)


# The sprite's palette: the diverging map's 255 colours, then white for the background.
SPRITE_PALETTE = np.vstack([DIVERGING_PALETTE, [[255, 255, 255]]]).astype(np.uint8)
WHITE_INDEX = len(SPRITE_PALETTE) - 1


def _sprite(maps, sizes, pitch_px: int, thumb_px: int, column_px: int) -> np.ndarray:
    """Every column's thumbnails placed at their nodes on one image of ``SPRITE_PALETTE``
    indices (white elsewhere): one PNG encode and one layout image for the whole net.

    Columns are ``column_px`` apart; within a column nodes are ``pitch_px`` apart and each
    column is centred on the tallest one (pitch_px is even, so offsets stay whole pixels).
    """
    tallest = max(sizes)
    height = tallest * pitch_px - (pitch_px - thumb_px)
    width = (len(sizes) - 1) * column_px + thumb_px
    sprite = np.full((height, width), WHITE_INDEX, np.uint8)
    for c, (column_maps, n) in enumerate(zip(maps, sizes)):
        if column_maps is None:
            continue
        thumbs = thumbnails(column_maps, thumb_px)
        top = (tallest - n) * pitch_px // 2
        left = c * column_px
        for j in range(n):
            sprite[top + j * pitch_px : top + j * pitch_px + thumb_px, left : left + thumb_px] = thumbs[j]
    return sprite


def _rectangles(cx: np.ndarray, cy: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray]:
    """Closed squares around the centres, NaN-separated: (n, 6) x and y coordinates."""
    dx = np.array([-half, half, half, -half, -half, np.nan])
    dy = np.array([-half, -half, half, half, -half, np.nan])
    return cx[:, None] + dx, cy[:, None] + dy


def _rgba(color: str, alpha: float) -> str:
    r, g, b = hex_to_rgb(color).astype(int)
    return f"rgba({r},{g},{b},{alpha:.2f})"


def link_style(weight_abs: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """|w| -> (thickness in node sides, opacity level 0..OPACITY_LEVELS-1) per link.

    Both are non-decreasing in |w|; |w| >= scale gets the maximum.
    """
    scale = scale if scale > 0 else 1.0
    frac = np.clip(np.asarray(weight_abs, dtype=np.float64) / scale, 0.0, 1.0)
    thickness = MIN_LINK_WIDTH + (MAX_LINK_WIDTH - MIN_LINK_WIDTH) * frac
    level = np.minimum((frac * OPACITY_LEVELS).astype(np.intp), OPACITY_LEVELS - 1)
    return thickness, level


def _link_polygons(x0, y0, x1, y1, thickness) -> tuple[np.ndarray, np.ndarray]:
    """Quadrilaterals around the segments (x0, y0)-(x1, y1), NaN-separated: 5 points each."""
    dx, dy = x1 - x0, y1 - y0
    length = np.hypot(dx, dy)
    length[length == 0] = 1.0
    nx, ny = -dy / length * thickness / 2, dx / length * thickness / 2
    nan = np.full_like(x0, np.nan)
    xs = np.column_stack([x0 + nx, x1 + nx, x1 - nx, x0 - nx, nan]).ravel()
    ys = np.column_stack([y0 + ny, y1 + ny, y1 - ny, y0 - ny, nan]).ravel()
    return xs, ys


def network_figure(
    layer_sizes: Sequence[int],
    weights: Sequence[np.ndarray],
    input_names: Sequence[str],
    neuron_maps: Sequence | None = None,
    biases: Sequence[np.ndarray] | None = None,
    output_names: Sequence[str] | None = None,
    height: int | None = None,
    thumb_px: int | None = None,
    weight_scale: float | None = None,
    lang: str = "en",
) -> go.Figure:
    """The network diagram.

    layer_sizes: [n_inputs, hidden..., n_outputs]; weights: one (n_out, n_in) array per
    Linear layer (``layer.W``); input_names: n_inputs labels ("x1", "x1^2", ...);
    neuron_maps: None, or maps as ``neuron_maps()`` returns them (one (width, res, res)
    per column), or only the hidden layers' (a list per hidden layer or a flat list of
    (res, res) maps). biases: optional (1, n_out) arrays shown on hover.
    Links are orange for negative and blue for positive weights, wider and more opaque
    with |w| (relative to ``weight_scale``, default the largest |w| in the net).
    Thumbnails shrink (``thumb_px``, default by size) so big nets keep a small payload.
    Titles and hover labels in ``lang``.
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"A network diagram needs at least an input and an output layer, got sizes {sizes}.")
    weights = [np.asarray(w, dtype=np.float64) for w in weights]
    if len(weights) != len(sizes) - 1:
        raise ValueError(f"Got {len(weights)} weight matrices for {len(sizes)} layers (need {len(sizes) - 1}).")
    for i, w in enumerate(weights):
        if w.shape != (sizes[i + 1], sizes[i]):
            raise ValueError(f"Weights {i + 1} have shape {w.shape}, expected {(sizes[i + 1], sizes[i])} (n_out, n_in).")
    maps = columns_of_maps(neuron_maps, sizes)
    n_cols, tallest = len(sizes), max(sizes)
    total_nodes = sum(sizes)
    label_size = 12 if sizes[0] <= 8 else 10
    if thumb_px is None:
        # Big nets get smaller thumbnails (payload); maps are never blown up, only shrunk.
        thumb_px = 30 if total_nodes <= 40 else 20 if total_nodes <= 80 else 14
        map_res = [np.shape(m)[-1] for col in maps if col is not None for m in col[:1]]
        if map_res:
            thumb_px = min(thumb_px, min(map_res))
    thumb_px = max(int(thumb_px), 2)
    pitch_px = thumb_px + max(2, round(0.35 * thumb_px))
    pitch_px += pitch_px % 2  # even, so columns centred on the tallest sit on whole pixels
    pitch = pitch_px / thumb_px  # vertical distance between node centres, in node sides

    xs = np.arange(n_cols) * COLUMN_GAP
    # Node centres: each column centred vertically on 0, first node on top.
    ys = [((n - 1) / 2 - np.arange(n)) * pitch for n in sizes]
    half = NODE / 2

    traces: list[dict] = []
    images: list[dict] = []

    # Links, grouped by (sign, width bucket): a handful of traces whatever the net's size.
    weights = [w if np.isfinite(w).all() else np.nan_to_num(w, nan=0.0) for w in weights]
    scale = weight_scale or max((float(np.abs(w).max()) for w in weights if w.size), default=1.0) or 1.0
    seg_x, seg_y, seg_w, seg_k = [], [], [], []
    for c, w in enumerate(weights):
        n_out, n_in = w.shape
        src = np.repeat(ys[c][None, :], n_out, axis=0).ravel()  # (n_out*n_in,) in W's order
        dst = np.repeat(ys[c + 1][:, None], n_in, axis=1).ravel()
        seg_x.append(np.column_stack([np.full(src.size, xs[c] + half), np.full(src.size, xs[c + 1] - half)]))
        seg_y.append(np.column_stack([src, dst]))
        seg_w.append(w.ravel())
        seg_k.append(np.full(w.size, min(1.0, DENSE_LINKS / np.sqrt(w.size))))
    seg_x, seg_y, seg_w, seg_k = (np.concatenate(a) for a in (seg_x, seg_y, seg_w, seg_k))
    thickness, level = link_style(np.abs(seg_w), scale)
    thickness *= seg_k  # wide layers get thinner links, or they merge into a solid band
    poly_x, poly_y = _link_polygons(seg_x[:, 0], seg_y[:, 0], seg_x[:, 1], seg_y[:, 1], thickness)
    poly_x, poly_y = poly_x.reshape(-1, 5), poly_y.reshape(-1, 5)
    for sign, color, kind in ((-1, ORANGE, "negative"), (1, BLUE, "positive")):
        in_sign = seg_w < 0 if sign < 0 else seg_w >= 0
        for lv in range(OPACITY_LEVELS):
            sel = np.flatnonzero(in_sign & (level == lv))
            if not sel.size:
                continue
            traces.append({
                "type": "scatter", "mode": "lines", "hoverinfo": "skip",
                "x": typed(poly_x[sel]), "y": typed(poly_y[sel]),
                "fill": "toself", "fillcolor": _rgba(color, 0.35 + 0.65 * (lv + 1) / OPACITY_LEVELS),
                "line": {"width": 0}, "name": f"{kind} weights",
            })
    # Nodes: the neuron maps as ONE PNG sprite (one image, one encode) or plain grey squares,
    # then a frame around each node.
    in_names = list(input_names) + [translate("input {number}", lang, number=i + 1)
                                    for i in range(len(input_names), sizes[0])]
    out_names = list(output_names or []) + [translate("output {number}", lang, number=i + 1)
                                            for i in range(len(output_names or []), sizes[-1])]
    centre_x = np.concatenate([np.full(n, x) for n, x in zip(sizes, xs)])
    centre_y = np.concatenate(ys)
    if any(m is not None for m in maps):
        sprite_left, sprite_top = xs[0] - half, float(ys[int(np.argmax(sizes))][0]) + half
        sprite = _sprite(maps, sizes, pitch_px, thumb_px, int(round(COLUMN_GAP * thumb_px)))
        images.append({
            "source": png_data_uri(sprite, SPRITE_PALETTE), "xref": "x", "yref": "y", "x": sprite_left, "y": sprite_top,
            "sizex": sprite.shape[1] / thumb_px, "sizey": sprite.shape[0] / thumb_px, "sizing": "stretch",
            "layer": "below",
        })
    rect_x, rect_y = _rectangles(centre_x, centre_y, half)
    plain = np.concatenate([np.full(n, maps[c] is None) for c, n in enumerate(sizes)])
    if plain.any():
        traces.append({
            "type": "scatter", "mode": "lines", "x": typed(rect_x[plain]), "y": typed(rect_y[plain]),
            "fill": "toself", "fillcolor": NEUTRAL, "line": {"width": 0}, "hoverinfo": "skip", "name": "nodes",
        })
    traces.append({
        "type": "scatter", "mode": "lines", "x": typed(rect_x), "y": typed(rect_y),
        "line": {"color": "#777", "width": 1}, "hoverinfo": "skip", "name": "node frames",
    })

    # Hover labels for the nodes and (in small nets) the links' midpoints, in one trace.
    node_text = []
    for c in range(n_cols):
        b = None
        if c > 0 and biases is not None and len(biases) >= c:
            b = np.asarray(biases[c - 1], dtype=np.float64).ravel()
        for j in range(sizes[c]):
            if c == 0:
                text = in_names[j]
            elif c == n_cols - 1:
                text = out_names[j]
            else:
                text = translate("layer {layer}, neuron {neuron}", lang, layer=c, neuron=j + 1)
            if b is not None and j < b.size:
                text += "<br>" + translate("bias {value}", lang, value=f"{b[j]:.3g}")
            node_text.append(text)
    traces.append({
        "type": "scatter", "mode": "markers", "x": typed(centre_x), "y": typed(centre_y),
        "marker": {"size": 14, "color": "rgba(0,0,0,0)"}, "text": node_text, "hovertemplate": "%{text}<extra></extra>",
        "name": "neurons",
    })
    if seg_w.size <= MAX_HOVER_LINKS:
        # The weights ride along as a typed array (customdata), not as one string per link.
        traces.append({
            "type": "scatter", "mode": "markers", "x": typed(seg_x.mean(axis=1)), "y": typed(seg_y.mean(axis=1)),
            "customdata": typed(seg_w), "marker": {"size": 8, "color": "rgba(0,0,0,0)"},
            "hovertemplate": "w = %{customdata:.3g}<extra></extra>", "name": "weights (hover)",
        })
    # Input names on the left and column titles on top, in one text trace.
    titles = column_titles(sizes, lang)
    title_y = max(float(y[0]) for y in ys) + half + 0.25
    traces.append({
        "type": "scatter", "mode": "text",
        "x": typed(np.concatenate([np.full(sizes[0], xs[0] - half - 0.15), xs])),
        "y": typed(np.concatenate([ys[0], np.full(n_cols, title_y)])),
        "text": in_names[: sizes[0]] + titles,
        "textposition": ["middle left"] * sizes[0] + ["top center"] * n_cols,
        "textfont": {"size": [label_size] * sizes[0] + [11] * n_cols, "color": "#333"},
        "hoverinfo": "skip", "name": "labels",
    })

    span_y = (tallest - 1) * pitch + NODE
    y_lo, y_hi = -span_y / 2 - 0.2, span_y / 2 + 1.1
    if height is None:
        height = int(np.clip(70 + 30 * (y_hi - y_lo), 220, 700))
    # Room on the left for the input names: ~7 px per character at the size the y range sets.
    px_per_unit = (height - 10) / (y_hi - y_lo)
    longest = max((len(n) for n in in_names[: sizes[0]]), default=2)
    x_lo = xs[0] - half - 0.2 - (7.0 * longest * label_size / 12 + 6) / px_per_unit
    x_hi = xs[-1] + max(half + 0.2, (3.5 * len(titles[-1]) + 4) / px_per_unit)
    hidden_axis = {"visible": False, "fixedrange": True}
    layout = {
        "height": height,
        "margin": {"l": 5, "r": 5, "t": 5, "b": 5, "pad": 0},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "Helvetica, Arial, sans-serif", "size": 12, "color": "#333"},
        "showlegend": False,  # (so no trace needs showlegend=False)
        "images": images,
        "xaxis": {**hidden_axis, "range": [x_lo, x_hi]},
        "yaxis": {**hidden_axis, "range": [y_lo, y_hi], "scaleanchor": "x", "scaleratio": 1},
        "hovermode": "closest",
    }
    return make_figure(traces, layout)


# ---- the live drawing ----------------------------------------------------------------------------
COLUMN_PX = 110  # distance between neighbouring columns' centres
TOP_PX = 24  # room for the column titles (one line of labels.py's text)
# One palette image (PNG of indices: ~5x smaller and faster to encode than RGB for this picture):
# 32 steps of the maps' diverging scale, 8 strengths of each link colour, then white and greys.
MAP_STEPS, LINK_STEPS = 32, 8
_MAP_COLORS = DIVERGING_PALETTE[np.linspace(0, len(DIVERGING_PALETTE) - 1, MAP_STEPS).round().astype(int)]
_STRENGTH = 0.3 + 0.7 * (np.arange(LINK_STEPS) + 1) / LINK_STEPS  # links fade towards white when weak
_LINK_COLORS = [255 - (255 - hex_to_rgb(color)) * _STRENGTH[:, None] for color in (ORANGE, BLUE)]
WHITE, INK, FRAME, PLAIN = (MAP_STEPS + 2 * LINK_STEPS + i for i in range(4))
PALETTE = np.vstack([_MAP_COLORS, *_LINK_COLORS, [[255, 255, 255], [51, 51, 51], [119, 119, 119],
                                                  [220, 220, 220]]]).round().astype(np.uint8)


def network_png(layer_sizes: Sequence[int], weights: Sequence[np.ndarray], input_names: Sequence[str],
                neuron_maps: Sequence | None = None, thumb_px: int | None = None, lang: str = "en") -> bytes:
    """layer_sizes: [n_inputs, hidden..., n_outputs]; weights: one (n_out, n_in) array per
    Linear layer; input_names: the inputs' labels; neuron_maps: as ``neurons.neuron_maps``
    returns them (one (width, res, res) array per column) or None for plain nodes. Column
    titles in ``lang``."""
    sizes = [int(s) for s in layer_sizes]
    weights = [np.nan_to_num(np.asarray(w, dtype=np.float64)) for w in weights]
    if len(weights) != len(sizes) - 1 or any(w.shape != (sizes[i + 1], sizes[i]) for i, w in enumerate(weights)):
        raise ValueError(f"Weights {[w.shape for w in weights]} do not chain the layer sizes {sizes}.")
    maps = columns_of_maps(neuron_maps, sizes)
    tallest = max(sizes)
    if thumb_px is None:
        thumb_px = 30 if sum(sizes) <= 40 else 22 if sum(sizes) <= 80 else 14
    pitch = thumb_px + max(4, thumb_px // 3)
    longest = max((text_width(name) for name in input_names[: sizes[0]]), default=12.0)
    left = 10 + int(np.ceil(longest))
    width = left + (len(sizes) - 1) * COLUMN_PX + thumb_px + 30
    height = TOP_PX + tallest * pitch + 6
    xs = [left + c * COLUMN_PX for c in range(len(sizes))]  # node left edges
    ys = [(TOP_PX + (tallest - n) * pitch // 2 + np.arange(n) * pitch) for n in sizes]  # node top edges
    half = thumb_px // 2

    image = Image.new("P", (width, height), WHITE)
    image.putpalette(PALETTE.ravel().tolist())
    draw = ImageDraw.Draw(image)
    # Links: every layer's at once, weakest first so the strong ones end on top.
    scale = max((float(np.abs(w).max()) for w in weights if w.size), default=1.0) or 1.0
    rows = []
    for c, w in enumerate(weights):
        j, i = np.indices(w.shape)
        dense = min(1.0, 6.0 / np.sqrt(w.size))  # wide layers get thinner links, or they merge into a band
        rows.append(np.column_stack([np.abs(w).ravel(), np.sign(w).ravel(), np.full(w.size, c), i.ravel(), j.ravel(),
                                     np.full(w.size, dense)]))
    links = np.concatenate(rows)
    links = links[np.argsort(links[:, 0], kind="stable")]
    thickness, _ = link_style(links[:, 0], scale)
    widths = np.maximum(1, np.round(thickness * thumb_px * links[:, 5])).astype(int)
    steps = np.minimum((links[:, 0] / scale * LINK_STEPS).astype(int), LINK_STEPS - 1)
    colors = MAP_STEPS + np.where(links[:, 1] >= 0, LINK_STEPS, 0) + steps
    for (_, _, c, i, j, _), line_width, color in zip(links.tolist(), widths.tolist(), colors.tolist()):
        c, i, j = int(c), int(i), int(j)
        draw.line((xs[c] + thumb_px, int(ys[c][i]) + half, xs[c + 1], int(ys[c + 1][j]) + half), fill=color,
                  width=line_width)
    # Nodes: each neuron's map (or a grey square), framed.
    pixels = np.array(image)
    for c, n in enumerate(sizes):
        thumbs = None if maps[c] is None else (thumbnails(maps[c], thumb_px).astype(np.int32) * (MAP_STEPS - 1)
                                              + (len(DIVERGING_PALETTE) - 1) // 2) // (len(DIVERGING_PALETTE) - 1)
        for j in range(n):
            top = int(ys[c][j])
            pixels[top:top + thumb_px, xs[c]:xs[c] + thumb_px] = PLAIN if thumbs is None else thumbs[j]
    image = Image.fromarray(pixels, "P")
    image.putpalette(PALETTE.ravel().tolist())
    draw = ImageDraw.Draw(image)
    for c, n in enumerate(sizes):
        for j in range(n):
            top = int(ys[c][j])
            draw.rectangle((xs[c], top, xs[c] + thumb_px, top + thumb_px), outline=FRAME)
    ink = tuple(int(v) for v in PALETTE[INK])  # RGB, so the text is anti-aliased in a few added shades
    for c, title in enumerate(column_titles(sizes, lang)):
        label(draw, (xs[c] + half, TOP_PX - 6), title, ink, anchor="ms")
    for i, name in enumerate(input_names[: sizes[0]]):
        label(draw, (xs[0] - 4, int(ys[0][i]) + half + 5), name, ink, anchor="rs")
    return image_bytes(image)
