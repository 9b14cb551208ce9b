"""The live part of the page: Play/Pause/Step/Reset and the ``run_every`` fragments.

While playing, the session's network trains in its own process (``training_process``),
continuously, and draws a frame (``live_frame``: metrics, decision map, curves) next to each
snapshot it hands over. Each tick of the fragment only collects the newest snapshot, swaps it
into session state in ONE assignment and shows its frame as one HTML element. So the server's
part of a refresh is a few milliseconds, training does not wait for the browser's painting,
and the fragment sends the browser one element per refresh. Without a process (too many sessions
training, a restricted host) the tick trains for a time budget itself and draws the frame.
Paused, the views are interactive plotly charts. The network in session state is never
changed in place, so a click that interrupts a tick (``runner.fastReruns``) cannot leave
half-updated weights behind.
"""

from __future__ import annotations

import functools
import logging
import time

import numpy as np
import streamlit as st

from core import make_features
from playground import charts
from playground.controls import NOTICES, PLAYING, QUIET_RESET, USER, read_config
from playground.live_frame import MAP_PX, data_uri, extent_caption, frame_html, metric_items, render_frame
from playground.network_image import network_png
from playground.state import LEARNING_RATES, Config, Model, UserData
from playground.training_process import Pacer, TrainingProcess

LOG = logging.getLogger(__name__)
VIEW_FAILED = "could not be drawn"  # tests look for this phrase: it must never show
MODEL = "pg_model"
FRAME = "pg_frame"  # (model, its LiveFrame): the frame on screen, redrawn when no newer one is ready
SPEED = "pg_speed"  # recent (tick start, epoch) of ticks that showed a new frame, for the speed readout
DRAW_COST = "pg_draw_cost"  # moving average of a frame's drawing time when the tick draws it (seconds)
TICKS = "pg_ticks"  # frames shown: ticks that found a newer snapshot
NONCE = "pg_nonce"  # bumps on every full run; the transport buttons carry it
USED_NONCE = "pg_used_nonce"
PROCESS = "pg_training_process"
NO_PROCESS = "pg_no_training_process"
PACER = "pg_pacer"  # (the last snapshot trained in a tick, its Pacer): in-tick training only
# The browser's timer (pending timer reruns of a fragment are merged into one). Measured with
# benchmarks/bench_ui.py on 2 cores: 0.07 s gives ~14 refreshes/s (target 8) and leaves the
# training process ~2x its target epochs/s; 0.04 s gave 16-21 refreshes/s but six layers of 8
# trained at ~37 epochs/s (target 30), the browser taking the CPU time.
RUN_EVERY = 0.07
# A tick without a new frame would cost the browser a re-render for nothing: wait this long for one.
FRAME_WAIT = 0.05
# The network diagram (an image while playing) refreshes once a second: ~4-16 ms of server time.
NETWORK_EVERY = 1.0
NETWORK_CAPTION = ("Links: blue positive, orange negative weights, thicker for larger |w|. Each square: "
                   "that neuron's output over the input plane.")
# Without a training process: training + drawing per tick on the server, which the browser waits for.
SERVER_SECONDS = 0.065
MIN_TRAIN_SECONDS = 0.02
MAX_TRAIN_SECONDS = 0.1
PLOT_CONFIG = {"displayModeBar": False, "staticPlot": False}


# ---- the model in session state --------------------------------------------------------------
def sync_model(config: Config) -> Model | None:
    """Bring the session's model in line with the widgets: rebuild it when the data or the
    architecture changed (and say so), else apply training settings to the same network.
    Returns None (after showing why) when the config cannot be built."""
    ss = st.session_state
    user: UserData | None = ss.get(USER)
    model: Model | None = ss.get(MODEL)
    quiet = ss.pop(QUIET_RESET, False)
    try:
        if model is None:
            ss[MODEL] = Model.build(config, user)
        elif reason := model.needs_rebuild(config, user):
            ss[MODEL] = Model.build(config, user)
            if not quiet:
                ss[NOTICES] = [*ss.get(NOTICES, []), f"Network reset: {reason}."]
        elif model.config != config:
            ss[MODEL] = model.with_settings(config)
    except ValueError as err:
        ss[PLAYING] = False
        st.warning(str(err))
        return None
    return ss[MODEL]


