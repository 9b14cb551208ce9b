"""The decision map, paused (plotly) and live (Pillow): real properties of the pictures, without a browser."""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from core import SoftmaxCrossEntropy, grid_inputs, make_dataset, mlp
from playground.twod.config import Config
from playground.twod.model import Model
from playground.twod.views import colors
from playground.twod.views import map as map_view
from playground.twod.views.colors import BLUE, NEUTRAL, ORANGE, hex_to_rgb
from playground.twod.views.encoding import untyped
from tests.twod.views.helpers import EXTENT, RES, assert_valid, colors_in, decode_image, on_map, payload, rgb


@pytest.fixture(scope="module")
def spiral():
    return make_dataset("spiral", 300, 0.1, 0.5, seed=0)



@pytest.fixture(scope="module")
def probs(spiral):
    net = mlp(2, [8, 8], 2, "tanh", seed=0)
    return SoftmaxCrossEntropy.probabilities(net.predict(grid_inputs(EXTENT, RES))).reshape(RES, RES, 2)


def point_colors(trace) -> list[str]:
    """Each point's colour: its marker.color value looked up in the trace's colorscale."""
    scale = {round(stop, 6): color for stop, color in trace.marker.colorscale}
    lo, hi = trace.marker.cmin, trace.marker.cmax
    return [scale[round((v - lo) / (hi - lo), 6)] for v in untyped(trace.marker.color)]


def test_decision_map_is_one_small_image_with_points_by_class(spiral, probs):
    fig = map_view.map_figure(probs, EXTENT, "classification", 2, spiral.x_train, spiral.y_train,
                                     spiral.x_test, spiral.y_test)
    assert_valid(fig)
    assert len(fig.layout.images) == 1
    img = decode_image(fig.layout.images[0].source)
    assert img.shape == (RES, RES, 3)
    assert not any(t.type == "heatmap" for t in fig.data)
    assert [t.name for t in fig.data] == ["train points", "test points"]
    train, test = fig.data
    np.testing.assert_allclose(untyped(train.x), spiral.x_train[:, 0], rtol=1e-6)
    np.testing.assert_allclose(untyped(test.y), spiral.x_test[:, 1], rtol=1e-6)
    palette = colors.class_colors(2)
    assert point_colors(train) == [palette[c] for c in spiral.y_train]
    assert point_colors(test) == [palette[c] for c in spiral.y_test]
    # TF's look: train points filled with a white rim, test points outlined in black.
    assert train.marker.line.color == "#ffffff"
    assert test.marker.line.color == "#111111"
    assert payload(fig) < 30_000
    # The map fills the axes: the image covers the range and no padding band (Streamlit's
    # theme pads 8 px by default) shows the background around it.
    image = fig.layout.images[0]
    assert image.x <= EXTENT[0] and image.x + image.sizex >= EXTENT[1]
    assert image.y >= EXTENT[3] and image.y - image.sizey <= EXTENT[2]
    assert fig.layout.xaxis.range == (EXTENT[0], EXTENT[1]) and fig.layout.margin.pad == 0
    assert fig.layout.yaxis.scaleanchor == "x"


def test_decision_map_payload_is_far_below_a_float_heatmap(spiral, probs):
    ours = map_view.map_figure(probs, EXTENT, "classification", 2, spiral.x_train, spiral.y_train)
    naive = go.Figure([go.Heatmap(z=probs[..., 1].astype(np.float64))])
    assert payload(ours) * 5 < payload(naive)


def test_hiding_test_points_removes_their_trace(spiral, probs):
    fig = map_view.map_figure(probs, EXTENT, "classification", 2, spiral.x_train, spiral.y_train,
                                     spiral.x_test, spiral.y_test, show_test=False)
    assert [t.name for t in fig.data] == ["train points"]


