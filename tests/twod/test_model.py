"""The 2D page's per-session model without a browser: rebuild rules, immutable training
snapshots, divergence handling, user data."""

from dataclasses import replace

import numpy as np
import pytest

from core import DATASETS, Measurement
from playground.i18n import translate
from playground.twod.config import CUSTOM, Config
from playground.twod.model import MAX_HISTORY, History, Model
from playground.twod.presets import PRESETS
from playground.twod.userdata import UserData


def test_rebuild_rules():
    model = Model.build(Config(dataset="xor", hidden=(4,), activations=("tanh",)))
    same = model.config
    assert model.needs_rebuild(same) is None
    assert model.needs_rebuild(Config(**{**same.__dict__, "lr": 0.3, "optimizer": "adam", "reg": "l2", "batch": 5})) is None
    assert model.needs_rebuild(Config(**{**same.__dict__, "noise": 20})) == "the data changed"
    assert model.needs_rebuild(Config(**{**same.__dict__, "seed": 1})) == "the data changed"
    assert model.needs_rebuild(Config(**{**same.__dict__, "hidden": (5,)})) == "the architecture changed"
    assert model.needs_rebuild(Config(**{**same.__dict__, "features": ("x1", "x2", "x1*x2")})) == "the architecture changed"


def test_training_settings_keep_the_weights():
    model = Model.build(Config(dataset="xor", hidden=(4,), activations=("tanh",))).trained(epochs=2)
    changed = model.with_settings(Config(**{**model.config.__dict__, "lr": 0.3, "batch": 7, "reg": "l2", "reg_rate": 0.01}))
    assert changed.epoch == 2 and len(changed.history) == len(model.history)
    for a, b in zip(model.trainer.net.linear_layers(), changed.trainer.net.linear_layers()):
        np.testing.assert_array_equal(a.W, b.W)
    assert changed.trainer.optimizer.lr == 0.3 and changed.trainer.optimizer.l2 == 0.01
    assert changed.trainer.batch_size == 7
    assert model.trainer.optimizer.lr == 0.03  # the old snapshot is untouched


def test_training_returns_a_new_snapshot_and_leaves_the_old_one_alone():
    model = Model.build(Config(dataset="spiral", hidden=(8, 8), activations=("tanh", "tanh")))
    before = [layer.W.copy() for layer in model.trainer.net.linear_layers()]
    new = model.trained(epochs=3)
    assert new is not model and new.epoch == 3 and model.epoch == 0
    assert len(new.history) == 2 and new.history.epochs[-1] == 3
    for layer, w in zip(model.trainer.net.linear_layers(), before):
        np.testing.assert_array_equal(layer.W, w)
    assert any(not np.array_equal(a.W, b.W) for a, b in zip(model.trainer.net.linear_layers(),
                                                              new.trainer.net.linear_layers()))
    # Trained data arrays are shared, not copied, between snapshots.
    assert new.trainer.x is model.trainer.x


def test_the_same_config_trains_the_same_way():
    config = Config(dataset="circle", hidden=(4, 2), activations=("tanh", "tanh"), seed=5)
    a, b = Model.build(config).trained(epochs=2), Model.build(config).trained(epochs=2)
    np.testing.assert_array_equal(a.history.train_loss, b.history.train_loss)
    c = Model.build(Config(**{**config.__dict__, "seed": 6})).trained(epochs=2)
    assert not np.array_equal(a.history.train_loss, c.history.train_loss)


def test_learning_helps_on_xor():
    model = Model.build(Config(dataset="xor", hidden=(4,), activations=("tanh",), seed=1))
    trained = model.trained(epochs=40)
    assert trained.metrics()["train_loss"] < 0.5 * model.metrics()["train_loss"]
    assert trained.metrics()["test_accuracy"] > 0.85


def test_divergence_stops_and_explains_and_keeps_finite_weights():
    preset = next(p for p in PRESETS if "diverges" in p.title)
    model = Model.build(preset.config)
    new = model.trained(epochs=5)
    assert new.diverged and "learning rate" in str(new.diverged)
    # The same explanation in Thai: every part translated (the cause too), the numbers kept.
    thai = translate(new.diverged, "th")
    assert "ลู่ออก" in thai and "อัตราการเรียนรู้ (3)" in thai and "loss" in thai and "became" not in thai
    assert new.epoch == model.epoch  # the last good weights are kept
    for layer in new.trainer.net.linear_layers():
        assert np.isfinite(layer.W).all()
    assert np.isfinite(new.decision_values()).all()
    assert new.trained(epochs=1) is new  # nothing more happens until a reset
    fixed = new.with_settings(Config(**{**new.config.__dict__, "lr": 0.01}))
    assert fixed.diverged is None


