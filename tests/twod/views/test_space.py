"""The hidden layer's space (the hidden_space package and views/space.py): the grid, the points, the plane
and the decision line are where the network puts them; both drawings show them."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from core import SoftmaxCrossEntropy, grid_inputs, make_features
from playground.twod.config import Config
from playground.twod.frame import frame_html, render_frame
from playground.twod.hidden_space import GRID_NODES, SpaceUnavailable, clip_line, hidden_space, space_png
from playground.twod.model import Model
from playground.twod.views import colors
from playground.twod.views.encoding import untyped
from playground.twod.views.space import BOUNDARY, space_figure, space_image
from tests.twod.views.helpers import assert_valid, colors_in, rgb, traces_named


def trained(epochs: int = 40, **settings) -> Model:
    config = Config(**{"dataset": "circle", "hidden": (2,), "activations": ("tanh",), "view": "space", **settings})
    return Model.build(config).trained(epochs=epochs)


@pytest.fixture(scope="module")
def two_neurons():
    return trained()


def layer_values(model: Model, layer: int, pre: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(the grid nodes', the training points') values in hidden layer ``layer``, straight from the net."""
    net = model.trainer.net
    grid = make_features(grid_inputs(model.extent, GRID_NODES), model.features_used)
    return (net.layer_outputs(grid, pre_activation=pre)[layer], net.layer_outputs(model.trainer.x, pre_activation=pre)[layer])


def side(line, points: np.ndarray) -> np.ndarray:
    """+1 / -1: on which side of the segment each point lies."""
    (u0, v0), (u1, v1) = line
    return np.sign((u1 - u0) * (points[:, 1] - v0) - (v1 - v0) * (points[:, 0] - u0))


@pytest.mark.parametrize("pre", [False, True])
def test_the_grid_and_the_points_are_where_the_layer_maps_them(two_neurons, pre):
    model = replace(two_neurons, config=replace(two_neurons.config, space_pre=pre))
    space = hidden_space(model)
    nodes, points = layer_values(model, 1, pre)
    assert space.nodes.shape == (GRID_NODES, GRID_NODES, 2)
    np.testing.assert_allclose(space.nodes.reshape(-1, 2), nodes, rtol=1e-5, atol=1e-6)  # two neurons: as they are
    np.testing.assert_allclose(space.points, points, rtol=1e-5, atol=1e-6)
    if not pre:
        assert np.abs(space.nodes).max() <= 1.0  # tanh's range
    # The paused chart draws its grid lines through exactly these nodes, row by row then column by column.
    (grid,) = traces_named(space_figure(space), "grid")
    gx, gy = untyped(grid.x), untyped(grid.y)
    drawn = np.column_stack([gx, gy])[np.isfinite(gx)]
    expected = np.vstack([space.nodes.reshape(-1, 2), space.nodes.transpose(1, 0, 2).reshape(-1, 2)])
    np.testing.assert_allclose(drawn, expected, rtol=1e-5, atol=1e-5)


def test_cells_are_coloured_by_the_final_prediction(two_neurons):
    space = hidden_space(two_neurons)
    n = GRID_NODES - 1
    xmin, xmax, ymin, ymax = two_neurons.extent
    half = (xmax - xmin) / n / 2
    centres = grid_inputs((xmin + half, xmax - half, ymin + half, ymax - half), n)
    probs = SoftmaxCrossEntropy.probabilities(two_neurons.trainer.net.predict(centres))
    # Each cell wears the decision map's colour for the net's prediction at its centre.
    np.testing.assert_array_equal(space.cell_rgb, colors.probabilities_to_rgb(probs).reshape(n, n, 3))
    assert len(colors_in(space.cell_rgb)) > 3  # shades of confidence, both classes'
    winner = probs.argmax(axis=1).reshape(n, n)
    assert 0 < winner.mean() < 1


