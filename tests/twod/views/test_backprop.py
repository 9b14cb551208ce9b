"""The backprop inspector's drawings (views/backprop.py): the steps, the table's numbers (against
Mazur's worked example as the page builds it, and against their own products), the diagram."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core import trace_backprop
from playground.twod.config import Config
from playground.twod.model import Model
from playground.twod.presets import PRESETS
from playground.twod.views import backprop as bp
from playground.twod.worked import MAZUR_NAMES
from tests.twod.views.helpers import assert_valid

MAZUR_AFTER = {"w5": 0.35891648, "w6": 0.408666186, "w7": 0.511301270, "w8": 0.561370121, "w1": 0.149780716}
NUMBER = r"\(?(-?[0-9.]+(?:e-?[0-9]+)?)\)?"


def page_trace(model: Model, row: int = 0):
    """The trace the inspector shows for training row ``row`` (as inside.inspector computes it)."""
    t = model.trainer
    return trace_backprop(t.net, t.loss, t.x[row], np.asarray(t.y)[row], t.optimizer.lr)


def by_name(rows: list[dict], column: str = "Mazur") -> dict[str, float]:
    return {r[column]: float(r["value"]) for r in rows if r.get(column)}


def test_backprop_by_hand_shows_mazurs_figures_to_8_digits():
    preset = next(p for p in PRESETS if p.title == "Backprop by hand")
    assert preset.config.view == "backprop"
    model = Model.build(preset.config)
    trace = page_trace(model)
    steps = bp.inspector_steps(len(trace.layers))
    assert [s.kind for s in steps] == ["forward", "forward", "loss", "backward", "backward", "update"]
    loss = by_name(bp.step_rows(trace, steps[2], model.features_used, MAZUR_NAMES))
    assert loss["E_total"] == pytest.approx(0.298371109, abs=5e-9)
    update = bp.step_rows(trace, steps[-1], model.features_used, MAZUR_NAMES)
    after = by_name([r for r in update if r["Mazur"].startswith("w")])
    for name, value in MAZUR_AFTER.items():
        assert after[name] == pytest.approx(value, abs=5e-9), name
    # His intermediate figures along the way, as the table names them.
    back = by_name(bp.step_rows(trace, steps[3], model.features_used, MAZUR_NAMES))
    assert back["∂E/∂out_o1"] == pytest.approx(0.74136507, abs=5e-9)
    assert back["∂E/∂w5"] == pytest.approx(0.082167041, abs=5e-9)
    hidden = by_name(bp.step_rows(trace, steps[4], model.features_used, MAZUR_NAMES))
    assert hidden["∂E/∂out_h1"] == pytest.approx(0.036350306, abs=5e-9)
    # Training on the page (Step: one epoch of his one point) lands on the same weights.
    stepped = model.trained(epochs=1).trainer.net.linear_layers()
    assert stepped[1].W[0, 0] == pytest.approx(MAZUR_AFTER["w5"], abs=5e-9)
    assert stepped[0].W[0, 0] == pytest.approx(MAZUR_AFTER["w1"], abs=5e-9)


def test_the_worked_example_starts_from_random_weights_in_another_shape():
    model = Model.build(Config(dataset="worked", hidden=(3,), activations=("tanh",)))
    assert model.trainer.net.linear_layers()[0].W.shape == (3, 2)
    assert not np.allclose(model.trainer.net.linear_layers()[1].W[:, :2], [[0.40, 0.45], [0.50, 0.55]])
    assert model.trainer.optimizer.lr == 0.5  # his training, whatever the sidebar says


@pytest.fixture(scope="module")
def spiral():
    return Model.build(Config(dataset="spiral", hidden=(5, 3), activations=("tanh", "relu"))).trained(epochs=3)


def test_every_product_in_the_table_gives_its_value(spiral):
    """Rows written as "... = A × B" multiply out to their value (9 significant digits each)."""
    trace = page_trace(spiral, row=7)
    checked = 0
    for step in bp.inspector_steps(len(trace.layers)):
        for row in bp.step_rows(trace, step, spiral.features_used):
            m = re.fullmatch(rf".* = {NUMBER} × {NUMBER}", row["computation"])
            if m:
                a, b = (float(g) for g in m.groups())
                assert a * b == pytest.approx(float(row["value"]), rel=1e-7, abs=1e-12), row
                checked += 1
    assert checked > 30


def test_sums_in_the_table_add_up_and_say_what_they_leave_out():
    model = Model.build(Config(dataset="spiral", hidden=(3, 6), activations=("tanh", "tanh")))
    trace = page_trace(model)
    rows = bp.step_rows(trace, bp.Step("forward", 1), model.features_used)
    z = rows[0]
    terms = re.findall(rf"{NUMBER} × {NUMBER}", z["computation"].split(" = ")[1])
    bias = float(z["computation"].rsplit(" + ", 1)[1].strip("()"))
    assert sum(float(a) * float(b) for a, b in terms) + bias == pytest.approx(float(z["value"]), rel=1e-7, abs=1e-9)
    assert not any("more terms" in r["computation"] for r in rows)  # two inputs: every term shown
    back = bp.step_rows(trace, bp.Step("backward", 1), model.features_used)
    cut = [r["computation"] for r in back if r["quantity"].startswith("∂ℒ/∂a")]
    assert all("… (3 more terms)" in c for c in cut)  # six neurons above: three terms shown, the rest counted


def test_the_loss_rows_follow_the_loss(spiral):
    trace = page_trace(spiral, row=3)
    rows = bp.step_rows(trace, bp.Step("loss"), spiral.features_used)
    probs = [float(r["value"]) for r in rows if r["quantity"].startswith("p[")]
    assert sum(probs) == pytest.approx(1.0, abs=1e-8)
    label = int(np.asarray(spiral.trainer.y)[3])
    assert float(rows[-1]["value"]) == pytest.approx(-np.log(probs[label]), rel=1e-7)
    regression = Model.build(Config(dataset="plane", hidden=(2,), activations=("tanh",), loss="mae"))
    mae = bp.step_rows(page_trace(regression), bp.Step("loss"), regression.features_used)
    assert mae[-1]["computation"].startswith("mean over the outputs of |a₂ − t|")


def test_the_diagram_shows_each_step_and_stays_small_for_a_big_net(spiral):
    trace = page_trace(spiral)
    for step in bp.inspector_steps(len(trace.layers)):
        fig = bp.backprop_figure(trace, step, spiral.features_used)
        assert_valid(fig)
    back = bp.backprop_figure(trace, bp.Step("backward", 3), spiral.features_used)
    coloured = [t for t in back.data if t.name == "links" and t.line.color in ("#0877bd", "#f59322")]
    assert coloured  # gradients colour the links on the way back
    assert "31 links" in bp.compact_note(trace)  # too many to label: it says so
    small = Model.build(Config(dataset="xor", hidden=(3,), activations=("tanh",)))
    assert bp.compact_note(page_trace(small)) is None  # 12 links, 3 neurons a column: everything fits
    fig = bp.backprop_figure(page_trace(small), bp.Step("forward", 1), small.features_used)
    assert sum(1 for a in fig.layout.annotations if re.fullmatch(r"-?[0-9.e-]+", a.text)) == 6  # w on layer 1's links
    big = Model.build(Config(dataset="spiral", hidden=(16,) * 8, activations=("tanh",) * 8))
    trace = page_trace(big)
    assert len(bp.inspector_steps(len(trace.layers))) == 20
    note = bp.compact_note(trace)
    assert "1856 links" in note and "table lists every number" in note
    fig = bp.backprop_figure(trace, bp.Step("backward", 5), big.features_used)
    assert len(fig.data) < 25  # links grouped into a few traces
    assert not any(re.fullmatch(r"-?[0-9.e-]+", a.text) for a in fig.layout.annotations)  # no numbers on links
    neurons = next(t for t in fig.data if t.name == "neurons")
    assert set(neurons.text) == {""} and len(neurons.customdata) == 2 + 16 * 8 + 2  # colour and hover only