@pytest.mark.parametrize("name", DATASETS)
def test_every_dataset_builds_trains_and_draws(name):
    config = Config(dataset=name, n_points=100, hidden=(3,), activations=("relu",),
                    features=("x1", "x2", "sin(x1)"), n_classes=3)
    model = Model.build(config).trained(epochs=1)
    values = model.decision_values()
    assert np.isfinite(values).all()
    if name == "curve":
        assert values.shape == (200,) and model.features_used == ("x1", "sin(x1)")
    elif DATASETS[name].task == "regression":
        assert values.shape == (100, 100)
    else:
        k = 3 if name in ("spiral", "blobs") else 2
        assert values.shape == (100, 100, k)
        np.testing.assert_allclose(values.sum(axis=2), 1.0, rtol=1e-5)
    m = model.metrics()
    assert m["epoch"] == 1 and np.isfinite(m["train_loss"]) and np.isfinite(m["test_loss"])
    assert (m["test_accuracy"] is None) == (DATASETS[name].task == "regression")
    assert model.history.grad_norms.shape == (2, 2) and (model.history.grad_norms > 0).all()


def test_history_is_bounded_and_keeps_its_ends():
    point = Measurement(epochs=0.0, train_loss=1.0, test_loss=1.0, train_acc=None, test_acc=None,
                        grad_norms=(1.0, 2.0), weight_norms=(1.0, 2.0))
    h = History.first(point)
    for i in range(1, 3 * MAX_HISTORY):
        h = h.appended(replace(point, epochs=float(i)))
    assert len(h) <= MAX_HISTORY and h.epochs[0] == 0 and h.epochs[-1] == 3 * MAX_HISTORY - 1
    assert np.all(np.diff(h.epochs) > 0) and h.grad_norms.shape == (len(h), 2) and h.train_acc is None


def test_custom_data_needs_data_and_resets_on_new_data():
    config = Config(dataset=CUSTOM, hidden=(4,), activations=("tanh",))
    with pytest.raises(ValueError, match="upload a CSV"):
        Model.build(config)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (40, 2))
    user = UserData(x, (x[:, 0] > 0.5).astype(np.intp), "classification", 2, version=1)
    model = Model.build(config, user)
    assert model.data.n_classes == 2 and len(model.data.x_train) == 20
    xmin, xmax, _, _ = model.extent
    assert xmin < 0.1 and xmax > 0.9 and xmax - xmin < 2  # the view hugs the user's points
    assert model.needs_rebuild(config, user) is None
    assert model.needs_rebuild(config, UserData(x, user.y, "classification", 2, version=2)) == "the data changed"
    regression = UserData(x, x[:, 0] * 2.0, "regression", 0, version=3)
    model = Model.build(Config(dataset=CUSTOM, loss="mae"), regression).trained(epochs=1)
    assert model.metrics()["test_accuracy"] is None and type(model.trainer.loss).__name__ == "MAELoss"


@pytest.mark.parametrize("far", [np.inf, -np.inf, np.nan, 1e39, 1e300])
def test_points_no_map_can_show_are_refused_with_a_message(far):
    x = np.array([[0.0, 0.0], [1.0, 1.0], [far, 0.0], [2.0, 2.0], [3.0, 1.0], [1.0, 3.0]])
    user = UserData(x, np.array([0, 1, 0, 1, 0, 1]), "classification", 2, version=1)
    with pytest.raises(ValueError, match="too far for the map: rescale them"):
        Model.build(Config(dataset=CUSTOM, train_pct=90), user)


def test_points_far_from_zero_get_a_finite_map_with_distinct_grid_points():
    # The largest values parse_csv lets through, all in one spot: a view that narrow would
    # collapse the float32 grid to one value.
    x = np.full((6, 2), 1e15) + np.arange(6).reshape(-1, 1) * [1e-6, 0]
    user = UserData(x, np.array([0, 1, 0, 1, 0, 1]), "classification", 2, version=1)
    model = Model.build(Config(dataset=CUSTOM, features=("x1", "x2")), user)
    xmin, xmax, ymin, ymax = model.extent
    assert np.isfinite(model.extent).all() and xmin < 1e15 < xmax and ymin < 1e15 < ymax
    grid = model.grid.astype(np.float32)
    assert len(np.unique(grid[:, 0])) > 50 and len(np.unique(grid[:, 1])) > 50
    assert np.isfinite(model.decision_values()).all()
