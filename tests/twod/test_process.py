"""The training process behind the live page: it trains in the background, hands over
snapshots with their frames, restarts from whatever the page gives it, stops on Pause, on
divergence and when nobody asks, and the page falls back to in-tick training at the cap."""

import io
import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from playground.twod import process as training_process
from playground.twod.config import Config
from playground.twod.model import Model
from playground.twod.presets import PRESETS
from playground.twod.process import Pacer, TrainingProcess

SPIRAL = Config(dataset="spiral", hidden=(8, 8), activations=("tanh", "tanh"))


@pytest.fixture
def process():
    proc = TrainingProcess.start()
    assert proc is not None, "a training process should start on this machine"
    yield proc
    proc.close()


def next_update(proc: TrainingProcess, model: Model, timeout: float = 30.0):
    """Ask until the child hands over a newer snapshot (or a divergence)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new, frame = proc.advance(model, wait=0.2)
        if new is not model:
            return new, frame
    raise AssertionError("the training process sent nothing")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks of 1/100 s


def weights(model: Model) -> list[np.ndarray]:
    return [p.value.copy() for p in model.trainer.net.parameters()]


def test_trains_in_the_background_and_hands_over_snapshots_with_frames(process):
    start = Model.build(SPIRAL)
    before = weights(start)
    first, frame = process.advance(start)
    assert first is start and frame is None  # the first call only starts the child
    new, frame = next_update(process, start)
    assert new.epoch > start.epoch and new.diverged is None
    assert len(new.history) == len(start.history) + 1 and new.history.epochs[-1] == new.epoch
    assert frame.epoch == new.epoch and dict(frame.metrics)["Epoch"] == str(new.epoch)
    # The data stay with the page (not sent back and forth); the old snapshot is untouched.
    assert new.trainer.x is start.trainer.x and new.trainer.y_test is start.trainer.y_test
    assert all(np.array_equal(a, b) for a, b in zip(before, weights(start)))
    assert not all(np.array_equal(a, b) for a, b in zip(before, weights(new)))
    assert Image.open(io.BytesIO(frame.map_image)).size == (400, 400)
    assert Image.open(io.BytesIO(frame.curves_image)).format == "PNG"
    # It keeps going: the next snapshot continues from the last one.
    newer, _ = next_update(process, new)
    assert newer.epoch > new.epoch and len(newer.history) == len(new.history) + 1


def test_a_snapshot_the_child_did_not_make_restarts_it(process):
    model, _ = next_update(process, process.advance(Model.build(SPIRAL))[0])
    stepped = model.trained(epochs=1)  # as the Step button does; also a settings change or Reset
    assert process.advance(stepped) == (stepped, None)
    new, _ = next_update(process, stepped)
    # Continues from the stepped snapshot: nothing of the old run's later updates slips in.
    assert new.epoch > stepped.epoch and len(new.history) == len(stepped.history) + 1
    fresh = Model.build(SPIRAL)
    process.advance(fresh)
    new, _ = next_update(process, fresh)
    assert len(new.history) == 2


def test_pause_stops_the_child_using_cpu(process):
    model = process.advance(Model.build(SPIRAL))[0]
    next_update(process, model)
    process.pause()
    time.sleep(0.3)
    used = cpu_seconds(process.pid)
    time.sleep(1.0)
    assert cpu_seconds(process.pid) - used < 0.05
    assert process.alive  # kept for the next Play


def test_divergence_is_reported_and_keeps_the_last_good_weights(process):
    preset = next(p for p in PRESETS if "diverges" in p.title)
    model = process.advance(Model.build(preset.config))[0]
    new = model
    deadline = time.monotonic() + 30
    while not new.diverged and time.monotonic() < deadline:
        new, _ = next_update(process, new)
    assert new.diverged and "learning rate" in new.diverged
    assert all(np.isfinite(w).all() for w in weights(new))


def test_the_child_pauses_when_nobody_asks_and_exits_when_idle():
    proc = TrainingProcess.start(heartbeat=0.3, idle_exit=1.5)
    try:
        model = proc.advance(Model.build(SPIRAL))[0]
        next_update(proc, model)
        time.sleep(0.6)  # no "want" for longer than the heartbeat: it stops training by itself
        used = cpu_seconds(proc.pid)
        time.sleep(0.6)
        assert cpu_seconds(proc.pid) - used < 0.05
        deadline = time.monotonic() + 10
        while proc.alive and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not proc.alive
    finally:
        proc.close()


def test_no_process_beyond_the_cap_and_close_ends_one(monkeypatch, process):
    # The cap counts every live process of this server (other tests' may not be collected yet).
    monkeypatch.setattr(training_process, "MAX_PROCESSES", sum(1 for p in training_process._live if p.alive))
    assert TrainingProcess.start() is None  # the page then trains inside its ticks
    process.close()
    assert not process.alive
    other = TrainingProcess.start()
    assert other is not None
    other.close()


def test_the_pacer_allows_pace_epochs_per_second():
    pacer = Pacer(10, epochs_done=5, now=100.0)
    assert pacer.allowance(5, now=100.05) == 0
    assert pacer.allowance(5, now=100.35) == 3
    assert pacer.allowance(8, now=100.35) == 0 and pacer.allowance(9, now=100.35) == 0
    assert Pacer(0, 5, now=100.0).allowance(5, now=100.0) is None  # max: no limit


def test_the_child_keeps_to_a_slow_pace(process):
    model = Model.build(Config(dataset="xor", hidden=(4,), activations=("tanh",), pace=10))
    process.advance(model)
    start = time.monotonic()
    deadline = start + 2.0
    while time.monotonic() < deadline:
        model, _ = process.advance(model, wait=0.1)
    elapsed = time.monotonic() - start
    # ~10 epochs a second (the core alone runs hundreds on this net)
    assert 0.5 * 10 * elapsed <= model.epoch <= 10 * elapsed + 2


def test_a_child_that_dies_is_noticed_without_an_error(process):
    model = process.advance(Model.build(SPIRAL))[0]
    next_update(process, model)
    os.kill(process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process.alive and time.monotonic() < deadline:
        assert process.advance(model, wait=0.1)[0].epoch >= model.epoch  # no exception reaches the page
    assert not process.alive
