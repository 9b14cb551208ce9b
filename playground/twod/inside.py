"""Inside the network, on the 2D page: the backprop inspector (``?view=backprop``) and the hidden
layer's space (``?view=space``).

``view_bar`` draws the view switch and the chosen view's own controls above the live views;
``paused_view`` draws the inspector or the space view in the place of the map and the curves
when training is paused. While playing, the live frame shows the map and the curves as usual,
plus the hidden space in the space view (``frame.py``); the inspector, a paused activity, then
waits: it steps through the newest network once paused. The computations live in
``core.backprop`` and ``hidden_space``, the drawings in ``views/backprop.py`` and ``views/space.py``.
"""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from core import trace_backprop
from playground.guard import never_a_traceback
from playground.i18n import N_
from playground.i18n.session import _, current_language

from . import keys, panels
from .config import WORKED
from .controls import space_controls, view_control
from .frame import MAP_PX, metric_items
from .hidden_space import SpaceUnavailable, hidden_space, unavailable
from .model import Model
from .views import backprop as bp
from .views.encoding import data_uri
from .views.fit import fit_figure
from .views.map import map_figure
from .views.space import space_figure, space_image
from .worked import BIASES_NOTE, CAPTION, MAZUR_NAMES, NAMES_CAPTION, has_his_shape

PLOT_CONFIG = {"displayModeBar": False}
PICK_COLOR = "#111111"


def view_bar(model: Model | None) -> None:
    """The view switch, and under it the chosen view's own controls (the space view's) or a word
    on what it does while playing (the inspector)."""
    view_control()
    if model is None:
        return
    config = model.config
    playing = bool(st.session_state.get(keys.PLAYING))
    if config.view == "space" and not unavailable(model):
        space_controls(tuple(config.hidden))
    elif config.view == "backprop" and playing:
        st.caption(_("The backprop inspector steps through one point on a paused network: press Pause to step through "
                     "the newest one."))
    if config.dataset == WORKED:
        st.caption(_(CAPTION))


def paused_view(model: Model, status: str) -> None:
    """The chosen inside view in the place of the map and the curves, training paused."""
    if model.config.view == "backprop":
        inspector(model, status)
    else:
        space_view(model, status)


# ---- the hidden layer's space ----------------------------------------------------------------------
@never_a_traceback(N_("the hidden layer's space"))
def space_view(model: Model, status: str) -> None:
    """The decision map on the left, the hidden layer's space on the right: the same picture as while
    playing, with the interactive chart (zoom, hover) a click away."""
    reason = unavailable(model)
    if reason:
        st.info(_(reason))
        panels.metrics_and_map(model, status)
        return
    lang = current_language()
    left, right = st.columns([1, 1])
    with left:
        panels.metrics_and_map(model, status)
    with right:
        try:
            space = hidden_space(model, lang=lang)
        except SpaceUnavailable as err:
            st.info(_(err))
            return
        st.html(space_html(space_image(space, size=MAP_PX)))
        st.caption(space.note)
        with st.expander(_("Zoom and hover (interactive chart)")):
            st.plotly_chart(space_figure(space, lang=lang), key=keys.CHART_SPACE, config=PLOT_CONFIG, width="stretch")


def space_html(png: bytes) -> str:
    """The space picture as the element the tests and the live frame know: data-testid pg-hidden-space."""
    alt = html.escape(_("the hidden layer's space"), quote=True)
    return (f'<div data-testid="pg-hidden-space"><img src="{data_uri("image/png", png)}" width="{MAP_PX}" '
            f'height="{MAP_PX}" style="max-width:100%;height:auto" alt="{alt}"></div>')


# ---- the backprop inspector ---------------------------------------------------------------------------
def _rows_of_points(model: Model) -> np.ndarray:
    """The training points as the pick map shows them: (n, 2) (for 1-D data: x and the target)."""
    data = model.data
    if model.one_d:
        return np.column_stack([data.x_train[:, 0], np.asarray(data.y_train, np.float64).reshape(len(data.x_train), -1)[:, 0]])
    return np.asarray(data.x_train[:, :2], dtype=np.float64)


