"""The sidebar's widgets -> one :class:`Config`, kept in the URL.

Every setting's widget has the key ``keys.setting(name)`` and takes its value from session
state (never ``value=``), so the URL, presets and buttons all go through one path: a callback
asks for a config with :func:`request`; at the top of the next run :func:`init_widgets`
writes it into the widget keys (``widget_values``, derived from the settings table), and
:func:`read_config` reads the widgets back. The URL binding is done by hand with
``st.query_params`` (instead of ``bind="query-params"``) so that malformed or out-of-range
parameters are clamped or ignored *with a notice*, and so a whole config (per-layer widths and
activations included) round-trips as a handful of short parameters.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core import DATASETS
from playground.i18n import N_, Message
from playground.i18n.session import _, translated, url_params

from . import keys
from .config import CUSTOM, SETTINGS, WORKED, Config, kind_of
from .presets import PRESETS

# Shown together by the hidden-layer widgets (count, widths, activations), not one widget each.
LAYER_SETTINGS = ("hidden", "activations")
# The choices' labels, in English (msgids): translated where they are shown (``_(LABELS[value])``).
DATASET_LABELS = {
    # TRANSLATORS: dataset names in the Dataset menu.
    "circle": N_("Circle"), "xor": N_("Exclusive or (XOR)"), "gauss": N_("Two Gaussians"), "spiral": N_("Spiral"),
    "moons": N_("Two moons"), "blobs": N_("Blobs (k classes)"), "plane": N_("Plane (regression)"),
    "multi_gaussian": N_("Multi-Gaussian (regression)"), "curve": N_("Curve, 1-D (regression)"),
    CUSTOM: N_("Your own data"), WORKED: N_("Worked example (Mazur, backprop by hand)"),
}
# TRANSLATORS: an optimizer in the Optimizer menu (SGD and Adam are names and stay as they are).
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": N_("SGD + momentum"), "adam": "Adam"}
# TRANSLATORS: "no regularization" in the Regularization menu.
REG_LABELS = {"none": N_("None"), "l1": "L1", "l2": "L2"}
LOSS_LABELS = {"mse": N_("Mean squared error"), "mae": N_("Mean absolute error")}


def pace_label(pace: int) -> Message | str:
    """A Speed step's message: "10/s", or "max" for 0 (as fast as the machine allows)."""
    # TRANSLATORS: a speed on the Speed slider: {pace} epochs per second, e.g. "10/s"; "max" is its fastest setting.
    return Message("{pace}/s", pace=pace) if pace else N_("max")


# ---- widgets <-> config, derived from the settings table ------------------------------------------
def widget_values(config: Config) -> dict:
    """The widget keys and values that show ``config``."""
    values = {keys.setting(s.name): _to_widget(getattr(config, s.name)) for s in SETTINGS if s.name not in LAYER_SETTINGS}
    values[keys.LAYERS] = len(config.hidden)
    values[keys.SAME_ACTIVATION] = len(set(config.activations)) <= 1
    values[keys.ALL_ACTIVATION] = config.activations[0] if config.activations else Config.activations[0]
    for i, units in enumerate(config.hidden):
        values[keys.units(i)] = units
    if not values[keys.SAME_ACTIVATION]:
        # Shared activations leave the per-layer keys unset: they start from the shared one when shown.
        values.update({keys.activation(i): act for i, act in enumerate(config.activations)})
    return values


def read_config() -> Config:
    """The config the widgets show now. Widgets hidden in the last run (e.g. "Classes" for a
    two-class set) lose their keys; for those the last config's value stands."""
    ss = st.session_state
    fallback = widget_values(ss.get(keys.LAST_CONFIG, Config()))

    def get(key):
        return ss[key] if key in ss else fallback.get(key)

    values = {s.name: _from_widget(get(keys.setting(s.name))) for s in SETTINGS if s.name not in LAYER_SETTINGS}
    n_layers = int(get(keys.LAYERS) or 0)
    hidden = tuple(int(get(keys.units(i)) or get(keys.units(i - 1)) or 4) for i in range(n_layers))
    shared = get(keys.ALL_ACTIVATION) or Config.activations[0]
    if get(keys.SAME_ACTIVATION) in (None, True):
        acts = (shared,) * n_layers
    else:
        acts = tuple(get(keys.activation(i)) or shared for i in range(n_layers))
    return Config(**values, hidden=hidden, activations=acts).normalised()


