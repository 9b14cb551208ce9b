"""The digits page's pure figure builders, checked without a browser."""

from __future__ import annotations

import numpy as np
import pytest

from playground.digits.charts import (
    GAP,
    TITLE_ROWS,
    confusion_matrix,
    confusion_matrix_figure,
    first_layer_weights_figure,
    max_weight_figure,
    misclassified_gallery_figure,
    mosaic,
    per_class_accuracy,
    per_class_accuracy_figure,
    probability_bars_figure,
    training_curves_figure,
)


def test_confusion_matrix_counts_rows_true_columns_predicted():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    cm = confusion_matrix(y_true, y_pred, n_classes=3)
    assert cm.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert cm.sum() == len(y_true)


def test_confusion_matrix_refuses_bad_labels():
    with pytest.raises(ValueError, match=r"0\.\.9"):
        confusion_matrix(np.array([0, 10]), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"\(n,\)"):
        confusion_matrix(np.array([0, 1]), np.array([0]))


def test_per_class_accuracy_and_empty_class_is_nan():
    cm = np.array([[3, 1, 0], [0, 0, 0], [1, 1, 2]])
    acc = per_class_accuracy(cm)
    assert acc[0] == pytest.approx(0.75)
    assert np.isnan(acc[1])
    assert acc[2] == pytest.approx(0.5)


def test_confusion_matrix_figure_shows_the_counts():
    cm = np.arange(100).reshape(10, 10)
    fig = confusion_matrix_figure(cm)
    heat = fig.data[0]
    assert np.array_equal(np.asarray(heat.z), cm)
    assert list(heat.x) == [str(d) for d in range(10)]
    assert fig.layout.yaxis.autorange == "reversed"  # digit 0 at the top, as read
    with pytest.raises(ValueError, match="square"):
        confusion_matrix_figure(np.zeros((10, 9)))


def test_per_class_accuracy_figure_marks_the_weakest_digit():
    acc = np.array([0.99, 0.98, 0.80, 0.97, 0.96, 0.95, 0.99, 0.94, 0.93, 0.92])
    bar = per_class_accuracy_figure(acc).data[0]
    assert np.allclose(bar.y, acc)
    weakest = [i for i, colour in enumerate(bar.marker.color) if colour != bar.marker.color[0]]
    assert weakest == [2]
    assert bar.text[2] == "80.0%"


def tile(fig, i: int, columns: int) -> np.ndarray:
    """The i-th 28x28 image of a mosaic figure."""
    z = np.asarray(fig.data[0].z, dtype=np.float64)
    top = (i // columns) * (TITLE_ROWS + 28 + GAP) + TITLE_ROWS
    left = (i % columns) * (28 + GAP)
    return z[top : top + 28, left : left + 28]


def test_mosaic_places_each_image_with_gaps_between():
    images = np.arange(5 * 2 * 3, dtype=np.float32).reshape(5, 2, 3)
    picture, corners = mosaic(images, columns=2)
    assert picture.shape == (3 * (TITLE_ROWS + 2 + GAP), 2 * (3 + GAP) - GAP)
    assert len(corners) == 5
    for image, (top, left) in zip(images, corners):
        assert np.array_equal(picture[top : top + 2, left : left + 3], image)
    assert np.isnan(picture).sum() == picture.size - images.size  # everything else is blank


def test_misclassified_gallery_titles_say_predicted_and_true():
    images = np.random.default_rng(0).random((5, 28, 28))
    fig = misclassified_gallery_figure(images, np.array([1, 2, 3, 4, 5]), np.array([7, 7, 8, 9, 6]), columns=3)
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["pred 7 / true 1", "pred 7 / true 2", "pred 8 / true 3", "pred 9 / true 4", "pred 6 / true 5"]
    assert np.allclose(tile(fig, 3, columns=3), images[3])
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0.0, 1.0)
    assert fig.layout.yaxis.autorange == "reversed"  # row 0 of a digit is its top


def test_misclassified_gallery_empty_and_mismatched():
    empty = misclassified_gallery_figure(np.zeros((0, 28, 28)), np.zeros(0), np.zeros(0))
    assert len(empty.data) == 0
    assert "No misclassified" in empty.layout.annotations[0].text
    with pytest.raises(ValueError, match="differ"):
        misclassified_gallery_figure(np.zeros((2, 28, 28)), np.zeros(2), np.zeros(3))


def test_first_layer_weights_are_28x28_images_on_one_symmetric_scale():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(100, 784)).astype(np.float32)
    fig = first_layer_weights_figure(w, max_units=12, columns=8)
    assert len(fig.layout.annotations) == 12
    assert np.allclose(tile(fig, 5, columns=8), w[5].reshape(28, 28))
    assert np.allclose(tile(fig, 11, columns=8), w[11].reshape(28, 28))
    limit = float(np.abs(w[:12]).max())
    heat = fig.data[0]
    assert (heat.zmin, heat.zmax, heat.zmid) == (pytest.approx(-limit), pytest.approx(limit), 0)
    assert fig.layout.annotations[0].text == "unit 0"


def test_first_layer_weights_of_a_one_layer_net_are_the_digits():
    fig = first_layer_weights_figure(np.ones((10, 784)))
    assert [a.text for a in fig.layout.annotations] == [f"digit {d}" for d in range(10)]
    with pytest.raises(ValueError, match="784"):
        first_layer_weights_figure(np.ones((10, 100)))


def test_max_weight_figure_one_line_per_layer():
    values = [[0.5, 0.3], [0.7, 0.4], [0.9, 0.45]]
    fig = max_weight_figure([1, 2, 3], values)
    assert [t.name for t in fig.data] == ["layer 1", "layer 2"]
    assert np.allclose(fig.data[1].y, [0.3, 0.4, 0.45])
    assert len(max_weight_figure([], []).data) == 0
    with pytest.raises(ValueError, match="one row per epoch"):
        max_weight_figure([1, 2], [[0.1]])


def test_training_curves_have_training_and_validation_accuracy_and_loss():
    fig = training_curves_figure([1, 2], [0.8, 0.9], [0.75, 0.85], [0.6, 0.3], [0.7, 0.4])
    assert len(fig.data) == 4
    assert [t.name for t in fig.data] == ["training", "validation", "training", "validation"]
    assert list(fig.data[1].y) == [0.75, 0.85]
    assert list(fig.data[2].y) == [0.6, 0.3]
    assert fig.data[2].xaxis == "x2"  # the losses sit in the second panel
    with pytest.raises(ValueError, match="val_loss"):
        training_curves_figure([1, 2], [0.8, 0.9], [0.75, 0.85], [0.6, 0.3], [0.7])


def test_probability_bars_highlight_the_prediction():
    p = np.full(10, 0.02)
    p[7] = 0.82
    bar = probability_bars_figure(p).data[0]
    assert list(bar.x) == [str(d) for d in range(10)]
    highlighted = [i for i, colour in enumerate(bar.marker.color) if colour != bar.marker.color[0]]
    assert highlighted == [7]
    with pytest.raises(ValueError, match="10 probabilities"):
        probability_bars_figure(np.ones(9) / 9)
