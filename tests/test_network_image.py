"""The network diagram as an image (the live view's stand-in for the plotly figure)."""

import io

import numpy as np
import pytest
from PIL import Image

from core import make_features, mlp
from playground import charts
from playground.network_image import network_png


def rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int64)


def count(image: np.ndarray, color) -> int:
    return int(np.all(np.abs(image - color) < 30, axis=2).sum())


def test_links_take_the_sign_colour_and_grow_with_the_weight():
    strong_positive = [np.array([[3.0, 0.0]]), np.array([[3.0]])]
    strong_negative = [np.array([[-3.0, 0.0]]), np.array([[-3.0]])]
    pos, neg = rgb(network_png([2, 1, 1], strong_positive, ["x1", "x2"])), rgb(network_png([2, 1, 1], strong_negative,
                                                                                          ["x1", "x2"]))
    blue, orange = (8, 119, 189), (245, 147, 34)
    assert count(pos, blue) > 100 and count(pos, orange) == 0
    assert count(neg, orange) > 100 and count(neg, blue) == 0

    def bluish(second_weight: float) -> int:  # pixels tinted blue, however pale
        image = rgb(network_png([2, 1, 1], [np.array([[3.0, second_weight]]), np.array([[3.0]])], ["x1", "x2"]))
        return int(((image[..., 2] - image[..., 0]) > 20).sum())

    assert bluish(3.0) > bluish(1.0) > bluish(0.0)  # a stronger link is drawn thicker


def test_neuron_maps_appear_as_thumbnails_and_the_size_follows_the_net():
    net = mlp(2, [8, 8], 2, activations="tanh", seed=0)
    maps = charts.neuron_maps(net, lambda p: make_features(p, ("x1", "x2")), (-6, 6, -6, 6), res=24)
    sizes = [2, 8, 8, 2]
    weights = [layer.W for layer in net.linear_layers()]
    with_maps, plain = rgb(network_png(sizes, weights, ["x1", "x2"], maps)), rgb(network_png(sizes, weights, ["x1", "x2"]))
    assert with_maps.shape == plain.shape and with_maps.shape[1] > with_maps.shape[0]
    assert count(plain, (220, 220, 220)) > count(with_maps, (220, 220, 220))  # grey squares became maps
    deeper = rgb(network_png([2, 8, 8, 8, 8, 2], [np.ones((8, 2)), *[np.ones((8, 8))] * 3, np.ones((2, 8))],
                             ["x1", "x2"]))
    assert deeper.shape[1] > plain.shape[1]


def test_weights_that_do_not_chain_are_refused():
    with pytest.raises(ValueError, match="do not chain"):
        network_png([2, 3, 1], [np.ones((3, 2)), np.ones((2, 3))], ["x1", "x2"])
