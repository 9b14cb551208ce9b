"""Optimizers: update rules, regularisation, decay, settings validated and changeable."""

import numpy as np
import pytest

from core.layers import Linear
from core.optim import SGD, Adam, make_optimizer


def one_param(value, grad):
    layer = Linear(len(value), 1, seed=0, dtype=np.float64)
    layer.W = np.array([value], dtype=np.float64)
    layer.dW = np.array([grad], dtype=np.float64)
    return layer.parameters()[:1]


def test_sgd_step():
    params = one_param([1.0, -2.0], [0.5, 0.5])
    SGD(0.1).step(params)
    np.testing.assert_allclose(params[0].value, [[0.95, -2.05]])


def test_momentum_accumulates_velocity():
    params = one_param([0.0], [1.0])
    opt = SGD(0.1, momentum=0.9)
    opt.step(params)
    opt.step(params)
    # v1 = -0.1, v2 = 0.9 * -0.1 - 0.1 = -0.19; w = -0.29
    np.testing.assert_allclose(params[0].value, [[-0.29]])


def test_adam_first_step_is_lr_times_sign():
    params = one_param([1.0, 1.0], [3.0, -0.001])
    Adam(0.01).step(params)
    np.testing.assert_allclose(params[0].value, [[0.99, 1.01]], rtol=1e-5)


def test_l2_and_l1_apply_to_weights_not_biases():
    layer = Linear(2, 1, seed=0, dtype=np.float64)
    layer.W = np.array([[2.0, -2.0]])
    layer.b = np.array([[3.0]])
    layer.dW = np.zeros((1, 2))
    layer.db = np.zeros((1, 1))
    SGD(0.1, l2=0.5, l1=1.0).step(layer.parameters())
    # w -= 0.1 * (0.5 * w + 1.0 * sign(w))
    np.testing.assert_allclose(layer.W, [[2 - 0.1 * (1 + 1), -2 + 0.1 * (1 + 1)]])
    np.testing.assert_allclose(layer.b, [[3.0]])


def test_penalty_matches_definition():
    params = one_param([1.0, -3.0], [0.0, 0.0])
    opt = SGD(0.1, l1=0.5, l2=0.2)
    assert opt.penalty(params) == pytest.approx(0.5 * 4 + 0.1 * 10)


def test_learning_rate_decay():
    opt = SGD(1.0, decay=0.5)
    params = one_param([0.0], [1.0])
    opt.step(params)  # lr 1
    opt.step(params)  # lr 1 / 1.5
    np.testing.assert_allclose(params[0].value, [[-1 - 1 / 1.5]])
    assert opt.current_lr == pytest.approx(1 / 2)


@pytest.mark.parametrize("field,value", [("lr", 0), ("lr", -1), ("lr", float("nan")), ("l2", -0.1), ("momentum", 1.0)])
def test_bad_settings_are_refused(field, value):
    opt = SGD(0.1)
    with pytest.raises(ValueError, match=field):
        setattr(opt, field, value)


def test_settings_change_between_steps_keep_state():
    params = one_param([0.0], [1.0])
    opt = SGD(0.1, momentum=0.5)
    opt.step(params)
    opt.lr = 0.2
    opt.step(params)
    # v1 = -0.1; v2 = 0.5 * -0.1 - 0.2 = -0.25; w = -0.35
    np.testing.assert_allclose(params[0].value, [[-0.35]])


def test_make_optimizer():
    assert isinstance(make_optimizer("adam", 0.01), Adam)
    assert make_optimizer("momentum", 0.01).momentum == 0.9
    with pytest.raises(ValueError, match="sgd, momentum, adam"):
        make_optimizer("rmsprop", 0.01)
