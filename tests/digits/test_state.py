"""What the digits page keeps (state.py): the digits follow the files on disk; a session keeps
a bounded number of runs and weights."""

from __future__ import annotations

import os

import numpy as np
import pytest

from core import Net
from playground.digits import state
from playground.digits.run import MAX_PARAMETERS, RunSnapshot, TrainConfig
from tests.core.mnist.test_idx import make_dir


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_PLAYGROUND_CACHE", str(tmp_path / "cache"))
    state._training_data.clear()
    yield tmp_path / "cache" / "mnist"
    state._training_data.clear()


def test_the_digits_follow_a_download_without_a_restart(empty_cache):
    assert state.mnist_files_on_disk() == ()
    before = state.training_data()
    assert "sample" in before.source and len(before.x_train) == 4000
    assert state.training_data() is before  # cached while nothing changes

    make_dir(empty_cache, n_train=7, n_test=3)  # what `python -m core.mnist download` leaves
    files = state.mnist_files_on_disk()
    assert len(files) == 4 and all(size > 0 for _, size, _ in files)
    after = state.training_data()
    assert len(after.x_train) == 7 and len(after.x_test) == 3 and "MNIST from" in after.source

    # A new download over the old files (same names, new content) is noticed too.
    make_dir(empty_cache, n_train=9, n_test=3)
    for name in os.listdir(empty_cache):  # make sure the times differ even on a coarse clock
        os.utime(empty_cache / name, ns=(1, 1))
    assert len(state.training_data().x_train) == 9

    # Files removed: back to the sample.
    for name in os.listdir(empty_cache):
        (empty_cache / name).unlink()
    assert "sample" in state.training_data().source


def snapshot(run_id: int, hidden: tuple[int, ...]) -> RunSnapshot:
    return RunSnapshot(run_id, TrainConfig(hidden=hidden), "finished", Net())


def test_a_session_keeps_a_bounded_number_of_runs_and_weights():
    many_small = tuple(snapshot(i, (8,)) for i in range(1, 13))
    assert [r.run_id for r in state.kept(many_small)] == list(range(5, 13))  # the newest MAX_RUNS
    big = (1200,)  # about 954,000 parameters: two fit MAX_KEPT_PARAMETERS, three do not
    assert TrainConfig(hidden=big).n_parameters <= MAX_PARAMETERS
    runs = (*many_small[:3], snapshot(4, big), snapshot(5, big), snapshot(6, big))
    kept = state.kept(runs)
    assert [r.run_id for r in kept] == [5, 6]
    assert sum(r.config.n_parameters for r in kept) <= state.MAX_KEPT_PARAMETERS
    assert state.kept((snapshot(7, big),)) != ()  # the newest run always stays
    assert np.isclose(state.MAX_KEPT_PARAMETERS, 2 * MAX_PARAMETERS)
