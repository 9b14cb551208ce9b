"""The embedded MNIST sample and its fixed split (core/mnist/sample.py)."""

import numpy as np

from core.mnist import load_sample, sample_split
from core.mnist.sample import SAMPLE_FILE


def test_sample_is_the_real_5000_digit_set():
    images, labels = load_sample()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (5000,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [500] * 10
    # MNIST statistics: about 19% of pixels lit, the outer frame almost always blank
    assert 0.15 < (images > 0).mean() < 0.25
    assert (images[:, 0, :] > 0).mean() < 0.001 and (images[:, :, 0] > 0).mean() < 0.001
    assert SAMPLE_FILE.stat().st_size < 2_000_000


def test_split_is_the_documented_one():
    images, labels = load_sample()
    x_train, y_train, x_test, y_test = sample_split()
    order = np.random.default_rng(0).permutation(5000)
    np.testing.assert_array_equal(x_train, images[order[:4000]])
    np.testing.assert_array_equal(y_test, labels[order[4000:]])
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert len(y_train) == 4000 and len(y_test) == 1000
