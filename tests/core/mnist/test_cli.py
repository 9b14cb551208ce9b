"""The command line ``python -m core.mnist`` end to end, in subprocesses (core/mnist/cli.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core import load_model
from core.mnist import predict_digits, sample_split
from tests import ROOT


def run(args, tmp_path, check=True):
    env = {**os.environ, "NN_PLAYGROUND_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "core.mnist", *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A small model trained by the command line: 2 epochs, one hidden layer of 48."""
    tmp = tmp_path_factory.mktemp("cli")
    proc = run(["train", "--hidden", "48", "--epochs", "2", "--copies", "1", "--out", "digits.npz"], tmp)
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return tmp / "digits.npz", summary, proc.stderr


def test_train_prints_progress_and_a_json_summary(model):
    path, summary, stderr = model
    assert {"test_accuracy", "train_accuracy", "epochs", "seconds"} <= set(summary)
    assert summary["epochs"] == 2 and summary["n_train"] == 4000 and summary["n_test"] == 1000
    assert 0.85 < summary["test_accuracy"] <= 1.0 and summary["seconds"] > 0
    assert "100%" in stderr and "embedded MNIST sample" in stderr
    loaded = load_model(path)
    assert loaded.extra["kind"] == "mnist-digits" and loaded.net.linear_layers()[0].W.shape == (48, 784)


def test_evaluate_defaults_to_the_held_out_sample(model, tmp_path):
    path, summary, _ = model
    proc = run(["evaluate", "--model", str(path)], tmp_path)
    lines = proc.stdout.strip().splitlines()
    assert "held-out" in lines[0] and "true \\ predicted" in lines[1]
    result = json.loads(lines[-1])
    assert result["n"] == 1000 and result["accuracy"] == pytest.approx(summary["test_accuracy"])
    matrix = np.array(result["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 1000 and np.trace(matrix) == round(result["accuracy"] * 1000)


def save(img: Image.Image, path: Path, **kw) -> str:
    img.save(path, **kw)
    return str(path)


def test_predict_reads_many_kinds_of_images_and_reports_bad_ones(model, tmp_path):
    path, _, _ = model
    net = load_model(path).net
    _, _, x_test, _ = sample_split()
    probs = predict_digits(net, x_test[:50] / 255.0)
    digit = x_test[int(np.argmax(probs.max(axis=1) > 0.99))]  # one the small model reads with confidence
    expected = int(predict_digits(net, digit[None] / 255.0)[0].argmax())
    big = Image.fromarray(digit).resize((280, 280), Image.Resampling.BILINEAR)
    canvas = np.zeros((280, 280, 4), np.uint8)  # a transparent canvas export: black ink in alpha only
    canvas[:, :, 3] = np.asarray(big)
    files = [
        save(Image.fromarray(digit), tmp_path / "mnist28.png"),
        save(Image.fromarray(255 - np.asarray(big)).convert("RGB"), tmp_path / "paper.jpg", quality=92),
        save(Image.fromarray(canvas, "RGBA"), tmp_path / "canvas.png"),
        save(Image.new("L", (200, 120), 255), tmp_path / "blank.png"),
        str(tmp_path / "missing.png"),
        save(Image.new("L", (5000, 20)), tmp_path / "huge.png"),
    ]
    (tmp_path / "junk.png").write_bytes(b"\x89PNG but not really")
    files.append(str(tmp_path / "junk.png"))
    proc = run(["predict", "--model", str(path), *files], tmp_path, check=False)
    assert proc.returncode == 1  # some files failed...
    answers = [json.loads(line) for line in proc.stdout.strip().splitlines()]
    assert [a["file"] for a in answers] == files  # ...and every file got its own line, in order
    good = answers[:3]
    for a in good:
        assert "error" not in a and len(a["probabilities"]) == 10 and sum(a["probabilities"]) == pytest.approx(1, abs=1e-4)
    assert good[0]["digit"] == expected
    assert [a["digit"] for a in good[1:]] == [expected, expected]  # same digit on paper and on the canvas
    assert answers[3]["digit"] is None and answers[3]["probabilities"] is None
    for a in answers[4:]:
        assert a["error"] and "digit" not in a
    assert "4096" in answers[5]["error"]
    assert "Not a readable image" in answers[6]["error"]


def test_predict_all_good_exits_zero(model, tmp_path):
    path, _, _ = model
    png = save(Image.fromarray(sample_split()[2][5]), tmp_path / "d.png")
    proc = run(["predict", "--model", str(path), png], tmp_path)
    assert json.loads(proc.stdout)["digit"] in range(10)


def test_bad_model_and_bad_arguments_get_one_clear_line(tmp_path):
    (tmp_path / "fake.npz").write_bytes(b"nope")
    proc = run(["evaluate", "--model", "fake.npz"], tmp_path, check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("error: Cannot load model") and "Traceback" not in proc.stderr
    proc = run(["train", "--hidden", "12,x", "--out", "m.npz"], tmp_path, check=False)
    assert proc.returncode == 2 and "--hidden" in proc.stderr and "Traceback" not in proc.stderr
    proc = run(["train", "--data", str(tmp_path), "--out", "m.npz"], tmp_path, check=False)
    assert proc.returncode == 2 and "train-images-idx3-ubyte" in proc.stderr and "Traceback" not in proc.stderr


def test_train_and_evaluate_on_a_directory_of_idx_files(tmp_path):
    """--data DIR uses the official-format files there instead of the sample."""
    from core.mnist.idx import idx_bytes

    x_train, y_train, x_test, y_test = sample_split()
    data = tmp_path / "mnist"
    data.mkdir()
    for name, array in (("train-images-idx3-ubyte", x_train[:600]), ("train-labels-idx1-ubyte", y_train[:600]),
                        ("t10k-images-idx3-ubyte", x_test[:200]), ("t10k-labels-idx1-ubyte", y_test[:200])):
        (data / name).write_bytes(idx_bytes(array))
    proc = run(["train", "--data", str(data), "--hidden", "32", "--epochs", "1", "--out", "m.npz"], tmp_path)
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["n_train"] == 600 and summary["n_test"] == 200 and str(data) in summary["source"]
    proc = run(["evaluate", "--model", "m.npz", "--data", str(data)], tmp_path)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["n"] == 200 and "official" in result["source"]
    assert result["accuracy"] == pytest.approx(summary["test_accuracy"])
