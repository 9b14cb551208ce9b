"""The live part of the 2D page: the fragments that show training as it happens.

While playing, the session's network trains in the server's shared worker pool (``training/pool.py``,
``training/worker.py``), continuously and in fair turns with every other playing session, and the worker
draws a frame (``frame.py``: metrics, decision map, curves) next to each snapshot it hands over.
Each tick of the fragment only collects the newest snapshot, swaps it into session state in ONE
assignment and shows its frame as one HTML element, so the server's part of a refresh is a few
milliseconds and training does not wait for the browser's painting. Each refresh asks for the
next one (``ticker.py``: pull, not a timer) after a delay that grows with the number of sessions
playing, so a class shares the server's refreshes as it shares the workers. When every place is
taken the session waits in a queue and is told where it stands.
Without any worker (a restricted host) the tick trains for a time budget itself. Paused, the
views are interactive plotly charts (``panels.py``).
"""

from __future__ import annotations

import time

import streamlit as st

from playground.guard import never_a_traceback
from playground.i18n import N_, Message
from playground.i18n.session import _, current_language

from . import inside, keys, panels
from .budget import RefreshBudget
from .frame import curves_html, frame_html, network_png_of, render_frame
from .model import Model
from .ticker import next_tick
from .training.pool import NO_WORKER, WORKERS, Job, shared_pool
from .training.worker import Pacer

# The delay between a refresh's arrival and the request for the next one, for one person. The
# round trip and the browser's painting come on top: 0.01 s gave 14 refreshes/s and ~500 epochs/s
# on spiral 8,8 in Chromium with browser, server and worker on 2 cores (benchmarks/bench_ui.py);
# 0.045 s gave ~10 refreshes/s and ~590 epochs/s.
RUN_EVERY = 0.01
# Refreshes per second the whole server gives out, shared by the sessions playing: the interval
# grows beyond RUN_EVERY when more sessions play. The budget follows how late the ticks run and how
# many find a new frame (budget.py), up to a ceiling per training worker (each refresh costs its
# worker a frame): at 32 sessions on this 2-core machine (benchmarks/bench_load.py through ./run
# serve) the budget sits at this ceiling; 115 a worker gave the slowest session 2.9-3.7 refreshes/s
# and 12-17 epochs/s over six runs (95: 2.9-3.5 and 15-18; 150 took the epochs down to ~10).
REFRESH_BUDGET = RefreshBudget(start=60.0 * WORKERS, low=8.0, high=115.0 * WORKERS)
# A tick without a new frame would cost the browser a re-render for nothing: wait a little for one
# (the worker usually has it ready: it draws the next frame while the page waits out its delay).
FRAME_WAIT = 0.01
FRAME_WAIT_SHARE = 0.1
# The network diagram (an image while playing) refreshes about once a second, less often when many
# sessions share the server (each refresh is a fragment run on the server).
NETWORK_EVERY = 1.0
NETWORK_TICKS = 15  # at least this many map refreshes per network refresh
QUEUE_POLL = 2.0  # seconds between a queued session's looks at the queue
# Without a worker: training + drawing per tick on the server, which the browser waits for.
SERVER_SECONDS = 0.065
MIN_TRAIN_SECONDS = 0.02
MAX_TRAIN_SECONDS = 0.1
BUSY = N_("The server is busy: {playing} sessions are training, as many as it can serve smoothly. You are "
          "number {place} in the queue; training starts by itself when a place frees. (Step still works.)")


def live_panel(lecture: bool = False) -> None:
    """The views. Playing: one fragment re-runs every ``tick_interval`` seconds and shows the
    newest frame (metrics, map, curves); the network diagram refreshes about once a second (each
    fragment asks for its next run with ``ticker.next_tick``).
    Paused: metrics and interactive charts (zoom, hover). The lecture view puts the network
    beside the map; the full view puts it below the map and the curves."""
    ss = st.session_state
    model: Model | None = ss.get(keys.MODEL)
    playing = bool(ss.get(keys.PLAYING)) and model is not None and not model.diverged
    if not playing:
        pause_training()
    if model is None:
        return
    if lecture:
        main, side = st.columns([3, 2])
    else:
        main, side = st.container(), None
    with main:
        if playing:
            st.fragment(_tick)()
        elif model.config.view != "map":  # the backprop inspector or the hidden space
            inside.paused_view(model, _speed_text())
        elif lecture:
            never_a_traceback(N_("the decision map"))(panels.metrics_and_map)(model, _speed_text())
        else:
            left, right = st.columns([1, 1])
            with left:
                never_a_traceback(N_("the decision map"))(panels.metrics_and_map)(model, _speed_text())
            with right:
                never_a_traceback(N_("the training curves"))(panels.curves)(model)
    with side or st.container():
        st.fragment(_network)()
        if lecture and not playing:
            never_a_traceback(N_("the training curves"))(panels.curves)(model)


def tick_interval(pace: int, playing: int = 1) -> float:
    """Seconds between ticks: RUN_EVERY for one session, longer when ``playing`` sessions share
    the server's REFRESH_BUDGET, and at least half an epoch's time at a slow pace (each tick
    re-renders in the browser, and at 1 epoch/s most would show nothing new)."""
    interval = max(RUN_EVERY, playing / REFRESH_BUDGET.value)
    return max(interval, 0.5 / pace) if pace else interval


