"""The figures of what a drawing lights up (playground/digits/lights.py), checked without a browser."""

from __future__ import annotations

import numpy as np
import pytest

from playground.digits.charts import GAP, TITLE_ROWS
from playground.digits.lights import (
    DIGIT_COLOURS,
    activations_figure,
    probability_history_figure,
    top_units_figure,
)


def test_the_history_has_one_line_per_digit_and_the_digit_read_now_stands_out():
    p = np.full((3, 10), 0.05)
    p[:, 2] = [0.5, 0.3, 0.1]
    p[:, 7] = [0.05, 0.25, 0.45]
    fig = probability_history_figure([4, 5, 6], p)
    assert [t.name for t in fig.data] == [str(d) for d in range(10)]
    assert list(fig.data[7].x) == [4, 5, 6] and list(fig.data[7].y) == [0.05, 0.25, 0.45]
    widths = [t.line.width for t in fig.data]
    assert widths[7] == max(widths) and widths.count(max(widths)) == 1  # the last update reads 7
    assert fig.data[2].line.color == DIGIT_COLOURS[2]
    assert fig.layout.annotations[0].text == "7"
    with pytest.raises(ValueError):
        probability_history_figure([1, 2], np.zeros((3, 10)))


def test_activation_grids_hold_every_unit_and_ring_the_most_active():
    rng = np.random.default_rng(0)
    relu = np.maximum(rng.normal(size=70), 0)
    tanh = np.tanh(rng.normal(size=16))
    top = [np.argsort(-relu)[:5], np.argsort(-tanh)[:3]]
    fig = activations_figure([relu, tanh], top, columns=32)
    heat, rings, heat2, rings2 = fig.data
    assert len(rings2.x) == 3
    grid = np.asarray(heat.z, dtype=float)
    assert grid.shape == (3, 32)  # 70 units, 32 a row
    np.testing.assert_array_equal(grid.ravel()[:70], relu)
    assert np.isnan(grid.ravel()[70:]).all()
    assert np.asarray(heat.customdata).ravel()[:70].tolist() == list(range(70))
    # Each ring sits on its unit's cell.
    for x, y, unit in zip(rings.x, rings.y, rings.customdata):
        assert grid[y, x] == relu[unit]
    assert list(rings.customdata) == top[0].tolist()
    assert heat.zmin == 0 and heat2.zmin == -heat2.zmax  # non-negative vs signed activations
    assert "most active " + ", ".join(str(u) for u in top[1]) in fig.layout.annotations[1].text
    with pytest.raises(ValueError):
        activations_figure([], [])


def test_top_units_show_weights_over_weight_times_drawing_on_one_scale():
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(3, 784)).astype(np.float32)
    drawing = rng.random(784).astype(np.float32)
    products = weights * drawing
    fig = top_units_figure(weights, products, [12, 4, 30], products.sum(axis=1))
    picture = np.asarray(fig.data[0].z, dtype=float)
    cell = 28 + GAP
    np.testing.assert_allclose(picture[TITLE_ROWS:TITLE_ROWS + 28, cell:cell + 28], weights[1].reshape(28, 28))
    below = TITLE_ROWS + 28 + GAP + TITLE_ROWS
    np.testing.assert_allclose(picture[below:below + 28, :28], products[0].reshape(28, 28), rtol=1e-6)
    assert fig.data[0].zmax == -fig.data[0].zmin == pytest.approx(float(np.abs(weights).max()))
    titles = [a.text for a in fig.layout.annotations]
    assert titles[:3] == [f"unit {u}: {c:+.2f}" for u, c in zip([12, 4, 30], products.sum(axis=1))]
    assert top_units_figure(weights[:1], products[:1], [3], [1.0], name="digit").layout.annotations[0].text == "digit 3: +1.00"
    with pytest.raises(ValueError):
        top_units_figure(weights, products[:2], [1, 2, 3], [0, 0, 0])
