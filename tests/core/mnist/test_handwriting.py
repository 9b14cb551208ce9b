"""Synthetic canvas digits (core/mnist/handwriting.py) and typeset ones (core/mnist/typeface.py)."""

import numpy as np
import pytest

from core.mnist import preprocess_digit
from core.mnist.handwriting import (
    CANVAS,
    TEST_SEED,
    TEST_TEMPLATES,
    TRAIN_SEED,
    TRAIN_TEMPLATES,
    TRAIN_VARIATION,
    canvas_digit_set,
    canvas_drawings,
    draw_digit,
)
from core.mnist.typeface import typeface_digit_set, typeset_digit


def ink_box(picture):
    """(height, width) of the white ink on a canvas picture (280, 280, 4)."""
    rows, cols = np.nonzero(picture[:, :, 0] > 127)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


@pytest.mark.parametrize("draw", [draw_digit, typeset_digit], ids=["pen", "typeface"])
def test_every_digit_is_a_canvas_picture_the_page_can_read(draw):
    rng = np.random.default_rng(0)
    for digit in range(10):
        picture = draw(digit, rng)
        assert picture.shape == (CANVAS, CANVAS, 4) and picture.dtype == np.uint8
        assert (picture[:, :, 3] == 255).all(), "opaque, like the page's canvas"
        assert np.array_equal(picture[:, :, 0], picture[:, :, 1]) and np.array_equal(picture[:, :, 0], picture[:, :, 2])
        ink = picture[:, :, 0] > 127
        assert 0.003 < ink.mean() < 0.5, f"digit {digit}: {ink.mean():.4f} of the canvas inked"
        border = np.concatenate([picture[0, :, 0], picture[-1, :, 0], picture[:, 0, 0], picture[:, -1, 0]])
        assert border.max() == 0, f"digit {digit} touches the canvas edge"
        digit_28 = preprocess_digit(picture)
        assert digit_28 is not None and digit_28.shape == (28, 28) and digit_28.max() == pytest.approx(1.0)


@pytest.mark.parametrize("draw", [draw_digit, typeset_digit], ids=["pen", "typeface"])
def test_drawings_are_seeded(draw):
    first = [draw(d, np.random.default_rng(5)) for d in (3, 8)]
    again = [draw(d, np.random.default_rng(5)) for d in (3, 8)]
    other = [draw(d, np.random.default_rng(6)) for d in (3, 8)]
    for a, b, c in zip(first, again, other):
        assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_a_set_is_the_same_for_the_same_seed_and_in_class_order():
    x, y = canvas_digit_set(2, seed=11)
    x2, y2 = canvas_digit_set(2, seed=11)
    x3, _ = canvas_digit_set(2, seed=12)
    assert x.shape == (20, 28, 28) and x.dtype == np.float32 and y.tolist() == list(range(10)) * 2
    assert np.array_equal(x, x2) and np.array_equal(y, y2) and not np.array_equal(x, x3)
    assert x.min() >= 0.0 and x.max() <= 1.0
    xt, yt = typeface_digit_set(1, seed=3)
    assert xt.shape == (10, 28, 28) and yt.tolist() == list(range(10))


def test_drawings_vary_in_size_pen_slant_and_template():
    drawings = list(canvas_drawings(8))
    heights = [ink_box(d.picture)[0] for d in drawings]
    assert min(heights) < 110 and max(heights) > 190
    pens = [d.width for d in drawings]
    assert min(pens) < 12 and max(pens) > 20 and 18 in pens  # the page's own 18-px pen among others
    slants = [d.slant for d in drawings]
    assert min(slants) < -0.15 and max(slants) > 0.15
    assert {d.template for d in drawings if d.digit == 1} == {0, 1, 2}  # plain and flagged 1s
    assert all(d.width <= 0.25 * d.height + 1e-9 for d in drawings)


def test_training_digits_come_from_another_family_and_seed():
    """The ready model trains on TRAIN_TEMPLATES; the canvas test set draws TEST_TEMPLATES: no template is shared."""
    for digit in range(10):
        for template in TRAIN_TEMPLATES[digit]:
            assert template not in TEST_TEMPLATES[digit]
    assert TRAIN_SEED != TEST_SEED
    x_train, _ = canvas_digit_set(1, TRAIN_SEED, TRAIN_TEMPLATES, TRAIN_VARIATION)
    x_test, _ = canvas_digit_set(1)
    assert not np.array_equal(x_train, x_test)


def test_an_unknown_digit_is_refused_with_its_reason():
    with pytest.raises(ValueError, match="0-9"):
        draw_digit(10, np.random.default_rng(0))
    with pytest.raises(ValueError, match="0-9"):
        typeset_digit(-1, np.random.default_rng(0))
