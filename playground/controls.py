"""Widgets -> one :class:`Config`, kept in the URL.

Every widget has a ``pg_*`` key and takes its value from session state (never ``value=``),
so the URL, presets and the widgets all go through one path: ``apply_config`` writes a
config into the widget keys, ``read_config`` reads it back. The URL binding is done by hand
with ``st.query_params`` (instead of ``bind="query-params"``) so that malformed or
out-of-range parameters are clamped or ignored *with a notice*, and so a whole config
(per-layer widths and activations included) round-trips as a handful of short parameters.
"""

from __future__ import annotations

import streamlit as st

from core.datasets import MULTICLASS
from playground.presets import PRESETS
from playground.state import (
    ACTIVATION_NAMES,
    BATCH_RANGE,
    CUSTOM,
    DATASETS,
    FEATURE_NAMES,
    LEARNING_RATES,
    MAX_LAYERS,
    MAX_NEURONS,
    NOISE_RANGE,
    ONE_D,
    OPTIMIZER_NAMES,
    PACES,
    POINTS_RANGE,
    REG_RATES,
    REGRESSION_LOSSES,
    REGULARIZERS,
    SEED_RANGE,
    TRAIN_RANGE,
    Config,
)
from playground.userdata import UserDataError, clicked_data, parse_csv, points_from_canvas

PLAYING = "pg_playing"
USER = "pg_user"  # the user's own data (UserData); never in the URL
NOTICES = "pg_notices"  # one-off messages shown at the top of the next run
QUIET_RESET = "pg_quiet_reset"  # a preset says what it loaded: no extra "network reset" notice
LAST_CONFIG = "pg_last_config"
DATASET_LABELS = {
    "circle": "Circle", "xor": "Exclusive or (XOR)", "gauss": "Two Gaussians", "spiral": "Spiral",
    "moons": "Two moons", "blobs": "Blobs (k classes)", "plane": "Plane (regression)",
    "multi_gaussian": "Multi-Gaussian (regression)", "curve": "Curve, 1-D (regression)", CUSTOM: "Your own data",
}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}
REG_LABELS = {"none": "None", "l1": "L1", "l2": "L2"}


def widget_values(config: Config) -> dict:
    """The widget keys and values that show ``config``."""
    same = len(set(config.activations)) <= 1
    values = {
        "pg_dataset": config.dataset, "pg_n_points": config.n_points, "pg_noise": config.noise,
        "pg_train_pct": config.train_pct, "pg_seed": config.seed, "pg_k": config.n_classes,
        "pg_show_test": config.show_test, "pg_discretize": config.discretize, "pg_features": list(config.features),
        "pg_layers": len(config.hidden), "pg_same_act": same,
        "pg_act_all": config.activations[0] if config.activations else "tanh",
        "pg_lr": config.lr, "pg_batch": config.batch, "pg_opt": config.optimizer, "pg_reg": config.reg,
        "pg_rr": config.reg_rate, "pg_loss": config.loss, "pg_pace": config.pace,
    }
    for i, (units, act) in enumerate(zip(config.hidden, config.activations)):
        values[f"pg_units_{i}"] = units
        values[f"pg_act_{i}"] = act
    return values


def apply_config(config: Config, only_missing: bool = False) -> None:
    """Write ``config`` into the widget keys (in a callback, or before the widgets are drawn)."""
    for key, value in widget_values(config.normalised()).items():
        if not only_missing or key not in st.session_state:
            st.session_state[key] = value


def read_config() -> Config:
    """The config the widgets show now. Widgets hidden in the last run (e.g. "Classes" for a
    two-class set) lose their keys; for those the last config's value stands."""
    ss = st.session_state
    fallback = widget_values(ss.get(LAST_CONFIG, Config()))

    def get(key, default=None):
        return ss[key] if key in ss else fallback.get(key, default)

    n_layers = int(get("pg_layers", 0))
    hidden = tuple(int(get(f"pg_units_{i}", 4)) for i in range(n_layers))
    if get("pg_same_act", True):
        acts = (get("pg_act_all", "tanh"),) * n_layers
    else:
        acts = tuple(get(f"pg_act_{i}", "tanh") for i in range(n_layers))
    return Config(
        dataset=get("pg_dataset"), n_points=int(get("pg_n_points")), noise=int(get("pg_noise")),
        train_pct=int(get("pg_train_pct")), seed=int(get("pg_seed")), n_classes=int(get("pg_k")),
        show_test=bool(get("pg_show_test")), discretize=bool(get("pg_discretize")),
        features=tuple(get("pg_features")), hidden=hidden, activations=acts, lr=float(get("pg_lr")),
        batch=int(get("pg_batch")), optimizer=get("pg_opt"), reg=get("pg_reg"), reg_rate=float(get("pg_rr")),
        loss=get("pg_loss"), pace=int(get("pg_pace", 0)),
    ).normalised()


