"""The live part of the page: Play/Pause/Step/Reset and the ``run_every`` fragments.

Each tick of the fast fragment trains for a time budget (``Trainer.run_for`` on a copy of
the network, see ``Model.trained``), swaps the new snapshot into session state in ONE
assignment, then draws the metrics and the decision map once. Training is decoupled from
drawing: a tick runs as many whole epochs as fit its budget, however long drawing takes.
The heavier views live in slower fragments: while playing, the curves and gradient
norms are one Pillow image a second and the network diagram a plotly figure every few seconds
(plotly re-mounts were most of the browser's work per second). The network in session
state is never changed in place, so a click that interrupts a tick (``runner.fastReruns``)
cannot leave half-updated weights behind.
"""

from __future__ import annotations

import base64
import functools
import logging
import time

import numpy as np
import streamlit as st

from core import make_features
from playground import charts
from playground.controls import NOTICES, PLAYING, QUIET_RESET, USER, read_config
from playground.mapimage import curves_png, map_jpeg
from playground.state import LEARNING_RATES, Config, Model, UserData

LOG = logging.getLogger(__name__)
VIEW_FAILED = "could not be drawn"  # tests look for this phrase: it must never show
MODEL = "pg_model"
SPEED = "pg_speed"  # recent (tick start, training seconds, epoch) for the speed readout
DRAW_COST = "pg_draw_cost"  # moving average of the fast view's drawing time (seconds)
TICKS = "pg_ticks"
NONCE = "pg_nonce"  # bumps on every full run; the transport buttons carry it
USED_NONCE = "pg_used_nonce"
# The browser's timer. Pending timer reruns of a fragment are merged into one, and measured
# in headless Chromium a tick's server time adds to the refresh period (it does not overlap
# with the browser's painting), so a short interval just means little idle time between ticks.
RUN_EVERY = 0.04
SLOW_EVERY = 1.0  # curves and gradients: one Pillow image while playing (plotly charts when paused)
# The network diagram stays a plotly figure (its neuron maps, links by weight); re-mounting it costs the
# browser ~150 ms of main thread per redraw (measured with Chromium's CPU profiler), so it refreshes less often.
NETWORK_EVERY = 3.0
# Training + drawing per tick on the server. It adds to the refresh period: the browser idles meanwhile, and
# training in a thread during the browser's painting did not help (both cores are busy: Chromium alone takes
# most of one). Measured with benchmarks/bench_ui.py on 2 cores, browser and server on the same machine:
# 0.045 s gave ~6.6-8 refreshes/s but 40-55 epochs/s on spiral 8,8; 0.065 s ~6-6.5 refreshes/s with
# ~48 (spiral 8,8), ~38 (six layers of 8) and ~85 (xor 4) epochs/s; 0.09 s ~5 refreshes/s.
SERVER_SECONDS = 0.065
MIN_TRAIN_SECONDS = 0.02
MAX_TRAIN_SECONDS = 0.1
MAP_PX = 400
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
    """The views. While playing, the fast fragment re-runs every RUN_EVERY seconds (train for
    the time budget, then redraw metrics and the decision map); the slower charts (curves,
    gradients, the network with its neuron maps) re-run every SLOW_EVERY seconds."""
    ss = st.session_state
    model: Model | None = ss.get(MODEL)
    playing = bool(ss.get(PLAYING)) and model is not None and not model.diverged
    left, right = st.columns([1, 1])
    with left:
        st.fragment(run_every=RUN_EVERY if playing else None)(_tick)()
    with right:
        st.fragment(run_every=SLOW_EVERY if playing else None)(_curves)()
    st.fragment(run_every=NETWORK_EVERY if playing else None)(_network)()


@_guarded
def _tick() -> None:
    ss = st.session_state
    model: Model | None = ss.get(MODEL)
    if model is None:
        return
    playing = bool(ss.get(PLAYING)) and not model.diverged
    if playing:
        start = time.perf_counter()
        new = model.trained(seconds=_budget())
        if ss.get(MODEL) is model:  # a click may have replaced the model meanwhile: keep that
            ss[MODEL] = new  # the one atomic update
        model = new
        if model.diverged:
            ss[PLAYING] = False
            st.rerun(scope="app")  # flip the button and show the explanation
        ss[SPEED] = (*ss.get(SPEED, ())[-19:], (start, time.perf_counter() - start, model.epoch))
        ss[TICKS] = ss.get(TICKS, 0) + 1
    start = time.perf_counter()
    draw_fast(model, playing)
    if playing:
        ss[DRAW_COST] = 0.8 * ss.get(DRAW_COST, 0.02) + 0.2 * (time.perf_counter() - start)


def _budget() -> float:
    """Training seconds for this tick. A refresh costs (training + drawing on the server) +
    (round trip and painting in the browser), one after the other. Keeping the server's part
    near SERVER_SECONDS gives training most of the server's time while the browser's part
    sets the refresh rate; drawing's share (measured, a moving average) comes off the
    training budget. See benchmarks/bench_ui.py for the trade-off measured."""
    draw = st.session_state.get(DRAW_COST, 0.02)
    return min(MAX_TRAIN_SECONDS, max(MIN_TRAIN_SECONDS, SERVER_SECONDS - draw))


