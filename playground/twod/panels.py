"""The views on the page: metrics, the decision map (or curve fit), the curves and the network,
as interactive plotly charts when paused and as images while playing (the network; the other
views' live drawing is the frame, see ``frame.py``). The figure builders live in ``views/``.
"""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from core import make_features
from playground.i18n import N_
from playground.i18n.session import _, current_language

from . import keys
from .frame import LECTURE_MAP_PX, MAP_PX, extent_caption, metric_items
from .model import Model
from .views.curves import gradient_figure, loss_figure
from .views.encoding import data_uri
from .views.fit import fit_figure
from .views.map import map_figure
from .views.network import network_figure
from .views.neurons import neuron_maps

PLOT_CONFIG = {"displayModeBar": False, "staticPlot": False}
NETWORK_CAPTION = N_("Links: blue positive, orange negative weights, thicker for larger |w|. Each square: "
                     "that neuron's output over the input plane.")


def metrics_and_map(model: Model, status: str) -> None:
    """Metrics and the decision map (or the curve fit for 1-D data) as an interactive chart (larger
    in the lecture view)."""
    config, data = model.config, model.data
    lang = current_language()
    with st.container(key=keys.METRICS):
        for col, (label, text) in zip(st.columns(4, wrap=False), metric_items(model, lang)):
            col.metric(label, text)
    height = LECTURE_MAP_PX if config.present else MAP_PX
    values = model.decision_values()
    show_test = config.show_test
    if model.one_d:
        xg = np.linspace(model.extent[0], model.extent[1], len(values))
        fig = fit_figure(data.x_train[:, 0], data.y_train, xg, values, data.x_test[:, 0] if show_test else None,
                         data.y_test if show_test else None, height=height, lang=lang)
    else:
        fig = map_figure(values, model.extent, data.task, max(data.n_classes, 2), data.x_train, data.y_train,
                         data.x_test, data.y_test, discretize=config.discretize, show_test=show_test, height=height + 40,
                         lang=lang)
    st.plotly_chart(fig, key=keys.CHART_MAP, config=PLOT_CONFIG, width="stretch")
    if not model.one_d:
        st.caption(extent_caption(model.extent, lang))
    st.caption(status)


def curves(model: Model) -> None:
    """Loss (and accuracy) curves, gradient and weight norms per layer (zoom and hover)."""
    h, lang = model.history, current_language()
    st.plotly_chart(loss_figure(h.epochs, h.train_loss, h.test_loss, h.train_acc, h.test_acc, height=230, lang=lang),
                    key=keys.CHART_LOSS, config=PLOT_CONFIG, width="stretch")
    st.plotly_chart(gradient_figure(h.epochs, h.grad_norms, h.weight_norms, model.layer_names(lang), height=270, lang=lang),
                    key=keys.CHART_GRADIENTS, config=PLOT_CONFIG, width="stretch")


def network(model: Model) -> None:
    """The network diagram when paused: links by weight, a small output map per neuron, hover
    for the weights and biases (the plotly figure)."""
    net = model.trainer.net
    linear = net.linear_layers()
    sizes = [linear[0].nin, *[layer.nout for layer in linear]]
    feats = model.features_used
    maps = neuron_maps(net, lambda p: make_features(p, feats), model.extent, res=24, input_dims=model.data.x_train.shape[1])
    fig = network_figure(sizes, [layer.W for layer in linear], list(feats), maps, biases=[layer.b for layer in linear],
                         lang=current_language())
    st.plotly_chart(fig, key=keys.CHART_NETWORK, config=PLOT_CONFIG, width="stretch")
    st.caption(_(NETWORK_CAPTION))


def network_image(png: bytes, wide: bool = False) -> None:
    """The network diagram while playing: one image (``frame.network_png_of``), swapped in place;
    ``wide`` scales it to its column (the lecture view)."""
    width = "width:100%" if wide else "max-width:100%"
    alt = html.escape(_("the network"), quote=True)
    st.html(f'<img src="{data_uri("image/png", png)}" style="{width}" alt="{alt}" data-testid="pg-live-network">')
    st.caption(_(NETWORK_CAPTION) + " " + _("Hover for the weights when paused."))
