"""The exported classes agree with the core's on random inputs, bit for bit: each template
mirrors the core's operations in the same order and dtype (float32). When a core class changes,
the failing test names the template to change with it."""

from __future__ import annotations

import numpy as np
import pytest

from core import ACTIVATIONS, DATASETS, FEATURES, Linear, MAELoss, MSELoss, SoftmaxCrossEntropy, make_dataset, make_optimizer, mlp
from core import make_features as core_features
from playground.export import export_script, templates
from tests.export.helpers import config_of, load_script

F32 = np.float32


@pytest.fixture(scope="module")
def scripts(tmp_path_factory):
    """Exported scripts, loaded as modules, that between them hold every template."""
    folder = tmp_path_factory.mktemp("scripts")
    queries = {
        "classify": "ds=spiral&hidden=3,3,3,3,3&act=tanh,relu,sigmoid,linear,leaky_relu&feat=" + ",".join(FEATURES),
        "mse": "ds=plane&loss=mse&opt=momentum&reg=l1&rr=0.3",
        "mae": "ds=curve&loss=mae&opt=adam&reg=l2&rr=0.1&feat=x1,x1%5E2,sin(x1)",
        "sgd_l2": "ds=circle&reg=l2&rr=0.3",
    }
    return {name: load_script(export_script(config_of(q), 1), folder) for name, q in queries.items()}


def test_feature_templates_cover_the_core_features():
    assert set(templates.FEATURE_CODE) == set(FEATURES)
    assert set(templates.ACTIVATIONS) == set(ACTIVATIONS)


def test_linear_draws_and_computes_as_the_core(scripts):
    module = scripts["classify"]
    rng = np.random.default_rng(11)
    for init in ("xavier", "he"):
        ours = module.Linear(5, 3, init, np.random.default_rng(4))
        core = Linear(5, 3, init=init, seed=np.random.default_rng(4))
        np.testing.assert_array_equal(ours.W, core.W)
        assert ours.W.dtype == core.W.dtype == F32
        x = rng.normal(size=(7, 5)).astype(F32)
        dz = rng.normal(size=(7, 3)).astype(F32)
        np.testing.assert_array_equal(ours.forward(x), core.forward(x))
        np.testing.assert_array_equal(ours.backward(dz), core.backward(dz))
        np.testing.assert_array_equal(ours.dW, core.dW)
        np.testing.assert_array_equal(ours.db, core.db)
        ours.update(0.3)
        core.update(0.3)
        np.testing.assert_array_equal(ours.W, core.W)
        np.testing.assert_array_equal(ours.b, core.b)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_compute_as_the_core(scripts, name):
    ours = scripts["classify"].ACTIVATION_LAYERS[name]()
    core = ACTIVATIONS[name]()
    rng = np.random.default_rng(5)
    x = (rng.normal(size=(9, 4)) * 3).astype(F32)
    x[0, 0] = 0.0  # the kink of the ReLUs
    dy = rng.normal(size=(9, 4)).astype(F32)
    out = ours.forward(x)
    np.testing.assert_array_equal(out, core.forward(x))
    assert out.dtype == F32
    np.testing.assert_array_equal(ours.backward(dy), core.backward(dy))


def test_losses_compute_as_the_core(scripts):
    rng = np.random.default_rng(6)
    z = (rng.normal(size=(13, 4)) * 4).astype(F32)
    y = rng.integers(0, 4, 13)
    ours, core = scripts["classify"].SoftmaxCrossEntropy(), SoftmaxCrossEntropy()
    assert ours.forward(z, y) == core.forward(z, y)
    np.testing.assert_array_equal(ours.backward(), core.backward())
    pred = rng.normal(size=(13, 1)).astype(F32)
    target = rng.normal(size=(13, 1)).astype(F32)
    for module, core_loss in ((scripts["mse"], MSELoss()), (scripts["mae"], MAELoss())):
        ours = module.MSELoss() if isinstance(core_loss, MSELoss) else module.MAELoss()
        assert ours.forward(pred, target) == core_loss.forward(pred, target)
        np.testing.assert_array_equal(ours.backward(), core_loss.backward())


@pytest.mark.parametrize(("script", "optimizer", "reg"), [
    ("classify", "sgd", "none"), ("sgd_l2", "sgd", "l2"), ("mse", "momentum", "l1"), ("mae", "adam", "l2")])
def test_optimizers_step_as_the_core(scripts, script, optimizer, reg):
    module = scripts[script]
    core_net = mlp(3, [5], 2, activations="tanh", seed=2)
    ours = module.Net()
    for layer in core_net.layers:
        if isinstance(layer, Linear):
            copy = module.Linear(layer.nin, layer.nout, "xavier", np.random.default_rng(0))
            copy.W, copy.b = layer.W.copy(), layer.b.copy()
            ours.add(copy)
    rate = module.REGULARIZATION_RATE if reg != "none" else 0.0
    core_opt = make_optimizer(optimizer, 0.05, l1=rate if reg == "l1" else 0.0, l2=rate if reg == "l2" else 0.0)
    our_class = {"sgd": "SGD", "momentum": "Momentum", "adam": "Adam"}[optimizer]
    our_opt = None if (optimizer, reg) == ("sgd", "none") else getattr(module, our_class)(0.05)
    rng = np.random.default_rng(8)
    params = core_net.parameters()
    for _ in range(4):
        for core_layer, our_layer in zip(core_net.linear_layers(), ours.layers):
            core_layer.dW = rng.normal(size=core_layer.W.shape).astype(F32)
            core_layer.db = rng.normal(size=core_layer.b.shape).astype(F32)
            our_layer.dW, our_layer.db = core_layer.dW.copy(), core_layer.db.copy()
        core_opt.step(params)
        if our_opt is None:
            ours.update(0.05)  # plain SGD is the lesson's update
        else:
            our_opt.step(ours)
    for core_layer, our_layer in zip(core_net.linear_layers(), ours.layers):
        np.testing.assert_array_equal(our_layer.W, core_layer.W)
        np.testing.assert_array_equal(our_layer.b, core_layer.b)
        assert our_layer.W.dtype == F32


def test_features_compute_as_the_core(scripts):
    points = np.random.default_rng(9).uniform(-6, 6, (20, 2))
    np.testing.assert_array_equal(scripts["classify"].make_features(points), core_features(points, list(FEATURES)))
    curve = points[:, :1]
    np.testing.assert_array_equal(scripts["mae"].make_features(curve), core_features(curve, ["x1", "x1^2", "sin(x1)"]))


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_data_is_the_cores(tmp_path, name):
    query = f"ds={name}&n=60&noise=25&train=70&seed=5&k=3"
    if DATASETS[name].input_dims == 1:
        query += "&feat=x1"
    module = load_script(export_script(config_of(query), 1), tmp_path)
    x_train, y_train, x_test, y_test, outputs = module.make_data()
    core = make_dataset(name, 60, 0.25, 0.7, seed=5, n_classes=3)
    for ours, theirs in ((x_train, core.x_train), (y_train, core.y_train), (x_test, core.x_test), (y_test, core.y_test)):
        np.testing.assert_array_equal(ours, theirs)
    assert outputs == (core.n_classes or 1)
