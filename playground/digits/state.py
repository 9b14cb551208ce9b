"""What the digits page keeps: shared read-only resources (the digits, the ready model) and
this session's runs.

The digits and the ready model are cached with ``st.cache_resource``: one copy for every
session, never modified (the arrays are made read-only). The digits are keyed on the MNIST
files on disk, so `python -m core.mnist download` shows on the next page load. A user's own
networks live only in their session state, as immutable :class:`RunSnapshot` objects replaced
in one assignment; a session keeps at most MAX_RUNS of them and MAX_KEPT_PARAMETERS weights.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from core import Net
from core.mnist import default_digit_model, load_training_data, mnist_cache_dir
from core.mnist.idx import find_official_file
from playground.i18n import Message
from playground.i18n.session import _
from playground.safe_markdown import code

from . import keys
from .run import MAX_PARAMETERS, RunEngine, RunSnapshot, TrainConfig

READY, UPLOADED = "ready", "uploaded"  # model choices besides this session's run numbers
# Older runs drop out of the session beyond either bound, so a session keeps at most 8 MB of
# weights (float32) however big its runs; the newest run always stays.
MAX_RUNS = 8
MAX_KEPT_PARAMETERS = 2 * MAX_PARAMETERS


@dataclass(frozen=True)
class DigitData:
    """Training and held-out digits: images (n, 28, 28) uint8, labels (n,) int."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str  # what core.mnist says it loaded (English)
    folder: str | None = None  # where the official files are; None: the embedded sample

    def as_tuple(self) -> tuple:
        return self.x_train, self.y_train, self.x_test, self.y_test

    def described(self) -> Message:
        """Where the digits come from, as a message for the page."""
        if self.folder is None:
            return Message("embedded MNIST sample (4,000 train / 1,000 held-out digits)")
        return Message("MNIST from {folder}", folder=code(self.folder, 200))


def _read_only(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    a.flags.writeable = False
    return a


def mnist_files_on_disk() -> tuple:
    """What ``core.mnist.load_training_data()`` would read, as (path, size, mtime) of each of
    the four official files in the cache folder; () when they are not all there (the embedded
    sample is used). A new download changes it."""
    folder = mnist_cache_dir()
    found = []
    for split in ("train", "test"):
        for kind in ("images", "labels"):
            path = find_official_file(folder, split, kind)
            if path is None:
                return ()
            try:
                info = os.stat(path)
            except OSError:
                return ()
            found.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(found)


def training_data() -> DigitData:
    """The official MNIST set if the user has it (see `python -m core.mnist download`), else
    the embedded 5,000-digit sample split 4,000 / 1,000. Read again when the files change."""
    with st.spinner(_("Loading the MNIST digits…")):  # shown only when loading takes a while (a cache miss)
        return _training_data(mnist_files_on_disk())


@st.cache_resource(show_spinner=False, max_entries=1)
def _training_data(files: tuple) -> DigitData:
    """``files`` (from :func:`mnist_files_on_disk`) is the cache key; one entry, so the digits
    read before a download are dropped."""
    x_train, y_train, x_test, y_test, source = load_training_data()
    folder = str(Path(files[0][0]).parent) if files and not source.startswith("embedded") else None
    return DigitData(*(_read_only(a) for a in (x_train, y_train, x_test, y_test)), source, folder)


@st.cache_resource(show_spinner=False)
def ready_model() -> Net:
    """The shared ready-made digit reader; only ever used for prediction."""
    return default_digit_model().eval()


def _ready_model_shown() -> Net:
    """:func:`ready_model`, saying what happens while it is prepared (the first time only)."""
    with st.spinner(_("Preparing the ready model: trained on first use only, then loaded from the cache…")):
        return ready_model()


def runs() -> tuple[RunSnapshot, ...]:
    return st.session_state.get(keys.RUNS, ())


def find_run(run_id: int) -> RunSnapshot | None:
    return next((r for r in runs() if r.run_id == run_id), None)


def engine() -> RunEngine | None:
    return st.session_state.get(keys.ENGINE)


def active_run() -> RunSnapshot | None:
    """The run being trained, if any."""
    eng = engine()
    return find_run(eng.run_id) if eng is not None else None


@dataclass(frozen=True)
class Waiting:
    """A run started but waiting for a place in the server's queue (run_queue.py)."""

    run_id: int
    config: TrainConfig
    ticket: int
    cost: int  # bytes, run.memory_estimate: what the queue counts for it


def waiting() -> Waiting | None:
    """This session's run waiting for a place, if any."""
    return st.session_state.get(keys.WAITING)


def put_run(snapshot: RunSnapshot) -> None:
    """Add or replace a run's snapshot with one assignment (no in-place change); the oldest
    runs drop out beyond MAX_RUNS runs or MAX_KEPT_PARAMETERS weights (see :func:`kept`)."""
    current = runs()
    if any(r.run_id == snapshot.run_id for r in current):
        st.session_state[keys.RUNS] = tuple(snapshot if r.run_id == snapshot.run_id else r for r in current)
    else:
        st.session_state[keys.RUNS] = kept((*current, snapshot))


def kept(all_runs: tuple[RunSnapshot, ...]) -> tuple[RunSnapshot, ...]:
    """The newest runs, oldest first, within MAX_RUNS runs and MAX_KEPT_PARAMETERS weights;
    the newest one always (a single run is within MAX_PARAMETERS)."""
    chosen, total = [], 0
    for run in reversed(all_runs):
        total += run.config.n_parameters
        if chosen and (len(chosen) >= MAX_RUNS or total > MAX_KEPT_PARAMETERS):
            break
        chosen.append(run)
    return tuple(reversed(chosen))


def next_run_id() -> int:
    queued = waiting()
    return max([r.run_id for r in runs()] + ([queued.run_id] if queued else []), default=0) + 1


def model_choices() -> dict:
    """Choice value -> label (a Message: translate it where shown) of every model the user can
    use: the ready model, this session's runs (latest first) and an uploaded model."""
    choices = {READY: Message("Ready model (trained with augmentation)")}
    choices.update({r.run_id: r.label for r in reversed(runs())})
    if keys.UPLOADED_MODEL in st.session_state:
        # Radio labels are Markdown: the file's name goes in a code span.
        choices[UPLOADED] = Message("Uploaded: {name}", name=code(st.session_state[keys.UPLOADED_MODEL][0]))
    return choices


def model_for(choice) -> tuple[str | Message, Net]:
    """The label and network of a choice from :func:`model_choices` (the ready model if it is gone)."""
    if choice == UPLOADED and keys.UPLOADED_MODEL in st.session_state:
        name, net = st.session_state[keys.UPLOADED_MODEL]
        return f"uploaded {name}", net
    run = find_run(choice) if isinstance(choice, int) else None
    if run is not None:
        return run.label, run.net
    return "ready model", _ready_model_shown()
