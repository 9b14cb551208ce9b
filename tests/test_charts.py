"""The playground's figure builders: real properties of the figures, checked without a browser."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image

from core import SoftmaxCrossEntropy, grid_inputs, make_dataset, make_features, mlp
from playground import charts
from playground.charts_network import link_style
from playground.charts_render import BLUE, NEUTRAL, ORANGE, hex_to_rgb, on_white, untyped, values_to_rgb

RES = 100
EXTENT = (-6.0, 6.0, -6.0, 6.0)


def decode_image(source: str) -> np.ndarray:
    """A PNG data URI -> (h, w, 3) uint8."""
    assert source.startswith("data:image/png;base64,")
    png = base64.b64decode(source.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def colors_in(img: np.ndarray) -> set[tuple[int, int, int]]:
    return {tuple(int(v) for v in c) for c in np.unique(img.reshape(-1, 3), axis=0)}


def rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in hex_to_rgb(hex_color))


def on_map(hex_color: str) -> tuple[int, int, int]:
    """A colour as maps paint it (at TF's alpha over white)."""
    return tuple(int(v) for v in on_white(hex_to_rgb(hex_color)))


def payload(fig: go.Figure) -> int:
    """Bytes st.plotly_chart sends for the figure."""
    return len(pio.to_json(fig, validate=False))


def assert_valid(fig: go.Figure) -> None:
    """The builders skip plotly's validation for speed: check here that a validating
    constructor accepts every property they set."""
    go.Figure(fig.to_dict())


def traces_named(fig, part: str) -> list:
    return [t for t in fig.data if part in (t.name or "")]


@pytest.fixture(scope="module")
def spiral():
    return make_dataset("spiral", 300, 0.1, 0.5, seed=0)


@pytest.fixture(scope="module")
def probs(spiral):
    net = mlp(2, [8, 8], 2, "tanh", seed=0)
    return SoftmaxCrossEntropy.probabilities(net.predict(grid_inputs(EXTENT, RES))).reshape(RES, RES, 2)


# --- palette -----------------------------------------------------------------------------

def test_two_classes_are_tf_orange_and_blue_and_eight_are_distinct():
    assert charts.class_colors(2) == ["#f59322", "#0877bd"]
    eight = charts.class_colors(8)
    assert len(set(eight)) == 8
    # Distinct to the eye: every pair differs clearly in RGB.
    arr = np.array([hex_to_rgb(c) for c in eight])
    dists = np.linalg.norm(arr[:, None] - arr[None], axis=-1)[np.triu_indices(8, 1)]
    assert dists.min() > 60
    assert charts.class_colors(0) == []
    assert charts.class_colors(10)[8:] == eight[:2]


# --- decision map ------------------------------------------------------------------------

def point_colors(trace) -> list[str]:
    """Each point's colour: its marker.color value looked up in the trace's colorscale."""
    scale = {round(stop, 6): color for stop, color in trace.marker.colorscale}
    lo, hi = trace.marker.cmin, trace.marker.cmax
    return [scale[round((v - lo) / (hi - lo), 6)] for v in untyped(trace.marker.color)]


def test_decision_map_is_one_small_image_with_points_by_class(spiral, probs):
    fig = charts.decision_map_figure(probs, EXTENT, "classification", 2, spiral.x_train, spiral.y_train,
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
    palette = charts.class_colors(2)
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
    ours = charts.decision_map_figure(probs, EXTENT, "classification", 2, spiral.x_train, spiral.y_train)
    naive = go.Figure([go.Heatmap(z=probs[..., 1].astype(np.float64))])
    assert payload(ours) * 5 < payload(naive)


def test_hiding_test_points_removes_their_trace(spiral, probs):
    fig = charts.decision_map_figure(probs, EXTENT, "classification", 2, spiral.x_train, spiral.y_train,
                                     spiral.x_test, spiral.y_test, show_test=False)
    assert [t.name for t in fig.data] == ["train points"]


def test_confidence_shading_and_orientation():
    # Top half of the plane (high y) is surely class 1, bottom half is a coin toss.
    p1 = np.full((RES, RES), 0.5, np.float32)
    p1[RES // 2 :] = 1.0
    values = np.stack([1 - p1, p1], axis=-1)
    fig = charts.decision_map_figure(values, EXTENT, "classification", 2, np.zeros((0, 2)), np.zeros(0))
    img = decode_image(fig.layout.images[0].source)
    assert tuple(img[0, 0]) == on_map(BLUE) == rgb(charts.map_colors(2)[1])  # image top row = ymax
    assert tuple(img[-1, 0]) == on_map(NEUTRAL)  # no confidence: the neutral grey
    # Confidence in between gives a colour in between, closer to blue the surer.
    shades = []
    for p in (0.6, 0.8, 0.95):
        v = np.stack([np.full((4, 4), 1 - p), np.full((4, 4), p)], axis=-1)
        shades.append(charts.decision_map_rgb(v, "classification", 2)[0, 0].astype(float))
    blue = hex_to_rgb(charts.map_colors(2)[1])
    d = [np.linalg.norm(s - blue) for s in shades]
    assert d[0] > d[1] > d[2]


def test_discretize_paints_only_class_colours():
    k = 5
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(RES, RES, k))
    values = SoftmaxCrossEntropy.probabilities(logits.reshape(-1, k)).reshape(RES, RES, k)
    soft = charts.decision_map_rgb(values, "classification", k)
    hard = charts.decision_map_rgb(values, "classification", k, discretize=True)
    allowed = {rgb(c) for c in charts.map_colors(k)}
    assert colors_in(hard) <= allowed
    assert len(colors_in(hard)) == k
    assert not colors_in(soft) <= allowed  # shading adds the in-between colours
    # Each cell shows its likeliest class.
    winner = values.argmax(-1)[::-1]
    palette = np.array([hex_to_rgb(c) for c in charts.map_colors(k)])
    np.testing.assert_array_equal(hard, palette[winner].astype(np.uint8))


def test_eight_classes_get_eight_colours_and_a_colour_key():
    ds = make_dataset("blobs", 400, 0.1, 0.8, seed=1, n_classes=8)
    values = np.eye(8)[np.arange(RES * RES) % 8].reshape(RES, RES, 8)
    fig = charts.decision_map_figure(values, ds.extent, "classification", 8, ds.x_train, ds.y_train, ds.x_test,
                                     ds.y_test)
    assert_valid(fig)
    assert len(colors_in(decode_image(fig.layout.images[0].source))) == 8
    assert set(point_colors(fig.data[0])) == set(charts.class_colors(8))
    key = fig.layout.annotations[0].text
    assert all(f"color:{c}" in key and f"class {i}" in key for i, c in enumerate(charts.class_colors(8)))
    two = charts.decision_map_figure(values[..., :2], ds.extent, "classification", 2, ds.x_train[:0], ds.y_train[:0])
    assert len(two.layout.annotations) == 0  # orange/blue need no key


def test_regression_uses_a_diverging_map_and_value_coloured_points():
    ds = make_dataset("plane", 200, 0.0, 0.5, seed=0)
    gx = grid_inputs(ds.extent, RES)
    values = (gx[:, 0] + gx[:, 1]).reshape(RES, RES) / 12  # plane-like, negative bottom-left
    fig = charts.decision_map_figure(values, ds.extent, "regression", 0, ds.x_train, ds.y_train, ds.x_test,
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
    hard = charts.decision_map_rgb(values, "regression", discretize=True)
    assert colors_in(hard) <= {on_map(ORANGE), on_map(BLUE), on_map(NEUTRAL)}


def test_edge_cases_do_not_crash():
    # One class present, no points, NaNs in the values, a (res, res) P(class 1) map.
    one = np.ones((10, 10, 1))
    fig = charts.decision_map_figure(one, EXTENT, "classification", 1, np.zeros((3, 2)), np.zeros(3, int))
    assert [t.name for t in fig.data] == ["train points"]
    assert colors_in(decode_image(fig.layout.images[0].source)) == {rgb(charts.map_colors(1)[0])}
    nan = np.full((10, 10, 2), np.nan)
    fig = charts.decision_map_figure(nan, EXTENT, "classification", 2, np.zeros((0, 2)), np.zeros(0))
    assert len(fig.data) == 0 and len(fig.layout.images) == 1
    fig = charts.decision_map_figure(np.full((10, 10), 0.9), EXTENT, "classification", 2, None, None)
    assert tuple(decode_image(fig.layout.images[0].source)[0, 0]) != on_map(NEUTRAL)
    fig = charts.decision_map_figure(np.zeros((10, 10)), EXTENT, "regression", 0, np.zeros((2, 2)), np.zeros(2))
    assert_valid(fig)


# --- 1-D regression --------------------------------------------------------------------

def test_curve_fit_draws_points_and_a_sorted_curve():
    ds = make_dataset("curve", 100, 0.1, 0.7, seed=0)
    xg = np.linspace(4, -4, 50)  # unsorted on purpose
    fig = charts.curve_fit_figure(ds.x_train, ds.y_train, xg, np.sin(xg), ds.x_test, ds.y_test)
    assert_valid(fig)
    assert [t.name for t in fig.data] == ["train", "test", "network"]
    line = fig.data[2]
    assert line.mode == "lines"
    assert np.all(np.diff(untyped(line.x)) > 0)
    np.testing.assert_allclose(untyped(line.y), np.sin(untyped(line.x)), atol=1e-5)
    assert len(untyped(fig.data[0].x)) == len(ds.x_train)
    assert fig.data[1].marker.color == "rgba(0,0,0,0)"  # test points outlined only
    empty = charts.curve_fit_figure(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
    assert [t.name for t in empty.data] == ["network"]


# --- loss curves -------------------------------------------------------------------------

def test_loss_curves_with_accuracy_on_a_second_axis():
    ep = np.arange(1, 51)
    loss = 1 / ep
    fig = charts.loss_figure(ep, loss, loss * 1.2, 1 - loss, 1 - loss * 1.2)
    assert_valid(fig)
    assert [t.name for t in fig.data] == ["train loss", "test loss", "train accuracy", "test accuracy"]
    assert [t.yaxis for t in fig.data] == ["y", "y", "y2", "y2"]
    assert fig.layout.yaxis2.overlaying == "y"
    np.testing.assert_allclose(untyped(fig.data[0].y), loss, rtol=1e-6)
    regression = charts.loss_figure(ep, loss, loss)
    assert "yaxis2" not in regression.to_dict()["layout"]


def test_loss_curves_edge_cases_and_thinning():
    empty = charts.loss_figure([], [], [])
    assert len(empty.data) == 0 and "No training yet" in empty.layout.annotations[0].text
    single = charts.loss_figure([1], [0.7], None)
    assert len(single.data) == 1 and "markers" in single.data[0].mode
    n = 20_000
    long = charts.loss_figure(np.arange(1, n + 1), np.linspace(1, 0, n), np.linspace(1, 0.1, n))
    x = untyped(long.data[0].x)
    assert len(x) <= charts.MAX_CURVE_POINTS and x[0] == 1 and x[-1] == n
    assert payload(long) < 20_000
    with_nan = charts.loss_figure([1, 2, 3], [1.0, np.nan, 0.5], [np.inf, 1.0, 0.4])
    assert len(with_nan.data) == 2


# --- gradient norms ----------------------------------------------------------------------

def test_gradient_figure_log_axes_and_safe_zeros():
    t, layers = 40, 4
    grads = np.geomspace(1, 1e-6, layers)[None, :] * np.ones((t, 1))  # vanishing towards the input...
    grads[5, 0] = 0.0  # ... and a dead step
    weights = np.ones((t, layers))
    fig = charts.gradient_figure(np.arange(1, t + 1), grads, weights, ["W1", "W2", "W3", "W4"])
    assert_valid(fig)
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.type == "log"
    grad_traces = [tr for tr in fig.data if tr.yaxis == "y"]
    weight_traces = [tr for tr in fig.data if tr.yaxis == "y2"]
    assert len(grad_traces) == layers and len(weight_traces) == layers
    assert [tr.name for tr in grad_traces] == ["W1", "W2", "W3", "W4"]
    assert all(tr.line.dash == "dash" for tr in weight_traces)
    assert all(tr.showlegend for tr in grad_traces) and not any(tr.showlegend for tr in weight_traces)
    y0 = untyped(grad_traces[0].y)
    assert np.all(y0 > 0) and np.isfinite(y0).all()  # the zero sits at a positive floor
    assert y0[5] < np.min(grads[grads > 0])
    np.testing.assert_allclose(untyped(grad_traces[3].y), 1e-6, rtol=1e-5)


def test_gradient_figure_edge_cases():
    empty = charts.gradient_figure([], np.zeros((0, 2)), np.zeros((0, 2)), ["a", "b"])
    assert len(empty.data) == 0
    one_layer = charts.gradient_figure([1], np.array([[0.0]]), np.array([[1.0]]), None)
    assert [tr.name for tr in one_layer.data] == ["layer 1", "layer 1"]
    assert np.all(untyped(one_layer.data[0].y) > 0)
    nan = charts.gradient_figure([1, 2], np.array([[np.nan], [1.0]]), np.array([[np.inf], [2.0]]))
    assert_valid(nan)
    # The architecture changed mid-history: the rows of the current width are drawn.
    ragged = charts.gradient_figure([1, 2, 3], [[0.1, 0.2], [0.3, 0.4, 0.5], [0.6, 0.7, 0.8]],
                                    [[1, 1], [1, 1, 1], [1, 1, 1]])
    grads = [tr for tr in ragged.data if tr.yaxis == "y"]
    assert len(grads) == 3
    np.testing.assert_array_equal(untyped(grads[0].x), [2, 3])
    np.testing.assert_allclose(untyped(grads[2].y), [0.5, 0.8], rtol=1e-6)


def test_histories_stay_small():
    n, layers = 5_000, 7
    ep = np.arange(1, n + 1)
    fig = charts.gradient_figure(ep, np.full((n, layers), 0.1), np.ones((n, layers)))
    assert all(len(untyped(tr.x)) <= charts.MAX_CURVE_POINTS for tr in fig.data)
    assert fig.data[0].x["dtype"] == "u2"  # whole epochs go out as 2-byte integers
    assert payload(fig) < 60_000
    fractional = charts.loss_figure(ep / 3, np.ones(n))
    assert fractional.data[0].x["dtype"] == "f4"
    np.testing.assert_allclose(untyped(fractional.data[0].x)[-1], n / 3, rtol=1e-6)


# --- network diagram and neuron maps ---------------------------------------------------

def link_geometry(fig):
    """(sign, thickness) of every link polygon in the figure."""
    out = []
    for tr in traces_named(fig, "weights"):
        if tr.fill != "toself":
            continue
        sign = -1 if tr.name.startswith("negative") else 1
        xs, ys = untyped(tr.x).reshape(-1, 5), untyped(tr.y).reshape(-1, 5)
        thick = np.hypot(xs[:, 0] - xs[:, 3], ys[:, 0] - ys[:, 3])
        out += [(sign, float(v)) for v in thick]
    return out


def test_network_links_coloured_by_sign_and_thickened_by_magnitude():
    w1 = np.array([[0.1, -0.2], [0.4, -0.8], [1.6, -3.2]])
    w2 = np.array([[0.05, -0.5, 2.0]])
    fig = charts.network_figure([2, 3, 1], [w1, w2], ["x1", "x2"])
    assert_valid(fig)
    geometry = link_geometry(fig)
    assert len(geometry) == w1.size + w2.size
    weights = np.concatenate([w1.ravel(), w2.ravel()])
    assert sorted(s for s, _ in geometry) == sorted(np.where(weights < 0, -1, 1))
    for tr in traces_named(fig, "weights"):
        if tr.fill == "toself":
            expected = "245,147,34" if tr.name.startswith("negative") else "8,119,189"
            assert expected in tr.fillcolor
    thickness, _ = link_style(np.abs(weights), np.abs(weights).max())
    assert sorted(round(t, 6) for _, t in geometry) == sorted(round(t, 6) for t in thickness)
    grid = np.linspace(0, 5, 50)
    thick, level = link_style(grid, 3.2)
    assert np.all(np.diff(thick) >= 0) and np.all(np.diff(level) >= 0)
    assert thick[-1] > 3 * thick[0]


def test_network_with_neuron_maps_paints_each_map_at_its_node():
    net = mlp(2, [8, 8], 2, "tanh", seed=0)
    names = ["x1", "x2"]
    maps = charts.neuron_maps(net, lambda p: make_features(p, names), EXTENT, res=30)
    assert [m.shape for m in maps] == [(2, 30, 30), (8, 30, 30), (8, 30, 30), (2, 30, 30)]
    layers = net.linear_layers()
    fig = charts.network_figure([2, 8, 8, 2], [lay.W for lay in layers], names, maps, biases=[lay.b for lay in layers])
    assert_valid(fig)
    assert len(fig.layout.images) == 1  # one sprite for every node
    image = fig.layout.images[0]
    sprite = decode_image(image.source)
    px = sprite.shape[1] / image.sizex  # sprite pixels per data unit

    def thumbnail_at(cx, cy):
        """The sprite's pixels under the node centred at (cx, cy) (node side 1)."""
        col = int(round((cx - 0.5 - image.x) * px))
        row = int(round((image.y - (cy + 0.5)) * px))
        size = int(round(px))
        return sprite[row : row + size, col : col + size].astype(float)

    centres = traces_named(fig, "neurons")[0]
    cx, cy = untyped(centres.x), untyped(centres.y)
    # Node 0 is x1: orange on the left (x1 < 0), blue on the right; node 1 is x2: blue on top.
    x1, x2 = thumbnail_at(cx[0], cy[0]), thumbnail_at(cx[1], cy[1])
    assert x1.shape == (30, 30, 3)
    assert np.linalg.norm(x1[15, 0] - on_white(hex_to_rgb(ORANGE))) < 30
    assert np.linalg.norm(x1[15, -1] - on_white(hex_to_rgb(BLUE))) < 30
    assert np.linalg.norm(x2[0, 15] - on_white(hex_to_rgb(BLUE))) < 30
    # A hidden neuron's thumbnail is its map (flipped so ymax is on top), on the same colour scale.
    expected = values_to_rgb(maps[1][3], 1.0)[::-1]
    np.testing.assert_array_equal(thumbnail_at(cx[2 + 3], cy[2 + 3]), expected)
    assert len(link_geometry(fig)) == 2 * 8 + 8 * 8 + 8 * 2
    assert "x1" in centres.text and any("bias" in t for t in centres.text)
    assert payload(fig) < 60_000
    # Hidden-layer maps only (as a list per layer, or flat) are accepted too.
    hidden_only = charts.network_figure([2, 8, 8, 2], [lay.W for lay in layers], names, maps[1:3])
    flat = charts.network_figure([2, 8, 8, 2], [lay.W for lay in layers], names, [*maps[1], *maps[2]])
    assert hidden_only.layout.images[0].source == flat.layout.images[0].source
    plain = traces_named(hidden_only, "nodes")[0]  # inputs and outputs drawn as grey squares
    assert plain.fill == "toself" and len(untyped(plain.x)) == (2 + 2) * 6


def test_neuron_maps_match_the_network():
    net = mlp(4, [5], 3, "relu", seed=2)
    names = ["x1", "x2", "x1^2", "sin(x2)"]
    maps = charts.neuron_maps(net, lambda p: make_features(p, names), EXTENT, res=12)
    grid = grid_inputs(EXTENT, 12)
    out = net.predict(make_features(grid, names))
    np.testing.assert_allclose(maps[-1][2], out[:, 2].reshape(12, 12), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(maps[0][2], (grid[:, 0] ** 2).reshape(12, 12), rtol=1e-5)
    assert (maps[1] >= 0).all()  # ReLU outputs
    # 1-D input (the curve): each map is the same row repeated.
    curve_net = mlp(1, [3], 1, seed=0)
    line_maps = charts.neuron_maps(curve_net, None, (-5, 5, -5, 5), res=10, input_dims=1)
    assert line_maps[1].shape == (3, 10, 10)
    np.testing.assert_array_equal(line_maps[1][0][0], line_maps[1][0][9])


def test_network_edge_cases():
    no_hidden = charts.network_figure([2, 2], [np.ones((2, 2))], ["x1", "x2"])
    assert_valid(no_hidden)
    assert len(link_geometry(no_hidden)) == 4
    zeros = charts.network_figure([2, 3, 1], [np.zeros((3, 2)), np.zeros((1, 3))], ["x1", "x2"])
    assert len(link_geometry(zeros)) == 9
    with pytest.raises(ValueError, match="expected"):
        charts.network_figure([2, 3, 1], [np.zeros((2, 3)), np.zeros((1, 3))], ["x1", "x2"])
    with pytest.raises(ValueError, match="weight matrices"):
        charts.network_figure([2, 3, 1], [np.zeros((3, 2))], ["x1", "x2"])


def test_big_network_stays_small_and_readable():
    sizes = [7, *[16] * 6, 2]
    net = mlp(7, [16] * 6, 2, "sigmoid", seed=0)
    names = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    maps = charts.neuron_maps(net, lambda p: make_features(p, names), EXTENT, res=30)
    fig = charts.network_figure(sizes, [lay.W for lay in net.linear_layers()], names, maps)
    assert_valid(fig)
    assert len(fig.layout.images) == 1
    assert len(fig.data) <= 8  # links grouped, not one trace per weight
    assert payload(fig) < 150_000
    assert fig.layout.height <= 700
