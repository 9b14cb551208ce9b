"""What a drawing lights up (models.look_inside) and the probabilities' history while drawing
(models.ProbabilityHistory), without Streamlit."""

from __future__ import annotations

import numpy as np
import pytest

from core import Linear, Net, Standardize, Tanh
from core.mnist import build_digit_net
from playground.digits.models import (
    MAX_UPDATES,
    TOP_UNITS,
    ProbabilityHistory,
    Reading,
    look_inside,
    most_active,
    read_digit,
)
from tests.digits.helpers import drawing


@pytest.fixture(scope="module")
def image():
    return read_digit(build_digit_net((16,), seed=0), drawing(7)).image


def test_the_top_units_are_those_with_the_largest_weight_input_contributions(image):
    net = build_digit_net((32, 16), activation="tanh", seed=3)
    insides = look_inside(net, image)
    W = net.linear_layers()[0].W.astype(np.float64)
    x = image.reshape(-1).astype(np.float64)
    by_hand = np.array([sum(W[j, i] * x[i] for i in np.flatnonzero(x)) for j in range(len(W))])
    np.testing.assert_allclose(insides.contributions, by_hand, rtol=1e-4, atol=1e-4)
    top = insides.top_contributors()
    assert len(top) == TOP_UNITS
    assert top.tolist() == np.argsort(-by_hand)[:TOP_UNITS].tolist()
    assert all(by_hand[top[0]] >= by_hand[j] for j in range(len(W)))
    # Per pixel, a unit's weight x drawing adds up to its contribution.
    np.testing.assert_allclose(insides.pixel_contributions(top).sum(axis=1), insides.contributions[top], rtol=1e-4,
                               atol=1e-4)


def test_the_hidden_activations_are_the_layers_outputs(image):
    net = build_digit_net((12, 8), activation="tanh", seed=1)
    before = net.predict(image.reshape(1, -1))
    insides = look_inside(net, image)
    first, second = net.linear_layers()[:2]
    h1 = np.tanh(image.reshape(1, -1) @ first.W.T + first.b)[0]
    h2 = np.tanh(h1 @ second.W.T + second.b)[0]
    assert [h.shape for h in insides.hidden] == [(12,), (8,)]
    np.testing.assert_allclose(insides.hidden[0], h1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(insides.hidden[1], h2, rtol=1e-5, atol=1e-6)
    # The most active units are the largest activations, largest first.
    top = most_active(insides.hidden[0], 3)
    assert top.tolist() == np.argsort(-h1)[:3].tolist()
    np.testing.assert_array_equal(net.predict(image.reshape(1, -1)), before)  # the net is untouched


def test_a_one_layer_net_has_no_hidden_layer_and_its_units_are_the_digits(image):
    net = build_digit_net((), seed=2)
    insides = look_inside(net, image)
    assert insides.hidden == ()
    layer = net.linear_layers()[0]
    np.testing.assert_allclose(insides.contributions, (image.reshape(1, -1) @ layer.W.T)[0], rtol=1e-5, atol=1e-5)
    assert len(insides.contributions) == 10


def test_contributions_use_what_the_first_layer_receives(image):
    rng = np.random.default_rng(4)
    first = Linear(784, 6, seed=rng)
    net = Net([Standardize(0.5, 2.0), first, Tanh(), Linear(6, 10, seed=rng)])
    insides = look_inside(net, image)
    expected = (image.reshape(-1) - 0.5) * 2.0
    np.testing.assert_allclose(insides.inputs, expected, rtol=1e-6)
    np.testing.assert_allclose(insides.contributions, first.W @ expected.astype(np.float32), rtol=1e-5, atol=1e-5)


def reading(seed: int, blank: bool = False) -> Reading:
    if blank:
        return Reading(None, None, None)
    rng = np.random.default_rng(seed)
    p = rng.random(10)
    return Reading(int(p.argmax()), rng.random((28, 28)).astype(np.float32), p / p.sum())


def test_the_history_grows_with_each_new_drawing_state_only():
    h = ProbabilityHistory()
    h = h.after("canvas_0", "ready", reading(1))
    h = h.after("canvas_0", "ready", reading(2))
    assert h.updates == 2
    assert h.after("canvas_0", "ready", reading(2)) is h  # a rerun without a new stroke adds nothing
    assert h.after("canvas_0", "ready", reading(0, blank=True)).updates == 2  # nor does a blank canvas
    numbers, table = h.table()
    assert numbers.tolist() == [1, 2]
    np.testing.assert_array_equal(table[1], reading(2).probabilities)


def test_a_new_drawing_or_model_starts_a_new_history():
    h = ProbabilityHistory().after("canvas_0", "ready", reading(1)).after("canvas_0", "ready", reading(2))
    cleared = h.after("canvas_1", "ready", reading(3))  # Clear gives the canvas a new key
    assert cleared.updates == 1 and cleared.drawing == "canvas_1"
    other_model = h.after("canvas_0", "run 1", reading(3))
    assert other_model.updates == 1 and other_model.model == "run 1"
    assert ProbabilityHistory().after("canvas_2", "ready", reading(0, blank=True)).table()[1].shape == (0, 10)


def test_a_long_drawing_keeps_the_latest_updates_numbered_in_order():
    h = ProbabilityHistory()
    for seed in range(MAX_UPDATES + 7):
        h = h.after("canvas_0", "ready", reading(seed))
    numbers, table = h.table()
    assert h.updates == MAX_UPDATES + 7
    assert numbers.tolist() == list(range(8, MAX_UPDATES + 8))
    np.testing.assert_array_equal(table[-1], reading(MAX_UPDATES + 6).probabilities)
