"""Augmentation of digits (core/mnist/augmentation.py)."""

import numpy as np
from scipy import ndimage

from core.mnist import Augmentation, augment, augmented_copies, sample_split

NONE = Augmentation(rotate=0, scale=0, shear=0, shift=0, elastic_alpha=0, thickness=0)


def digits(n=50):
    x_train, y_train, _, _ = sample_split()
    return x_train[:n], y_train[:n]


def test_no_distortion_returns_the_digits_unchanged():
    x, _ = digits()
    out = augment(x, np.random.default_rng(0), NONE)
    np.testing.assert_allclose(out, x / 255.0, atol=1e-6)


def test_shift_only_moves_the_centre_of_mass_within_range():
    x, _ = digits()
    out = augment(x, np.random.default_rng(0), Augmentation(rotate=0, scale=0, shear=0, shift=2.0, elastic_alpha=0, thickness=0))
    before = np.array([ndimage.center_of_mass(d) for d in x.astype(float)])
    after = np.array([ndimage.center_of_mass(d) for d in out])
    moved = np.abs(after - before)
    assert moved.max() <= 2.3 and moved.mean() > 0.5


def test_default_distortions_keep_digits_recognisable_and_in_range():
    x, _ = digits()
    out = augment(x, np.random.default_rng(1))
    assert out.shape == x.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    corr = [np.corrcoef(a.ravel(), b.ravel())[0, 1] for a, b in zip(out, x / 255.0)]
    assert np.median(corr) > 0.4 and np.max(corr) < 0.999  # changed, yet close to the original
    ink_ratio = out.sum(axis=(1, 2)) / (x / 255.0).sum(axis=(1, 2))
    assert 0.6 < np.median(ink_ratio) < 1.4


def test_augmentation_is_seeded():
    x, y = digits(20)
    a, ya = augmented_copies(x, y, 2, seed=5)
    b, _ = augmented_copies(x, y, 2, seed=5)
    c, _ = augmented_copies(x, y, 2, seed=6)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (60, 28, 28) and ya.tolist() == y.tolist() * 3
    np.testing.assert_allclose(a[:20], x / 255.0)  # the originals come first
