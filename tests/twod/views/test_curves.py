"""Loss, accuracy, gradient and weight curves."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from playground.twod.views import colors, curves
from playground.twod.views.encoding import untyped
from tests.twod.views.helpers import assert_valid, colors_in, payload, rgb


def test_loss_curves_with_accuracy_on_a_second_axis():
    ep = np.arange(1, 51)
    loss = 1 / ep
    fig = curves.loss_figure(ep, loss, loss * 1.2, 1 - loss, 1 - loss * 1.2)
    assert_valid(fig)
    assert [t.name for t in fig.data] == ["train loss", "test loss", "train accuracy", "test accuracy"]
    assert [t.yaxis for t in fig.data] == ["y", "y", "y2", "y2"]
    assert fig.layout.yaxis2.overlaying == "y"
    np.testing.assert_allclose(untyped(fig.data[0].y), loss, rtol=1e-6)
    regression = curves.loss_figure(ep, loss, loss)
    assert "yaxis2" not in regression.to_dict()["layout"]


def test_loss_curves_edge_cases_and_thinning():
    empty = curves.loss_figure([], [], [])
    assert len(empty.data) == 0 and "No training yet" in empty.layout.annotations[0].text
    single = curves.loss_figure([1], [0.7], None)
    assert len(single.data) == 1 and "markers" in single.data[0].mode
    n = 20_000
    long = curves.loss_figure(np.arange(1, n + 1), np.linspace(1, 0, n), np.linspace(1, 0.1, n))
    x = untyped(long.data[0].x)
    assert len(x) <= curves.MAX_CURVE_POINTS and x[0] == 1 and x[-1] == n
    assert payload(long) < 20_000
    with_nan = curves.loss_figure([1, 2, 3], [1.0, np.nan, 0.5], [np.inf, 1.0, 0.4])
    assert len(with_nan.data) == 2


def test_gradient_figure_log_axes_and_safe_zeros():
    t, layers = 40, 4
    grads = np.geomspace(1, 1e-6, layers)[None, :] * np.ones((t, 1))  # vanishing towards the input...
    grads[5, 0] = 0.0  # ... and a dead step
    weights = np.ones((t, layers))
    fig = curves.gradient_figure(np.arange(1, t + 1), grads, weights, ["W1", "W2", "W3", "W4"])
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
    empty = curves.gradient_figure([], np.zeros((0, 2)), np.zeros((0, 2)), ["a", "b"])
    assert len(empty.data) == 0
    one_layer = curves.gradient_figure([1], np.array([[0.0]]), np.array([[1.0]]), None)
    assert [tr.name for tr in one_layer.data] == ["layer 1", "layer 1"]
    assert np.all(untyped(one_layer.data[0].y) > 0)
    nan = curves.gradient_figure([1, 2], np.array([[np.nan], [1.0]]), np.array([[np.inf], [2.0]]))
    assert_valid(nan)
    # The architecture changed mid-history: the rows of the current width are drawn.
    ragged = curves.gradient_figure([1, 2, 3], [[0.1, 0.2], [0.3, 0.4, 0.5], [0.6, 0.7, 0.8]],
                                    [[1, 1], [1, 1, 1], [1, 1, 1]])
    grads = [tr for tr in ragged.data if tr.yaxis == "y"]
    assert len(grads) == 3
    np.testing.assert_array_equal(untyped(grads[0].x), [2, 3])
    np.testing.assert_allclose(untyped(grads[2].y), [0.5, 0.8], rtol=1e-6)


def test_histories_stay_small():
    n, layers = 5_000, 7
    ep = np.arange(1, n + 1)
    fig = curves.gradient_figure(ep, np.full((n, layers), 0.1), np.ones((n, layers)))
    assert all(len(untyped(tr.x)) <= curves.MAX_CURVE_POINTS for tr in fig.data)
    assert fig.data[0].x["dtype"] == "u2"  # whole epochs go out as 2-byte integers
    assert payload(fig) < 60_000
    fractional = curves.loss_figure(ep / 3, np.ones(n))
    assert fractional.data[0].x["dtype"] == "f4"
    np.testing.assert_allclose(untyped(fractional.data[0].x)[-1], n / 3, rtol=1e-6)


def test_a_layer_keeps_its_colour_when_training_pauses():
    """The paused chart and the live image draw each layer's norms in the same colour."""
    epochs = np.arange(1, 21, dtype=float)
    grads = np.column_stack([np.linspace(1, 0.1, 20) * (j + 1) for j in range(3)])
    paused = curves.gradient_figure(epochs, grads, grads * 2, ["hidden 1", "hidden 2", "output"])
    paused_colors = [t.line.color for t in paused.data if t.yaxis == "y"]
    live = colors_in(np.asarray(Image.open(io.BytesIO(curves.curves_png(
        epochs, epochs[::-1], None, None, None, grads, grads * 2, ["hidden 1", "hidden 2", "output"]))).convert("RGB")))
    assert paused_colors == list(colors.LAYER_COLORS[:3])
    assert all(rgb(c) in live for c in paused_colors)
    assert rgb(colors.LAYER_COLORS[3]) not in live  # only the layers there are