def test_the_decision_line_separates_what_the_net_classifies_differently(two_neurons):
    space = hidden_space(two_neurons)  # the last hidden layer, after its activation: a straight line
    assert space.line is not None and space.field is None
    sides = side(space.line, space.points)
    predicted = space.predicted
    assert set(predicted) == {0, 1}
    assert len(set(sides[predicted == 1])) == 1 and len(set(sides[predicted == 0])) == 1
    assert sides[predicted == 1][0] != sides[predicted == 0][0]
    # The live image draws it: dark pixels all along the segment.
    img = np.asarray(Image.open(io.BytesIO(space_image(space))).convert("RGB")).astype(int)
    assert _dark_along(img, space, space.line) > 0.9


def test_across_the_decision_line_is_exact_for_a_wider_layer():
    model = trained(hidden=(3,), space_axes="boundary")
    space = hidden_space(model)
    assert space.neurons is None and "across" in space.x_label
    assert np.allclose(space.line[0][0], 0.0, atol=1e-9) and np.allclose(space.line[1][0], 0.0, atol=1e-9)
    predicted = space.predicted
    assert ((space.points[:, 0] > 0) == (predicted == 1)).all()  # u is the signed distance to the boundary
    np.testing.assert_allclose(space.basis @ space.basis.T, np.eye(2), atol=1e-9)


def test_pca_projects_onto_the_two_directions_of_greatest_spread():
    model = trained(hidden=(5,), space_axes="pca", epochs=10)
    space = hidden_space(model)
    _, h = layer_values(model, 1)
    centred = h - h.mean(axis=0)
    np.testing.assert_allclose(space.basis @ space.basis.T, np.eye(2), atol=1e-9)
    np.testing.assert_allclose(space.points, centred @ space.basis.T, rtol=1e-6, atol=1e-6)
    spread = np.linalg.eigvalsh(centred.T @ centred)[::-1]
    got = np.square(space.points).sum(axis=0)
    np.testing.assert_allclose(got, spread[:2], rtol=1e-5)
    assert space.explained[0] >= space.explained[1] and "PCA" in space.x_label and "PCA" in space.note


def test_two_chosen_neurons_show_those_neurons():
    model = trained(hidden=(5,), space_axes="2,4", epochs=3)
    space = hidden_space(model)
    _, h = layer_values(model, 1)
    assert space.neurons == (1, 3) and space.x_label == "neuron 2" and space.y_label == "neuron 4"
    np.testing.assert_allclose(space.points, h[:, [1, 3]], rtol=1e-5, atol=1e-6)


def test_a_curved_boundary_agrees_with_the_net_at_the_points():
    """Three classes, the first of two hidden layers (two neurons, so the plane is the whole space):
    the boundary's field names, at each point, the class the network gives it."""
    model = Model.build(Config(dataset="blobs", n_classes=3, hidden=(2, 6), activations=("tanh", "tanh"), view="space",
                               seed=1)).trained(epochs=30)
    space = hidden_space(model)
    assert space.line is None and space.levels == (0.5, 1.5)
    res_v, res_u = space.field.shape
    u0, u1, v0, v1 = space.window
    col = np.rint((space.points[:, 0] - u0) / (u1 - u0) * (res_u - 1)).astype(int)
    row = np.rint((space.points[:, 1] - v0) / (v1 - v0) * (res_v - 1)).astype(int)
    assert (space.field[row, col] == space.predicted).mean() > 0.95  # off only within a sample of the boundary
    fig = space_figure(space)
    assert_valid(fig)
    assert [t.type for t in fig.data].count("contour") == 1


