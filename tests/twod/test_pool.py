"""The training pool behind the live page: workers train every playing session in turns, hand
over snapshots with their frames, restart from whatever the page gives them, stop on Pause, on
divergence and when nobody asks (and go on as soon as somebody asks again), share the CPU
fairly, survive a worker's death, and queue the sessions beyond the pool's capacity."""

import contextlib
import gc
import io
import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from playground.twod.config import Config
from playground.twod.frame import network_png_of
from playground.twod.model import Model, make_grid
from playground.twod.presets import PRESETS
from playground.twod.training import channel
from playground.twod.training import pool as pool_module
from playground.twod.training import worker as worker_module
from playground.twod.training.pool import Pool
from playground.twod.training.worker import Pacer
from tests.twod.broken import broken_model

SPIRAL = Config(dataset="spiral", hidden=(8, 8), activations=("tanh", "tanh"))


@pytest.fixture
def pool():
    shared = Pool(workers=1, capacity=3, slot_ttl=1.0)
    yield shared
    shared.close()


def next_update(job, model: Model, timeout: float = 30.0, lang: str = "en"):
    """Ask until the worker hands over a newer snapshot (or a divergence or a problem)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        advance = job.advance(model, wait=0.2, lang=lang)
        if advance.model is not model or advance.problem:
            return advance
    raise AssertionError("the worker sent nothing")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def weights(model: Model) -> list[np.ndarray]:
    return [p.value.copy() for p in model.trainer.net.parameters()]


def test_trains_in_the_background_and_hands_over_snapshots_with_frames(pool):
    job = pool.job()
    start = Model.build(SPIRAL)
    before = weights(start)
    first = job.advance(start)
    assert first.model is start and first.frame is None  # the first call only starts the job
    advance = next_update(job, start)
    new, frame = advance.model, advance.frame
    assert new.epoch > start.epoch and new.diverged is None
    assert len(new.history) == len(start.history) + 1 and new.history.epochs[-1] == new.epoch
    assert frame.epoch == new.epoch and dict(frame.metrics)["Epoch"] == str(new.epoch)
    # The data stay with the page (not sent back and forth); the old snapshot is untouched.
    assert new.trainer.x is start.trainer.x and new.trainer.y_test is start.trainer.y_test
    assert all(np.array_equal(a, b) for a, b in zip(before, weights(start)))
    assert not all(np.array_equal(a, b) for a, b in zip(before, weights(new)))
    assert Image.open(io.BytesIO(frame.map_image)).size == (100, 100)  # the browser scales it to 400 px
    assert Image.open(io.BytesIO(frame.map_points)).size == (400, 400)
    assert Image.open(io.BytesIO(frame.curves_image)).format == "PNG"
    assert Image.open(io.BytesIO(job.network_png)).format == "PNG"  # drawn by the worker too
    # It keeps going: the next snapshot continues from the last one.
    newer = next_update(job, new).model
    assert newer.epoch > new.epoch and len(newer.history) == len(new.history) + 1


def test_a_change_of_language_restarts_the_job_and_reaches_the_frames(pool):
    """The worker draws the frames' text (metrics, captions, the text in the images) in the
    session's language; choosing another restarts the job, as a new snapshot does."""
    job = pool.job()
    start = Model.build(SPIRAL)
    english = next_update(job, start)
    assert english.frame.lang == "en" and dict(english.frame.metrics)["Train loss"]
    assert english.frame.map_caption.startswith("x1 from") and job.network_lang == "en"
    model = english.model
    switched = job.advance(model, lang="th")
    assert switched.model is model and switched.frame is None  # restarted from the page's snapshot
    thai = next_update(job, model, lang="th")
    assert thai.model.epoch > model.epoch and thai.frame.lang == "th"
    labels = dict(thai.frame.metrics)
    assert "loss ชุดฝึก" in labels and "Train loss" not in labels
    assert thai.frame.map_caption.startswith("x1 จาก")
    assert job.network_lang == "th"  # the restarted job's first update brings a network image in Thai
    # The worker's network image is the Thai drawing of that snapshot (its column titles differ from English).
    en_png, th_png = (network_png_of(thai.model, lang) for lang in ("en", "th"))
    assert en_png != th_png and job.network_png == th_png


def test_the_grid_is_rebuilt_in_the_worker_not_sent():
    """What a Play sends is a fraction of the snapshot: the decision map's 10,000-row grid stays."""
    model = Model.build(SPIRAL)
    assert len(channel.encode(replace(model, grid=None))) < len(channel.encode(model)) - 0.9 * model.grid.nbytes
    rebuilt = make_grid(model.extent, model.features_used, model.data.x_train.shape[1])  # as the worker does
    np.testing.assert_array_equal(rebuilt, model.grid)


def test_a_snapshot_the_worker_did_not_make_restarts_it(pool):
    job = pool.job()
    model = next_update(job, job.advance(Model.build(SPIRAL)).model).model
    stepped = model.trained(epochs=1)  # as the Step button does; also a settings change or Reset
    assert job.advance(stepped).model is stepped
    new = next_update(job, stepped).model
    # Continues from the stepped snapshot: nothing of the old run's later updates slips in.
    assert new.epoch > stepped.epoch and len(new.history) == len(stepped.history) + 1
    fresh = Model.build(SPIRAL)
    job.advance(fresh)
    assert len(next_update(job, fresh).model.history) == 2


def test_pause_stops_the_worker_using_cpu(pool):
    job = pool.job()
    model = job.advance(Model.build(SPIRAL)).model
    next_update(job, model)
    job.pause()
    time.sleep(0.3)
    used = cpu_seconds(job.worker_pid)
    time.sleep(1.0)
    assert cpu_seconds(job.worker_pid) - used < 0.05  # the worker stays, idle, for the next Play


