"""Figures and texts built without a session, in Thai: no English word a Thai reader would meet
(titles, axes, legends, hover labels, annotations, the inspector's texts and tables, the hidden
space's texts), and English is still English. Builders take ``lang``; the pages pass theirs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core import trace_backprop
from playground.digits import charts, lights
from playground.twod.config import WORKED, Config
from playground.twod.frame import metric_items
from playground.twod.hidden_space import hidden_space
from playground.twod.model import Model
from playground.twod.views import backprop as bp
from playground.twod.views.curves import gradient_figure, loss_figure
from playground.twod.views.fit import fit_figure
from playground.twod.views.map import map_figure
from playground.twod.views.network import network_figure
from playground.twod.views.space import space_figure
from playground.twod.worked import MAZUR_NAMES
from tests.i18n.english import english_words, thai_share

SHOWN_KEYS = ("text", "hovertemplate", "ticktext", "title")


def shown_strings(fig) -> list[str]:
    """Every text a reader can see in a plotly figure: titles, axis titles, annotations, the
    legend's names (traces shown in it), hover templates, text on the marks."""
    spec = fig.to_plotly_json()
    found: list[str] = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("bdata", "source", "customdata"):
                    continue
                walk(v, k)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item, key)
        elif isinstance(node, str) and key in SHOWN_KEYS:
            found.append(node)

    legend = spec["layout"].get("showlegend", True) is not False
    for trace in spec["data"]:
        walk({k: v for k, v in trace.items() if k != "name"})
        if legend and trace.get("showlegend", True) is not False and trace.get("name"):
            found.append(trace["name"])
    walk(spec["layout"])
    return found


def assert_thai(texts, allowed_share: float = 0.0):
    left = {text: english_words(text) for text in texts if english_words(text)}
    assert left == {}, "English left in Thai texts"


@pytest.fixture(scope="module")
def spiral():
    return Model.build(Config(dataset="spiral", n_classes=3, hidden=(8, 6), activations=("tanh", "tanh"))).trained(epochs=2)


@pytest.fixture(scope="module")
def plane():
    return Model.build(Config(dataset="plane", hidden=(4,), activations=("tanh",))).trained(epochs=2)


def test_the_2d_pages_figures_in_thai(spiral, plane):
    figures = []
    for model in (spiral, plane):
        h, data = model.history, model.data
        figures.append(loss_figure(h.epochs, h.train_loss, h.test_loss, h.train_acc, h.test_acc, lang="th"))
        figures.append(loss_figure([], [], lang="th"))  # the empty chart's hint
        figures.append(gradient_figure(h.epochs, h.grad_norms, h.weight_norms, model.layer_names("th"), lang="th"))
        figures.append(map_figure(model.decision_values(), model.extent, data.task, max(data.n_classes, 2), data.x_train,
                                  data.y_train, data.x_test, data.y_test, lang="th"))
        linear = model.trainer.net.linear_layers()
        figures.append(network_figure([linear[0].nin, *[lay.nout for lay in linear]], [lay.W for lay in linear],
                                      list(model.features_used), biases=[lay.b for lay in linear], lang="th"))
    curve = Model.build(Config(dataset="curve", features=("x1",), hidden=(4,), activations=("tanh",)))
    xg = np.linspace(curve.extent[0], curve.extent[1], 50)
    figures.append(fit_figure(curve.data.x_train[:, 0], curve.data.y_train, xg, np.zeros(50), curve.data.x_test[:, 0],
                              curve.data.y_test, lang="th"))
    texts = [text for fig in figures for text in shown_strings(fig)]
    assert len(texts) > 40
    assert_thai(texts)
    assert [label for label, _ in metric_items(spiral, "th")] == ["Epoch", "loss ชุดฝึก", "loss ชุดทดสอบ",
                                                                  "ความแม่นยำชุดทดสอบ"]


