"""One refresh of the live view while training plays: the numbers, the decision map (or the
curve fit for 1-D data) and the curves, as image bytes and one block of HTML.

A training worker renders a frame next to each snapshot it sends (without one, the tick
renders it), so the server's tick only wraps bytes. The page shows a frame as ONE
``st.html`` element: every Streamlit element in the updated fragment costs the browser a
re-render per refresh (measured in Chromium: metrics, image and captions as seven elements
took ~95 ms of main thread per refresh, as one element ~75 ms). No Streamlit here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from core import make_features

from .hidden_space import space_png, unavailable
from .model import Model
from .views.curves import curves_png
from .views.encoding import data_uri
from .views.fit import fit_png
from .views.map import map_jpeg
from .views.network import network_png
from .views.neurons import neuron_maps

MAP_PX = 400
LECTURE_MAP_PX = 640  # the lecture view's map: readable from the back of a hall
CURVES_SIZE = (480, 400)
SPACE_CAPTION = "The hidden layer's space: the input plane's grid as the layer bends it"
CURVES_CAPTION = "Loss and accuracy; gradient and weight norms per layer (zoom and hover when paused)"


@dataclass(frozen=True)
class LiveFrame:
    """What one refresh shows: the metrics of ``metric_items`` and two images."""

    epoch: int
    metrics: tuple[tuple[str, str], ...]
    map_image: bytes
    map_mime: str
    map_caption: str
    curves_image: bytes
    map_px: int = MAP_PX
    space_image: bytes | None = None  # the hidden layer's space, in the space view (hidden_space.py)


def metric_items(model: Model) -> tuple[tuple[str, str], ...]:
    """(label, text) for Epoch, Train loss, Test loss and (classification) Test accuracy, formatted
    the same way whether shown by ``st.metric`` (paused) or in a frame (playing)."""
    m = model.metrics()
    items = [("Epoch", f"{m['epoch']}"), ("Train loss", f"{m['train_loss']:.4f}"),
             ("Test loss", "–" if m["test_loss"] is None else f"{m['test_loss']:.4f}")]
    if m["test_accuracy"] is not None:
        items.append(("Test accuracy", f"{m['test_accuracy']:.1%}"))
    return tuple(items)


def extent_caption(extent) -> str:
    xmin, xmax, ymin, ymax = extent
    return f"x1 from {xmin:g} to {xmax:g} (left to right), x2 from {ymin:g} to {ymax:g} (bottom to top)"


def render_frame(model: Model) -> LiveFrame:
    """The frame for ``model``: its decision map (JPEG; for 1-D data the curve fit as PNG) with
    train and, if shown, test points, and its history as curves (PNG). The lecture view's map is larger."""
    config, data = model.config, model.data
    size = LECTURE_MAP_PX if config.present else MAP_PX
    values = model.decision_values()
    show_test = config.show_test and len(data.x_test) > 0
    if model.one_d:
        xg = np.linspace(model.extent[0], model.extent[1], len(values))
        image = fit_png(data.x_train[:, 0], data.y_train, xg, values,
                              data.x_test[:, 0] if show_test else None, data.y_test if show_test else None, size=size)
        mime, caption = "image/png", "The network's curve (line) through the data (train filled, test outlined)"
    else:
        image = map_jpeg(values, model.extent, data.task, max(data.n_classes, 2), data.x_train, data.y_train,
                         data.x_test, data.y_test, discretize=config.discretize, show_test=show_test, size=size)
        mime, caption = "image/jpeg", extent_caption(model.extent)
    h = model.history
    curves = curves_png(h.epochs, h.train_loss, h.test_loss, h.train_acc, h.test_acc, h.grad_norms, h.weight_norms,
                        model.layer_names(), width=CURVES_SIZE[0], height=CURVES_SIZE[1])
    space = space_png(model) if config.view == "space" and unavailable(model) is None else None
    return LiveFrame(model.epoch, metric_items(model), image, mime, caption, curves, size, space)


def frame_html(frame: LiveFrame, status: str, with_curves: bool = True) -> str:
    """One block of HTML for ``st.html``: a row of metrics (labels as ``st.metric`` shows them;
    larger in the lecture view), the map and (``with_curves``) the curves side by side (wrapping
    on narrow screens), then ``status``. ``page.css`` styles the classes for phones."""
    size = 3.5 if frame.map_px > MAP_PX else 2.25  # rem: the lecture view's numbers read from afar
    cells = "".join(
        '<div class="pg-metric" data-testid="pg-metric" style="flex:1;min-width:6rem">'
        f'<div style="font-size:0.875rem;opacity:0.7">{html.escape(label)}</div>'
        f'<div class="pg-metric-value" data-testid="pg-metric-value" style="font-size:{size}rem;line-height:1.3">'
        f'{html.escape(text)}</div></div>'
        for label, text in frame.metrics)
    small = 'style="font-size:0.875rem;opacity:0.7;margin:0.25rem 0 0"'
    return (
        f'<div class="pg-metrics" style="display:flex;flex-wrap:wrap;gap:0.5rem">{cells}</div>'
        '<div style="display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;margin-top:0.5rem">'
        f'<figure style="margin:0"><img src="{data_uri(frame.map_mime, frame.map_image)}" width="{frame.map_px}" '
        f'height="{frame.map_px}" style="max-width:100%;height:auto" alt="decision map" data-testid="pg-live-map">'
        f'<figcaption {small}>{html.escape(frame.map_caption)}</figcaption></figure>'
        f'{space_figure_html(frame.space_image, small)}'
        f'{curves_html(frame) if with_curves else ""}</div>'
        f'<p {small}>{html.escape(status)}</p>'
    )


def curves_html(frame: LiveFrame) -> str:
    """The frame's curves image with its caption, as a figure element."""
    small = 'style="font-size:0.875rem;opacity:0.7;margin:0.25rem 0 0"'
    return (f'<figure style="margin:0"><img src="{data_uri("image/png", frame.curves_image)}" width="{CURVES_SIZE[0]}" '
            f'height="{CURVES_SIZE[1]}" style="max-width:100%;height:auto" alt="loss and gradient curves" '
            f'data-testid="pg-live-curves"><figcaption {small}>{CURVES_CAPTION}</figcaption></figure>')


def network_png_of(model: Model, res: int = 24) -> bytes:
    """The network diagram of ``model`` while playing: links by weight and a small map per neuron."""
    linear = model.trainer.net.linear_layers()
    sizes = [linear[0].nin, *[layer.nout for layer in linear]]
    feats = model.features_used
    maps = neuron_maps(model.trainer.net, lambda p: make_features(p, feats), model.extent, res=res,
                       input_dims=model.data.x_train.shape[1])
    return network_png(sizes, [layer.W for layer in linear], list(feats), maps)


def space_figure_html(image: bytes | None, caption_style: str) -> str:
    """The hidden layer's space as one figure of the frame (inside-network), or nothing."""
    if image is None:
        return ""
    return (f'<figure style="margin:0;width:{MAP_PX}px;max-width:100%" data-testid="pg-hidden-space">'
            f'<img src="{data_uri("image/png", image)}" width="{MAP_PX}" height="{MAP_PX}" '
            'style="max-width:100%;height:auto" alt="the hidden layer\'s space" data-testid="pg-live-space">'
            f'<figcaption {caption_style}>{SPACE_CAPTION}</figcaption></figure>')
