"""Models on the digits page: upload checks, scoring, reading one picture."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from core import ModelFileError, mlp, model_bytes
from core.mnist import build_digit_net
from playground.digits.models import (
    Evaluation,
    check_digit_model,
    evaluate_digits,
    frozen_copy,
    parameter_count,
    read_digit,
)
from tests import ROOT
from tests.digits.helpers import hostile_model_file


def test_an_uploaded_model_must_read_digits():
    good = check_digit_model(model_bytes(build_digit_net((8,), seed=1)))
    assert (good.n_inputs, good.n_outputs) == (784, 10)
    with pytest.raises(ModelFileError, match="784 inputs"):
        check_digit_model(model_bytes(mlp(2, [3], 2)))
    with pytest.raises(ModelFileError):
        check_digit_model(b"this is not a model file")
    with pytest.raises(ModelFileError, match="larger"):
        check_digit_model(model_bytes(build_digit_net((8,))), max_bytes=100)


def test_worst_mistakes_come_most_confident_first():
    probabilities = np.array([
        [0.9, 0.1],  # right
        [0.6, 0.4],  # wrong, 0.6 sure
        [0.05, 0.95],  # wrong, 0.95 sure
        [0.2, 0.8],  # right
    ])
    result = Evaluation(probabilities, probabilities.argmax(axis=1), np.array([0, 1, 0, 1]))
    assert result.accuracy == 0.5
    assert result.worst_mistakes().tolist() == [2, 1]
    assert result.worst_mistakes(limit=1).tolist() == [2]


def test_evaluate_digits_scores_every_image():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=20)
    result = evaluate_digits(build_digit_net((8,)), images, labels)
    assert result.probabilities.shape == (20, 10)
    assert np.allclose(result.probabilities.sum(axis=1), 1, atol=1e-5)
    assert result.accuracy == pytest.approx(np.mean(result.predicted == labels))


def test_read_digit_blank_and_drawn():
    net = build_digit_net((8,))
    blank = np.zeros((280, 280, 4), dtype=np.uint8)
    assert read_digit(net, blank).digit is None
    assert read_digit(net, None).digit is None
    drawn = blank.copy()
    drawn[..., 3] = 255
    drawn[60:220, 130:148, :3] = 255  # a white bar: a "1"
    reading = read_digit(net, drawn)
    assert reading.image.shape == (28, 28) and reading.image.max() == pytest.approx(1.0)
    assert reading.digit == int(np.argmax(reading.probabilities))
    assert reading.probabilities.sum() == pytest.approx(1, abs=1e-5)


def test_uploads_beyond_the_pages_parameter_cap_are_refused_and_kept_ones_are_slim():
    with pytest.raises(ModelFileError, match=r"1,033,510 weights and biases; the page reads models of up to 1,000,000"):
        check_digit_model(model_bytes(build_digit_net((1300,))))
    net = check_digit_model(model_bytes(build_digit_net((64,))))
    assert parameter_count(net) == 785 * 64 + 65 * 10
    assert all(layer.dW.strides == (0, 0) for layer in net.linear_layers())  # no gradient memory


def test_predictions_leave_no_caches_on_a_kept_network():
    net = frozen_copy(build_digit_net((32,)))
    images = np.zeros((50, 28, 28), np.float32)
    evaluate_digits(net, images, np.zeros(50, int))
    read_digit(net, np.pad(np.ones((12, 4)), 8))
    assert all(getattr(layer, name, None) is None for layer in net.layers for name in ("x", "y", "mask", "p"))


def test_a_model_file_declaring_8_gb_is_refused_within_1_gib():
    """The hostile file of issue 10, in a process limited to 1 GiB of address space: the loader
    either refuses it from its headers or fails to allocate; either way the page gets an
    exception it turns into a message (draw.take_uploaded_model), and nothing is resident."""
    raw = hostile_model_file()
    assert len(raw) < 2000
    script = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
        from playground.digits.models import check_digit_model
        try:
            check_digit_model(sys.stdin.buffer.read())
            outcome = "loaded"
        except Exception as exc:  # MemoryError included
            outcome = type(exc).__name__
        # VmHWM: this process's own peak. (ru_maxrss would report pytest's peak: Linux carries the
        # parent's high-water mark across fork and exec, so it failed whenever pytest had grown.)
        peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
        print(outcome, peak_kb // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", script], input=raw, capture_output=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    outcome, peak_mb = done.stdout.decode().split()
    print(outcome, peak_mb, "MB resident at most")
    assert outcome in ("ModelFileError", "MemoryError")
    assert int(peak_mb) < 400
