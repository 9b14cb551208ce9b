"""Losses: gradient checks in float64, agreement between fused and lesson forms, bad labels."""

import numpy as np
import pytest

from core.layers import Softmax
from core.losses import (
    BinaryLogistic,
    CrossEntropyLoss,
    MAELoss,
    MSELoss,
    SoftmaxCrossEntropy,
    accuracy,
    make_loss,
    r2_score,
    row_max,
)
from tests.core.gradcheck import numeric_grad, rel_error

TOL = 1e-6


def check_loss_gradient(loss, out, target):
    f = lambda: loss.forward(out, target)
    f()
    analytic = loss.backward()
    assert rel_error(analytic, numeric_grad(f, out)) < TOL


def test_softmax_cross_entropy_gradient():
    rng = np.random.default_rng(0)
    check_loss_gradient(SoftmaxCrossEntropy(), rng.normal(0, 2, (7, 5)), rng.integers(0, 5, 7))


def test_lesson_cross_entropy_gradient():
    rng = np.random.default_rng(1)
    p = Softmax().forward(rng.normal(0, 1, (6, 3)))
    check_loss_gradient(CrossEntropyLoss(), p, rng.integers(0, 3, 6))


def test_binary_logistic_gradient():
    rng = np.random.default_rng(2)
    check_loss_gradient(BinaryLogistic(), rng.normal(0, 3, (8, 1)), rng.integers(0, 2, 8))


def test_mse_and_mae_gradients():
    rng = np.random.default_rng(3)
    check_loss_gradient(MSELoss(), rng.normal(0, 1, (6, 2)), rng.normal(0, 1, (6, 2)))
    pred = rng.normal(0, 1, (6, 1))
    target = pred[:, 0] + np.where(rng.random(6) < 0.5, 0.3, -0.3)  # away from the kink at 0
    check_loss_gradient(MAELoss(), pred, target)


def test_fused_equals_softmax_then_lesson_loss():
    rng = np.random.default_rng(4)
    z = rng.normal(0, 1, (10, 4))
    y = rng.integers(0, 4, 10)
    fused, lesson, softmax = SoftmaxCrossEntropy(), CrossEntropyLoss(), Softmax()
    p = softmax.forward(z)
    assert fused.forward(z, y) == pytest.approx(lesson.forward(p, y), rel=1e-12)
    np.testing.assert_allclose(fused.backward(), softmax.backward(lesson.backward()), atol=1e-12)


def test_fused_cross_entropy_is_stable_for_huge_logits():
    z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    loss = SoftmaxCrossEntropy().forward(z, np.array([0, 0]))
    assert np.isfinite(loss) and loss == pytest.approx(1000.0)


def test_binary_logistic_matches_two_class_softmax():
    rng = np.random.default_rng(5)
    z = rng.normal(0, 2, (9, 1))
    y = rng.integers(0, 2, 9)
    two = np.hstack([np.zeros_like(z), z])  # softmax of [0, z] = [1 - s(z), s(z)]
    assert BinaryLogistic().forward(z, y) == pytest.approx(SoftmaxCrossEntropy().forward(two, y), rel=1e-10)


@pytest.mark.parametrize(
    "labels,match",
    [([0, 1, 3], "0..2"), ([0, -1, 1], "0..2"), ([0.5, 1, 2], "whole numbers"), ([0, 1], r"shape \(3,\)")],
)
def test_bad_labels_are_refused(labels, match):
    with pytest.raises(ValueError, match=match):
        SoftmaxCrossEntropy().forward(np.zeros((3, 3)), np.array(labels))


def test_empty_batch_is_refused():
    with pytest.raises(ValueError, match="Empty batch"):
        MSELoss().forward(np.zeros((0, 1)), np.zeros(0))


def test_regression_target_shape_mismatch():
    with pytest.raises(ValueError, match="targets have shape"):
        MSELoss().forward(np.zeros((4, 1)), np.zeros((4, 2)))


def test_metrics():
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert accuracy(scores, np.array([1, 0, 0])) == pytest.approx(2 / 3)
    assert accuracy(np.array([[2.0], [-1.0]]), np.array([1, 1])) == 0.5
    t = np.array([1.0, 2.0, 3.0])
    assert r2_score(t.reshape(-1, 1), t) == 1.0
    assert r2_score(np.full((3, 1), 2.0), t) == 0.0
    assert isinstance(make_loss("mae"), MAELoss)
    with pytest.raises(ValueError, match="cross_entropy"):
        make_loss("hinge")


@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (64, 10), (10_000, 2), (4096, 16), (300, 40)])
def test_row_max_is_numpys_row_maximum(shape):
    z = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    z[min(3, shape[0] - 1), 0] = np.nan  # NaN wins, as in NumPy
    np.testing.assert_array_equal(row_max(z), z.max(axis=1, keepdims=True))
