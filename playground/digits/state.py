"""What the digits page keeps: shared read-only resources (the digits, the ready model) and
this session's runs.

The digits and the ready model are cached with ``st.cache_resource``: one copy for every
session, never modified (the arrays are made read-only). A user's own networks live only in
their session state, as immutable :class:`RunSnapshot` objects replaced in one assignment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from core import Net
from core.mnist import default_digit_model, load_training_data
from playground.safe_markdown import code

from . import keys
from .run import RunEngine, RunSnapshot

READY, UPLOADED = "ready", "uploaded"  # model choices besides this session's run numbers
MAX_RUNS = 12  # older runs drop out of the session so memory stays bounded


@dataclass(frozen=True)
class DigitData:
    """Training and held-out digits: images (n, 28, 28) uint8, labels (n,) int."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str

    def as_tuple(self) -> tuple:
        return self.x_train, self.y_train, self.x_test, self.y_test


def _read_only(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    a.flags.writeable = False
    return a


@st.cache_resource(show_spinner="Loading the MNIST digits…")
def training_data() -> DigitData:
    """The official MNIST set if the user has it (see `python -m core.mnist download`), else
    the embedded 5,000-digit sample split 4,000 / 1,000."""
    x_train, y_train, x_test, y_test, source = load_training_data()
    return DigitData(*(_read_only(a) for a in (x_train, y_train, x_test, y_test)), source)


@st.cache_resource(show_spinner="Preparing the ready model: trained on first use only, then loaded from the cache…")
def ready_model() -> Net:
    """The shared ready-made digit reader; only ever used for prediction."""
    return default_digit_model().eval()


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


def put_run(snapshot: RunSnapshot) -> None:
    """Add or replace a run's snapshot with one assignment (no in-place change)."""
    current = runs()
    if any(r.run_id == snapshot.run_id for r in current):
        st.session_state[keys.RUNS] = tuple(snapshot if r.run_id == snapshot.run_id else r for r in current)
    else:
        st.session_state[keys.RUNS] = (*current, snapshot)[-MAX_RUNS:]


def next_run_id() -> int:
    return max((r.run_id for r in runs()), default=0) + 1


def model_choices() -> dict:
    """Choice value -> label of every model the user can use: the ready model, this
    session's runs (latest first) and an uploaded model."""
    choices = {READY: "Ready model (trained with augmentation)"}
    choices.update({r.run_id: r.label for r in reversed(runs())})
    if keys.UPLOADED_MODEL in st.session_state:
        # Radio labels are Markdown: the file's name goes in a code span.
        choices[UPLOADED] = "Uploaded: {name}".format(name=code(st.session_state[keys.UPLOADED_MODEL][0]))
    return choices


def model_for(choice) -> tuple[str, Net]:
    """The label and network of a choice from :func:`model_choices` (the ready model if it is gone)."""
    if choice == UPLOADED and keys.UPLOADED_MODEL in st.session_state:
        name, net = st.session_state[keys.UPLOADED_MODEL]
        return f"uploaded {name}", net
    run = find_run(choice) if isinstance(choice, int) else None
    if run is not None:
        return run.label, run.net
    return "ready model", ready_model()