def _first_call(nonce: int) -> bool:
    """True once per rendered button press. Streamlit 1.67 can run a button's callback twice
    when the click is coalesced with the live fragment's timer reruns (seen in the browser:
    Pause toggled off and straight back on), so every transport button carries the nonce of
    the run that drew it, and a second call with the same nonce does nothing."""
    ss = st.session_state
    if ss.get(USED_NONCE) == nonce:
        return False
    ss[USED_NONCE] = nonce
    return True


def set_playing(playing: bool, nonce: int = -1) -> None:
    """Play (True) or Pause (False): the button passes the state it asks for, so a repeated
    call cannot flip it back."""
    ss = st.session_state
    if not _first_call(nonce):
        return
    model: Model | None = ss.get(MODEL)
    if playing and model is not None and model.diverged:
        ss[NOTICES] = ["Training diverged: reset the network (or lower the learning rate) before playing again."]
        return
    ss[PLAYING] = playing
    ss[SPEED] = ()
    if playing:
        ss.pop(NO_PROCESS, None)  # a new Play may find a free training process


def step_once(nonce: int = -1) -> None:
    """One epoch, one atomic swap."""
    model: Model | None = st.session_state.get(MODEL)
    if model is not None and _first_call(nonce):
        st.session_state[PLAYING] = False
        st.session_state[MODEL] = model.trained(epochs=1)


def reset_network(nonce: int = -1) -> None:
    ss = st.session_state
    if not _first_call(nonce):
        return
    ss[PLAYING] = False
    try:
        ss[MODEL] = Model.build(read_config(), ss.get(USER))
    except ValueError as err:
        ss[NOTICES] = [str(err)]
    ss[SPEED] = ()


def reset_lower_rate() -> None:
    """After a divergence: three steps down the learning-rate ladder, then a fresh network."""
    ss = st.session_state
    lr = float(ss.get("pg_lr", 0.03))
    index = max(0, min(range(len(LEARNING_RATES)), key=lambda i: abs(LEARNING_RATES[i] - lr)) - 3)
    ss["pg_lr"] = LEARNING_RATES[index]
    ss[PLAYING] = False
    ss[MODEL] = Model.build(read_config(), ss.get(USER))
    ss[SPEED] = ()
    ss[NOTICES] = [f"Learning rate lowered to {LEARNING_RATES[index]:g} and the network reset."]


# ---- buttons ---------------------------------------------------------------------------------
def transport_buttons(model: Model | None) -> None:
    """Play/Pause (one button whose label flips), Step, Reset."""
    ss = st.session_state
    playing = bool(ss.get(PLAYING))
    nonce = ss[NONCE] = ss.get(NONCE, 0) + 1
    play, step, reset, hint = st.columns([1, 1, 1, 5], vertical_alignment="center")
    play.button("Pause" if playing else "Play", key="pg_play", on_click=set_playing, args=(not playing, nonce),
                type="primary", width="stretch", disabled=model is None)
    step.button("Step", key="pg_step", on_click=step_once, args=(nonce,), width="stretch", disabled=model is None,
                help="Train one epoch.")
    reset.button("Reset", key="pg_reset", on_click=reset_network, args=(nonce,), width="stretch",
                 help="New start weights, epoch 0.")
    hint.caption("The address bar holds every setting: copy it to share this exact setup.")
    if model is not None and model.diverged:
        st.error(f"Training stopped. {model.diverged}", icon="⚠️")
        st.button("Reset and lower the learning rate", key="pg_fix", on_click=reset_lower_rate, type="primary")


