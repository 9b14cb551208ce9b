"""The network diagram as one small image, for the live view while training plays.

The same picture as ``charts_network.network_figure`` (links blue for positive and orange for
negative weights, thicker with |w|; each neuron's output map as a thumbnail, as TensorFlow
Playground draws it) without hover: re-mounting the plotly figure cost the browser ~150 ms
of main thread per refresh, swapping an image a few. Arrays in, PNG bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from .charts_network import DIVERGING_PALETTE, columns_of_maps, link_style, thumbnails
from .charts_render import BLUE, ORANGE, hex_to_rgb
from .mapimage import LABEL_FONT

COLUMN_PX = 110  # distance between neighbouring columns' centres
TOP_PX = 22  # room for the column titles
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
                neuron_maps: Sequence | None = None, thumb_px: int | None = None) -> bytes:
    """layer_sizes: [n_inputs, hidden..., n_outputs]; weights: one (n_out, n_in) array per
    Linear layer; input_names: the inputs' labels; neuron_maps: as ``charts.neuron_maps``
    returns them (one (width, res, res) array per column) or None for plain nodes."""
    sizes = [int(s) for s in layer_sizes]
    weights = [np.nan_to_num(np.asarray(w, dtype=np.float64)) for w in weights]
    if len(weights) != len(sizes) - 1 or any(w.shape != (sizes[i + 1], sizes[i]) for i, w in enumerate(weights)):
        raise ValueError(f"Weights {[w.shape for w in weights]} do not chain the layer sizes {sizes}.")
    maps = columns_of_maps(neuron_maps, sizes)
    tallest = max(sizes)
    if thumb_px is None:
        thumb_px = 30 if sum(sizes) <= 40 else 22 if sum(sizes) <= 80 else 14
    pitch = thumb_px + max(4, thumb_px // 3)
    longest = max((len(name) for name in input_names), default=2)
    left = 8 + 6 * longest
    width = left + (len(sizes) - 1) * COLUMN_PX + thumb_px + 30
    height = TOP_PX + tallest * pitch + 6
    xs = [left + c * COLUMN_PX for c in range(len(sizes))]  # node left edges
    ys = [(TOP_PX + (tallest - n) * pitch // 2 + np.arange(n) * pitch) for n in sizes]  # node top edges
    half = thumb_px // 2

    image = Image.new("P", (width, height), WHITE)
    image.putpalette(PALETTE.ravel().tolist())
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # palette indices cannot be anti-aliased
    draw.font = LABEL_FONT
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
    draw.fontmode = "1"
    draw.font = LABEL_FONT
    for c, n in enumerate(sizes):
        for j in range(n):
            top = int(ys[c][j])
            draw.rectangle((xs[c], top, xs[c] + thumb_px, top + thumb_px), outline=FRAME)
    titles = ["input"] + [f"hidden {c} ({sizes[c]})" for c in range(1, len(sizes) - 1)] + ["output"]
    for c, title in enumerate(titles):
        draw.text((xs[c] + half - draw.textlength(title) / 2, 4), title, fill=INK)
    for i, name in enumerate(input_names[: sizes[0]]):
        draw.text((xs[0] - 4 - draw.textlength(name), int(ys[0][i]) + half - 6), name, fill=INK)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