@never_a_traceback(N_("the live view"))
def _tick() -> None:
    ss = st.session_state
    model: Model | None = ss.get(keys.MODEL)
    if model is None:
        return
    if not ss.get(keys.PLAYING) or model.diverged:
        pause_training()
        st.rerun(scope="app")  # paused meanwhile (a click, a divergence): the full page draws the paused views
    ss[keys.TICK_SEQ] = seq = ss.get(keys.TICK_SEQ, 0) + 1
    job = _job()
    place = job.pool.place(job) if job is not None else 0
    if place:
        ss.pop(keys.LAST_TICK, None)
        st.info(_(BUSY, playing=job.pool.playing, place=place), icon="⏳")
        next_tick(keys.TICKER, QUEUE_POLL, seq)
        return
    start = time.perf_counter()
    last = ss.get(keys.LAST_TICK)
    ss[keys.LAST_TICK] = start
    frame = None
    lang = current_language()
    wait = min(FRAME_WAIT, FRAME_WAIT_SHARE * ss.get(keys.TICK_INTERVAL, RUN_EVERY))
    advance = job.advance(model, wait=wait, lang=lang) if job is not None else None
    if advance is None or advance.problem == NO_WORKER:
        new = _train_in_tick(model)
    elif advance.problem:
        ss[keys.PLAYING] = False
        # TRANSLATORS: {problem} says what went wrong (translated separately).
        ss[keys.NOTICES] = [Message("Training stopped: {problem} Press Play to try again.", problem=advance.problem)]
        st.rerun(scope="app")
    else:
        new, frame = advance.model, advance.frame
    if last is not None:
        # (At a slow pace, ticks without a new epoch are expected: they say nothing about the load.)
        fresh = new is not model or bool(model.config.pace)
        REFRESH_BUDGET.observe(start - last, ss.get(keys.TICK_INTERVAL, RUN_EVERY), fresh=fresh)
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
        if shown is not None and shown[0] is model and shown[1].lang == lang:
            frame = shown[1]
        else:  # the first tick after a restart (a new snapshot or language), or no worker: draw it here
            draw_start = time.perf_counter()
            frame = render_frame(model, lang)
            ss[keys.DRAW_COST] = 0.8 * ss.get(keys.DRAW_COST, 0.02) + 0.2 * (time.perf_counter() - draw_start)
    ss[keys.FRAME] = (model, frame)
    # The lecture view shows the curves beside the map, under the network (see _network).
    st.html(frame_html(frame, _speed_text(), with_curves=not model.config.present))
    interval = ss[keys.TICK_INTERVAL] = tick_interval(model.config.pace, job.pool.playing if job is not None else 1)
    next_tick(keys.TICKER, interval, seq)


def _job() -> Job | None:
    """The session's handle in the server's training pool (made on first use)."""
    ss = st.session_state
    job: Job | None = ss.get(keys.JOB)
    if job is None:
        job = ss[keys.JOB] = shared_pool().job()
    return job


def _train_in_tick(model: Model) -> Model:
    """Without a worker: train for this tick's budget, at most as many epochs as the pace allows
    since the pace's start (a new start whenever ``model`` is not the last snapshot this made: a
    Step, new settings, a Reset)."""
    ss = st.session_state
    last = ss.get(keys.PACER)
    pacer = last[1] if last is not None and last[0] is model else Pacer(model.config.pace, model.epoch)
    allowed = pacer.allowance(model.epoch)
    new = model if allowed == 0 else model.trained(seconds=_budget(), max_epochs=allowed or 500)
    ss[keys.PACER] = (new, pacer)
    return new


def pause_training() -> None:
    """Stop the session's training in the pool and give its place up."""
    job: Job | None = st.session_state.get(keys.JOB)
    if job is not None:
        job.pause()


def _budget() -> float:
    """Training seconds for a tick that trains itself (no worker). A refresh costs (training +
    drawing on the server) + (round trip and painting in the browser), one after the other;
    keeping the server's part near SERVER_SECONDS gives training most of the server's time, and
    drawing's share (measured, a moving average) comes off the budget."""
    draw = st.session_state.get(keys.DRAW_COST, 0.02)
    return min(MAX_TRAIN_SECONDS, max(MIN_TRAIN_SECONDS, SERVER_SECONDS - draw))


@never_a_traceback(N_("the network diagram"))
def _network() -> None:
    ss = st.session_state
    model: Model | None = ss.get(keys.MODEL)
    if model is None:
        return
    if not (ss.get(keys.PLAYING) and not model.diverged):
        panels.network(model)
        return
    job: Job | None = ss.get(keys.JOB)
    lang = current_language()
    fresh = job is not None and job.network_png is not None and job.network_lang == lang
    png = job.network_png if fresh else network_png_of(model, lang)
    panels.network_image(png, wide=model.config.present)
    shown = ss.get(keys.FRAME)
    if model.config.present and shown is not None:
        st.html(curves_html(shown[1]))
    ss[keys.NETWORK_SEQ] = seq = ss.get(keys.NETWORK_SEQ, 0) + 1
    next_tick(keys.NETWORK_TICKER, max(NETWORK_EVERY, NETWORK_TICKS * ss.get(keys.TICK_INTERVAL, RUN_EVERY)), seq)


def _speed_text() -> str:
    """The live view's status line: how many pictures were shown, then the speed."""
    ss = st.session_state
    speed = ss.get(keys.SPEED, ())
    # TRANSLATORS: the live view's status line: how many pictures were shown, then the speed.
    text = _("refresh #{count}", count=ss.get(keys.TICKS, 0))
    if ss.get(keys.PLAYING) and len(speed) >= 3:
        (t0, e0), (t1, e1) = speed[0], speed[-1]
        if t1 > t0:
            text += " · " + _("{refreshes} refreshes/s · {epochs} epochs/s", refreshes=f"{(len(speed) - 1) / (t1 - t0):.1f}",
                              epochs=f"{(e1 - e0) / (t1 - t0):.0f}")
    return text
