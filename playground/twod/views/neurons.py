"""The small map per neuron: each neuron's output over the input plane, as TensorFlow
Playground draws it inside the network diagram. One batched forward pass gives all of them
(``core.Net.layer_outputs``); ``thumbnails`` turns a column of maps into palette indices that
both network drawings (``network.py``) paint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from core import grid_inputs

from .colors import values_to_index


def neuron_maps(net, features_fn: Callable[[np.ndarray], np.ndarray] | None, extent, res: int = 30,
                input_dims: int = 2) -> list[np.ndarray]:
    """Every neuron's output over a res×res grid of the input plane, from one forward pass.

    net: a ``core.Net``; features_fn: grid points (n, input_dims) -> network inputs
    (n, n_inputs), e.g. ``lambda p: make_features(p, names)`` (None: the points
    themselves); extent: (xmin, xmax, ymin, ymax). With ``input_dims=1`` (the 1-D curve)
    the grid is res points along x and each map is that line repeated down the rows.

    Returns one float32 array per column of the network diagram, shaped (width, res, res)
    with rows along y like ``core.grid_inputs``: the inputs, each hidden layer (after its
    activation), and the raw outputs. Each array iterates as (res, res) maps.
    """
    res = int(res)
    if res < 2:
        raise ValueError(f"Neuron maps need a grid of at least 2×2 points, got res={res}.")
    if input_dims == 1:
        points = np.linspace(extent[0], extent[1], res).reshape(-1, 1)
    else:
        points = grid_inputs(extent, res)
    x = points if features_fn is None else np.asarray(features_fn(points))
    columns = []
    for out in net.layer_outputs(x):
        out = np.asarray(out, dtype=np.float32)
        if input_dims == 1:
            maps = np.broadcast_to(out.T[:, None, :], (out.shape[1], res, res))
        else:
            maps = out.T.reshape(out.shape[1], res, res)
        columns.append(np.ascontiguousarray(maps))
    return columns


def columns_of_maps(maps, layer_sizes: Sequence[int]) -> list[list | None]:
    """Normalise the accepted ``neuron_maps`` shapes to one entry per diagram column.

    Accepted: one entry per column (inputs, hidden..., outputs), one per hidden layer, or a
    flat sequence of (res, res) maps for every hidden neuron in order.
    """
    n_cols = len(layer_sizes)
    if maps is None:
        return [None] * n_cols
    maps = list(maps)
    if maps and all(np.ndim(m) == 2 for m in maps):  # flat list of hidden-neuron maps
        hidden = layer_sizes[1:-1]
        if len(maps) != sum(hidden):
            raise ValueError(f"Got {len(maps)} neuron maps for {sum(hidden)} hidden neurons.")
        split, start = [], 0
        for width in hidden:
            split.append(maps[start : start + width])
            start += width
        maps = split
    if len(maps) == n_cols - 2:
        maps = [None, *maps, None]
    if len(maps) != n_cols:
        raise ValueError(
            f"neuron_maps has {len(maps)} layers; expected {n_cols} (inputs, hidden, outputs) or {n_cols - 2} (hidden)."
        )
    for col, (entry, width) in enumerate(zip(maps, layer_sizes)):
        if entry is not None and len(entry) != width:
            raise ValueError(f"neuron_maps column {col} has {len(entry)} maps for {width} neurons.")
    return maps


def thumbnails(column_maps, thumb_px: int) -> np.ndarray:
    """A column's maps (n of (res, res), rows along y) -> thumbnails (n, thumb, thumb) as
    indices into ``DIVERGING_PALETTE``, top row = ymax.

    Values within [-1, 1] keep TF Playground's absolute scale (tanh and sigmoid outputs
    read the same everywhere); a map with a wider range (ReLU, inputs, logits) is scaled
    to fit.
    """
    stack = resample(np.asarray(column_maps, dtype=np.float32), thumb_px)
    if not np.isfinite(stack).all():
        stack = np.nan_to_num(stack, nan=0.0, posinf=0.0, neginf=0.0)
    scales = np.maximum(np.abs(stack).max(axis=(1, 2), keepdims=True), 1.0)
    return values_to_index(stack / scales, 1.0)[:, ::-1]


def resample(maps: np.ndarray, size: int) -> np.ndarray:
    """Nearest-neighbour resize of square maps (n, res, res) to (n, size, size); used to
    shrink big maps for big nets."""
    n_rows, n_cols = maps.shape[-2:]
    if n_rows == size and n_cols == size:
        return maps
    ri = np.minimum((np.arange(size) * n_rows) // size, n_rows - 1)
    ci = np.minimum((np.arange(size) * n_cols) // size, n_cols - 1)
    return maps[..., ri, :][..., ci]
