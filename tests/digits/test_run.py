"""A digits-page training run, without Streamlit: settings, ticks, snapshots, stopping."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import model_bytes, modelfile
from core.mnist import build_digit_net, sample_split
from playground.digits.models import MAX_MODEL_PARAMETERS, check_digit_model, frozen_copy, parameter_count
from playground.digits.run import (
    DIVERGED,
    FINISHED,
    MAX_CHUNK,
    MAX_HIDDEN_LAYERS,
    MAX_PARAMETERS,
    MAX_WIDTH,
    STOPPED,
    TRAINING,
    TrainConfig,
    advance,
    augment_copies,
    check_size,
    memory_estimate,
    parse_widths,
    start_run,
    stop,
)
from tests.markdown import markdown_risks
from tests.properties import bounded


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


@bounded(300)
@given(st.text(max_size=40) | st.lists(st.sampled_from(["1", "64", "2048", "2049", "0", "²", "٣", "9" * 5000, " ", "x"]),
                                          max_size=7).map(",".join))
def test_any_widths_text_gives_widths_or_a_safe_message(text):
    try:
        widths = parse_widths(text)
    except ValueError as err:
        assert markdown_risks(str(err)) == [] and len(str(err)) < 200, str(err)
    else:
        assert len(widths) <= MAX_HIDDEN_LAYERS and all(1 <= w <= MAX_WIDTH for w in widths)


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


class FakeClock:
    """A clock that moves only when the trainer steps: ``seconds_per_step`` per minibatch step."""

    def __init__(self, engine, seconds_per_step: float):
        self.now, self.chunks = 0.0, []
        step = engine.trainer.step

        def timed_step(k=1):
            self.now += k * seconds_per_step
            self.chunks.append(k)
            return step(k)

        engine.trainer.step = timed_step

    def __call__(self) -> float:
        return self.now


def test_a_tick_keeps_to_its_budget_and_resumes(small_data):
    engine, snap = start_run(2, TrainConfig(hidden=(), epochs=1, batch_size=60), small_data)
    part = advance(engine, snap, budget_seconds=0.0)  # no time at all: one minibatch step, then return
    assert part.status == TRAINING
    assert part.epoch == pytest.approx(60 / 600)
    assert part.history == ()
    rest = advance(engine, part, budget_seconds=60)
    assert rest.status == FINISHED and [h.epoch for h in rest.history] == [1]


@pytest.mark.parametrize(("seconds_per_step", "budget", "steps"), [
    (0.1, 0.5, 5),  # 1 step to measure, then the 4 that fit the 0.4 s left
    (2.0, 0.5, 1),  # a big network: one step per tick (a fixed chunk of 25 would have taken 50 s)
    (0.001, 0.5, 501),  # a tiny one: many steps, no more than MAX_CHUNK between looks at the clock
])
def test_the_steps_per_tick_follow_the_measured_step_time(small_data, seconds_per_step, budget, steps):
    engine, snap = start_run(8, TrainConfig(hidden=(), epochs=200, batch_size=16), small_data)
    clock = FakeClock(engine, seconds_per_step)
    advance(engine, snap, budget_seconds=budget, clock=clock)
    assert steps - 2 <= engine.trainer.steps <= steps
    assert clock.now <= budget + seconds_per_step + 1e-9  # over by at most one step
    assert clock.chunks[0] == 1 and max(clock.chunks) <= MAX_CHUNK


def test_a_busy_engine_is_not_trained_twice(small_data):
    engine, snap = start_run(3, TrainConfig(hidden=(), epochs=1), small_data)
    with engine.lock:
        assert advance(engine, snap, budget_seconds=1) is snap
    assert engine.trainer.steps == 0


def test_stop_keeps_what_was_learnt(small_data):
    engine, snap = start_run(4, TrainConfig(hidden=(), epochs=5), small_data)
    one = snap
    while not one.history:  # one step a tick, up to the end of the first epoch (a step never crosses it)
        one = advance(engine, one, budget_seconds=0.0)
    assert one.epoch == 1
    stopped = stop(one)
    assert stopped.status == STOPPED and stopped.history == one.history
    assert advance(engine, stopped, budget_seconds=5) is stopped
    assert stop(stopped) is stopped


def test_divergence_is_reported_with_advice(small_data):
    engine, snap = start_run(5, TrainConfig(hidden=(32,), epochs=2, lr=1e30, optimizer="sgd"), small_data)
    out = advance(engine, snap, budget_seconds=10)
    assert out.status == DIVERGED
    assert "learning rate" in str(out.message)
    assert out.net is snap.net  # the last good network stays usable


def test_bad_settings_are_refused(small_data):
    for config, words in ((TrainConfig(activation="swish"), "activation"), (TrainConfig(optimizer="lbfgs"), "optimizer"),
                          (TrainConfig(epochs=0), "epoch"), (TrainConfig(epochs=201), "1 to 200 epochs"),
                          (TrainConfig(activation="[x](http://e)"), "`")):
        with pytest.raises(ValueError, match=words):
            start_run(6, config, small_data)


def test_augmentation_adds_distorted_copies_within_a_row_budget(small_data):
    assert augment_copies(4000) == 4 and augment_copies(60_000) == 1 and augment_copies(100) == 4
    engine, _ = start_run(7, TrainConfig(hidden=(), epochs=1, augment=True), small_data)
    assert len(engine.trainer.x) == 5 * len(small_data[0])  # the originals and four distorted copies


def test_snapshots_hold_the_weights_only(small_data):
    engine, snap = start_run(9, TrainConfig(hidden=(64,), epochs=1), small_data)
    done = advance(engine, snap, budget_seconds=60)  # measured at the epoch's end: the live net holds activations
    live = engine.trainer.net
    assert any(getattr(layer, "x", None) is not None for layer in live.layers)
    for kept, layer in zip(done.net.linear_layers(), live.linear_layers()):
        assert np.array_equal(kept.W, layer.W) and kept.W is not layer.W
        assert kept.dW.shape == layer.dW.shape and kept.dW.strides == (0, 0)  # a zero view: no memory
        assert kept.x is None
    assert all(getattr(layer, name, None) is None for layer in done.net.layers for name in ("x", "y", "mask", "p"))
    # What a snapshot allocates, against a full copy: the weights once, not weights + gradients + caches.
    weights = sum(p.value.nbytes for p in live.parameters())
    tracemalloc.start()
    frozen = frozen_copy(live)
    slim = tracemalloc.get_traced_memory()[0]
    full = live.copy()
    both = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert weights <= slim < 1.1 * weights + 64 * 1024
    assert both - slim > 2 * weights  # net.copy(): gradients and the evaluation's activations too
    assert frozen is not full


@pytest.mark.parametrize("augment", [False, True])
def test_the_memory_estimate_covers_what_a_run_takes(small_data, augment):
    config = TrainConfig(hidden=(128,), epochs=1, augment=augment)
    tracemalloc.start()
    engine, snap = start_run(10, config, small_data)
    advance(engine, snap, budget_seconds=60)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    estimate = memory_estimate(config, len(small_data[0]), len(small_data[2]))
    assert peak <= estimate < 2.5 * peak, (peak, estimate)


def test_the_pages_parameter_cap_is_one_constant_within_what_a_model_file_holds():
    assert MAX_PARAMETERS == MAX_MODEL_PARAMETERS  # runs and uploads alike
    assert MAX_PARAMETERS <= modelfile.MAX_PARAMETERS  # every run downloads as a file that loads back


def test_the_parameter_cap_refuses_big_networks_and_the_largest_allowed_saves_and_loads():
    with pytest.raises(ValueError, match=r"784-2048-10 network has 1,628,170 weights and biases; the page trains at most 1,000"):
        check_size(TrainConfig(hidden=(2048,)))
    with pytest.raises(ValueError, match="at most 1,000,000"):
        start_run(11, TrainConfig(hidden=(1024, 1024)), (np.zeros((4, 28, 28), np.uint8), np.arange(4), None, None))
    largest = TrainConfig(hidden=(1257,))
    assert largest.n_parameters <= MAX_PARAMETERS < TrainConfig(hidden=(1258,)).n_parameters
    check_size(largest)
    net = build_digit_net(largest.hidden)
    loaded = check_digit_model(model_bytes(net))  # within a model file's caps, and the page's own
    assert parameter_count(loaded) == largest.n_parameters
