"""core.inspect.layer_outputs: every layer's outputs in one pass, leaving the net alone."""

import numpy as np
import pytest

from core import Dropout, Linear, Net, Sigmoid, Standardize, Tanh, mlp
from core.inspect import layer_outputs


def test_columns_match_a_manual_forward_pass():
    net = mlp(3, [5, 4], 2, ["tanh", "relu"], seed=1)
    x = np.random.default_rng(0).normal(size=(7, 3)).astype(np.float32)
    outs = layer_outputs(net, x)
    assert [o.shape for o in outs] == [(7, 3), (7, 5), (7, 4), (7, 2)]
    l1, l2, _ = net.linear_layers()
    h1 = np.tanh(x @ l1.W.T + l1.b)
    h2 = np.maximum(h1 @ l2.W.T + l2.b, 0)
    np.testing.assert_allclose(outs[1], h1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outs[2], h2, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outs[3], net.predict(x), rtol=1e-5, atol=1e-6)


def test_no_hidden_layer_gives_inputs_and_outputs():
    net = mlp(2, [], 3, seed=0)
    outs = layer_outputs(net, np.ones((4, 2)))
    assert [o.shape for o in outs] == [(4, 2), (4, 3)]


def test_leaves_cached_state_and_training_flags_alone():
    net = Net([Standardize([1.0, 2.0], [0.5, 0.5]), Linear(2, 6, seed=0), Sigmoid(), Dropout(0.5, seed=0),
               Linear(6, 2, seed=1), Tanh()])
    net.train()
    xb = np.ones((3, 2), np.float32)
    net.forward(xb)
    cached = [getattr(layer, "x", None) for layer in net.layers]
    sig_y = net.layers[2].y.copy()
    outs = layer_outputs(net, np.zeros((10, 2)))
    assert all(layer.training for layer in net.layers)
    assert [getattr(layer, "x", None) is c for layer, c in zip(net.layers, cached)] == [True] * len(net.layers)
    np.testing.assert_array_equal(net.layers[2].y, sig_y)
    # Dropout is off: the same input twice gives the same hidden values, equal to predict's.
    again = layer_outputs(net, np.zeros((10, 2)))
    np.testing.assert_array_equal(outs[1], again[1])
    np.testing.assert_allclose(outs[-1], net.predict(np.zeros((10, 2))), rtol=1e-6)


def test_rejects_wrong_width():
    with pytest.raises(ValueError, match="features"):
        layer_outputs(mlp(2, [3], 2), np.ones((4, 5)))
