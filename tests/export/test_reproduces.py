"""An exported script reproduces the page's numbers: run with ``python -I`` in an empty folder,
it ends with the losses and accuracy that ``Model.build(config).trained(epochs=N).metrics()``
gives, to 1e-6 (in practice bit for bit: the same operations in the same order and dtype)."""

from __future__ import annotations

import ast
import subprocess
import sys

import numpy as np
import pytest

from playground.export import export_script
from playground.twod.config import Config
from playground.twod.model import Model
from playground.twod.userdata import UserData
from tests.export.helpers import config_of, run_script

TOLERANCE = 1e-6

# (what it covers, query, epochs): every dataset, activation, loss, optimizer and regularizer.
SETUPS = [
    ("classification, 3-arm spiral, tanh, SGD", "ds=spiral&k=3&hidden=8,8", 12),
    ("multi-class blobs, ReLU, momentum", "ds=blobs&k=4&noise=20&hidden=6&act=relu&opt=momentum&lr=0.01", 10),
    ("regression, MSE, sigmoid", "ds=plane&noise=10&hidden=4&act=sigmoid", 10),
    ("features, leaky ReLU, L1", "ds=circle&feat=x1%5E2,x2%5E2,x1*x2,sin(x1)&hidden=5,3&act=leaky_relu&reg=l1&rr=0.003", 10),
    ("Adam and L2, mixed activations, seed",
     "ds=xor&hidden=8,4&act=relu,tanh&opt=adam&lr=0.01&reg=l2&rr=0.01&bs=16&seed=7&train=70", 10),
    ("1-D curve, MAE, Adam", "ds=curve&feat=x1,x1%5E2,sin(x1)&hidden=8&loss=mae&opt=adam&lr=0.003", 15),
    ("no hidden layer, multi-Gaussian regression", "ds=multi_gaussian&hidden=none&noise=30&lr=0.01", 10),
    ("linear activation, batch 1, momentum and L2", "ds=moons&n=100&hidden=4&act=linear&opt=momentum&reg=l2&rr=0.001&bs=1", 5),
    ("SGD and L2, 10 % training", "ds=gauss&noise=50&hidden=3&act=sigmoid&reg=l2&rr=0.03&train=10", 10),
]


def compare(script_result: dict, page: dict) -> float:
    """Assert the script's numbers are the page's; return the largest loss difference."""
    assert script_result["epoch"] == page["epoch"]
    assert (script_result["test_accuracy"] is None) == (page["test_accuracy"] is None)
    if page["test_accuracy"] is not None:
        assert script_result["test_accuracy"] == pytest.approx(page["test_accuracy"], abs=TOLERANCE)
    diffs = [abs(script_result[k] - page[k]) for k in ("train_loss", "test_loss")]
    assert max(diffs) <= TOLERANCE, (script_result, page)
    return max(diffs)


@pytest.mark.parametrize(("what", "query", "epochs"), SETUPS, ids=[s[0] for s in SETUPS])
def test_the_script_reproduces_the_page(what, query, epochs, tmp_path):
    config = config_of(query)
    result, progress = run_script(export_script(config, epochs), tmp_path)
    page = Model.build(config).trained(epochs=epochs).metrics()
    compare(result, page)
    assert progress and progress[-1].startswith(f"epoch {epochs:>6}")  # it shows its progress
    assert sorted(p.name for p in tmp_path.iterdir()) == ["experiment.py"]  # and writes nothing


def user_points(task: str) -> UserData:
    rng = np.random.default_rng(3)
    x = rng.normal(0, 2.5, (60, 2))
    if task == "classification":
        y = (np.hypot(x[:, 0], x[:, 1]) > 2.5).astype(np.intp) + (x[:, 0] > 2).astype(np.intp)
        return UserData(x, y, "classification", 3, "upload", 1)
    return UserData(x, np.sin(x[:, 0]) + 0.1 * x[:, 1], "regression", 0, "upload", 1)


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_your_own_data_is_written_into_the_script(task, tmp_path):
    config = config_of("ds=custom&hidden=6&act=tanh&opt=adam&lr=0.01&train=60&seed=4&loss=mae")
    user = user_points(task)
    script = export_script(config, 8, user)
    result, _ = run_script(script, tmp_path)
    compare(result, Model.build(config, user).trained(epochs=8).metrics())
    assert "POINTS = np.array(" in script and "def make_features" in script


def test_the_script_imports_only_numpy_and_the_standard_library():
    modules = set()
    for query in (s[1] for s in SETUPS):
        tree = ast.parse(export_script(config_of(query), 3))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                modules.add(node.module.split(".")[0])
    assert "numpy" in modules
    assert modules - {"numpy"} <= set(sys.stdlib_module_names) | {"__future__"}, modules


def test_the_script_holds_only_what_the_setup_uses():
    script = export_script(config_of("ds=xor&hidden=4&act=relu&opt=adam&reg=l2"), 5)
    assert "def xor(" in script and "def circle(" not in script and "def spiral(" not in script
    assert "class ReLU" in script and "class Tanh" not in script and "class Sigmoid" not in script
    assert "class Adam" in script and "class Momentum" not in script and "class MSELoss" not in script
    assert "REGULARIZATION_RATE = 0.001" in script and "EPOCHS = 5" in script
    plain = export_script(Config(), 3)
    assert "net.update(LEARNING_RATE)" in plain and "class SGD" not in plain and "def gradient" not in plain


def test_a_config_and_its_normalised_form_give_one_script():
    raw = Config(dataset="spiral", hidden=(40, 3), activations=("relu",), lr=0.05)
    assert export_script(raw, 7) == export_script(raw.normalised(), 7)
    assert "HIDDEN = (16, 3)" in export_script(raw, 7)


def test_a_setup_that_diverges_on_the_page_stops_the_script_with_the_reason(tmp_path):
    config = config_of("ds=multi_gaussian&hidden=none&noise=30&lr=0.1")
    assert Model.build(config).trained(epochs=10).diverged  # the page stops too
    path = tmp_path / "experiment.py"
    path.write_text(export_script(config, 10), encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", path.name], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "Training diverged in epoch" in done.stderr and "learning rate" in done.stderr
    assert "Traceback" not in done.stderr