def _to_widget(value):
    return list(value) if isinstance(value, tuple) else value  # a multiselect holds a list


def _from_widget(value):
    return tuple(value) if isinstance(value, list) else value


def request(config: Config) -> None:
    """Ask for ``config`` from a callback: the widgets show it from the next run on (the one path
    by which anything but the user's own hand changes a widget)."""
    st.session_state[keys.PENDING_CONFIG] = config


def init_widgets() -> None:
    """At the top of every run, before any widget: on a session's first run load the config from
    the URL (with notices for bad values); after a button asked for a config, show that one;
    otherwise only fill in widget keys that went missing (e.g. after visiting another page)."""
    ss = st.session_state
    if keys.LAST_CONFIG not in ss:
        config, notices = Config.from_query(st.query_params.to_dict())
        ss[keys.LAST_CONFIG] = config
        if notices:
            ss[keys.NOTICES] = [*ss.get(keys.NOTICES, []), *notices]
        _apply(config)
    elif keys.PENDING_CONFIG in ss:
        _apply(ss.pop(keys.PENDING_CONFIG))
    else:
        _apply(ss[keys.LAST_CONFIG], only_missing=True)


def _apply(config: Config, only_missing: bool = False) -> None:
    for key, value in widget_values(config.normalised()).items():
        if not only_missing or key not in st.session_state:
            st.session_state[key] = value


def sync_url(config: Config) -> None:
    """Put the config in the URL (only what differs from the defaults) and a pinned language,
    when it changed."""
    st.session_state[keys.LAST_CONFIG] = config
    wanted = {**config.to_query(), **url_params()}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


# ---- callbacks -----------------------------------------------------------------------------------
def load_preset(index: int, present: bool = False) -> None:
    """Load preset ``index`` (staying in the lecture view when ``present``)."""
    preset = PRESETS[index]
    request(replace(preset.config, present=present))
    st.session_state[keys.PLAYING] = False
    st.session_state[keys.QUIET_RESET] = True
    # TRANSLATORS: {title} is a preset's title, {lesson} its story (both translated).
    st.session_state[keys.NOTICES] = [Message("Preset loaded: **{title}**. {lesson}", title=Message(preset.title),
                                              lesson=Message(preset.lesson))]


def regenerate(seed: int) -> None:
    """Move to ``seed`` (the drawn seed + 1, fixed when the button was drawn, so a repeated
    callback cannot skip a seed)."""
    request(replace(read_config(), seed=seed % (kind_of("seed").hi + 1)))


# ---- drawing -------------------------------------------------------------------------------------
def presets_panel() -> None:
    st.markdown("**{}**".format(_("Lecture presets")))
    for i, preset in enumerate(PRESETS):
        st.button(_(preset.title), key=keys.preset(i), on_click=load_preset, args=(i,), width="stretch",
                  help=_(preset.lesson))