def init_from_url() -> None:
    """On a session's first run, load the config from the URL (with notices for bad values);
    afterwards only fill in widget keys that went missing (e.g. after visiting another page)."""
    ss = st.session_state
    if LAST_CONFIG not in ss:
        config, notices = Config.from_query(st.query_params.to_dict())
        ss[LAST_CONFIG] = config
        if notices:
            ss[NOTICES] = [*ss.get(NOTICES, []), *notices]
        apply_config(config)
    else:
        apply_config(ss[LAST_CONFIG], only_missing=True)


def sync_url(config: Config) -> None:
    """Put the config in the URL (only what differs from the defaults), when it changed."""
    st.session_state[LAST_CONFIG] = config
    wanted = config.to_query()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


# ---- callbacks (run before the script, so they may set widget keys) ---------------------
def load_preset(index: int) -> None:
    preset = PRESETS[index]
    apply_config(preset.config)
    st.session_state[PLAYING] = False
    st.session_state[QUIET_RESET] = True
    st.session_state[NOTICES] = [f"Preset loaded: **{preset.title}**. {preset.lesson}"]


def regenerate(seed: int) -> None:
    """Move to ``seed`` (the drawn seed + 1, fixed when the button was drawn, so a repeated
    callback cannot skip a seed)."""
    st.session_state["pg_seed"] = seed % (SEED_RANGE[1] + 1)


def _grow_layers() -> None:
    """Keep per-layer widgets filled in when the depth changes (new layers copy the last)."""
    ss = st.session_state
    for i in range(int(ss.get("pg_layers", 0))):
        if f"pg_units_{i}" not in ss:
            ss[f"pg_units_{i}"] = ss.get(f"pg_units_{i - 1}", 4)
        if f"pg_act_{i}" not in ss:
            ss[f"pg_act_{i}"] = ss.get(f"pg_act_{i - 1}", ss.get("pg_act_all", "tanh"))


def _split_activations() -> None:
    if not st.session_state.get("pg_same_act", True):
        for i in range(int(st.session_state.get("pg_layers", 0))):
            st.session_state[f"pg_act_{i}"] = st.session_state.get("pg_act_all", "tanh")


# ---- drawing -------------------------------------------------------------------------------
def presets_panel() -> None:
    st.markdown("**Lecture presets**")
    for i, preset in enumerate(PRESETS):
        st.button(preset.title, key=f"pg_preset_{i}", on_click=load_preset, args=(i,), width="stretch",
                  help=preset.lesson)


def data_controls() -> None:
    """Dataset, points, noise, train share, seed, classes, test points."""
    st.selectbox("Dataset", DATASETS, key="pg_dataset", format_func=DATASET_LABELS.get)
    dataset = st.session_state["pg_dataset"]
    if dataset in MULTICLASS:
        st.slider("Classes", 2, 8, key="pg_k")
    if dataset != CUSTOM:
        st.slider("Points", *POINTS_RANGE, step=10, key="pg_n_points")
        st.slider("Noise (%)", *NOISE_RANGE, key="pg_noise")
    st.slider("Training share (%)", *TRAIN_RANGE, step=5, key="pg_train_pct",
              help="The rest are test points, never trained on.")
    seed_col, regen_col = st.columns([3, 2], vertical_alignment="bottom")
    seed_col.number_input("Seed", *SEED_RANGE, step=1, key="pg_seed", help="Same seed, same data and same start weights.")
    regen_col.button("Regenerate", on_click=regenerate, args=(int(st.session_state["pg_seed"]) + 1,),
                     help="New data and new start weights (next seed).")
    st.checkbox("Show test points", key="pg_show_test")
    st.checkbox("Discretize output", key="pg_discretize")


def network_controls() -> None:
    """Input features, hidden layers with their widths and activations."""
    one_d = st.session_state.get("pg_dataset") in ONE_D
    st.multiselect("Input features", FEATURE_NAMES, key="pg_features",
                   help="For the 1-D curve only x1, x1^2 and sin(x1) apply." if one_d else None)
    st.slider("Hidden layers", 0, MAX_LAYERS, key="pg_layers")
    _grow_layers()
    n_layers = int(st.session_state["pg_layers"])
    if n_layers:
        st.toggle("One activation for all layers", key="pg_same_act", on_change=_split_activations)
        same = st.session_state["pg_same_act"]
        if same:
            st.selectbox("Activation", ACTIVATION_NAMES, key="pg_act_all")
        for i in range(n_layers):
            if same:
                st.slider(f"Neurons in layer {i + 1}", 1, MAX_NEURONS, key=f"pg_units_{i}")
            else:
                units, act = st.columns([3, 2])
                units.slider(f"Neurons in layer {i + 1}", 1, MAX_NEURONS, key=f"pg_units_{i}")
                act.selectbox(f"Activation {i + 1}", ACTIVATION_NAMES, key=f"pg_act_{i}")


