"""The training engine: learning on the 2D sets, optimizers compared, determinism,
divergence, mid-run changes and bad data."""

import pickle

import numpy as np
import pytest

from core import (
    MSELoss,
    SoftmaxCrossEntropy,
    Trainer,
    TrainingDiverged,
    grid_inputs,
    make_dataset,
    make_optimizer,
    mlp,
    r2_score,
)
from core.layers import Linear, Softmax, Tanh
from core.losses import BinaryLogistic, CrossEntropyLoss
from core.net import Net


def classifier(ds, hidden, act="tanh", lr=0.03, opt="adam", batch=10, seed=0):
    net = mlp(ds.x_train.shape[1], hidden, ds.n_classes, act, seed=seed)
    return Trainer(net, SoftmaxCrossEntropy(), make_optimizer(opt, lr), ds.x_train, ds.y_train,
                   batch_size=batch, seed=seed, x_test=ds.x_test, y_test=ds.y_test)


def train_until(trainer, accuracy, max_epochs, chunk=10):
    """Epochs needed to reach the test accuracy, or None within max_epochs."""
    while trainer.epochs_done < max_epochs:
        trainer.run_epochs(chunk)
        if trainer.evaluate()["accuracy"] >= accuracy:
            return trainer.epochs_done
    return None


@pytest.mark.parametrize("name,hidden,act,max_epochs", [("xor", [8], "tanh", 60), ("circle", [8], "tanh", 60)])
def test_small_nets_learn_xor_and_circle(name, hidden, act, max_epochs):
    ds = make_dataset(name, 500, noise=0.0, train_fraction=0.5, seed=0)
    assert train_until(classifier(ds, hidden, act), 0.95, max_epochs) is not None


def test_three_arm_spiral_reaches_95_percent():
    ds = make_dataset("spiral", 600, noise=0.0, train_fraction=0.5, seed=0, n_classes=3)
    t = classifier(ds, [32, 32], "relu", lr=0.01)
    assert train_until(t, 0.95, 400, chunk=25) is not None


def test_a_line_cannot_do_xor_but_a_hidden_layer_can():
    ds = make_dataset("xor", 400, noise=0.0, train_fraction=0.5, seed=1)
    line = classifier(ds, [])
    line.run_epochs(40)
    assert line.evaluate()["accuracy"] < 0.75


def test_regression_fits_the_noisy_curve():
    ds = make_dataset("curve", 300, noise=0.1, train_fraction=0.7, seed=0)
    net = mlp(1, [16, 16], 1, "tanh", seed=0)
    t = Trainer(net, MSELoss(), make_optimizer("adam", 0.01), ds.x_train, ds.y_train, batch_size=10, seed=0)
    t.run_epochs(150)
    assert r2_score(net.predict(ds.x_test), ds.y_test) >= 0.95


def steps_to_loss(opt_name, lr, threshold=0.1, max_steps=6000):
    ds = make_dataset("circle", 400, noise=0.0, train_fraction=1.0, seed=3)
    t = classifier(ds, [8], "tanh", lr=lr, opt=opt_name, seed=3)
    while t.steps < max_steps:
        t.step(20)
        if t.evaluate(ds.x_train, ds.y_train)["loss"] < threshold:
            return t.steps
    return max_steps + 1


def test_adam_and_momentum_beat_plain_sgd():
    sgd = steps_to_loss("sgd", 0.01)
    momentum = steps_to_loss("momentum", 0.01)
    adam = steps_to_loss("adam", 0.01)
    assert momentum < sgd and adam < sgd, (sgd, momentum, adam)


def test_same_seed_same_weights_different_seed_different():
    def run(seed):
        ds = make_dataset("spiral", 200, noise=0.1, train_fraction=0.5, seed=seed)
        t = classifier(ds, [6, 6], seed=seed)
        t.run_epochs(3)
        return np.concatenate([p.value.ravel() for p in t.net.parameters()])

    np.testing.assert_array_equal(run(5), run(5))
    assert not np.array_equal(run(5), run(6))