@pytest.mark.parametrize("axes", ["pca", "boundary", "1,2"])
@pytest.mark.parametrize("pre", [False, True])
def test_the_hidden_space_in_thai(spiral, axes, pre):
    model = replace(spiral, config=replace(spiral.config, view="space", space_layer=2, space_axes=axes, space_pre=pre))
    space = hidden_space(model, lang="th")
    texts = [space.title, space.x_label, space.y_label, space.axes_line, space.note, *shown_strings(space_figure(space,
                                                                                                            lang="th"))]
    assert_thai(texts)
    assert thai_share(space.note) > 0.8
    english = hidden_space(model)
    assert english.note and not any("\u0e00" <= ch <= "\u0e7f" for ch in english.note + english.title)


@pytest.mark.parametrize("dataset", ["spiral", WORKED, "plane"])
def test_the_backprop_inspector_in_thai(dataset):
    config = (Config(dataset=WORKED, features=("x1", "x2"), hidden=(2,), activations=("sigmoid",)) if dataset == WORKED
              else Config(dataset=dataset, hidden=(8, 8, 8), activations=("relu",) * 3))
    model = Model.build(config)
    t = model.trainer
    trace = trace_backprop(t.net, t.loss, t.x[0], np.asarray(t.y)[0], t.optimizer.lr)
    names = MAZUR_NAMES if dataset == WORKED else None
    texts = []
    for step in bp.inspector_steps(len(trace.layers)):
        texts += [bp.step_title(step, len(trace.layers), "th"), bp.step_text(step, trace, "th")]
        rows = bp.step_rows(trace, step, model.features_used, names, lang="th")
        assert set(rows[0]) <= set(bp.columns("th").values())
        texts += [heading for heading in rows[0]] + [str(v) for row in rows for v in row.values()]
        texts += shown_strings(bp.backprop_figure(trace, step, model.features_used, lang="th"))
    note = bp.compact_note(trace, "th")
    texts += [note] if note else []
    assert_thai(texts)


def test_the_digits_pages_figures_in_thai():
    rng = np.random.default_rng(0)
    images = rng.random((3, 28, 28))
    cm = charts.confusion_matrix(rng.integers(0, 10, 200), rng.integers(0, 10, 200))
    figures = [
        charts.training_curves_figure([1, 2], [0.8, 0.9], [0.7, 0.8], [0.5, 0.3], [0.6, 0.4], lang="th"),
        charts.confusion_matrix_figure(cm, lang="th"),
        charts.per_class_accuracy_figure(np.array([0.9] * 9 + [np.nan]), lang="th"),
        charts.misclassified_gallery_figure(images, np.array([1, 2, 3]), np.array([7, 7, 8]), lang="th"),
        charts.misclassified_gallery_figure(np.zeros((0, 28, 28)), np.array([]), np.array([]), lang="th"),
        charts.first_layer_weights_figure(rng.normal(size=(16, 784)), lang="th"),
        charts.first_layer_weights_figure(rng.normal(size=(10, 784)), lang="th"),
        charts.max_weight_figure([1, 2], [[0.5, 0.4], [0.6, 0.5]], lang="th"),
        charts.probability_bars_figure(np.full(10, 0.1), lang="th"),
        lights.probability_history_figure([1, 2], np.full((2, 10), 0.1), lang="th"),
        lights.activations_figure([rng.random(40), rng.random(20)], [[1, 2], [3]], lang="th"),
        lights.top_units_figure(rng.normal(size=(2, 784)), rng.normal(size=(2, 784)), [4, 9], [0.5, -0.2], lang="th"),
        lights.top_units_figure(rng.normal(size=(2, 784)), rng.normal(size=(2, 784)), [4, 9], [0.5, -0.2], name="digit",
                                lang="th"),
    ]
    texts = [text for fig in figures for text in shown_strings(fig)]
    assert len(texts) > 60
    assert_thai(texts)
    # The same figures in English say the English words (the scan above would see them).
    english = shown_strings(charts.confusion_matrix_figure(cm))
    assert "predicted digit" in english and english_words(" ".join(english))
