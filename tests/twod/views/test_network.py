"""The network diagram, paused (plotly) and live (Pillow), and the map per neuron."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from core import grid_inputs, make_features, mlp
from playground.twod.views import network, neurons
from playground.twod.views.colors import BLUE, ORANGE, hex_to_rgb, on_white, values_to_rgb
from playground.twod.views.encoding import untyped
from playground.twod.views.network import link_style
from tests.twod.views.helpers import EXTENT, assert_valid, decode_image, payload, traces_named


def link_geometry(fig):
    """(sign, thickness) of every link polygon in the figure."""
    out = []
    for tr in traces_named(fig, "weights"):
        if tr.fill != "toself":
            continue
        sign = -1 if tr.name.startswith("negative") else 1
        xs, ys = untyped(tr.x).reshape(-1, 5), untyped(tr.y).reshape(-1, 5)
        thick = np.hypot(xs[:, 0] - xs[:, 3], ys[:, 0] - ys[:, 3])
        out += [(sign, float(v)) for v in thick]
    return out


def test_network_links_coloured_by_sign_and_thickened_by_magnitude():
    w1 = np.array([[0.1, -0.2], [0.4, -0.8], [1.6, -3.2]])
    w2 = np.array([[0.05, -0.5, 2.0]])
    fig = network.network_figure([2, 3, 1], [w1, w2], ["x1", "x2"])
    assert_valid(fig)
    geometry = link_geometry(fig)
    assert len(geometry) == w1.size + w2.size
    weights = np.concatenate([w1.ravel(), w2.ravel()])
    assert sorted(s for s, _ in geometry) == sorted(np.where(weights < 0, -1, 1))
    for tr in traces_named(fig, "weights"):
        if tr.fill == "toself":
            expected = "245,147,34" if tr.name.startswith("negative") else "8,119,189"
            assert expected in tr.fillcolor
    thickness, _ = link_style(np.abs(weights), np.abs(weights).max())
    assert sorted(round(t, 6) for _, t in geometry) == sorted(round(t, 6) for t in thickness)
    grid = np.linspace(0, 5, 50)
    thick, level = link_style(grid, 3.2)
    assert np.all(np.diff(thick) >= 0) and np.all(np.diff(level) >= 0)
    assert thick[-1] > 3 * thick[0]


def test_network_with_neuron_maps_paints_each_map_at_its_node():
    net = mlp(2, [8, 8], 2, "tanh", seed=0)
    names = ["x1", "x2"]
    maps = neurons.neuron_maps(net, lambda p: make_features(p, names), EXTENT, res=30)
    assert [m.shape for m in maps] == [(2, 30, 30), (8, 30, 30), (8, 30, 30), (2, 30, 30)]
    layers = net.linear_layers()
    fig = network.network_figure([2, 8, 8, 2], [lay.W for lay in layers], names, maps, biases=[lay.b for lay in layers])
    assert_valid(fig)
    assert len(fig.layout.images) == 1  # one sprite for every node
    image = fig.layout.images[0]
    sprite = decode_image(image.source)
    px = sprite.shape[1] / image.sizex  # sprite pixels per data unit

    def thumbnail_at(cx, cy):
        """The sprite's pixels under the node centred at (cx, cy) (node side 1)."""
        col = int(round((cx - 0.5 - image.x) * px))
        row = int(round((image.y - (cy + 0.5)) * px))
        size = int(round(px))
        return sprite[row : row + size, col : col + size].astype(float)

    centres = traces_named(fig, "neurons")[0]
    cx, cy = untyped(centres.x), untyped(centres.y)
    # Node 0 is x1: orange on the left (x1 < 0), blue on the right; node 1 is x2: blue on top.
    x1, x2 = thumbnail_at(cx[0], cy[0]), thumbnail_at(cx[1], cy[1])
    assert x1.shape == (30, 30, 3)
    assert np.linalg.norm(x1[15, 0] - on_white(hex_to_rgb(ORANGE))) < 30
    assert np.linalg.norm(x1[15, -1] - on_white(hex_to_rgb(BLUE))) < 30
    assert np.linalg.norm(x2[0, 15] - on_white(hex_to_rgb(BLUE))) < 30
    # A hidden neuron's thumbnail is its map (flipped so ymax is on top), on the same colour scale.
    expected = values_to_rgb(maps[1][3], 1.0)[::-1]
    np.testing.assert_array_equal(thumbnail_at(cx[2 + 3], cy[2 + 3]), expected)
    assert len(link_geometry(fig)) == 2 * 8 + 8 * 8 + 8 * 2
    assert "x1" in centres.text and any("bias" in t for t in centres.text)
    assert payload(fig) < 60_000
    # Hidden-layer maps only (as a list per layer, or flat) are accepted too.
    hidden_only = network.network_figure([2, 8, 8, 2], [lay.W for lay in layers], names, maps[1:3])
    flat = network.network_figure([2, 8, 8, 2], [lay.W for lay in layers], names, [*maps[1], *maps[2]])
    assert hidden_only.layout.images[0].source == flat.layout.images[0].source
    plain = traces_named(hidden_only, "nodes")[0]  # inputs and outputs drawn as grey squares
    assert plain.fill == "toself" and len(untyped(plain.x)) == (2 + 2) * 6