def data_controls() -> None:
    """Dataset, points, noise, train share, seed, classes, test points."""
    dataset_key = keys.setting("dataset")
    st.selectbox(_("Dataset"), kind_of("dataset").options, key=dataset_key, format_func=translated(DATASET_LABELS))
    dataset = st.session_state[dataset_key]
    if dataset in DATASETS and DATASETS[dataset].multiclass:
        _slider(_("Classes"), "n_classes")
    if dataset not in (CUSTOM, WORKED):
        _slider(_("Points"), "n_points")
        _slider(_("Noise (%)"), "noise")
    _slider(_("Training share (%)"), "train_pct", help=_("The rest are test points, never trained on."))
    seed_col, regen_col = st.columns([3, 2], vertical_alignment="bottom")
    seed = kind_of("seed")
    seed_col.number_input(_("Seed"), seed.lo, seed.hi, step=1, key=keys.setting("seed"),
                          help=_("Same seed, same data and same start weights."))
    regen_col.button(_("Regenerate"), key=keys.REGENERATE, on_click=regenerate,
                     args=(int(st.session_state[keys.setting("seed")]) + 1,),
                     help=_("New data and new start weights (next seed)."))
    st.checkbox(_("Show test points"), key=keys.setting("show_test"))
    st.checkbox(_("Discretize output"), key=keys.setting("discretize"))


def network_controls() -> None:
    """Input features, hidden layers with their widths and activations."""
    one_d = Config(dataset=st.session_state.get(keys.setting("dataset"))).input_dims == 1
    st.multiselect(_("Input features"), kind_of("features").options, key=keys.setting("features"),
                   help=_("For the 1-D curve only x1, x1^2 and sin(x1) apply.") if one_d else None)
    widths = kind_of("hidden")
    st.slider(_("Hidden layers"), 0, widths.max_layers, key=keys.LAYERS)
    n_layers = int(st.session_state[keys.LAYERS])
    if not n_layers:
        return
    ss = st.session_state
    st.toggle(_("One activation for all layers"), key=keys.SAME_ACTIVATION)
    same = ss[keys.SAME_ACTIVATION]
    options = kind_of("activations").options
    if same:
        st.selectbox(_("Activation"), options, key=keys.ALL_ACTIVATION)
    for i in range(n_layers):
        # A layer shown for the first time starts as a copy of the one before it.
        ss.setdefault(keys.units(i), ss.get(keys.units(i - 1), Config.hidden[0]))
        if same:
            st.slider(_("Neurons in layer {layer}", layer=i + 1), 1, widths.max_neurons, key=keys.units(i))
        else:
            ss.setdefault(keys.activation(i), ss.get(keys.ALL_ACTIVATION, options[0]))
            units, act = st.columns([3, 2])
            units.slider(_("Neurons in layer {layer}", layer=i + 1), 1, widths.max_neurons, key=keys.units(i))
            # TRANSLATORS: the activation function of hidden layer number {layer}.
            act.selectbox(_("Activation {layer}", layer=i + 1), options, key=keys.activation(i))


def training_controls(regression: bool) -> None:
    """Learning rate, batch size, optimizer, regularisation, speed, regression loss."""
    st.select_slider(_("Learning rate"), kind_of("lr").rungs, key=keys.setting("lr"), format_func=lambda v: f"{v:g}")
    _slider(_("Batch size"), "batch")
    st.selectbox(_("Optimizer"), kind_of("optimizer").options, key=keys.setting("optimizer"),
                 format_func=translated(OPTIMIZER_LABELS))
    reg_col, rate_col = st.columns(2)
    reg_col.selectbox(_("Regularization"), kind_of("reg").options, key=keys.setting("reg"), format_func=translated(REG_LABELS))
    rate_col.select_slider(_("Regularization rate"), kind_of("reg_rate").rungs, key=keys.setting("reg_rate"),
                           format_func=lambda v: f"{v:g}", disabled=st.session_state.get(keys.setting("reg")) == "none")
    st.select_slider(_("Speed"), kind_of("pace").steps, key=keys.setting("pace"), format_func=translated(pace_label),
                     help=_("Epochs per second while playing. Slow it down to talk through what happens; 'max' "
                            "trains as fast as this machine allows (TensorFlow Playground runs about 60/s)."))
    if regression:
        # TRANSLATORS: the choice of loss function for regression.
        st.radio(_("Loss"), kind_of("loss").options, key=keys.setting("loss"), horizontal=True,
                 format_func=translated(LOSS_LABELS))
    else:
        st.caption(_("Output: one softmax unit per class, loss: cross-entropy."))