def training_controls(regression: bool) -> None:
    """Learning rate, batch size, optimizer, regularisation, regression loss."""
    st.select_slider("Learning rate", LEARNING_RATES, key="pg_lr", format_func=lambda v: f"{v:g}")
    st.slider("Batch size", *BATCH_RANGE, key="pg_batch")
    st.selectbox("Optimizer", OPTIMIZER_NAMES, key="pg_opt", format_func=OPTIMIZER_LABELS.get)
    reg_col, rate_col = st.columns(2)
    reg_col.selectbox("Regularization", REGULARIZERS, key="pg_reg", format_func=REG_LABELS.get)
    rate_col.select_slider("Regularization rate", REG_RATES, key="pg_rr", format_func=lambda v: f"{v:g}",
                           disabled=st.session_state.get("pg_reg") == "none")
    st.select_slider("Speed", PACES, key="pg_pace", format_func=lambda p: f"{p}/s" if p else "max",
                     help="Epochs per second while playing. Slow it down to talk through what happens; 'max' "
                          "trains as fast as this machine allows (TensorFlow Playground runs about 60/s).")
    if regression:
        st.radio("Loss", REGRESSION_LOSSES, key="pg_loss", horizontal=True,
                 format_func={"mse": "Mean squared error", "mae": "Mean absolute error"}.get)
    else:
        st.caption("Output: one softmax unit per class, loss: cross-entropy.")


CANVAS_PX = 300
CANVAS_EXTENT = (-6.0, 6.0, -6.0, 6.0)


def your_data_controls(class_colors) -> None:
    """CSV upload, or points clicked on a canvas with a chosen class. ``class_colors(k)`` gives
    the palette, so clicked points show in the colours the decision map will use."""
    ss = st.session_state
    user = ss.get(USER)
    if user is not None:
        kind = f"{user.n_classes} classes" if user.task == "classification" else "regression targets"
        st.caption(f"Using {len(user.x)} points of your own ({kind}, from {'a CSV' if user.source == 'upload' else 'clicks'}).")
    upload, click = st.tabs(["Upload CSV", "Click points"])
    with upload:
        st.caption("Columns `x1,x2,label` (classes) or `x1,x2,target` (regression), a header row optional; "
                   "at most 5,000 rows.")
        file = st.file_uploader("CSV file", type=["csv", "txt"], key="pg_csv", max_upload_size=1)
        if file is not None and ss.get("pg_csv_id") != file.file_id:
            ss["pg_csv_id"] = file.file_id
            try:
                ss[USER] = parse_csv(file.getvalue(), version=ss.get("pg_user_version", 0) + 1)
                ss["pg_user_version"] = ss[USER].version
                ss["pg_csv_error"] = None
            except UserDataError as err:
                ss["pg_csv_error"] = f"{file.name} was refused. {err}"
        if ss.get("pg_csv_error"):
            st.error(ss["pg_csv_error"])
    with click:
        _click_canvas(class_colors)


def _click_canvas(class_colors) -> None:
    ss = st.session_state
    n = st.slider("Classes to place", 2, 8, 2, key="pg_click_k")
    colors = class_colors(n)
    label = st.radio("Class of the next point", list(range(n)), horizontal=True, key="pg_click_class",
                     format_func=lambda c: f"class {c}")
    from streamlit_drawable_canvas import st_canvas  # only inside a running app (it raises elsewhere)

    result = st_canvas(fill_color=colors[label], stroke_color=colors[label], stroke_width=2,
                       background_color="#e8eaeb", drawing_mode="point", point_display_radius=5,
                       width=CANVAS_PX, height=CANVAS_PX, key="pg_canvas", update_streamlit=True)
    objects = (result.json_data or {}).get("objects", []) if result is not None else []
    x, y = points_from_canvas(objects, (CANVAS_PX, CANVAS_PX), CANVAS_EXTENT, colors)
    st.caption(f"{len(x)} points placed; the canvas spans -6..6 on both axes. Undo with the canvas toolbar.")
    if st.button("Use these points", key="pg_click_use", disabled=len(x) == 0):
        try:
            ss[USER] = clicked_data(x, y, version=ss.get("pg_user_version", 0) + 1)
            ss["pg_user_version"] = ss[USER].version
            ss["pg_click_error"] = None
        except UserDataError as err:
            ss["pg_click_error"] = str(err)
    if ss.get("pg_click_error"):
        st.error(ss["pg_click_error"])
