"""MNIST for the playground: data (IDX files, download, the embedded real sample),
LeCun-style preprocessing of drawn or uploaded digits, augmentation, training through
core.Trainer, and the command line ``python -m core.mnist``.
"""

from .augmentation import Augmentation, augment, augmented_copies
from .data import load_test_data, load_training_data
from .download import DownloadError, download_mnist
from .idx import IdxError, load_mnist_dir, read_idx, read_images, read_labels
from .paths import cache_dir, mnist_cache_dir
from .preprocess import load_image_file, preprocess_digit
from .sample import load_sample, sample_split
from .train import (
    DEFAULT_RECIPE,
    Recipe,
    TrainResult,
    build_digit_net,
    default_digit_model,
    digit_trainer,
    flatten_images,
    predict_digits,
    train_digits,
)

__all__ = [
    "DEFAULT_RECIPE", "Augmentation", "DownloadError", "IdxError", "Recipe", "TrainResult", "augment", "augmented_copies",
    "build_digit_net", "cache_dir", "default_digit_model", "digit_trainer", "download_mnist", "flatten_images", "load_image_file",
    "load_mnist_dir", "load_sample", "load_test_data", "load_training_data", "mnist_cache_dir", "predict_digits",
    "preprocess_digit", "read_idx", "read_images", "read_labels", "sample_split", "train_digits",
]