def _chosen_point(model: Model) -> int:
    """The training row the inspector follows (the first one until the user picks another); new
    data or a new architecture starts over at the first point and the first step."""
    ss = st.session_state
    belongs_to = (model.config.data_key(), model.config.arch_key(), model.user_version)
    if ss.get(keys.INSPECT_FOR) != belongs_to:
        ss[keys.INSPECT_FOR] = belongs_to
        ss[keys.INSPECT_POINT] = ss[keys.INSPECT_STEP] = 0
    n = len(model.trainer.x)
    point = ss.get(keys.INSPECT_POINT, 0)
    return point if isinstance(point, int) and 0 <= point < n else 0


def pick_from_map() -> None:
    """Callback of the pick map: the training point nearest to the click."""
    ss = st.session_state
    model: Model | None = ss.get(keys.MODEL)
    state = ss.get(keys.INSPECT_MAP)
    points = getattr(getattr(state, "selection", None), "points", None) or []
    if model is None or not points:
        return
    clicked = np.array([float(points[0]["x"]), float(points[0]["y"])])
    ss[keys.INSPECT_POINT] = int(np.argmin(np.square(_rows_of_points(model) - clicked).sum(axis=1)))
    ss[keys.INSPECT_STEP] = 0


def pick_random(draw: int) -> None:
    """Callback of "Random point": the ``draw``-th seeded draw (a repeated call draws the same point)."""
    ss = st.session_state
    model: Model | None = ss.get(keys.MODEL)
    if model is None:
        return
    rng = np.random.default_rng([model.config.seed, draw])
    ss[keys.INSPECT_POINT] = int(rng.integers(len(model.trainer.x)))
    ss[keys.INSPECT_DRAWS] = draw
    ss[keys.INSPECT_STEP] = 0


def go_to_step(step: int) -> None:
    """Callback of Next and Back: the step they were drawn for (a repeated call changes nothing)."""
    st.session_state[keys.INSPECT_STEP] = step


def _pick_map(model: Model, point: int) -> None:
    data, config, lang = model.data, model.config, current_language()
    values = model.decision_values()
    if model.one_d:
        xg = np.linspace(model.extent[0], model.extent[1], len(values))
        fig = fit_figure(data.x_train[:, 0], data.y_train, xg, values, height=MAP_PX, lang=lang)
    else:
        fig = map_figure(values, model.extent, data.task, max(data.n_classes, 2), data.x_train, data.y_train,
                         discretize=config.discretize, show_test=False, height=MAP_PX, lang=lang)
    chosen = _rows_of_points(model)[point]
    fig.add_scatter(x=[chosen[0]], y=[chosen[1]], mode="markers", name=_("the inspected point"), hoverinfo="skip",
                    marker={"size": 18, "color": "rgba(0,0,0,0)", "line": {"color": PICK_COLOR, "width": 3}})
    st.plotly_chart(fig, key=keys.INSPECT_MAP, on_select=pick_from_map, selection_mode="points", config=PLOT_CONFIG,
                    width="stretch")


def _point_text(model: Model, point: int, input_names) -> str:
    x = model.trainer.x[point]
    coords = ", ".join("{name} = {value}".format(name=n, value=bp.num(v)) for n, v in zip(input_names, x))
    y = np.asarray(model.trainer.y)[point]
    if model.classification:
        # TRANSLATORS: {coords} are the point's inputs, e.g. "x1 = 0.5, x2 = -1.2".
        return _("Point {point} of {count}: {coords}, class {label}.", point=point + 1, count=len(model.trainer.x),
                 coords=coords, label=int(y))
    targets = ", ".join(bp.num(v) for v in np.ravel(y))
    return _("Point {point} of {count}: {coords}, target {target}.", point=point + 1, count=len(model.trainer.x),
             coords=coords, target=targets)


