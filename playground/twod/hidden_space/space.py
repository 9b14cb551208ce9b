"""The hidden layer's space: where one hidden layer puts the input plane and the data, as
ConvNetJS's 2D demo and Olah's "Neural Networks, Manifolds, and Topology" draw it.

A grid of lines over the input plane goes through the network up to the chosen hidden layer
(after its activation, or before it: its z); each grid cell is coloured by the network's final
prediction for that part of the input plane; the training points go along. A layer of one or two
neurons is drawn as it is. A wider one is shown in a plane through its space: two chosen neurons
(the others held at their mean over the training points), or the plane of the first two
principal components of the training points' values (PCA). The network's decision boundary is
drawn where it crosses that plane; in the last hidden layer's space, after the activation, it is
the output layer's straight line. Computed here, from a :class:`~playground.twod.model.Model` and
its config's ``space_*`` settings; drawn by ``views/space.py``; the plane and the boundary's geometry
are ``plane.py`` and ``boundary.py``. No Streamlit here: the texts (title,
axis labels, note) are made in the language the caller passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import SoftmaxCrossEntropy, grid_inputs, make_features
from playground.i18n import N_, Message, translate

from ..model import Model
from ..views import colors
from ..views.map import value_scale
from ..views.space import space_image
from .boundary import boundary_field, exact_line, is_linear_boundary
from .plane import axes_window, finite, plane_across_boundary, plane_through

GRID_NODES = 31  # nodes along each grid line: 30 × 30 cells (ConvNetJS: 41 × 41 nodes)
FIELD_RES = 100  # samples of the decision boundary's field along each side of the window


# The texts of the live image (short: one line of ~360 px each).
# TRANSLATORS: the hidden space's title: {layer} the layer's number, {count} its neurons, {stage} which values it shows.
SPACE_TITLE = N_("hidden {layer} ({count} neurons), {stage}")
# TRANSLATORS: which values the hidden space shows: {activation} is e.g. "tanh".
BEFORE, AFTER = N_("z, before {activation}"), N_("after {activation}")
NEURON_AXIS, ACROSS_AXIS = N_("neuron {number}"), N_("across the decision line")
ONE_NEURON_AXIS = N_("(one neuron: its space is a line)")
SHORT_PCA, SHORT_PCA_SHARE = N_("PCA {number}"), N_("PCA {number} ({share})")
# TRANSLATORS: the live hidden-space image's axes, in one short line: {first} the horizontal, {second} the vertical.
AXES_LINE = N_("x: {first} · y: {second}")
IMAGE_MESSAGES = (SPACE_TITLE, BEFORE, AFTER, NEURON_AXIS, ACROSS_AXIS, ONE_NEURON_AXIS, SHORT_PCA, SHORT_PCA_SHARE,
                  AXES_LINE)
ACROSS_FALLBACK = N_("'Across the decision line' needs the last hidden layer after its activation and two classes; "
                     "this shows PCA instead.")
NO_HIDDEN_LAYER = N_("This network has no hidden layer: add one in the sidebar to see a hidden layer's space.")
ONE_INPUT = N_("The hidden-space view maps a grid over the input plane; this data has one input. Pick a 2-D dataset.")


class SpaceUnavailable(ValueError):
    """Why the view cannot show this network's hidden space (no hidden layer, one-input data): a Message."""


@dataclass(frozen=True)
class HiddenSpace:
    """One hidden layer's space, as a plane with coordinates (u, v).

    A point of the layer's space in the plane is ``origin + u * basis[0] + v * basis[1]``
    (origin: (width,), basis: (2, width)); a layer value h projects to ``(h - origin) @ basis.T``.
    nodes: (GRID_NODES, GRID_NODES, 2) where the input grid's nodes land (rows along x2 from its
    minimum, columns along x1); cell_rgb: (GRID_NODES - 1, GRID_NODES - 1, 3) uint8, each cell's
    colour from the net's prediction at its centre in the input plane; points: (n, 2) the
    training points; labels: (n,) their labels or targets; predicted: (n,) the class the net gives
    them (None for regression); window: (u_min, u_max, v_min, v_max) of the axes; field:
    (FIELD_RES, FIELD_RES) over the window (rows along v) whose ``levels`` are the decision
    boundary (None for regression, and where the boundary is the straight ``line``); line:
    ((u0, v0), (u1, v1)), the exact boundary when it is a straight line (the last hidden layer
    after its activation, two classes), else None.
    """

    layer: int
    width: int
    pre_activation: bool
    activation: str
    neurons: tuple[int, int] | None  # 0-based neurons on the axes; None for PCA
    origin: np.ndarray
    basis: np.ndarray
    explained: tuple[float, float] | None  # PCA: the share of the spread along each axis
    nodes: np.ndarray
    cell_rgb: np.ndarray
    points: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray | None
    task: str
    n_classes: int
    window: tuple[float, float, float, float]
    field: np.ndarray | None
    levels: tuple[float, ...]
    line: tuple[tuple[float, float], tuple[float, float]] | None
    title: str  # title, axis labels and note in the language hidden_space() was asked for
    lang: str
    x_label: str
    y_label: str
    axes_line: str  # both axes in one short line, for the live image
    note: str

    def project(self, h: np.ndarray) -> np.ndarray:
        """Layer values h: (n, width) -> plane coordinates (n, 2)."""
        return (np.asarray(h, dtype=np.float64) - self.origin) @ self.basis.T


