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

from .charts_network import SPRITE_PALETTE, _columns_of_maps, _thumbnails, link_style
from .charts_render import BLUE, ORANGE, hex_to_rgb

INK = (51, 51, 51)
FRAME = (119, 119, 119)
COLUMN_PX = 110  # distance between neighbouring columns' centres
TOP_PX = 22  # room for the column titles


def network_png(layer_sizes: Sequence[int], weights: Sequence[np.ndarray], input_names: Sequence[str],
                neuron_maps: Sequence | None = None, thumb_px: int | None = None) -> bytes:
    """layer_sizes: [n_inputs, hidden..., n_outputs]; weights: one (n_out, n_in) array per
    Linear layer; input_names: the inputs' labels; neuron_maps: as ``charts.neuron_maps``
    returns them (one (width, res, res) array per column) or None for plain nodes."""
    sizes = [int(s) for s in layer_sizes]
    weights = [np.nan_to_num(np.asarray(w, dtype=np.float64)) for w in weights]
    if len(weights) != len(sizes) - 1 or any(w.shape != (sizes[i + 1], sizes[i]) for i, w in enumerate(weights)):
        raise ValueError(f"Weights {[w.shape for w in weights]} do not chain the layer sizes {sizes}.")
    maps = _columns_of_maps(neuron_maps, sizes)
    tallest = max(sizes)
    if thumb_px is None:
        thumb_px = 30 if sum(sizes) <= 40 else 22 if sum(sizes) <= 80 else 14
    pitch = thumb_px + max(4, thumb_px // 3)
    longest = max((len(name) for name in input_names), default=2)
    left = 8 + 6 * longest
    width = left + (len(sizes) - 1) * COLUMN_PX + thumb_px + 30
    height = TOP_PX + tallest * pitch + 6
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    xs = [left + c * COLUMN_PX for c in range(len(sizes))]  # node left edges
    ys = [[TOP_PX + (tallest - n) * pitch / 2 + j * pitch for j in range(n)] for n in sizes]  # node top edges
    half = thumb_px / 2

    scale = max((float(np.abs(w).max()) for w in weights if w.size), default=1.0) or 1.0
    links = []
    for c, w in enumerate(weights):
        dense = min(1.0, 6.0 / np.sqrt(w.size))  # wide layers get thinner links, or they merge into a band
        for (j, i), value in np.ndenumerate(w):
            links.append((abs(value), value, c, i, j, dense))
    colors = {-1: hex_to_rgb(ORANGE), 1: hex_to_rgb(BLUE)}
    for magnitude, value, c, i, j, dense in sorted(links):  # strong links drawn last, on top
        thickness, _ = link_style(np.array([magnitude]), scale)
        strength = min(1.0, magnitude / scale)
        color = 255 - (255 - colors[1 if value >= 0 else -1]) * (0.3 + 0.7 * strength)
        draw.line((xs[c] + thumb_px, ys[c][i] + half, xs[c + 1], ys[c + 1][j] + half),
                  fill=tuple(int(v) for v in color), width=max(1, round(float(thickness[0]) * thumb_px * dense)))
    for c, n in enumerate(sizes):
        if maps[c] is not None:
            thumbs = _thumbnails(maps[c], thumb_px)
            for j in range(n):
                tile = Image.fromarray(thumbs[j], "P")
                tile.putpalette(SPRITE_PALETTE.ravel().tolist())
                image.paste(tile.convert("RGB"), (int(xs[c]), int(ys[c][j])))
        for j in range(n):
            x, y = xs[c], ys[c][j]
            if maps[c] is None:
                draw.rectangle((x, y, x + thumb_px, y + thumb_px), fill=(220, 220, 220))
            draw.rectangle((x, y, x + thumb_px, y + thumb_px), outline=FRAME)
    titles = ["input"] + [f"hidden {c} ({sizes[c]})" for c in range(1, len(sizes) - 1)] + ["output"]
    for c, title in enumerate(titles):
        draw.text((xs[c] + half - draw.textlength(title) / 2, 4), title, fill=INK)
    for i, name in enumerate(input_names[: sizes[0]]):
        draw.text((xs[0] - 4 - draw.textlength(name), ys[0][i] + half - 6), name, fill=INK)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
