"""The live part of the 2D page: the ``run_every`` fragments that show training as it happens.

While playing, the session's network trains in its own process (``process.py``), continuously,
and draws a frame (``frame.py``: metrics, decision map, curves) next to each snapshot it hands
over. Each tick of the fragment only collects the newest snapshot, swaps it into session state
in ONE assignment and shows its frame as one HTML element. So the server's part of a refresh is
a few milliseconds, training does not wait for the browser's painting, and the fragment sends
the browser one element per refresh. Without a process (too many sessions training, a
restricted host) the tick trains for a time budget itself and draws the frame. Paused, the
views are interactive plotly charts (``panels.py``).
"""

from __future__ import annotations

import time

import streamlit as st

from playground.guard import never_a_traceback

from . import inside, keys, panels
from .frame import frame_html, render_frame
from .model import Model
from .process import Pacer, TrainingProcess

# The browser's timer (pending timer reruns of a fragment are merged into one). Measured with
# benchmarks/bench_ui.py on 2 cores: 0.07 s gives ~14 refreshes/s (target 8) and leaves the
# training process ~2x its target epochs/s; 0.04 s gave 16-21 refreshes/s but six layers of 8
# trained at ~37 epochs/s (target 30), the browser taking the CPU time.
RUN_EVERY = 0.07
# A tick without a new frame would cost the browser a re-render for nothing: wait this long for one.
FRAME_WAIT = 0.05
# The network diagram (an image while playing) refreshes once a second: ~4-16 ms of server time.
NETWORK_EVERY = 1.0
# Without a training process: training + drawing per tick on the server, which the browser waits for.
SERVER_SECONDS = 0.065
MIN_TRAIN_SECONDS = 0.02
MAX_TRAIN_SECONDS = 0.1


def live_panel() -> None:
    """The views. Playing: one fragment re-runs every RUN_EVERY seconds and shows the newest
    frame (metrics, map, curves); the network diagram refreshes every NETWORK_EVERY seconds.
    Paused: metrics and interactive charts (zoom, hover)."""
    ss = st.session_state
    model: Model | None = ss.get(keys.MODEL)
    playing = bool(ss.get(keys.PLAYING)) and model is not None and not model.diverged
    if playing:
        st.fragment(run_every=tick_interval(model.config.pace))(_tick)()
    else:
        _pause_training()
        if model is not None and model.config.view != "map":  # inside-network: the inspector or the hidden space
            inside.paused_view(model, _speed_text())
        elif model is not None:
            left, right = st.columns([1, 1])
            with left:
                never_a_traceback("the decision map")(panels.metrics_and_map)(model, _speed_text())
            with right:
                never_a_traceback("the training curves")(panels.curves)(model)
    st.fragment(run_every=NETWORK_EVERY if playing else None)(_network)()


def tick_interval(pace: int) -> float:
    """Seconds between ticks: RUN_EVERY, or half an epoch's time at a slow pace (each tick
    re-renders in the browser, and at 1 epoch/s most would show nothing new)."""
    return max(RUN_EVERY, 0.5 / pace) if pace else RUN_EVERY


@never_a_traceback("the live view")
def _tick() -> None:
    ss = st.session_state
    model: Model | None = ss.get(keys.MODEL)
    if model is None:
        return
    if not ss.get(keys.PLAYING) or model.diverged:
        _pause_training()
        st.rerun(scope="app")  # paused meanwhile (a click, a divergence): the full page draws the paused views
    process = _training_process()
    start = time.perf_counter()
    frame = None
    if process is not None:
        new, frame = process.advance(model, wait=FRAME_WAIT)
    else:
        new = _train_in_tick(model)
    if new is not model:
        if ss.get(keys.MODEL) is model:  # a click may have replaced the model meanwhile: keep that
            ss[keys.MODEL] = new  # the one atomic update
        if new.diverged:
            ss[keys.PLAYING] = False
            st.rerun(scope="app")  # flip the button and show the explanation
        ss[keys.SPEED] = (*ss.get(keys.SPEED, ())[-19:], (start, new.epoch))
        ss[keys.TICKS] = ss.get(keys.TICKS, 0) + 1
    model = new
    shown = ss.get(keys.FRAME)
    if frame is None:
        if shown is not None and shown[0] is model:
            frame = shown[1]
        else:  # the first tick after a restart, or no training process: draw it here
            draw_start = time.perf_counter()
            frame = render_frame(model)
            ss[keys.DRAW_COST] = 0.8 * ss.get(keys.DRAW_COST, 0.02) + 0.2 * (time.perf_counter() - draw_start)
    ss[keys.FRAME] = (model, frame)
    st.html(frame_html(frame, _speed_text()))


def _training_process() -> TrainingProcess | None:
    """The session's trainer process (started on the first tick of a Play), or None when no
    process could start (too many sessions training, a restricted host): then the tick trains
    itself, within its budget."""
    ss = st.session_state
    process: TrainingProcess | None = ss.get(keys.PROCESS)
    if process is not None and not process.alive:
        process = ss[keys.PROCESS] = None
    if process is None and not ss.get(keys.NO_PROCESS):
        process = ss[keys.PROCESS] = TrainingProcess.start()
        ss[keys.NO_PROCESS] = process is None  # until the next Play: fall back quietly
    return process


def _train_in_tick(model: Model) -> Model:
    """Without a training process: train for this tick's budget, at most as many epochs as
    the pace allows since the pace's start (a new start whenever ``model`` is not the last
    snapshot this made: a Step, new settings, a Reset)."""
    ss = st.session_state
    last = ss.get(keys.PACER)
    pacer = last[1] if last is not None and last[0] is model else Pacer(model.config.pace, model.epoch)
    allowed = pacer.allowance(model.epoch)
    new = model if allowed == 0 else model.trained(seconds=_budget(), max_epochs=allowed or 500)
    ss[keys.PACER] = (new, pacer)
    return new


def _pause_training() -> None:
    process: TrainingProcess | None = st.session_state.get(keys.PROCESS)
    if process is not None:
        process.pause()


def _budget() -> float:
    """Training seconds for a tick that trains itself (no training process). A refresh costs
    (training + drawing on the server) + (round trip and painting in the browser), one after
    the other; keeping the server's part near SERVER_SECONDS gives training most of the
    server's time, and drawing's share (measured, a moving average) comes off the budget."""
    draw = st.session_state.get(keys.DRAW_COST, 0.02)
    return min(MAX_TRAIN_SECONDS, max(MIN_TRAIN_SECONDS, SERVER_SECONDS - draw))


@never_a_traceback("the network diagram")
def _network() -> None:
    model: Model | None = st.session_state.get(keys.MODEL)
    if model is not None:
        panels.network(model, playing=bool(st.session_state.get(keys.PLAYING)) and not model.diverged)


def _speed_text() -> str:
    ss = st.session_state
    speed = ss.get(keys.SPEED, ())
    text = f"refresh #{ss.get(keys.TICKS, 0)}"
    if ss.get(keys.PLAYING) and len(speed) >= 3:
        (t0, e0), (t1, e1) = speed[0], speed[-1]
        if t1 > t0:
            text += f" · {(len(speed) - 1) / (t1 - t0):.1f} refreshes/s · {(e1 - e0) / (t1 - t0):.0f} epochs/s"
    return text