def unavailable(model: Model) -> str | None:
    """Why ``model`` has no hidden space to show (an English message: translate it where shown), or None."""
    if not model.config.hidden:
        return NO_HIDDEN_LAYER
    if model.one_d:
        return ONE_INPUT
    return None


def chosen_layer(model: Model) -> int:
    """The hidden layer to show (1-based): the config's, within the net's depth."""
    return int(min(max(model.config.space_layer, 1), len(model.config.hidden)))


def chosen_neurons(config_axes: str, width: int) -> tuple[int, int] | None:
    """The two neurons (0-based) on the axes, or None for a plane (PCA, or across the boundary).
    A layer of one or two neurons shows them as they are; a pair beyond the layer's width falls
    back to PCA."""
    if width <= 2:
        return (0, 1) if width == 2 else (0, 0)
    if config_axes in ("pca", "boundary"):
        return None
    i, j = (int(part) - 1 for part in config_axes.split(","))
    return (i, j) if max(i, j) < width else None


def hidden_space(model: Model, nodes: int = GRID_NODES, field_res: int = FIELD_RES, lang: str = "en") -> HiddenSpace:
    """The chosen hidden layer's space for ``model`` (its config's ``space_*`` settings), its texts
    in ``lang``. Raises SpaceUnavailable (with the reason) when the network has none to show."""
    if reason := unavailable(model):
        raise SpaceUnavailable(Message(reason))
    config, net = model.config, model.trainer.net
    layer, pre = chosen_layer(model), bool(config.space_pre)
    features = model.features_used
    grid_points = grid_inputs(model.extent, nodes)
    with np.errstate(all="ignore"):
        h_nodes = net.layer_outputs(make_features(grid_points, features), pre_activation=pre)[layer]
        h_points = net.layer_outputs(model.trainer.x, pre_activation=pre)[layer]
    h_nodes, h_points = finite(h_nodes), finite(h_points)
    width = h_points.shape[1]
    neurons = chosen_neurons(config.space_axes, width)
    classification = model.classification
    wanted_across = neurons is None and config.space_axes == "boundary"
    across = wanted_across and classification and is_linear_boundary(net, layer, pre)
    plane = plane_across_boundary(h_points, net.linear_layers()[-1]) if across else None
    if plane is None:
        across = False
        plane = plane_through(h_points, neurons, width)
    origin, basis, explained = plane
    node_uv = (h_nodes - origin) @ basis.T
    point_uv = (h_points - origin) @ basis.T
    activation = config.activations[layer - 1]
    window = axes_window(np.vstack([node_uv, point_uv]), activation, pre, neurons, width, config.space_fixed)
    line = exact_line(net, layer, pre, origin, basis, window) if classification else None
    exact = line is not None or (classification and is_linear_boundary(net, layer, pre))
    field, levels = (boundary_field(net, layer, pre, origin, basis, window, field_res) if classification and not exact
                     else (None, ()))
    stage = translate(BEFORE if pre else AFTER, lang, activation=activation)
    x_label, y_label = _axis_labels(neurons, width, explained, across, lang)
    return HiddenSpace(
        layer=layer, width=width, pre_activation=pre, activation=activation, neurons=neurons, origin=origin, basis=basis,
        explained=explained, nodes=node_uv.reshape(nodes, nodes, 2), cell_rgb=_cell_colors(model, nodes),
        points=point_uv, labels=np.asarray(model.trainer.y).reshape(len(point_uv), -1)[:, 0],
        predicted=_predicted(net, model.trainer.x) if classification else None, task=model.data.task,
        n_classes=max(model.data.n_classes, 2), window=window, field=field, levels=levels,
        line=line,
        title=translate(SPACE_TITLE, lang, layer=layer, count=width, stage=stage),
        lang=lang, x_label=x_label, y_label=y_label, axes_line=short_axis_label(neurons, width, explained, across, lang),
        note=" ".join(part for part in ((translate(ACROSS_FALLBACK, lang) if wanted_across and not across else ""),
                                        _note(neurons, width, layer, pre, len(config.hidden), classification, across,
                                              lang)) if part))


def space_png(model: Model, size: int = 400, lang: str = "en") -> bytes:
    """The live drawing of the chosen hidden layer's space for ``model``: PNG bytes
    (``views.space.space_image``), its text in ``lang``. Raises SpaceUnavailable when there is none."""
    return space_image(hidden_space(model, lang=lang), size=size)


