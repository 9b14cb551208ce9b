"""Linear.from_arrays: a layer from given weights, with no random draw."""

import numpy as np
import pytest

from core import Linear


def test_from_arrays_computes_like_a_linear_with_those_weights():
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=(1, 3)).astype(np.float32)
    layer = Linear.from_arrays(W, b)
    reference = Linear(4, 3, seed=1)
    reference.W, reference.b = W.copy(), b.copy()
    x = rng.normal(size=(5, 4)).astype(np.float32)
    np.testing.assert_array_equal(layer.forward(x), reference.forward(x))
    dz = rng.normal(size=(5, 3)).astype(np.float32)
    np.testing.assert_array_equal(layer.backward(dz), reference.backward(dz))
    np.testing.assert_array_equal(layer.dW, reference.dW)
    assert (layer.nin, layer.nout, repr(layer), layer.spec()) == (4, 3, "Linear(4, 3)", reference.spec())
    layer.update(0.1)
    reference.update(0.1)
    np.testing.assert_array_equal(layer.W, reference.W)


def test_from_arrays_copies_unless_told_not_to_and_takes_a_flat_bias():
    W, b = np.ones((2, 3)), np.zeros(2)
    layer = Linear.from_arrays(W, b)
    W[0, 0] = 5
    assert layer.W[0, 0] == 1 and layer.b.shape == (1, 2) and layer.W.dtype == np.float64
    shared = Linear.from_arrays(W, b, copy=False)
    assert shared.W is W
    fortran = np.asfortranarray(np.ones((2, 3), np.float32))
    assert Linear.from_arrays(fortran, b, copy=False).W.flags.c_contiguous


def test_from_arrays_draws_no_random_numbers(monkeypatch):
    import core.layers as layers

    def no_draws(*args, **kwargs):
        raise AssertionError("from_arrays drew random weights")

    monkeypatch.setattr(layers, "_init_weights", no_draws)
    Linear.from_arrays(np.zeros((2, 2), np.float32), np.zeros((1, 2), np.float32))


@pytest.mark.parametrize(
    "W,b",
    [(np.zeros(3), np.zeros(3)), (np.zeros((2, 3), np.int64), np.zeros(2)), (np.zeros((2, 3)), np.zeros((1, 3))),
     (np.zeros((0, 3)), np.zeros(0))],
    ids=["1-d", "int", "bias-width", "empty"],
)
def test_from_arrays_refuses_bad_arrays(W, b):
    with pytest.raises(ValueError, match="from_arrays"):
        Linear.from_arrays(W, b)
