"""One refresh of the live view while training plays: the numbers, the decision map (or the
curve fit for 1-D data) and the curves, as image bytes and one block of HTML.

A training worker renders a frame next to each snapshot it sends (without one, the tick
renders it), so the server's tick only wraps bytes. The page shows a frame as ONE
``st.html`` element: every Streamlit element in the updated fragment costs the browser a
re-render per refresh (measured in Chromium: metrics, image and captions as seven elements
took ~95 ms of main thread per refresh, as one element ~75 ms). No Streamlit here: a frame is
drawn in one language (``lang``, the session's, sent to the worker with the snapshot), its text
and the text in its images alike.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from core import make_features
from playground.i18n import N_, translate

from . import hidden_space
from .hidden_space import space_png, unavailable
from .model import HIDDEN_NAME, OUTPUT_NAME, Model
from .views import curves, network
from .views.curves import curves_png
from .views.encoding import data_uri
from .views.fit import fit_png
from .views.map import map_png, points_png, value_scale
from .views.network import network_png
from .views.neurons import neuron_maps

MAP_PX = 400
LECTURE_MAP_PX = 640  # the lecture view's map: readable from the back of a hall
CURVES_SIZE = (480, 400)
SPACE_CAPTION = N_("The hidden layer's space: the input plane's grid as the layer bends it")
CURVES_CAPTION = N_("Loss and accuracy; gradient and weight norms per layer (zoom and hover when paused)")
FIT_CAPTION = N_("The network's curve (line) through the data (train filled, test outlined)")
# TRANSLATORS: image descriptions (alt text) for screen readers.
MAP_ALT, CURVES_ALT, SPACE_ALT = N_("decision map"), N_("loss and gradient curves"), N_("the hidden layer's space")
# Every message drawn INTO the live images (the packaged font must have their glyphs; keep them short).
IMAGE_MESSAGES = (*curves.IMAGE_MESSAGES, *network.IMAGE_MESSAGES, *hidden_space.IMAGE_MESSAGES, HIDDEN_NAME,
                  OUTPUT_NAME)


@dataclass(frozen=True)
class LiveFrame:
    """What one refresh shows: the metrics of ``metric_items``, the map (with its points) and the curves."""

    epoch: int
    metrics: tuple[tuple[str, str], ...]
    map_image: bytes  # the decision map at the grid's resolution (the browser scales it), or the 1-D fit
    map_mime: str
    map_caption: str
    curves_image: bytes
    map_px: int = MAP_PX
    space_image: bytes | None = None  # the hidden layer's space, in the space view (the hidden_space package)
    lang: str = "en"  # the language of its text and its images' text
    map_points: bytes | None = None  # the data points, a transparent PNG over the map (None for the 1-D fit)


def metric_items(model: Model, lang: str = "en") -> tuple[tuple[str, str], ...]:
    """(label, text) for Epoch, Train loss, Test loss and (classification) Test accuracy, formatted
    the same way whether shown by ``st.metric`` (paused) or in a frame (playing); labels in ``lang``."""
    m = model.metrics()
    # TRANSLATORS: the metrics above the decision map.
    items = [(translate("Epoch", lang), f"{m['epoch']}"), (translate("Train loss", lang), f"{m['train_loss']:.4f}"),
             (translate("Test loss", lang), "–" if m["test_loss"] is None else f"{m['test_loss']:.4f}")]
    if m["test_accuracy"] is not None:
        items.append((translate("Test accuracy", lang), f"{m['test_accuracy']:.1%}"))
    return tuple(items)


def extent_caption(extent, lang: str = "en") -> str:
    xmin, xmax, ymin, ymax = extent
    return translate("x1 from {xmin} to {xmax} (left to right), x2 from {ymin} to {ymax} (bottom to top)", lang,
                     xmin=f"{xmin:g}", xmax=f"{xmax:g}", ymin=f"{ymin:g}", ymax=f"{ymax:g}")


def render_frame(model: Model, lang: str = "en", curves: bytes | None = None) -> LiveFrame:
    """The frame for ``model``: its decision map (a small PNG the browser scales up, the points as
    a layer over it; for 1-D data the curve fit) with train and, if shown, test points, and its
    history as curves (PNG; ``curves``: an earlier curves image to show again instead, when many
    sessions share a worker). The lecture view's map is larger. Every text, in the images too,
    is in ``lang``."""
    config, data = model.config, model.data
    size = LECTURE_MAP_PX if config.present else MAP_PX
    values = model.decision_values()
    show_test = config.show_test and len(data.x_test) > 0
    if model.one_d:
        xg = np.linspace(model.extent[0], model.extent[1], len(values))
        image = fit_png(data.x_train[:, 0], data.y_train, xg, values,
                              data.x_test[:, 0] if show_test else None, data.y_test if show_test else None, size=size)
        mime, caption, points = "image/png", translate(FIT_CAPTION, lang), None
    else:
        image = map_png(values, data.task, max(data.n_classes, 2), discretize=config.discretize,
                        scale=value_scale(values, data.y_train) if data.task == "regression" else None)
        points = points_png(model.extent, data.task, max(data.n_classes, 2), data.x_train, data.y_train, data.x_test,
                            data.y_test, show_test=show_test, size=size)
        mime, caption = "image/png", extent_caption(model.extent, lang)
    if curves is None:
        h = model.history
        curves = curves_png(h.epochs, h.train_loss, h.test_loss, h.train_acc, h.test_acc, h.grad_norms, h.weight_norms,
                            model.layer_names(lang), width=CURVES_SIZE[0], height=CURVES_SIZE[1], lang=lang)
    space = space_png(model, lang=lang) if config.view == "space" and unavailable(model) is None else None
    return LiveFrame(model.epoch, metric_items(model, lang), image, mime, caption, curves, size, space, lang, points)


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
        # Each figure as wide as its image: a longer caption (another language) wraps inside it, not the row.
        f'<figure style="margin:0;width:{frame.map_px}px;max-width:100%">{_map_html(frame)}'
        f'<figcaption {small}>{html.escape(frame.map_caption)}</figcaption></figure>'
        f'{space_figure_html(frame.space_image, small, frame.lang)}'
        f'{curves_html(frame) if with_curves else ""}</div>'
        f'<p {small}>{html.escape(status)}</p>'
    )


def _map_html(frame: LiveFrame) -> str:
    """The map image scaled to the frame's size (smoothly, by the browser), the points laid over it."""
    img = (f'<img src="{data_uri(frame.map_mime, frame.map_image)}" width="{frame.map_px}" height="{frame.map_px}" '
           f'style="display:block;width:100%;height:auto;image-rendering:auto" alt="{_attr(MAP_ALT, frame.lang)}" '
           'data-testid="pg-live-map">')
    if frame.map_points is None:
        return img
    return (f'<div style="position:relative">{img}<img src="{data_uri("image/png", frame.map_points)}" alt="" '
            'style="position:absolute;left:0;top:0;width:100%;height:100%" data-testid="pg-live-points"></div>')