def _axis_labels(neurons, width: int, explained, across: bool = False, lang: str = "en") -> tuple[str, str]:
    """The two axes' labels in ``lang`` (short: the live image writes them on one line)."""
    def t(message, **kwargs):
        return translate(message, lang, **kwargs)

    if width == 1:
        return t(NEURON_AXIS, number=1), t(ONE_NEURON_AXIS)
    if across:
        along = t(N_("PCA along the line"))
        if explained is not None:
            along = t(N_("PCA along the line ({share} of the spread)"), share=f"{explained[1]:.0%}")
        return t(ACROSS_AXIS), along
    if neurons is not None:
        return t(NEURON_AXIS, number=neurons[0] + 1), t(NEURON_AXIS, number=neurons[1] + 1)
    if explained is None:
        return t(N_("PCA axis {number}"), number=1), t(N_("PCA axis {number}"), number=2)
    return (t(N_("PCA axis {number} ({share} of the spread)"), number=1, share=f"{explained[0]:.0%}"),
            t(N_("PCA axis {number} ({share} of the spread)"), number=2, share=f"{explained[1]:.0%}"))


def short_axis_label(neurons, width: int, explained, across: bool = False, lang: str = "en") -> str:
    """Both axes as the small live image has room for: "x: PCA 1 (62%)   y: PCA 2 (20%)"."""
    def t(message, **kwargs):
        return translate(message, lang, **kwargs)

    if width == 1 or neurons is not None:
        first, second = _axis_labels(neurons, width, explained, across, lang)
    elif across:
        first = t(ACROSS_AXIS)
        second = t(SHORT_PCA, number=2) if explained is None else t(SHORT_PCA_SHARE, number=2, share=f"{explained[1]:.0%}")
    elif explained is None:
        first, second = t(SHORT_PCA, number=1), t(SHORT_PCA, number=2)
    else:
        first, second = (t(SHORT_PCA_SHARE, number=i + 1, share=f"{explained[i]:.0%}") for i in (0, 1))
    return t(AXES_LINE, first=first, second=second)


def _note(neurons, width: int, layer: int, pre: bool, depth: int, classification: bool, across: bool = False,
          lang: str = "en") -> str:
    """What the picture shows and how to read its boundary, in ``lang``."""
    def t(message):
        return translate(message, lang)

    if across:
        return t(N_("Across the decision line: the horizontal axis is the output layer's direction (the distance from its "
                    "decision line, scaled), the vertical one the points' main spread along the line (PCA). Every point "
                    "sits on the side of the line the network puts it."))
    last = layer == depth and not pre
    if not classification:
        boundary = t(N_("Cells are coloured by the network's prediction; a regression has no decision line."))
    elif last:
        boundary = t(N_("The dark line is the output layer's decision line: the output layer is linear, so in the last "
                        "hidden layer's space it can only split the classes with a straight line."))
    else:
        boundary = t(N_("The dark curve is the network's decision boundary in this space."))
    if width <= 2:
        return boundary
    if neurons is None:
        parts = [t(N_("PCA: the plane through the training points' mean along the two directions in which they spread "
                      "most; grid and points are projected onto it."))]
    else:
        parts = [t(N_("Two of the layer's neurons; the others are left out of the picture (held at their mean over the "
                      "training points for the boundary)."))]
    if classification:
        parts.append(t(N_("The boundary is drawn where it crosses this plane: points off the plane may lie on either side.")))
        if last:
            parts.append(t(N_("Choose the axes 'across the decision line' to see the output layer's split exactly.")))
    return " ".join([*parts, boundary])


# ---- what the net predicts ---------------------------------------------------------------------------
def _predicted(net, x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        out = net.predict(x)
    return (out[:, 0] > 0).astype(np.intp) if out.shape[1] == 1 else out.argmax(axis=1)


def _cell_colors(model: Model, nodes: int) -> np.ndarray:
    """Each grid cell's colour: the net's final prediction at the cell's centre in the input plane."""
    xmin, xmax, ymin, ymax = model.extent
    half_x, half_y = (xmax - xmin) / (nodes - 1) / 2, (ymax - ymin) / (nodes - 1) / 2
    centres = grid_inputs((xmin + half_x, xmax - half_x, ymin + half_y, ymax - half_y), nodes - 1)
    with np.errstate(all="ignore"):
        out = model.trainer.net.predict(make_features(centres, model.features_used))
    discretize = model.config.discretize
    if model.classification:
        probs = np.nan_to_num(SoftmaxCrossEntropy.probabilities(out)) if out.shape[1] > 1 else None
        if probs is None:  # one logit: P(class 1) is its sigmoid
            p1 = 0.5 * (1 + np.tanh(0.5 * out[:, 0]))
            probs = np.column_stack([1 - p1, p1])
        rgb = colors.probabilities_to_rgb(probs, discretize)
    else:
        values = np.nan_to_num(out[:, 0])
        rgb = colors.values_to_rgb(values, value_scale(values, model.trainer.y), discretize)
    return rgb.reshape(nodes - 1, nodes - 1, 3)


