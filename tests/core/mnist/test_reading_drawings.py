"""A quickly trained digit net reads synthetic canvas drawings (core/mnist/train.py with core/mnist/handwriting.py)."""

import numpy as np

from core.mnist import Recipe, predict_digits, sample_split, train_digits
from core.mnist.handwriting import canvas_digit_set


def test_a_small_net_with_synthetic_training_digits_reads_canvas_drawings():
    """200 drawings of the canvas test family (any size, pen, slant) through the page's preprocessing.

    A 784-128-10 net trained in about a second on the sample plus 200 synthetic digits of the other
    template family read 96-96.5% of them (seeds 0-3); without the synthetic digits 91.5-94%.
    """
    x_canvas, y_canvas = canvas_digit_set(20)
    x_train, y_train, _, _ = sample_split()
    recipe = Recipe(hidden=(128,), rounds=3, copies=1, batch_size=64, synthetic_per_class=20)
    result = train_digits(x_train, y_train, None, None, recipe)
    read = predict_digits(result.net, x_canvas).argmax(axis=1)
    assert np.mean(read == y_canvas) >= 0.92, f"read {np.mean(read == y_canvas):.1%} of the canvas drawings"
    assert result.net.n_inputs == 784


def test_synthetic_digits_join_the_training_digits():
    x_train, y_train, _, _ = sample_split()
    plain = train_digits(x_train[:200], y_train[:200], None, None, Recipe(hidden=(8,), rounds=1, copies=1, augment=False))
    mixed = train_digits(x_train[:200], y_train[:200], None, None,
                         Recipe(hidden=(8,), rounds=1, copies=1, augment=False, synthetic_per_class=2))
    # Same seed and net: only the 20 extra digits differ, so the weights do too.
    assert not np.array_equal(plain.net.linear_layers()[0].W, mixed.net.linear_layers()[0].W)
