"""A digits-page training run, without Streamlit: settings, ticks, snapshots, stopping."""

from __future__ import annotations

import numpy as np
import pytest

from core.mnist import build_digit_net, sample_split
from playground.digits.run import (
    DIVERGED,
    FINISHED,
    STOPPED,
    TRAINING,
    TrainConfig,
    advance,
    augment_copies,
    parse_widths,
    start_run,
    stop,
)


@pytest.fixture(scope="module")
def small_data():
    x_train, y_train, x_test, y_test = sample_split()
    return x_train[:600], y_train[:600], x_test[:200], y_test[:200]


def test_parse_widths():
    assert parse_widths("256, 128") == (256, 128)
    assert parse_widths(" 100 ") == (100,)
    assert parse_widths("") == ()
    for bad in ("abc", "0", "100,-5", "3000", "1,2,3,4,5,6"):
        with pytest.raises(ValueError, match=r"Hidden widths|At most"):
            parse_widths(bad)


def test_config_describes_the_labs_networks():
    assert TrainConfig(hidden=()).architecture == "784-10"
    assert TrainConfig(hidden=(100, 50)).architecture == "784-100-50-10"
    assert TrainConfig(hidden=()).hidden_activation == "none"
    assert TrainConfig(hidden=()).n_parameters == 785 * 10
    assert TrainConfig(hidden=(100,)).n_parameters == 785 * 100 + 101 * 10
    assert TrainConfig(hidden=(100,)).n_parameters == sum(p.value.size for p in build_digit_net((100,)).parameters())


def test_a_run_trains_to_its_epoch_count_and_records_each_epoch(small_data):
    config = TrainConfig(hidden=(32,), epochs=2, lr=3e-3, batch_size=32)
    engine, first = start_run(1, config, small_data, "sample")
    assert first.status == TRAINING and first.history == () and first.progress == 0
    done = advance(engine, first, budget_seconds=60)
    assert done.status == FINISHED and done.progress == 1
    assert [h.epoch for h in done.history] == [1, 2]
    last = done.last
    assert 0.5 < last.val_accuracy <= 1 and 0.5 < last.train_accuracy <= 1  # 10 classes: chance is 0.1
    assert len(last.max_abs_weights) == 2 and all(w > 0 for w in last.max_abs_weights)
    # The snapshot holds a frozen copy of the trained network, and the old snapshot is untouched.
    assert done.net is not engine.trainer.net
    assert np.array_equal(done.net.linear_layers()[0].W, engine.trainer.net.linear_layers()[0].W)
    assert first.history == () and first.status == TRAINING
    row = done.table_row()
    assert row["network"] == "784-32-10" and row["epochs"] == 2 and row["val acc"] == last.val_accuracy


def test_a_tick_keeps_to_its_budget_and_resumes(small_data):
    engine, snap = start_run(2, TrainConfig(hidden=(), epochs=1, batch_size=60), small_data)
    part = advance(engine, snap, budget_seconds=0.0, chunk=2)  # one chunk of two minibatches, then return
    assert part.status == TRAINING
    assert part.epoch == pytest.approx(120 / 600)
    assert part.history == ()
    rest = advance(engine, part, budget_seconds=60, chunk=2)
    assert rest.status == FINISHED and [h.epoch for h in rest.history] == [1]


def test_a_busy_engine_is_not_trained_twice(small_data):
    engine, snap = start_run(3, TrainConfig(hidden=(), epochs=1), small_data)
    with engine.lock:
        assert advance(engine, snap, budget_seconds=1) is snap
    assert engine.trainer.steps == 0


def test_stop_keeps_what_was_learnt(small_data):
    engine, snap = start_run(4, TrainConfig(hidden=(), epochs=5), small_data)
    one = advance(engine, snap, budget_seconds=0.0, chunk=1000)  # exactly one epoch (the chunk stops at its end)
    stopped = stop(one)
    assert stopped.status == STOPPED and stopped.history == one.history
    assert advance(engine, stopped, budget_seconds=5) is stopped
    assert stop(stopped) is stopped


def test_divergence_is_reported_with_advice(small_data):
    engine, snap = start_run(5, TrainConfig(hidden=(32,), epochs=2, lr=1e30, optimizer="sgd"), small_data)
    out = advance(engine, snap, budget_seconds=10)
    assert out.status == DIVERGED
    assert "learning rate" in out.message
    assert out.net is snap.net  # the last good network stays usable


def test_bad_settings_are_refused(small_data):
    for config, words in ((TrainConfig(activation="swish"), "activation"), (TrainConfig(optimizer="lbfgs"), "optimizer"),
                          (TrainConfig(epochs=0), "epoch")):
        with pytest.raises(ValueError, match=words):
            start_run(6, config, small_data)


def test_augmentation_adds_distorted_copies_within_a_row_budget(small_data):
    assert augment_copies(4000) == 4 and augment_copies(60_000) == 1 and augment_copies(100) == 4
    engine, _ = start_run(7, TrainConfig(hidden=(), epochs=1, augment=True), small_data)
    assert len(engine.trainer.x) == 5 * len(small_data[0])  # the originals and four distorted copies