def test_step_metrics_and_epoch_counting():
    ds = make_dataset("gauss", 100, noise=0.1, train_fraction=0.5, seed=0)
    t = classifier(ds, [4, 3], batch=8)
    m = t.step(3)
    assert m.steps == 3 and t.epoch == pytest.approx(24 / 50)
    assert len(m.grad_norms) == 3 and len(m.weight_norms) == 3
    assert all(g > 0 for g in m.grad_norms) and 0 <= m.train_accuracy <= 1
    m = t.run_epochs(2)
    assert t.epochs_done == 2 and t.epoch == 2.0  # the partial epoch is completed first
    assert t.steps == 14  # ceil(50 / 8) = 7 steps per epoch
    m = t.run_for(0.05, max_epochs=3)
    assert 3 <= t.epochs_done <= 5


def test_divergence_raises_with_a_reason():
    ds = make_dataset("spiral", 200, noise=0.0, train_fraction=0.5, seed=0)
    net = mlp(2, [8, 8], 1, "relu", seed=0)
    t = Trainer(net, MSELoss(), make_optimizer("sgd", 10.0), ds.x_train, ds.y_train.astype(float), batch_size=10)
    with pytest.raises(TrainingDiverged, match=r"learning rate \(10\) is probably too high") as caught:
        t.run_epochs(50)
    # The same facts as fields, for a page that explains it in another language; it pickles with them.
    err = caught.value
    assert err.lr == 10.0 and err.cause in ("loss", "weights") and err.epoch >= 1
    assert f"in epoch {err.epoch}:" in str(err) and err.what in str(err)
    back = pickle.loads(pickle.dumps(err))
    assert (back.epoch, back.cause, back.lr, back.layer, str(back)) == (err.epoch, err.cause, err.lr, err.layer, str(err))


def test_learning_rate_changes_keep_weights_and_swap_optimizer():
    ds = make_dataset("xor", 200, noise=0.0, train_fraction=0.5, seed=0)
    t = classifier(ds, [8], lr=0.03, opt="sgd")
    t.run_epochs(2)
    before = [p.value.copy() for p in t.net.parameters()]
    t.optimizer.lr = 0.3
    t.optimizer = make_optimizer("adam", 0.01)
    for b, p in zip(before, t.net.parameters()):
        np.testing.assert_array_equal(b, p.value)
    t.run_epochs(1)
    assert any(not np.array_equal(b, p.value) for b, p in zip(before, t.net.parameters()))


def test_lesson_softmax_net_and_binary_logistic_train_through_the_engine():
    ds = make_dataset("gauss", 200, noise=0.0, train_fraction=0.5, seed=0)
    lesson = Net([Linear(2, 6, seed=0), Tanh(), Linear(6, 2, seed=1), Softmax()])
    t = Trainer(lesson, CrossEntropyLoss(), make_optimizer("sgd", 0.1), ds.x_train, ds.y_train,
                x_test=ds.x_test, y_test=ds.y_test)
    t.run_epochs(5)
    assert t.evaluate()["accuracy"] > 0.95
    logit = mlp(2, [4], 1, seed=0)
    t = Trainer(logit, BinaryLogistic(), make_optimizer("adam", 0.03), ds.x_train, ds.y_train,
                x_test=ds.x_test, y_test=ds.y_test)
    t.run_epochs(5)
    assert t.evaluate()["accuracy"] > 0.95


@pytest.mark.parametrize(
    "x,y,match",
    [
        (np.zeros((4, 2)), np.array([0, 1, 2, 0]), "0..1"),
        (np.array([[0, 0], [np.nan, 1]]), np.array([0, 1]), "NaN"),
        (np.zeros((3, 2)), np.array([0, 1]), "3 input rows but 2"),
        (np.zeros((0, 2)), np.zeros(0, int), "empty batch"),
        (np.zeros((2, 3)), np.array([0, 1]), "3 features per row but the network expects 2"),
    ],
)
def test_bad_training_data_is_refused(x, y, match):
    net = mlp(2, [3], 2, seed=0)
    with pytest.raises(ValueError, match=match):
        Trainer(net, SoftmaxCrossEntropy(), make_optimizer("sgd", 0.1), x, y)


def test_bad_batch_size_is_refused():
    with pytest.raises(ValueError, match="Batch size"):
        Trainer(mlp(2, [3], 2), SoftmaxCrossEntropy(), make_optimizer("sgd", 0.1), np.zeros((2, 2)), [0, 1], batch_size=0)


def test_grid_inputs_layout():
    g = grid_inputs((-1, 1, -2, 2), resolution=3)
    assert g.shape == (9, 2)
    np.testing.assert_allclose(g[:3, 0], [-1, 0, 1])  # x varies fastest
    np.testing.assert_allclose(g[::3, 1], [-2, 0, 2])