def _slider(label: str, name: str, **kwargs) -> None:
    """A slider over the whole range of the setting ``name``."""
    kind = kind_of(name)
    st.slider(label, kind.lo, kind.hi, step=kind.step, key=keys.setting(name), **kwargs)


# ---- inside-network: which view, and the hidden-space view's choices ---------------------------------
# TRANSLATORS: the three views of the 2D page, in the view switch above the map.
VIEW_LABELS = {"map": N_("Decision map"), "backprop": N_("Backprop inspector"), "space": N_("Hidden layer's space")}
SPACE_HELP = {
    "space_pre": N_("Show each neuron's z (its weighted sum plus bias) instead of its activation."),
    "space_fixed": N_("Fixed: the activation's range for tanh (-1 to 1) and sigmoid (0 to 1) neurons, otherwise round "
                      "ranges (1, 2, 5, 10, ...) that change only in steps. Off: the axes fit every frame."),
    "space_axes": N_("A layer of more than two neurons is shown in a plane: the first two principal components of the "
                     "training points' values (PCA), the plane across the output's decision line (the last hidden "
                     "layer, two classes), or two of its neurons."),
}


def view_control() -> None:
    """Which view the page shows: the decision map, the backprop inspector or the hidden layer's space."""
    st.segmented_control(_("View"), kind_of("view").options, key=keys.setting("view"), format_func=translated(VIEW_LABELS),
                         required=True, label_visibility="collapsed")


def axes_label(axes: str) -> Message:
    """A choice of the hidden-space view's axes, as a message."""
    if axes == "pca":
        return Message("PCA (first two principal components)")
    if axes == "boundary":
        return Message("Across the decision line (+ PCA)")
    first, second = axes.split(",")
    return Message("Neurons {first} and {second}", first=first, second=second)


def layer_choices(widths: tuple[int, ...]):
    """The hidden-space view's layers (1-based) as messages: "hidden 1 (4 neurons)"."""
    return lambda n: Message("hidden {layer} ({count} neurons)", layer=n, count=widths[n - 1])


def space_controls(widths: tuple[int, ...]) -> None:
    """The hidden-space view's choices for a net whose hidden layers have ``widths`` neurons:
    the layer, before or after its activation, the axes (with more than two neurons), fixed axes."""
    ss = st.session_state
    layer_key, axes_key = keys.setting("space_layer"), keys.setting("space_axes")
    layers = list(range(1, len(widths) + 1))
    if ss.get(layer_key) not in layers:  # a shallower net than the setting: show its last layer
        ss[layer_key] = min(max(int(ss.get(layer_key) or 1), 1), len(widths))
    layer_col, axes_col, pre_col, fixed_col = st.columns([3, 4, 3, 2], vertical_alignment="bottom")
    layer_col.selectbox(_("Hidden layer"), layers, key=layer_key, format_func=translated(layer_choices(widths)))
    width = widths[ss[layer_key] - 1]
    if width > 2:
        options = [a for a in kind_of("space_axes").options if a in ("pca", "boundary") or max(map(int, a.split(","))) <= width]
        if ss.get(axes_key) not in options:
            ss[axes_key] = "pca"
        axes_col.selectbox(_("Axes"), options, key=axes_key, format_func=translated(axes_label), help=_(SPACE_HELP["space_axes"]))
    else:
        axes_col.caption(_("Axes: its two neurons as they are.") if width == 2 else _("Axes: its one neuron as it is."))
    pre_col.toggle(_("Before the activation (z)"), key=keys.setting("space_pre"), help=_(SPACE_HELP["space_pre"]))
    fixed_col.toggle(_("Fixed axes"), key=keys.setting("space_fixed"), help=_(SPACE_HELP["space_fixed"]))
