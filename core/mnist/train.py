"""Digit networks: build, train (through core.Trainer only), predict, and the ready default model.

Inputs are flattened 28x28 images, 784 floats in [0, 1] with ink high (MNIST pixels / 255,
or :func:`core.mnist.preprocess.preprocess_digit` output); outputs are 10 logits.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from ..losses import SoftmaxCrossEntropy
from ..modelfile import MAX_PARAMETERS, ModelFileError, load_model, mlp_parameter_count, save_model
from ..net import Net, mlp
from ..optim import make_optimizer
from ..trainer import Trainer
from .augmentation import Augmentation, augment, augmented_copies
from .handwriting import TRAIN_SEED, TRAIN_TEMPLATES, TRAIN_VARIATION, canvas_digit_set
from .paths import cache_dir
from .sample import sample_split

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # optional: without it BLAS keeps its own thread count
    threadpool_limits = None

N_PIXELS = 28 * 28
N_CLASSES = 10


def flatten_images(images) -> np.ndarray:
    """images: (n, 28, 28) (or one (28, 28), or already (n, 784)) uint8 0-255 or floats in [0, 1]
    -> (n, 784) float32 in [0, 1]."""
    x = np.asarray(images)
    if x.shape == (28, 28):
        x = x[None]
    elif x.ndim == 2 and x.shape[1] == N_PIXELS:
        x = x.reshape(-1, 28, 28)
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(f"Digit images must be shaped (n, 28, 28), got {x.shape}.")
    flat = x.reshape(len(x), N_PIXELS)
    if x.dtype == np.uint8:
        return flat.astype(np.float32) / np.float32(255.0)
    return flat.astype(np.float32)


def build_digit_net(hidden: Sequence[int] = (256, 128), activation: str = "relu", seed=0, dropout: float = 0.0) -> Net:
    """An MLP 784 -> hidden... -> 10 logits (He init for ReLU, Xavier otherwise); hidden=() is the 1-layer net.

    Refuses (ValueError) nets with more than MAX_PARAMETERS parameters: their model file could not be loaded.
    """
    n = mlp_parameter_count((N_PIXELS, *hidden, N_CLASSES))
    if n > MAX_PARAMETERS:
        raise ValueError(f"A {'-'.join(map(str, (N_PIXELS, *hidden, N_CLASSES)))} net has {n:,} parameters, more than the "
                         f"{MAX_PARAMETERS:,} a model file holds; use fewer or narrower layers.")
    return mlp(N_PIXELS, list(hidden), N_CLASSES, activations=activation, seed=seed, dropout=dropout)


def digit_trainer(net: Net, x_train, y_train, x_val=None, y_val=None, lr: float = 1e-3, batch_size: int = 128,
                  optimizer: str = "adam", augment: bool = False, seed=0, copies: int = 4) -> Trainer:
    """A core.Trainer for net on digits x_train: (n, 28, 28) uint8 or float [0, 1], y_train: (n,).

    With augment, ``copies`` distorted versions of every training digit are made up front
    (the originals are kept too), so an epoch is (copies + 1) * n rows. x_val/y_val (optional)
    become the trainer's test set.
    """
    if augment:
        images, labels = augmented_copies(x_train, y_train, copies, seed=np.random.default_rng(seed).integers(2**32))
        x = flatten_images(images)
    else:
        x, labels = flatten_images(x_train), np.asarray(y_train)
    x_test = flatten_images(x_val) if x_val is not None and len(x_val) else None
    return Trainer(net, SoftmaxCrossEntropy(), make_optimizer(optimizer, lr), x, labels, batch_size=batch_size, seed=seed,
                   x_test=x_test, y_test=y_val if x_test is not None else None)


def predict_digits(net: Net, images) -> np.ndarray:
    """images: (n, 28, 28) floats in [0, 1] (or uint8) -> (n, 10) class probabilities."""
    return SoftmaxCrossEntropy.probabilities(net.predict(flatten_images(images)))


@dataclass(frozen=True)
class Recipe:
    """How the command line, the benchmark and the default model train a digit net.

    Each round draws ``copies`` fresh distortions of every training digit (plus the
    originals) and runs one epoch over them with a new Trainer that shares the net and the
    Adam optimizer; the learning rate follows a cosine from lr down to lr * final_lr_fraction.
    The defaults are the tuned recipe: on the sample's 4,000 training digits it reaches about
    98% on the official test set in about 20 s of one core (benchmarks/bench_mnist.py).

    synthetic_per_class > 0 adds that many synthetic pen-drawn digits of every class to the
    training digits: drawn on the 280x280 canvas from ``handwriting.TRAIN_TEMPLATES`` (a template
    family disjoint from the canvas test set's) with ``TRAIN_VARIATION`` and seed ``TRAIN_SEED +
    seed``, then preprocessed as the page does. They teach styles MNIST rarely shows (flagged 1s)
    and cost about 2.5 ms each to make (benchmarks/bench_handwriting.py).
    """

    hidden: tuple[int, ...] = (512, 256)
    activation: str = "relu"
    rounds: int = 15
    copies: int = 3
    lr: float = 3e-3
    final_lr_fraction: float = 0.02
    batch_size: int = 256
    dropout: float = 0.0
    augment: bool = True
    seed: int = 0
    augmentation: Augmentation = field(default_factory=Augmentation)
    synthetic_per_class: int = 0
    # One BLAS thread: on this 2-core machine shared with other work, multi-threaded OpenBLAS spins
    # and ran these matrix sizes several times slower than one thread (benchmarks/bench_mnist.py). None = BLAS default.
    blas_threads: int | None = 1


DEFAULT_RECIPE = Recipe()
# The ready model of the draw-a-digit page trains on first use, so it must take seconds: 12 rounds instead of 15,
# plus 1,000 synthetic canvas digits so it reads people's drawings, flagged 1s included (benchmarks/bench_handwriting.py:
# ~99% of the canvas test set and ~98% of the official test set, against ~97% and ~97.4% for the former Recipe(rounds=6)).
QUICK_RECIPE = Recipe(rounds=12, synthetic_per_class=100)


@dataclass
class TrainResult:
    net: Net
    train_accuracy: float
    test_accuracy: float | None
    rounds: int
    seconds: float


def train_digits(x_train, y_train, x_test=None, y_test=None, recipe: Recipe = DEFAULT_RECIPE,
                 progress: Callable[[int, int, dict], None] | None = None) -> TrainResult:
    """Train a digit net by ``recipe`` on x_train (n, 28, 28) uint8/float, y_train (n,).

    progress(round_done, rounds, metrics) is called after every round. Returns the net, its
    accuracy on the (undistorted) training digits (synthetic ones included) and on the test
    digits, rounds and seconds (making synthetic digits included).
    """
    with blas_threads(recipe.blas_threads):
        return _train_digits(x_train, y_train, x_test, y_test, recipe, progress)


def blas_threads(n: int | None):
    """A context limiting BLAS to n threads (needs threadpoolctl; a no-op without it or for None)."""
    if n is None or threadpool_limits is None:
        return contextlib.nullcontext()
    return threadpool_limits(limits=n, user_api="blas")


def _train_digits(x_train, y_train, x_test, y_test, recipe: Recipe, progress) -> TrainResult:
    start = time.perf_counter()
    rng = np.random.default_rng(recipe.seed)
    net = build_digit_net(recipe.hidden, recipe.activation, seed=rng, dropout=recipe.dropout)
    base = flatten_images(x_train).reshape(-1, 28, 28)
    y_train = np.asarray(y_train)
    if recipe.synthetic_per_class > 0:
        drawn, drawn_labels = canvas_digit_set(recipe.synthetic_per_class, TRAIN_SEED + recipe.seed, TRAIN_TEMPLATES,
                                               TRAIN_VARIATION)
        base, y_train = np.concatenate([base, drawn]), np.concatenate([y_train, drawn_labels])
    x_eval = flatten_images(x_test) if x_test is not None else None
    optimizer = make_optimizer("adam", recipe.lr)
    for r in range(recipe.rounds):
        if recipe.augment:
            n = len(base)
            x_round = np.empty(((recipe.copies + 1) * n, N_PIXELS), dtype=np.float32)  # filled in place: no concatenated copy
            x_round[:n] = base.reshape(n, N_PIXELS)
            for k in range(1, recipe.copies + 1):
                x_round[k * n : (k + 1) * n] = augment(base, rng, recipe.augmentation).reshape(n, N_PIXELS)
            y_round = np.tile(y_train, recipe.copies + 1)
        else:
            x_round, y_round = base.reshape(-1, N_PIXELS), y_train
        progress_fraction = r / max(recipe.rounds - 1, 1)
        cosine = 0.5 * (1 + np.cos(np.pi * progress_fraction))
        optimizer.lr = recipe.lr * (recipe.final_lr_fraction + (1 - recipe.final_lr_fraction) * cosine)
        trainer = Trainer(net, SoftmaxCrossEntropy(), optimizer, x_round, y_round, batch_size=recipe.batch_size, seed=rng)
        metrics = trainer.run_epochs(1)
        if progress is not None:
            progress(r + 1, recipe.rounds, {"loss": metrics.train_loss, "accuracy": metrics.train_accuracy})
    seconds = time.perf_counter() - start
    train_acc = _accuracy(net, base.reshape(-1, N_PIXELS), y_train)
    test_acc = _accuracy(net, x_eval, np.asarray(y_test)) if x_eval is not None else None
    return TrainResult(net.eval(), train_acc, test_acc, recipe.rounds, seconds)


def _accuracy(net: Net, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(net.predict(x).argmax(axis=1) == y))


DEFAULT_MODEL_FILE = "default-digit-model.npz"
DEFAULT_MODEL_TAG = "sample-quick-v3-synthetic"  # change when the recipe changes, so old caches are retrained


def default_model_recipe() -> Recipe:
    """The recipe of the ready model: QUICK_RECIPE (seconds, not a minute, on first use)."""
    return QUICK_RECIPE


def default_digit_model(cache: os.PathLike | str | None = None) -> Net:
    """A good ready model for the draw-a-digit tester.

    Loaded from ``<cache dir>/default-digit-model.npz`` when present and valid; otherwise
    trained on the embedded sample's 4,000 training digits plus 1,000 synthetic canvas digits
    (QUICK_RECIPE, about 15 s of one core) with augmentation and saved there
    (the cache dir is ~/.cache/nn-playground or $NN_PLAYGROUND_CACHE).
    """
    folder = cache_dir() if cache is None else os.fspath(cache)
    path = os.path.join(folder, DEFAULT_MODEL_FILE)
    if os.path.isfile(path):
        try:
            loaded = load_model(path)
            net = loaded.net
            if loaded.extra.get("tag") == DEFAULT_MODEL_TAG and (net.n_inputs, net.n_outputs) == (N_PIXELS, N_CLASSES):
                return net
        except ModelFileError:
            pass  # a damaged cache is simply retrained and overwritten
    x_train, y_train, x_test, y_test = sample_split()
    recipe = default_model_recipe()
    result = train_digits(x_train, y_train, x_test, y_test, recipe)
    data = "embedded MNIST sample, 4,000 training digits"
    if recipe.synthetic_per_class:
        data += f", {10 * recipe.synthetic_per_class:,} synthetic canvas digits (core.mnist.handwriting)"
    extra = {"tag": DEFAULT_MODEL_TAG, "data": data, "recipe": asdict(recipe),
             "test_accuracy": result.test_accuracy, "train_accuracy": result.train_accuracy}
    try:
        os.makedirs(folder, exist_ok=True)
        # save_model writes then renames, so two sessions training at once never leave a half-written file.
        save_model(path, result.net, extra)
    except OSError:
        pass  # a read-only home still gets a working model, just not a cached one
    return result.net