def test_a_hidden_tab_stops_training_and_it_goes_on_when_the_tab_is_back(pool, monkeypatch):
    """The freeze this fixes: after a pause of the page's timer longer than the heartbeat,
    training never resumed until Pause and Play. Now the next tick's request starts it again."""
    job = pool.job()
    model = next_update(job, job.advance(Model.build(SPIRAL)).model).model
    time.sleep(worker_module.HEARTBEAT + 0.5)  # no requests: the tab is hidden
    used = cpu_seconds(job.worker_pid)
    time.sleep(0.6)
    assert cpu_seconds(job.worker_pid) - used < 0.05  # nobody watches: no training
    later = next_update(job, model).model  # the tab is back: the same snapshot, asked again
    assert later.epoch > model.epoch
    assert next_update(job, later).model.epoch > later.epoch  # and it keeps going


def test_divergence_is_reported_and_keeps_the_last_good_weights(pool):
    job = pool.job()
    preset = next(p for p in PRESETS if "diverges" in p.title)
    model = job.advance(Model.build(preset.config)).model
    new = model
    deadline = time.monotonic() + 30
    while not new.diverged and time.monotonic() < deadline:
        new = next_update(job, new).model
    assert new.diverged and "learning rate" in str(new.diverged)
    assert all(np.isfinite(w).all() for w in weights(new))


def test_an_unexpected_error_in_a_job_is_reported_and_the_worker_serves_the_others(pool):
    healthy, failing = pool.job(), pool.job()
    good = healthy.advance(Model.build(SPIRAL)).model
    bad = failing.advance(broken_model()).model
    advance = next_update(failing, bad)
    assert advance.problem and "RuntimeError" in str(advance.problem) and advance.model is bad
    assert next_update(healthy, good).model.epoch > good.epoch  # the same worker trains on


def test_sessions_share_a_worker_fairly(pool):
    jobs = [pool.job() for _ in range(3)]
    models = [job.advance(Model.build(SPIRAL)).model for job in jobs]
    start = [m.epoch for m in models]
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:  # every session's page asks in turn, as their ticks do
        models = [job.advance(m, wait=0.02).model for job, m in zip(jobs, models)]
    epochs = [m.epoch - s for m, s in zip(models, start)]
    assert min(epochs) > 0 and max(epochs) < 2 * min(epochs), epochs


def test_a_dead_worker_is_replaced_and_training_goes_on(pool):
    job = pool.job()
    model = next_update(job, job.advance(Model.build(SPIRAL)).model).model
    pid = job.worker_pid
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (job.worker_pid in (None, pid)):
        model = job.advance(model, wait=0.1).model
    assert job.worker_pid not in (None, pid)
    assert next_update(job, model).model.epoch > model.epoch


def test_sessions_beyond_the_capacity_queue_and_start_when_a_place_frees(pool):
    jobs = [pool.job() for _ in range(5)]  # capacity 3
    assert [pool.place(job) for job in jobs] == [0, 0, 0, 1, 2]
    assert [pool.place(job) for job in jobs] == [0, 0, 0, 1, 2]  # asking again keeps the places
    jobs[1].pause()  # a place frees: the first in the queue gets it
    assert pool.place(jobs[3]) == 0 and pool.place(jobs[4]) == 1
    assert pool.playing == 3 and pool.waiting == 1


def test_places_of_sessions_that_stop_asking_are_given_up(pool):
    jobs = [pool.job() for _ in range(4)]
    assert [pool.place(job) for job in jobs] == [0, 0, 0, 1]
    time.sleep(pool.slot_ttl + 0.2)  # the first three stop asking (tabs closed or hidden)
    assert pool.place(jobs[3]) == 0
    assert pool.place(jobs[0]) == 0  # back: there is room again


def test_a_closed_session_is_forgotten(pool):
    job = pool.job()
    assert pool.place(job) == 0
    del job  # the session ended: its handle is collected
    gc.collect()
    others = [pool.job() for _ in range(3)]
    assert [pool.place(j) for j in others] == [0, 0, 0]  # its place went back to the pool


def test_the_pacer_allows_pace_epochs_per_second():
    pacer = Pacer(10, epochs_done=5, now=100.0)
    assert pacer.allowance(5, now=100.05) == 0
    assert pacer.allowance(5, now=100.5) == 5
    assert pacer.allowance(10, now=100.5) == 0
    assert Pacer(0, 0).allowance(1000) is None  # max: no limit


def test_a_stopped_worker_never_blocks_a_session(pool, monkeypatch):
    """A worker that stops reading (here: SIGSTOP) fills its socket; sends time out, the worker is
    given up, and the session goes on with a new one instead of hanging."""
    monkeypatch.setattr(pool_module, "SEND_TIMEOUT", 0.5)
    job = pool.job()
    model = next_update(job, job.advance(Model.build(SPIRAL)).model).model
    stopped = job.worker_pid
    os.kill(stopped, signal.SIGSTOP)
    try:
        deadline = time.monotonic() + 60
        while job.worker_pid in (None, stopped) and time.monotonic() < deadline:
            started = time.monotonic()
            job.advance(Model.build(SPIRAL), wait=0.0)  # a new snapshot each time: a Play message to send
            assert time.monotonic() - started < 5.0  # never stuck on the stopped worker (a send times out in 0.5 s)
        assert job.worker_pid not in (None, stopped)
        assert next_update(job, job.advance(model).model).model.epoch > model.epoch
    finally:
        with contextlib.suppress(ProcessLookupError):  # the pool has usually killed it already
            os.kill(stopped, signal.SIGKILL)