@never_a_traceback(N_("the backprop inspector"))
def inspector(model: Model, status: str) -> None:
    """Pick a training point, then step through its forward pass, loss, backward pass and update."""
    ss = st.session_state
    point = _chosen_point(model)
    trainer = model.trainer
    input_names = list(model.features_used)
    trace = trace_backprop(trainer.net, trainer.loss, trainer.x[point], np.asarray(trainer.y)[point], trainer.optimizer.lr)
    steps = bp.inspector_steps(len(trace.layers))
    index = min(max(int(ss.get(keys.INSPECT_STEP, 0)), 0), len(steps) - 1)
    step = steps[index]
    worked = model.config.dataset == WORKED and has_his_shape(model.config)  # his names fit his network only
    lang = current_language()

    for col, (label, text) in zip(st.columns(4), metric_items(model, lang)):
        col.metric(label, text)
    left, right = st.columns([2, 3])
    with left:
        st.markdown(_("**Pick a training point:** click it on the map, or draw one at random."))
        _pick_map(model, point)
        draws = int(ss.get(keys.INSPECT_DRAWS, 0))
        st.button(_("Random point"), key=keys.INSPECT_RANDOM, on_click=pick_random, args=(draws + 1,))
        st.caption(_point_text(model, point, input_names))
        st.caption(status)
    with right:
        st.html(_step_header(index, len(steps), bp.step_title(step, len(trace.layers), lang), point))
        back, forward, _rest = st.columns([1, 1, 3])
        back.button(_("Back"), key=keys.INSPECT_BACK, on_click=go_to_step, args=(index - 1,), disabled=index == 0,
                    width="stretch")
        forward.button(_("Next"), key=keys.INSPECT_NEXT, on_click=go_to_step, args=(index + 1,),
                       disabled=index == len(steps) - 1, type="primary", width="stretch")
        st.markdown(bp.step_text(step, trace, lang))
        st.plotly_chart(bp.backprop_figure(trace, step, input_names, lang=lang), key=keys.INSPECT_NET,
                        config=PLOT_CONFIG, width="stretch")
        note = bp.compact_note(trace, lang)
        if note:
            st.caption(note)
    rows = bp.step_rows(trace, step, input_names, MAZUR_NAMES if worked else None, lang=lang)
    st.dataframe(rows, key=keys.INSPECT_TABLE, hide_index=True, width="stretch",
                 height=min(36 * (len(rows) + 1) + 4, 460))
    if worked:
        st.caption(_(NAMES_CAPTION))
        if step.kind == "update":
            st.info(_(BIASES_NOTE, fixed=bp.num(trace.loss_after_weights_only), both=bp.num(trace.loss_after)))
    elif model.config.dataset != WORKED:
        st.caption(_optimizer_note(model))


def _step_header(index: int, total: int, title: str, point: int) -> str:
    """The step's heading as the element tests find: data-testid pg-backprop."""
    heading = _("Step {step} of {total}: {title}", step=index + 1, total=total, title=title)
    return ('<div data-testid="pg-backprop" data-step="{step}" data-point="{point}" style="font-size:1.15rem;'
            'font-weight:600;margin:0.25rem 0">{heading}</div>').format(step=index + 1, point=point,
                                                                      heading=html.escape(heading))


def _optimizer_note(model: Model) -> str:
    """What the inspector's step leaves out of this page's training, one sentence each."""
    config = model.config
    notes = [_("The inspector computes in float64 on the network as it is now, one point at a time: the step shown is "
               "plain gradient descent (the lesson's) at the page's learning rate.")]
    if config.optimizer != "sgd":
        notes.append(_("Training here uses {optimizer}, whose steps differ.", optimizer=config.optimizer))
    if config.reg != "none":
        notes.append(_("The regularisation is left out of ℒ here."))
    if config.batch > 1:
        notes.append(_("Training averages the gradient over {count} points per step.", count=config.batch))
    return " ".join(notes)