@_guarded
def _curves() -> None:
    model: Model | None = st.session_state.get(MODEL)
    if model is not None:
        draw_curves(model, playing=bool(st.session_state.get(PLAYING)) and not model.diverged)


@_guarded
def _network() -> None:
    model: Model | None = st.session_state.get(MODEL)
    if model is not None:
        draw_network(model)


def _speed_text() -> str:
    ss = st.session_state
    speed = ss.get(SPEED, ())
    text = f"refresh #{ss.get(TICKS, 0)}"
    if ss.get(PLAYING) and len(speed) >= 3:
        (t0, _, e0), (t1, _, e1) = speed[0], speed[-1]
        if t1 > t0:
            text += f" · {(len(speed) - 1) / (t1 - t0):.1f} refreshes/s · {(e1 - e0) / (t1 - t0):.0f} epochs/s"
    return text


def draw_fast(model: Model, playing: bool) -> None:
    """Metrics and the decision map (or the curve fit for 1-D data)."""
    config, data = model.config, model.data
    m = model.metrics()
    cols = st.columns(4)
    cols[0].metric("Epoch", f"{m['epoch']}")
    cols[1].metric("Train loss", f"{m['train_loss']:.4f}")
    cols[2].metric("Test loss", "–" if m["test_loss"] is None else f"{m['test_loss']:.4f}")
    if m["test_accuracy"] is not None:
        cols[3].metric("Test accuracy", f"{m['test_accuracy']:.1%}")
    values = model.decision_values()
    show_test = config.show_test
    if data.x_train.shape[1] == 1:
        xg = np.linspace(model.extent[0], model.extent[1], len(values))
        fig = charts.curve_fit_figure(data.x_train[:, 0], data.y_train, xg, values,
                                      data.x_test[:, 0] if show_test else None, data.y_test if show_test else None,
                                      height=MAP_PX)
        st.plotly_chart(fig, key="pg_chart_map", config=PLOT_CONFIG, width="stretch")
    elif playing:
        # While playing: one small inline image, swapped in place. It rides in the same message
        # as the metrics (st.image would cost the browser one more HTTP request per refresh),
        # and the browser's share of a refresh stays small.
        jpeg = map_jpeg(values, model.extent, data.task, max(data.n_classes, 2), data.x_train, data.y_train,
                        data.x_test, data.y_test, discretize=config.discretize, show_test=show_test, size=MAP_PX)
        st.html(f'<img src="data:image/jpeg;base64,{base64.b64encode(jpeg).decode()}" width="{MAP_PX}" '
                f'height="{MAP_PX}" alt="decision map" data-testid="pg-live-map">')
        st.caption(_extent_caption(model.extent))
    else:
        fig = charts.decision_map_figure(values, model.extent, data.task, max(data.n_classes, 2), data.x_train,
                                         data.y_train, data.x_test, data.y_test, discretize=config.discretize,
                                         show_test=show_test, height=MAP_PX + 40)
        st.plotly_chart(fig, key="pg_chart_map", config=PLOT_CONFIG, width="stretch")
    st.caption(_speed_text())


def _extent_caption(extent) -> str:
    xmin, xmax, ymin, ymax = extent
    return f"x1 from {xmin:g} to {xmax:g} (left to right), x2 from {ymin:g} to {ymax:g} (bottom to top)"


def draw_curves(model: Model, playing: bool = False) -> None:
    """Loss (and accuracy) curves, gradient and weight norms per layer: plotly charts (zoom,
    hover) when paused; while playing one small image, which the browser swaps in place
    (re-mounting the two plotly charts took ~300 ms of the browser's main thread a second)."""
    h = model.history
    if playing:
        png = curves_png(h.epochs, h.train_loss, h.test_loss, h.train_acc, h.test_acc, h.grad_norms, h.weight_norms,
                         model.layer_names())
        st.image(png, caption="Loss and accuracy; gradient and weight norms per layer (zoom and hover when stopped)")
        return
    st.plotly_chart(charts.loss_figure(h.epochs, h.train_loss, h.test_loss, h.train_acc, h.test_acc, height=230),
                    key="pg_chart_loss", config=PLOT_CONFIG, width="stretch")
    st.plotly_chart(charts.gradient_figure(h.epochs, h.grad_norms, h.weight_norms, model.layer_names(), height=270),
                    key="pg_chart_grads", config=PLOT_CONFIG, width="stretch")


def draw_network(model: Model) -> None:
    """The network diagram: links by weight, a small output map per neuron."""
    net = model.trainer.net
    linear = net.linear_layers()
    sizes = [linear[0].nin, *[layer.nout for layer in linear]]
    feats = model.features_used
    maps = charts.neuron_maps(net, lambda p: make_features(p, feats), model.extent, res=24,
                              input_dims=model.data.x_train.shape[1])
    fig = charts.network_figure(sizes, [layer.W for layer in linear], list(feats), maps,
                                biases=[layer.b for layer in linear])
    st.plotly_chart(fig, key="pg_chart_net", config=PLOT_CONFIG, width="stretch")
