"""The inside views on the page under Streamlit's AppTest (no browser): the backprop inspector
steps and picks points, the worked example's numbers, the hidden space and its controls, and
both views while playing."""

import re
from dataclasses import replace

import pytest

from playground.twod import keys
from playground.twod.model import Model
from playground.twod.presets import PRESETS
from playground.twod.training import pool as pool_module
from tests.twod.test_page import assert_healthy, infos, metric, start


def header(at) -> dict:
    """The inspector's step heading (data-testid pg-backprop): its step, point and text."""
    body = next(h.proto.body for h in at.get("html") if 'data-testid="pg-backprop"' in h.proto.body)
    step, point = (int(v) for v in re.search(r'data-step="(\d+)" data-point="(\d+)"', body).groups())
    return {"step": step, "point": point, "text": re.sub(r"<[^>]+>", "", body)}


def table(at) -> dict[str, str]:
    frame = at.dataframe[0].value
    return dict(zip(frame["quantity"], frame["value"]))


def test_the_inspector_steps_forward_and_back():
    at = start(view="backprop", ds="xor", hidden="3")
    assert header(at)["step"] == 1 and "Step 1 of 6: Forward through layer 1" in header(at)["text"]
    assert set(table(at)) >= {"z₁[1]", "a₁[1]", "z₁[3]"}
    for expected in (2, 3, 4):
        at.button(key=keys.INSPECT_NEXT).click().run()
        assert header(at)["step"] == expected
    assert "∂ℒ/∂w₂[1,3]" in table(at)  # backward through the output layer: a gradient per link
    at.button(key=keys.INSPECT_BACK).click().run()
    assert header(at)["step"] == 3 and "loss" in header(at)["text"]
    at.button(key=keys.INSPECT_RANDOM).click().run()
    assert_healthy(at)
    assert header(at)["step"] == 1 and header(at)["point"] != 0  # a seeded draw: the same on every run
    assert metric(at, "Epoch") == "0"


def test_a_step_of_training_keeps_the_point_and_the_step():
    at = start(view="backprop", ds="circle", hidden="4")
    at.button(key=keys.INSPECT_NEXT).click().run()
    before = table(at)
    at.button(key=keys.STEP).click().run()
    assert header(at)["step"] == 2 and table(at) != before  # the newest network, the same point and step
    at.slider(key=keys.LAYERS).set_value(2).run()
    assert header(at)["step"] == 1  # a new architecture starts over


def test_backprop_by_hand_reproduces_the_worked_example():
    at = start()
    index = next(i for i, p in enumerate(PRESETS) if p.title == "Backprop by hand")
    at.button(key=keys.preset(index)).click().run()
    assert_healthy(at)
    assert at.query_params["view"] == "backprop" and at.query_params["ds"] == "worked"
    assert "Mazur" in " ".join(c.value for c in at.caption)
    for _ in range(2):
        at.button(key=keys.INSPECT_NEXT).click().run()
    assert table(at)["ℒ"] == "0.298371109"
    for _ in range(3):
        at.button(key=keys.INSPECT_NEXT).click().run()
    frame = at.dataframe[0].value
    mazur = dict(zip(frame["Mazur"], frame["value"]))
    assert (mazur["w5"], mazur["w6"], mazur["w7"], mazur["w8"], mazur["w1"]) == (
        "0.35891648", "0.408666186", "0.51130127", "0.561370121", "0.149780716")
    assert "0.291027774" in infos(at)  # his fixed biases, in full precision, next to ours
    at.button(key=keys.STEP).click().run()  # training one epoch takes the same step
    assert metric(at, "Epoch") == "1"


def test_the_hidden_space_view_and_its_controls():
    at = start(view="space", hidden="4,2")
    assert_healthy(at)
    picture = next(h.proto.body for h in at.get("html") if 'data-testid="pg-hidden-space"' in h.proto.body)
    assert 'width="400"' in picture and "data:image/png;base64," in picture
    assert at.selectbox(key=keys.setting("space_axes")).value == "pca"
    at.selectbox(key=keys.setting("space_axes")).set_value("2,3").run()
    assert at.query_params["sa"] == "2,3"
    at.selectbox(key=keys.setting("space_layer")).set_value(2).run()
    assert_healthy(at)
    assert at.query_params["sl"] == "2" and "decision line" in " ".join(c.value for c in at.caption)
    at.toggle(key=keys.setting("space_pre")).set_value(True).run()
    assert at.query_params["sz"] == "1" and metric(at, "Epoch") == "0"  # a view setting: the network stays


@pytest.mark.parametrize("query", [{"hidden": "none"}, {"ds": "curve", "hidden": "4"}])
def test_the_hidden_space_says_why_it_has_nothing_to_show(query):
    at = start(view="space", **query)
    assert_healthy(at)
    assert "hidden layer" in infos(at) or "one input" in infos(at)


@pytest.mark.parametrize("view", ["backprop", "space"])
def test_playing_in_the_inside_views(view, monkeypatch):
    monkeypatch.setattr(pool_module, "_shared", pool_module.Pool(workers=0))  # no worker: the tick trains and draws itself
    at = start(view=view, hidden="3")
    at.button(key=keys.PLAY).click().run()
    assert_healthy(at)
    frame = next(h.proto.body for h in at.get("html") if "pg-live-map" in h.proto.body)
    assert ('data-testid="pg-hidden-space"' in frame) == (view == "space")
    if view == "backprop":
        assert "press Pause" in " ".join(c.value for c in at.caption)
    at.button(key=keys.PLAY).click().run()
    assert_healthy(at)
    assert metric(at, "Epoch") != "0"


def test_two_neurons_stall_on_the_circle_and_three_solve_it():
    """The Olah preset's claim, as the page trains it."""
    preset = next(p for p in PRESETS if p.title == "Two neurons cannot untangle a circle")
    two = Model.build(preset.config).trained(epochs=150)
    three = Model.build(replace(preset.config, hidden=(3,))).trained(epochs=150)
    assert 0.7 < two.metrics()["test_accuracy"] < 0.88
    assert three.metrics()["test_accuracy"] > 0.95
