"""Choose the training data: the full official MNIST when its files are present, else the sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .idx import has_split, load_mnist_dir, load_split
from .paths import mnist_cache_dir
from .sample import sample_split

SAMPLE_SOURCE = "embedded MNIST sample (4,000 train / 1,000 held-out digits)"


def load_training_data(data_dir=None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """(x_train, y_train, x_test, y_test, source): images (n, 28, 28) uint8, labels (n,) int64.

    The four official IDX files from data_dir when given (an error if they are not all
    there), else from the user cache dir when downloaded there, else the embedded sample's
    fixed split. ``source`` describes what was loaded.
    """
    if data_dir is not None:
        x_train, y_train, x_test, y_test = load_mnist_dir(data_dir)
        return x_train, y_train, x_test, y_test, f"MNIST from {data_dir}"
    cached = mnist_cache_dir()
    if has_split(cached, "train") and has_split(cached, "test"):
        x_train, y_train, x_test, y_test = load_mnist_dir(cached)
        return x_train, y_train, x_test, y_test, f"MNIST from {cached}"
    return (*sample_split(), SAMPLE_SOURCE)


def load_test_data(data_dir=None) -> tuple[np.ndarray, np.ndarray, str]:
    """(x_test, y_test, source): the official test files from data_dir (or the cache dir) when
    they are there, else the sample's held-out 1,000 digits."""
    for folder in ([Path(data_dir)] if data_dir is not None else []) + [mnist_cache_dir()]:
        if has_split(folder, "test"):
            x, y = load_split(folder, "test")
            return x, y, f"official MNIST test set from {folder}"
    _, _, x, y = sample_split()
    return x, y, "the embedded sample's 1,000 held-out digits"
