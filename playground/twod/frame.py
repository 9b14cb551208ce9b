"""One refresh of the live view while training plays: the numbers, the decision map (or the
curve fit for 1-D data) and the curves, as image bytes and one block of HTML.

The training process renders a frame next to each snapshot it sends (without one, the tick
renders it), so the server's tick only wraps bytes. The page shows a frame as ONE
``st.html`` element: every Streamlit element in the updated fragment costs the browser a
re-render per refresh (measured in Chromium: metrics, image and captions as seven elements
took ~95 ms of main thread per refresh, as one element ~75 ms). No Streamlit here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from .hidden_space import space_png, unavailable
from .model import Model
from .views.curves import curves_png
from .views.encoding import data_uri
from .views.fit import fit_png
from .views.map import map_jpeg

MAP_PX = 400
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
    space_image: bytes | None = None  # inside-network: the hidden layer's space, in the space view (hidden_space.py)


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


def render_frame(model: Model, size: int = MAP_PX) -> LiveFrame:
    """The frame for ``model``: its decision map (JPEG; for 1-D data the curve fit as PNG) with
    train and, if shown, test points, and its history as curves (PNG)."""
    config, data = model.config, model.data
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
    space = space_png(model) if config.view == "space" and unavailable(model) is None else None  # inside-network
    return LiveFrame(model.epoch, metric_items(model), image, mime, caption, curves, space)


def frame_html(frame: LiveFrame, status: str) -> str:
    """One block of HTML for ``st.html``: a row of metrics (labels as ``st.metric`` shows them),
    the map and the curves side by side (wrapping on narrow screens), then ``status``."""
    cells = "".join(
        '<div data-testid="pg-metric" style="flex:1;min-width:7rem">'
        f'<div style="font-size:0.875rem;opacity:0.7">{html.escape(label)}</div>'
        f'<div data-testid="pg-metric-value" style="font-size:2.25rem;line-height:1.4">{html.escape(text)}</div></div>'
        for label, text in frame.metrics)
    small = 'style="font-size:0.875rem;opacity:0.7;margin:0.25rem 0 0"'
    return (
        f'<div style="display:flex;flex-wrap:wrap;gap:0.5rem">{cells}</div>'
        '<div style="display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;margin-top:0.5rem">'
        f'<figure style="margin:0"><img src="{data_uri(frame.map_mime, frame.map_image)}" width="{MAP_PX}" '
        f'height="{MAP_PX}" style="max-width:100%;height:auto" alt="decision map" data-testid="pg-live-map">'
        f'<figcaption {small}>{html.escape(frame.map_caption)}</figcaption></figure>'
        f'{space_figure_html(frame.space_image, small)}'  # inside-network: the hidden layer's space, when shown
        f'<figure style="margin:0"><img src="{data_uri("image/png", frame.curves_image)}" width="{CURVES_SIZE[0]}" '
        f'height="{CURVES_SIZE[1]}" style="max-width:100%;height:auto" alt="loss and gradient curves" '
        f'data-testid="pg-live-curves"><figcaption {small}>{CURVES_CAPTION}</figcaption></figure></div>'
        f'<p {small}>{html.escape(status)}</p>'
    )


def space_figure_html(image: bytes | None, caption_style: str) -> str:
    """The hidden layer's space as one figure of the frame (inside-network), or nothing."""
    if image is None:
        return ""
    return (f'<figure style="margin:0;width:{MAP_PX}px;max-width:100%" data-testid="pg-hidden-space">'
            f'<img src="{data_uri("image/png", image)}" width="{MAP_PX}" height="{MAP_PX}" '
            'style="max-width:100%;height:auto" alt="the hidden layer\'s space" data-testid="pg-live-space">'
            f'<figcaption {caption_style}>{SPACE_CAPTION}</figcaption></figure>')
