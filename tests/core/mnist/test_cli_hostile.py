"""``python -m core.mnist`` against hostile inputs: one line, exit code 2, bounded memory, output checked first."""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from core import mlp
from core.mnist import cli
from core.mnist.train import N_CLASSES, N_PIXELS, build_digit_net
from core.modelfile import MAX_PARAMETERS, load_model, mlp_parameter_count, model_bytes
from tests.core.hostile import linear_bomb

ROOT = Path(__file__).resolve().parents[3]
ADDRESS_SPACE = 2**30  # 1 GiB: the 8 GB bomb cannot be inflated in it, a refusal needs a fraction of it


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_limited(args, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "NN_PLAYGROUND_CACHE": str(cwd / "cache")}
    return subprocess.run([sys.executable, "-m", "core.mnist", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, preexec_fn=limit_memory)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """The reported file: one Linear whose W is 50,000 x 40,000 float32 zeros, 7.8 MB zipped."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.npz"
    path.write_bytes(linear_bomb(honest_crc=False))
    return path


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_the_reported_bomb_gets_one_line_and_exit_2_in_1_gib(bomb, tmp_path, command):
    image = tmp_path / "d.png"
    Image.new("L", (28, 28)).save(image)
    proc = run_limited([command, "--model", str(bomb), *([str(image)] if command == "predict" else [])], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: Cannot load model") and "zip bomb" in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr and proc.stdout == ""


def pickle_model() -> bytes:
    """A digit model whose first weight array is an object array (a pickle)."""
    good = model_bytes(build_digit_net((8,)))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            if name == "layer0.W.npy":
                buf = io.BytesIO()
                np.save(buf, np.array([{"x": 1}], dtype=object), allow_pickle=True)
                dst.writestr(name, buf.getvalue())
            else:
                dst.writestr(name, src.read(name))
    return out.getvalue()


HOSTILE_MODELS = {
    "random": (bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8)), "truncated or corrupt"),
    "truncated": (model_bytes(build_digit_net((8,)))[:3000], "truncated or corrupt"),
    "pickle": (pickle_model(), "pickled"),
    "not-digits": (model_bytes(mlp(3, [4], 2)), "not a digit model"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_MODELS))
@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_hostile_model_files_get_one_line_and_exit_2(tmp_path, capsys, kind, command):
    path = tmp_path / "model.npz"
    data, reason = HOSTILE_MODELS[kind]
    path.write_bytes(data)
    image = tmp_path / "d.png"
    Image.new("L", (28, 28)).save(image)
    code = cli.main([command, "--model", str(path), *([str(image)] if command == "predict" else [])])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1
    assert reason in err


def test_train_checks_the_output_path_before_loading_data_or_training(tmp_path, capsys, monkeypatch):
    def too_late(*args, **kwargs):
        raise AssertionError("train loaded data before checking --out")

    monkeypatch.setattr(cli, "load_training_data", too_late)
    for out, reason in [(tmp_path, "is a folder"), (tmp_path / "nope" / "m.npz", "does not exist"),
                        ("/proc/m.npz", "cannot create files")]:
        code = cli.main(["train", "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 2 and err.startswith(f"error: Cannot write the model to {out}: ") and reason in err
        assert err.count("\n") == 1


def test_train_writes_through_a_unique_temporary_file(tmp_path, capsys, monkeypatch):
    from core.mnist.sample import sample_split
    from core.mnist.train import TrainResult

    x_train, y_train, x_test, y_test = sample_split()
    monkeypatch.setattr(cli, "load_training_data", lambda data: (x_train[:10], y_train[:10], x_test[:10], y_test[:10], "t"))
    seen = []

    def fake_train(*args, **kwargs):  # the folder while "training": the model is not written yet
        seen.extend(p.name for p in tmp_path.iterdir())
        return TrainResult(build_digit_net(()), 0.5, 0.5, 1, 0.1)

    monkeypatch.setattr(cli, "train_digits", fake_train)
    (tmp_path / "m.npz.part").write_bytes(b"someone else's")  # a fixed .part name would clobber this
    assert cli.main(["train", "--out", str(tmp_path / "m.npz")]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["model"].endswith("m.npz")
    assert seen == ["m.npz.part"]  # the writability probe left nothing behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz", "m.npz.part"]
    assert load_model(tmp_path / "m.npz").net.n_inputs == N_PIXELS


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 5000), max_size=9))
def test_the_cli_accepts_exactly_the_nets_a_model_file_can_hold(widths):
    n = mlp_parameter_count((N_PIXELS, *widths, N_CLASSES))
    text = ",".join(map(str, widths))
    fits = n <= MAX_PARAMETERS and len(widths) <= 8 and all(w <= 4096 for w in widths)
    try:
        assert cli.parse_hidden(text) == tuple(widths) and fits
    except cli.argparse.ArgumentTypeError as exc:
        assert not fits
        if n > MAX_PARAMETERS and len(widths) <= 8 and all(w <= 4096 for w in widths):
            assert f"{MAX_PARAMETERS:,}" in str(exc)
    if n > MAX_PARAMETERS:
        with pytest.raises(ValueError, match="parameters"):
            build_digit_net(widths)


def test_the_widest_two_layer_nets(capsys):
    assert cli.parse_hidden("4096,2048") == (4096, 2048)  # 11.6 million parameters
    with pytest.raises(SystemExit) as caught:
        cli.main(["train", "--hidden", "4096,4096", "--out", "m.npz"])
    assert caught.value.code == 2 and "more than the 16,000,000" in capsys.readouterr().err