def _guarded(view):
    """Never show a traceback: a view that fails says so in one line (the log has the details).
    Streamlit's rerun/stop signals are BaseExceptions and pass through untouched."""

    @functools.wraps(view)
    def run(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Exception as err:
            LOG.exception("playground view %s failed", view.__name__)
            st.error(f"This view {VIEW_FAILED} ({type(err).__name__}: {err}). Press Reset or reload the page.")
            return None

    return run


# ---- the fragments ------------------------------------------------------------------------------
def live_panel() -> None:
    """The views. Playing: one fragment re-runs every RUN_EVERY seconds and shows the newest
    frame (metrics, map, curves); the network diagram refreshes every NETWORK_EVERY seconds.
    Paused: metrics and interactive charts (zoom, hover)."""
    ss = st.session_state
    model: Model | None = ss.get(MODEL)
    playing = bool(ss.get(PLAYING)) and model is not None and not model.diverged
    if playing:
        st.fragment(run_every=tick_interval(model.config.pace))(_tick)()
    else:
        _pause_training()
        if model is not None:
            left, right = st.columns([1, 1])
            with left:
                _guarded(draw_paused)(model)
            with right:
                _guarded(draw_curves)(model)
    st.fragment(run_every=NETWORK_EVERY if playing else None)(_network)()


def tick_interval(pace: int) -> float:
    """Seconds between ticks: RUN_EVERY, or half an epoch's time at a slow pace (each tick
    re-renders in the browser, and at 1 epoch/s most would show nothing new)."""
    return max(RUN_EVERY, 0.5 / pace) if pace else RUN_EVERY


@_guarded
def _tick() -> None:
    ss = st.session_state
    model: Model | None = ss.get(MODEL)
    if model is None:
        return
    if not ss.get(PLAYING) or model.diverged:
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
        if ss.get(MODEL) is model:  # a click may have replaced the model meanwhile: keep that
            ss[MODEL] = new  # the one atomic update
        if new.diverged:
            ss[PLAYING] = False
            st.rerun(scope="app")  # flip the button and show the explanation
        ss[SPEED] = (*ss.get(SPEED, ())[-19:], (start, new.epoch))
        ss[TICKS] = ss.get(TICKS, 0) + 1
    model = new
    shown = ss.get(FRAME)
    if frame is None:
        if shown is not None and shown[0] is model:
            frame = shown[1]
        else:  # the first tick after a restart, or no training process: draw it here
            draw_start = time.perf_counter()
            frame = render_frame(model)
            ss[DRAW_COST] = 0.8 * ss.get(DRAW_COST, 0.02) + 0.2 * (time.perf_counter() - draw_start)
    ss[FRAME] = (model, frame)
    st.html(frame_html(frame, _speed_text()))


def _training_process() -> TrainingProcess | None:
    """The session's trainer process (started on the first tick of a Play), or None when no
    process could start (too many sessions training, a restricted host): then the tick trains
    itself, within its budget."""
    ss = st.session_state
    process: TrainingProcess | None = ss.get(PROCESS)
    if process is not None and not process.alive:
        process = ss[PROCESS] = None
    if process is None and not ss.get(NO_PROCESS):
        process = ss[PROCESS] = TrainingProcess.start()
        ss[NO_PROCESS] = process is None  # until the next Play: fall back quietly
    return process


def _train_in_tick(model: Model) -> Model:
    """Without a training process: train for this tick's budget, at most as many epochs as
    the pace allows since the pace's start (a new start whenever ``model`` is not the last
    snapshot this made: a Step, new settings, a Reset)."""
    ss = st.session_state
    last = ss.get(PACER)
    pacer = last[1] if last is not None and last[0] is model else Pacer(model.config.pace, model.epoch)
    allowed = pacer.allowance(model.epoch)
    new = model if allowed == 0 else model.trained(seconds=_budget(), max_epochs=allowed or 500)
    ss[PACER] = (new, pacer)
    return new


def _pause_training() -> None:
    process: TrainingProcess | None = st.session_state.get(PROCESS)
    if process is not None:
        process.pause()


def _budget() -> float:
    """Training seconds for a tick that trains itself (no training process). A refresh costs
    (training + drawing on the server) + (round trip and painting in the browser), one after
    the other; keeping the server's part near SERVER_SECONDS gives training most of the
    server's time, and drawing's share (measured, a moving average) comes off the budget."""
    draw = st.session_state.get(DRAW_COST, 0.02)
    return min(MAX_TRAIN_SECONDS, max(MIN_TRAIN_SECONDS, SERVER_SECONDS - draw))


@_guarded
def _network() -> None:
    model: Model | None = st.session_state.get(MODEL)
    if model is not None:
        draw_network(model, playing=bool(st.session_state.get(PLAYING)) and not model.diverged)


def _speed_text() -> str:
    ss = st.session_state
    speed = ss.get(SPEED, ())
    text = f"refresh #{ss.get(TICKS, 0)}"
    if ss.get(PLAYING) and len(speed) >= 3:
        (t0, e0), (t1, e1) = speed[0], speed[-1]
        if t1 > t0:
            text += f" · {(len(speed) - 1) / (t1 - t0):.1f} refreshes/s · {(e1 - e0) / (t1 - t0):.0f} epochs/s"
    return text


def draw_paused(model: Model) -> None:
    """Metrics and the decision map (or the curve fit for 1-D data) as an interactive chart."""
    config, data = model.config, model.data
    for col, (label, text) in zip(st.columns(4), metric_items(model)):
        col.metric(label, text)
    values = model.decision_values()
    show_test = config.show_test
    if data.x_train.shape[1] == 1:
        xg = np.linspace(model.extent[0], model.extent[1], len(values))
        fig = charts.curve_fit_figure(data.x_train[:, 0], data.y_train, xg, values,
                                      data.x_test[:, 0] if show_test else None, data.y_test if show_test else None,
                                      height=MAP_PX)
    else:
        fig = charts.decision_map_figure(values, model.extent, data.task, max(data.n_classes, 2), data.x_train,
                                         data.y_train, data.x_test, data.y_test, discretize=config.discretize,
                                         show_test=show_test, height=MAP_PX + 40)
    st.plotly_chart(fig, key="pg_chart_map", config=PLOT_CONFIG, width="stretch")
    if data.x_train.shape[1] != 1:
        st.caption(extent_caption(model.extent))
    st.caption(_speed_text())


def draw_curves(model: Model) -> None:
    """Loss (and accuracy) curves, gradient and weight norms per layer (zoom and hover)."""
    h = model.history
    st.plotly_chart(charts.loss_figure(h.epochs, h.train_loss, h.test_loss, h.train_acc, h.test_acc, height=230),
                    key="pg_chart_loss", config=PLOT_CONFIG, width="stretch")
    st.plotly_chart(charts.gradient_figure(h.epochs, h.grad_norms, h.weight_norms, model.layer_names(), height=270),
                    key="pg_chart_grads", config=PLOT_CONFIG, width="stretch")


def draw_network(model: Model, playing: bool = False) -> None:
    """The network diagram: links by weight, a small output map per neuron. Playing, one image
    (swapped in place); paused, the plotly figure with hover (weights, biases)."""
    net = model.trainer.net
    linear = net.linear_layers()
    sizes = [linear[0].nin, *[layer.nout for layer in linear]]
    feats = model.features_used
    maps = charts.neuron_maps(net, lambda p: make_features(p, feats), model.extent, res=24,
                              input_dims=model.data.x_train.shape[1])
    if playing:
        png = network_png(sizes, [layer.W for layer in linear], list(feats), maps)
        st.html(f'<img src="{data_uri("image/png", png)}" style="max-width:100%" '
                f'alt="the network" data-testid="pg-live-network">')
        st.caption(NETWORK_CAPTION + " Hover for the weights when paused.")
        return
    fig = charts.network_figure(sizes, [layer.W for layer in linear], list(feats), maps,
                                biases=[layer.b for layer in linear])
    st.plotly_chart(fig, key="pg_chart_net", config=PLOT_CONFIG, width="stretch")
    st.caption(NETWORK_CAPTION)