def curves_html(frame: LiveFrame) -> str:
    """The frame's curves image with its caption, as a figure element."""
    small = 'style="font-size:0.875rem;opacity:0.7;margin:0.25rem 0 0"'
    return (f'<figure style="margin:0;width:{CURVES_SIZE[0]}px;max-width:100%">'
            f'<img src="{data_uri("image/png", frame.curves_image)}" width="{CURVES_SIZE[0]}" '
            f'height="{CURVES_SIZE[1]}" style="max-width:100%;height:auto" alt="{_attr(CURVES_ALT, frame.lang)}" '
            f'data-testid="pg-live-curves"><figcaption {small}>{html.escape(translate(CURVES_CAPTION, frame.lang))}'
            '</figcaption></figure>')


def _attr(message: str, lang: str) -> str:
    """A message as an HTML attribute's value."""
    return html.escape(translate(message, lang), quote=True)


def network_png_of(model: Model, lang: str = "en", res: int = 24) -> bytes:
    """The network diagram of ``model`` while playing: links by weight and a small map per neuron,
    its titles in ``lang``."""
    linear = model.trainer.net.linear_layers()
    sizes = [linear[0].nin, *[layer.nout for layer in linear]]
    feats = model.features_used
    maps = neuron_maps(model.trainer.net, lambda p: make_features(p, feats), model.extent, res=res,
                       input_dims=model.data.x_train.shape[1])
    return network_png(sizes, [layer.W for layer in linear], list(feats), maps, lang=lang)


def space_figure_html(image: bytes | None, caption_style: str, lang: str = "en") -> str:
    """The hidden layer's space as one figure of the frame (inside-network), or nothing."""
    if image is None:
        return ""
    return (f'<figure style="margin:0;width:{MAP_PX}px;max-width:100%" data-testid="pg-hidden-space">'
            f'<img src="{data_uri("image/png", image)}" width="{MAP_PX}" height="{MAP_PX}" '
            f'style="max-width:100%;height:auto" alt="{_attr(SPACE_ALT, lang)}" data-testid="pg-live-space">'
            f'<figcaption {caption_style}>{html.escape(translate(SPACE_CAPTION, lang))}</figcaption></figure>')
