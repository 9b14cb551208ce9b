"""Frames of the live view (what a refresh shows while playing), without a browser."""

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from playground.twod.config import MAP_RESOLUTION, Config
from playground.twod.frame import CURVES_SIZE, MAP_PX, frame_html, metric_items, render_frame
from playground.twod.model import Model


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.float64)


@pytest.mark.parametrize("dataset", ["spiral", "plane", "curve"])
def test_a_frame_has_the_map_the_curves_and_the_numbers(dataset):
    model = Model.build(Config(dataset=dataset, hidden=(8,), activations=("tanh",))).trained(epochs=3)
    frame = render_frame(model)
    assert frame.map_mime == "image/png" and frame.epoch == 3
    map_rgb, curves_rgb = decode(frame.map_image), decode(frame.curves_image)
    if dataset == "curve":  # the fit, drawn at its full size
        assert map_rgb.shape == (MAP_PX, MAP_PX, 3) and frame.map_points is None
    else:  # the map at the grid's resolution (the browser scales it up), the points as a layer of MAP_PX
        assert map_rgb.shape == (MAP_RESOLUTION, MAP_RESOLUTION, 3)
        points = np.asarray(Image.open(io.BytesIO(frame.map_points)))
        assert points.shape == (MAP_PX, MAP_PX, 4) and 0 < (points[..., 3] > 0).mean() < 0.5  # see-through but for the dots
    assert curves_rgb.shape == (CURVES_SIZE[1], CURVES_SIZE[0], 3)
    assert map_rgb.std() > 10 and curves_rgb.std() > 10  # drawn, not blank
    labels = [label for label, _ in frame.metrics]
    assert labels[:3] == ["Epoch", "Train loss", "Test loss"]
    assert ("Test accuracy" in labels) == (dataset == "spiral")


def test_the_curve_fit_image_draws_the_networks_line():
    model = Model.build(Config(dataset="curve", hidden=(16,), activations=("tanh",)))
    rgb = decode(render_frame(model).map_image)
    dark = np.all(rgb < 60, axis=2)  # the fit is a dark line; the points are blue and orange
    assert dark[:, 60:-20].any(axis=0).mean() > 0.9  # it crosses the plot from left to right


def test_the_metrics_match_what_st_metric_shows_when_paused():
    model = Model.build(Config(dataset="xor", hidden=(4,), activations=("tanh",))).trained(epochs=2)
    m = model.metrics()
    items = dict(metric_items(model))
    assert items["Epoch"] == "2" and items["Train loss"] == f"{m['train_loss']:.4f}"
    assert items["Test accuracy"] == f"{m['test_accuracy']:.1%}"


def test_frame_html_is_one_block_with_both_images_and_escaped_text():
    model = Model.build(Config(dataset="circle", hidden=(4,), activations=("tanh",)))
    frame = render_frame(model)
    page = frame_html(frame, "refresh #7 <b>")
    assert page.count('data-testid="pg-metric"') == len(frame.metrics)
    assert "refresh #7 &lt;b&gt;" in page and "<b>" not in page
    uris = re.findall(r'src="data:(image/\w+);base64,([A-Za-z0-9+/=]+)"', page)
    assert [u[0] for u in uris] == ["image/png"] * 3
    assert [base64.b64decode(u[1]) for u in uris] == [frame.map_image, frame.map_points, frame.curves_image]
    assert "<script" not in page



def test_a_frame_in_thai_has_thai_labels_captions_and_image_text():
    """The worker draws a frame in the session's language: metrics, captions, alt texts and the
    curves image's text (the same picture otherwise)."""
    model = Model.build(Config(dataset="spiral", hidden=(8,), activations=("tanh",))).trained(epochs=3)
    english, thai = render_frame(model), render_frame(model, "th")
    assert thai.lang == "th" and [label for label, _ in thai.metrics][:3] == ["Epoch", "loss ชุดฝึก", "loss ชุดทดสอบ"]
    assert [text for _, text in thai.metrics] == [text for _, text in english.metrics]
    assert thai.map_caption.startswith("x1 จาก") and thai.map_image == english.map_image  # the map has no text
    page = frame_html(thai, "รีเฟรชครั้งที่ 1")
    assert 'alt="แผนที่การตัดสินใจ"' in page and "กราดิเอนต์" in page and "decision map" not in page
    en_rgb, th_rgb = decode(english.curves_image), decode(thai.curves_image)
    differs = np.abs(en_rgb - th_rgb).sum(axis=2) > 0
    rows = np.flatnonzero(differs.any(axis=1))
    # Only text differs: the panels' title lines and the epoch labels, never the curves themselves.
    assert differs.sum() > 0 and differs.mean() < 0.05, rows