def test_axes_fixed_or_fitted(two_neurons):
    fitted = hidden_space(two_neurons)
    everything = np.vstack([fitted.nodes.reshape(-1, 2), fitted.points])
    u0, u1, v0, v1 = fitted.window
    assert u0 <= everything[:, 0].min() and everything[:, 0].max() <= u1
    assert v0 <= everything[:, 1].min() and everything[:, 1].max() <= v1
    fixed = replace(two_neurons.config, space_fixed=True)
    for epochs in (0, 20):  # tanh neurons: their range, however far training went
        model = replace(two_neurons, config=fixed) if epochs == 0 else replace(two_neurons.trained(epochs=epochs),
                                                                              config=fixed)
        assert hidden_space(model).window == pytest.approx((-1.1, 1.1, -1.1, 1.1))
    relu_z = hidden_space(trained(activations=("relu",), space_pre=True, space_fixed=True, epochs=5))
    reach = relu_z.window[1]
    assert relu_z.window == (-reach, reach, -reach, reach) and reach in (1, 2, 5, 10, 20, 50, 100, 200)
    assert np.abs(np.vstack([relu_z.nodes.reshape(-1, 2), relu_z.points])).max() <= reach


def test_regression_colours_values_and_draws_no_line():
    model = Model.build(Config(dataset="plane", hidden=(3,), activations=("tanh",), view="space")).trained(epochs=3)
    space = hidden_space(model)
    assert space.task == "regression" and space.line is None and space.field is None and space.predicted is None
    assert "regression" in space.note
    assert len(colors_in(space.cell_rgb)) > 5  # a spread of values, not one class colour
    assert_valid(space_figure(space))


def test_the_live_image_shows_the_points_and_the_cells(two_neurons):
    png = space_png(two_neurons)
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    assert img.shape == (400, 400, 3) and img.std() > 20
    found = colors_in(img)
    assert rgb(colors.ORANGE) in found and rgb(colors.BLUE) in found  # the points, in their class colours


def test_no_space_without_a_hidden_layer_or_a_second_input():
    with pytest.raises(SpaceUnavailable, match="no hidden layer"):
        hidden_space(Model.build(Config(hidden=(), activations=(), view="space")))
    with pytest.raises(SpaceUnavailable, match="one input"):
        hidden_space(Model.build(Config(dataset="curve", features=("x1",), hidden=(4,), activations=("tanh",))))


def test_the_live_frame_carries_the_space_in_the_space_view_only(two_neurons):
    assert render_frame(replace(two_neurons, config=replace(two_neurons.config, view="map"))).space_image is None
    frame = render_frame(two_neurons)
    assert frame.space_image is not None
    page = frame_html(frame, "status")
    assert page.count('data-testid="pg-hidden-space"') == 1 and 'data-testid="pg-live-map"' in page
    later = render_frame(two_neurons.trained(epochs=5))
    assert later.space_image != frame.space_image  # it moves with training


def test_clip_line_keeps_the_part_inside_the_window():
    assert clip_line(1.0, -1.0, 0.0, (-1, 1, -1, 1)) == ((-1.0, -1.0), (1.0, 1.0))  # u = v
    assert clip_line(1.0, 0.0, -0.5, (-1, 1, -1, 1)) == ((0.5, -1.0), (0.5, 1.0))  # u = 0.5
    assert clip_line(1.0, 0.0, -5.0, (-1, 1, -1, 1)) is None  # u = 5: outside


def _dark_along(img: np.ndarray, space, line) -> float:
    """Share of samples along the line (in image pixels) that are the boundary's colour."""
    from playground.twod.views.space import MARGIN

    size = img.shape[0]
    left, top = MARGIN[0], MARGIN[1]
    w, h = size - MARGIN[2] - left, size - MARGIN[3] - top
    u0, u1, v0, v1 = space.window
    (a, b), (c, d) = line
    t = np.linspace(0.05, 0.95, 40)
    u, v = a + t * (c - a), b + t * (d - b)
    px = np.rint(left + (u - u0) / (u1 - u0) * (w - 1)).astype(int)
    py = np.rint(top + (v1 - v) / (v1 - v0) * (h - 1)).astype(int)
    ink = np.array(rgb(BOUNDARY))
    near = [np.abs(img[y - 1:y + 2, x - 1:x + 2] - ink).sum(axis=-1).min() < 30 for x, y in zip(px, py)]
    return float(np.mean(near))