def test_neuron_maps_match_the_network():
    net = mlp(4, [5], 3, "relu", seed=2)
    names = ["x1", "x2", "x1^2", "sin(x2)"]
    maps = neurons.neuron_maps(net, lambda p: make_features(p, names), EXTENT, res=12)
    grid = grid_inputs(EXTENT, 12)
    out = net.predict(make_features(grid, names))
    np.testing.assert_allclose(maps[-1][2], out[:, 2].reshape(12, 12), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(maps[0][2], (grid[:, 0] ** 2).reshape(12, 12), rtol=1e-5)
    assert (maps[1] >= 0).all()  # ReLU outputs
    # 1-D input (the curve): each map is the same row repeated.
    curve_net = mlp(1, [3], 1, seed=0)
    line_maps = neurons.neuron_maps(curve_net, None, (-5, 5, -5, 5), res=10, input_dims=1)
    assert line_maps[1].shape == (3, 10, 10)
    np.testing.assert_array_equal(line_maps[1][0][0], line_maps[1][0][9])


def test_network_edge_cases():
    no_hidden = network.network_figure([2, 2], [np.ones((2, 2))], ["x1", "x2"])
    assert_valid(no_hidden)
    assert len(link_geometry(no_hidden)) == 4
    zeros = network.network_figure([2, 3, 1], [np.zeros((3, 2)), np.zeros((1, 3))], ["x1", "x2"])
    assert len(link_geometry(zeros)) == 9
    with pytest.raises(ValueError, match="expected"):
        network.network_figure([2, 3, 1], [np.zeros((2, 3)), np.zeros((1, 3))], ["x1", "x2"])
    with pytest.raises(ValueError, match="weight matrices"):
        network.network_figure([2, 3, 1], [np.zeros((3, 2))], ["x1", "x2"])


def test_big_network_stays_small_and_readable():
    sizes = [7, *[16] * 6, 2]
    net = mlp(7, [16] * 6, 2, "sigmoid", seed=0)
    names = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    maps = neurons.neuron_maps(net, lambda p: make_features(p, names), EXTENT, res=30)
    fig = network.network_figure(sizes, [lay.W for lay in net.linear_layers()], names, maps)
    assert_valid(fig)
    assert len(fig.layout.images) == 1
    assert len(fig.data) <= 8  # links grouped, not one trace per weight
    assert payload(fig) < 150_000
    assert fig.layout.height <= 700


# ---- the live drawing ----
def png_rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int64)


def count(image: np.ndarray, color) -> int:
    return int(np.all(np.abs(image - color) < 30, axis=2).sum())


def test_links_take_the_sign_colour_and_grow_with_the_weight():
    strong_positive = [np.array([[3.0, 0.0]]), np.array([[3.0]])]
    strong_negative = [np.array([[-3.0, 0.0]]), np.array([[-3.0]])]
    pos = png_rgb(network.network_png([2, 1, 1], strong_positive, ["x1", "x2"]))
    neg = png_rgb(network.network_png([2, 1, 1], strong_negative, ["x1", "x2"]))
    blue, orange = (8, 119, 189), (245, 147, 34)
    assert count(pos, blue) > 100 and count(pos, orange) == 0
    assert count(neg, orange) > 100 and count(neg, blue) == 0

    def bluish(second_weight: float) -> int:  # pixels tinted blue, however pale
        image = png_rgb(network.network_png([2, 1, 1], [np.array([[3.0, second_weight]]), np.array([[3.0]])], ["x1", "x2"]))
        return int(((image[..., 2] - image[..., 0]) > 20).sum())

    assert bluish(3.0) > bluish(1.0) > bluish(0.0)  # a stronger link is drawn thicker


def test_neuron_maps_appear_as_thumbnails_and_the_size_follows_the_net():
    net = mlp(2, [8, 8], 2, activations="tanh", seed=0)
    maps = neurons.neuron_maps(net, lambda p: make_features(p, ("x1", "x2")), (-6, 6, -6, 6), res=24)
    sizes = [2, 8, 8, 2]
    weights = [layer.W for layer in net.linear_layers()]
    with_maps = png_rgb(network.network_png(sizes, weights, ["x1", "x2"], maps))
    plain = png_rgb(network.network_png(sizes, weights, ["x1", "x2"]))
    assert with_maps.shape == plain.shape and with_maps.shape[1] > with_maps.shape[0]
    assert count(plain, (220, 220, 220)) > count(with_maps, (220, 220, 220))  # grey squares became maps
    deeper = png_rgb(network.network_png([2, 8, 8, 8, 8, 2], [np.ones((8, 2)), *[np.ones((8, 8))] * 3, np.ones((2, 8))],
                             ["x1", "x2"]))
    assert deeper.shape[1] > plain.shape[1]


def test_weights_that_do_not_chain_are_refused():
    with pytest.raises(ValueError, match="do not chain"):
        network.network_png([2, 3, 1], [np.ones((3, 2)), np.ones((2, 3))], ["x1", "x2"])
