"""Layers: finite-difference gradient checks in float64, shapes, and bad input."""

import numpy as np
import pytest

from core.layers import (
    Dropout,
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Sigmoid,
    Softmax,
    Standardize,
    Tanh,
    make_activation,
)
from tests.core.gradcheck import numeric_grad, rel_error

TOL = 1e-6


def away_from_zero(rng, shape):
    """Inputs at least 0.1 from 0, so ReLU kinks do not spoil finite differences."""
    x = rng.normal(0, 1, shape)
    return np.where(x >= 0, x + 0.1, x - 0.1)


@pytest.mark.parametrize(
    "make",
    [Tanh, Sigmoid, ReLU, lambda: LeakyReLU(0.1), Identity, Softmax,
     lambda: Standardize(np.array([0.5, -1, 2, 0]), np.array([2.0, 0.5, 1, 3]), dtype=np.float64)],
    ids=["tanh", "sigmoid", "relu", "leaky_relu", "identity", "softmax", "standardize"],
)
def test_activation_input_gradient(make):
    rng = np.random.default_rng(1)
    layer = make()
    x = away_from_zero(rng, (5, 4))
    r = rng.normal(0, 1, (5, 4))
    f = lambda: float(np.sum(layer.forward(x) * r))
    f()
    analytic = layer.backward(r)
    assert rel_error(analytic, numeric_grad(f, x)) < TOL


def test_linear_gradients_float64():
    rng = np.random.default_rng(2)
    layer = Linear(4, 3, seed=0, dtype=np.float64)
    layer.b = rng.normal(0, 1, (1, 3))
    x = rng.normal(0, 1, (6, 4))
    r = rng.normal(0, 1, (6, 3))
    f = lambda: float(np.sum(layer.forward(x) * r))
    f()
    dx = layer.backward(r)
    dW, db = layer.dW.copy(), layer.db.copy()
    assert rel_error(dx, numeric_grad(f, x)) < TOL
    assert rel_error(dW, numeric_grad(f, layer.W)) < TOL
    assert rel_error(db, numeric_grad(f, layer.b)) < TOL


def test_linear_matches_lesson_formulas():
    layer = Linear(3, 2, seed=5, dtype=np.float64)
    x = np.arange(12.0).reshape(4, 3)
    z = layer.forward(x)
    np.testing.assert_allclose(z, x @ layer.W.T + layer.b)
    dz = np.ones((4, 2))
    dx = layer.backward(dz)
    np.testing.assert_allclose(layer.dW, dz.T @ x)
    np.testing.assert_allclose(layer.db, dz.sum(0, keepdims=True))
    np.testing.assert_allclose(dx, dz @ layer.W)
    w_before = layer.W.copy()
    layer.update(0.1)
    np.testing.assert_allclose(layer.W, w_before - 0.1 * dz.T @ x)


@pytest.mark.parametrize("init,expected_std", [("lesson", 1 / np.sqrt(400)), ("he", np.sqrt(2 / 400)),
                                               ("xavier", np.sqrt(2 / (400 + 300)))])
def test_initialisers_have_their_spread(init, expected_std):
    layer = Linear(400, 300, init=init, seed=0, dtype=np.float64)
    assert layer.W.shape == (300, 400) and layer.b.shape == (1, 300)
    assert abs(layer.W.std() - expected_std) / expected_std < 0.02
    assert np.all(layer.b == 0)


def test_same_seed_same_weights_and_default_dtype_is_float32():
    a, b, c = Linear(5, 4, seed=3), Linear(5, 4, seed=3), Linear(5, 4, seed=4)
    assert a.W.dtype == np.float32
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.array_equal(a.W, c.W)


def test_shape_mismatch_names_layer_and_shapes():
    layer = Linear(3, 2, seed=0)
    with pytest.raises(ValueError, match=r"Linear\(3, 2\).*\(batch, 3\).*\(5, 4\)"):
        layer.forward(np.zeros((5, 4), np.float32))


@pytest.mark.parametrize("nin,nout", [(0, 3), (3, 0), (-1, 2), (2.5, 2)])
def test_zero_width_layers_are_refused(nin, nout):
    with pytest.raises(ValueError, match="positive whole number"):
        Linear(nin, nout)


def test_dropout_scales_in_training_and_is_identity_in_eval():
    x = np.ones((2000, 50), np.float32)
    d = Dropout(0.3, seed=0)
    y = d.forward(x)
    kept = y != 0
    assert 0.65 < kept.mean() < 0.75
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    np.testing.assert_array_equal(d.backward(np.ones_like(x)), y)  # same mask on the way back
    d.training = False
    np.testing.assert_array_equal(d.forward(x), x)


def test_sigmoid_does_not_overflow():
    y = Sigmoid().forward(np.array([[-1000.0, 0.0, 1000.0]]))
    np.testing.assert_allclose(y, [[0.0, 0.5, 1.0]])


def test_unknown_activation_lists_choices():
    with pytest.raises(ValueError, match="relu"):
        make_activation("swish")
