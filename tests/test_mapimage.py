"""The live decision-map image: right size, the class colours, points where they belong."""

import io

import numpy as np
from PIL import Image

from playground.mapimage import map_jpeg
from playground.state import Config, Model


def decode(jpeg: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=np.float64)


def test_classification_map_shows_both_classes_and_the_points():
    # P(class 1) rises with x: orange (class 0) on the left, blue (class 1) on the right.
    res = 100
    p1 = np.tile(np.linspace(0, 1, res), (res, 1))
    values = np.stack([1 - p1, p1], axis=2)
    x = np.array([[-5.0, 5.0]])
    img = decode(map_jpeg(values, (-6, 6, -6, 6), "classification", 2, x, np.array([1]), size=200, radius=6))
    assert img.shape == (200, 200, 3)
    left, right = img[100, 5], img[100, 195]
    assert left[0] > left[2] + 60 and right[2] > right[0] + 60  # orange vs blue
    # The blue class-1 point sits in the orange top-left corner.
    px, py = int((-5 + 6) / 12 * 199), int((6 - 5) / 12 * 199)
    assert img[py, px, 2] > img[py, px, 0]


def test_regression_map_and_test_points_draw_without_nan():
    model = Model.build(Config(dataset="plane", hidden=(3,), activations=("tanh",))).trained(epochs=1)
    d = model.data
    img = decode(map_jpeg(model.decision_values(), model.extent, "regression", 0, d.x_train, d.y_train, d.x_test,
                          d.y_test, show_test=True, size=120))
    assert img.shape == (120, 120, 3) and np.isfinite(img).all() and img.std() > 5