def test_confidence_shading_and_orientation():
    # Top half of the plane (high y) is surely class 1, bottom half is a coin toss.
    p1 = np.full((RES, RES), 0.5, np.float32)
    p1[RES // 2 :] = 1.0
    values = np.stack([1 - p1, p1], axis=-1)
    fig = map_view.map_figure(values, EXTENT, "classification", 2, np.zeros((0, 2)), np.zeros(0))
    img = decode_image(fig.layout.images[0].source)
    assert tuple(img[0, 0]) == on_map(BLUE) == rgb(colors.map_colors(2)[1])  # image top row = ymax
    assert tuple(img[-1, 0]) == on_map(NEUTRAL)  # no confidence: the neutral grey
    # Confidence in between gives a colour in between, closer to blue the surer.
    shades = []
    for p in (0.6, 0.8, 0.95):
        v = np.stack([np.full((4, 4), 1 - p), np.full((4, 4), p)], axis=-1)
        shades.append(map_view.decision_map_rgb(v, "classification", 2)[0, 0].astype(float))
    blue = hex_to_rgb(colors.map_colors(2)[1])
    d = [np.linalg.norm(s - blue) for s in shades]
    assert d[0] > d[1] > d[2]


def test_discretize_paints_only_class_colours():
    k = 5
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(RES, RES, k))
    values = SoftmaxCrossEntropy.probabilities(logits.reshape(-1, k)).reshape(RES, RES, k)
    soft = map_view.decision_map_rgb(values, "classification", k)
    hard = map_view.decision_map_rgb(values, "classification", k, discretize=True)
    allowed = {rgb(c) for c in colors.map_colors(k)}
    assert colors_in(hard) <= allowed
    assert len(colors_in(hard)) == k
    assert not colors_in(soft) <= allowed  # shading adds the in-between colours
    # Each cell shows its likeliest class.
    winner = values.argmax(-1)[::-1]
    palette = np.array([hex_to_rgb(c) for c in colors.map_colors(k)])
    np.testing.assert_array_equal(hard, palette[winner].astype(np.uint8))


def test_eight_classes_get_eight_colours_and_a_colour_key():
    ds = make_dataset("blobs", 400, 0.1, 0.8, seed=1, n_classes=8)
    values = np.eye(8)[np.arange(RES * RES) % 8].reshape(RES, RES, 8)
    fig = map_view.map_figure(values, ds.extent, "classification", 8, ds.x_train, ds.y_train, ds.x_test,
                                     ds.y_test)
    assert_valid(fig)
    assert len(colors_in(decode_image(fig.layout.images[0].source))) == 8
    assert set(point_colors(fig.data[0])) == set(colors.class_colors(8))
    key = fig.layout.annotations[0].text
    assert all(f"color:{c}" in key and f"class {i}" in key for i, c in enumerate(colors.class_colors(8)))
    two = map_view.map_figure(values[..., :2], ds.extent, "classification", 2, ds.x_train[:0], ds.y_train[:0])
    assert len(two.layout.annotations) == 0  # orange/blue need no key


def test_regression_uses_a_diverging_map_and_value_coloured_points():
    ds = make_dataset("plane", 200, 0.0, 0.5, seed=0)
    gx = grid_inputs(ds.extent, RES)
    values = (gx[:, 0] + gx[:, 1]).reshape(RES, RES) / 12  # plane-like, negative bottom-left
    fig = map_view.map_figure(values, ds.extent, "regression", 0, ds.x_train, ds.y_train, ds.x_test,
                                     ds.y_test)
    assert_valid(fig)
    img = decode_image(fig.layout.images[0].source).astype(float)
    top_right, bottom_left = img[0, -1], img[-1, 0]
    assert np.linalg.norm(top_right - hex_to_rgb("#0877bd")) < np.linalg.norm(top_right - hex_to_rgb("#f59322"))
    assert np.linalg.norm(bottom_left - hex_to_rgb("#f59322")) < np.linalg.norm(bottom_left - hex_to_rgb("#0877bd"))
    points = [t for t in fig.data if t.mode == "markers"]
    assert len(points) == 2
    train = points[0]
    np.testing.assert_allclose(untyped(train.marker.color), ds.y_train, rtol=1e-6)
    scale = float(np.abs(ds.y_train).max())
    assert (train.marker.cmin, train.marker.cmax) == pytest.approx((-scale, scale))
    assert train.marker.showscale
    hard = map_view.decision_map_rgb(values, "regression", discretize=True)
    assert colors_in(hard) <= {on_map(ORANGE), on_map(BLUE), on_map(NEUTRAL)}


def test_edge_cases_do_not_crash():
    # One class present, no points, NaNs in the values, a (res, res) P(class 1) map.
    one = np.ones((10, 10, 1))
    fig = map_view.map_figure(one, EXTENT, "classification", 1, np.zeros((3, 2)), np.zeros(3, int))
    assert [t.name for t in fig.data] == ["train points"]
    assert colors_in(decode_image(fig.layout.images[0].source)) == {rgb(colors.map_colors(1)[0])}
    nan = np.full((10, 10, 2), np.nan)
    fig = map_view.map_figure(nan, EXTENT, "classification", 2, np.zeros((0, 2)), np.zeros(0))
    assert len(fig.data) == 0 and len(fig.layout.images) == 1
    fig = map_view.map_figure(np.full((10, 10), 0.9), EXTENT, "classification", 2, None, None)
    assert tuple(decode_image(fig.layout.images[0].source)[0, 0]) != on_map(NEUTRAL)
    fig = map_view.map_figure(np.zeros((10, 10)), EXTENT, "regression", 0, np.zeros((2, 2)), np.zeros(2))
    assert_valid(fig)


# ---- the live drawing ----
def live_map(map_bytes: bytes, points_bytes: bytes) -> np.ndarray:
    """The live map as the browser shows it: the small map scaled up smoothly, the points over it."""
    points = Image.open(io.BytesIO(points_bytes)).convert("RGBA")
    picture = Image.open(io.BytesIO(map_bytes)).convert("RGBA").resize(points.size, Image.BILINEAR)
    picture.alpha_composite(points)
    return np.asarray(picture.convert("RGB"), dtype=np.float64)


def test_classification_map_shows_both_classes_and_the_points():
    # P(class 1) rises with x: orange (class 0) on the left, blue (class 1) on the right.
    res = 100
    p1 = np.tile(np.linspace(0, 1, res), (res, 1))
    values = np.stack([1 - p1, p1], axis=2)
    x = np.array([[-5.0, 5.0]])
    small = map_view.map_png(values, "classification", 2)
    assert Image.open(io.BytesIO(small)).size == (res, res) and len(small) < 8_000  # a few KB a refresh
    img = live_map(small, map_view.points_png((-6, 6, -6, 6), "classification", 2, x, np.array([1]), size=200,
                                              radius=6))
    assert img.shape == (200, 200, 3)
    left, right = img[100, 5], img[100, 195]
    assert left[0] > left[2] + 60 and right[2] > right[0] + 60  # orange vs blue
    # The blue class-1 point sits in the orange top-left corner.
    px, py = int((-5 + 6) / 12 * 199), int((6 - 5) / 12 * 199)
    assert img[py, px, 2] > img[py, px, 0]


def test_the_points_are_drawn_once_per_data_set():
    x, y = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1])
    first = map_view.points_png((-6, 6, -6, 6), "classification", 2, x, y)
    assert map_view.points_png((-6, 6, -6, 6), "classification", 2, x, y) is first  # cached, not redrawn
    assert map_view.points_png((-6, 6, -6, 6), "classification", 2, x, y[::-1]) != first


def test_regression_map_and_test_points_draw_without_nan():
    model = Model.build(Config(dataset="plane", hidden=(3,), activations=("tanh",))).trained(epochs=1)
    d = model.data
    img = live_map(map_view.map_png(model.decision_values(), "regression", 0),
                   map_view.points_png(model.extent, "regression", 0, d.x_train, d.y_train, d.x_test, d.y_test,
                                       show_test=True, size=120))
    assert img.shape == (120, 120, 3) and np.isfinite(img).all() and img.std() > 5
