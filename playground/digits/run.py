"""One MNIST training run of the digits page, without Streamlit.

A run has two halves. :class:`RunEngine` is the mutable training machinery (a
``core.Trainer`` and a lock), used by one tick at a time. :class:`RunSnapshot` is an
immutable record of the run so far (settings, per-epoch history, a frozen copy of the
network): the page keeps snapshots in session state and replaces one with a new one in a
single assignment, so a rerun that starts mid-tick never sees half-updated results.

Each tick (:func:`advance`) trains for a time budget, stopping at epoch boundaries to
measure training and validation accuracy and the largest absolute weight of each layer.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np

from core import ACTIVATIONS, OPTIMIZERS, Net, Trainer, TrainingDiverged
from core.mnist import build_digit_net, digit_trainer, flatten_images

# The lab's three networks: 784-10, 784-100-10 and 784-100-50-10.
ARCHITECTURES: dict[str, tuple[int, ...]] = {
    "1 layer (784-10)": (),
    "2 layers (784-100-10)": (100,),
    "3 layers (784-100-50-10)": (100, 50),
}
MAX_HIDDEN_LAYERS = 5
MAX_WIDTH = 2048
EVAL_ROWS = 5000  # training accuracy is measured on this many (un-augmented) training digits
AUGMENTED_ROWS = 20_000  # aim for about this many rows with augmentation (at least one copy of each digit)

# Statuses of a run.
TRAINING, FINISHED, STOPPED, DIVERGED = "training", "finished", "stopped", "diverged"


def parse_widths(text: str) -> tuple[int, ...]:
    """Hidden-layer widths from text such as "256, 128" (empty text: no hidden layer).

    Raises ValueError saying what to type instead.
    """
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    widths = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= MAX_WIDTH:
            raise ValueError(
                f"Hidden widths must be whole numbers from 1 to {MAX_WIDTH} separated by commas "
                f"(e.g. 256,128); {part!r} is not."
            )
        widths.append(int(part))
    if len(widths) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"At most {MAX_HIDDEN_LAYERS} hidden layers, got {len(widths)}.")
    return tuple(widths)


@dataclass(frozen=True)
class TrainConfig:
    """The settings of one run."""

    hidden: tuple[int, ...] = (100,)
    activation: str = "relu"
    epochs: int = 10
    lr: float = 1e-3
    batch_size: int = 64
    optimizer: str = "adam"
    augment: bool = False
    seed: int = 0

    @property
    def architecture(self) -> str:
        return "-".join(str(n) for n in (784, *self.hidden, 10))

    @property
    def n_parameters(self) -> int:
        """Weights and biases of the network: sum of (inputs + 1) * outputs over its layers."""
        widths = (784, *self.hidden, 10)
        return sum((nin + 1) * nout for nin, nout in pairwise(widths))

    @property
    def hidden_activation(self) -> str:
        """The activation, or "none" for the 1-layer net (it has no hidden layer to activate)."""
        return self.activation if self.hidden else "none"


@dataclass(frozen=True)
class EpochRecord:
    """Measurements after one finished epoch."""

    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    max_abs_weights: tuple[float, ...]  # one per Linear layer, input side first
    seconds: float  # training time so far


@dataclass(frozen=True)
class RunSnapshot:
    """An immutable view of a run: what the page draws and compares."""

    run_id: int
    config: TrainConfig
    status: str
    net: Net  # a frozen copy taken after the latest tick; never trained further
    history: tuple[EpochRecord, ...] = ()
    epoch: float = 0.0  # epochs done, fractional while an epoch is under way
    seconds: float = 0.0
    message: str = ""
    data_source: str = ""

    @property
    def last(self) -> EpochRecord | None:
        return self.history[-1] if self.history else None

    @property
    def progress(self) -> float:
        return min(1.0, self.epoch / self.config.epochs)

    @property
    def label(self) -> str:
        act = f" {self.config.activation}" if self.config.hidden else ""
        return f"Run {self.run_id}: {self.config.architecture}{act}"

    def table_row(self) -> dict:
        """One row of the run comparison table."""
        last = self.last
        return {
            "run": self.run_id,
            "network": self.config.architecture,
            "layers": len(self.config.hidden) + 1,
            "parameters": self.config.n_parameters,
            "activation": self.config.hidden_activation,
            "optimizer": self.config.optimizer,
            "learning rate": self.config.lr,
            "batch": self.config.batch_size,
            "augment": self.config.augment,
            "epochs": last.epoch if last else 0,
            "train acc": last.train_accuracy if last else None,
            "val acc": last.val_accuracy if last else None,
            "seconds": round(self.seconds, 1),
            "status": self.status,
        }


@dataclass
class RunEngine:
    """The mutable half of a run: the trainer (which owns the live network) and a lock so
    only one tick trains at a time."""

    run_id: int
    config: TrainConfig
    trainer: Trainer
    x_eval: np.ndarray  # (n, 784) float32 training digits for the training accuracy
    y_eval: np.ndarray
    lock: threading.Lock = field(default_factory=threading.Lock)
    shown: bool = False  # set once the page has drawn the new run; only then do ticks train it


def augment_copies(n_train: int) -> int:
    """Distorted copies per digit: 4 for the 4,000-digit sample, 1 for the full 60,000 (whose
    augmented copies are made up front and would otherwise take gigabytes)."""
    return max(1, min(4, AUGMENTED_ROWS // max(n_train, 1)))


def start_run(run_id: int, config: TrainConfig, data: tuple, data_source: str = "") -> tuple[RunEngine, RunSnapshot]:
    """Build the network and trainer for ``config`` on data = (x_train, y_train, x_val, y_val)
    (images (n, 28, 28)); returns the engine and the first snapshot (status "training")."""
    if config.activation not in ACTIVATIONS:
        raise ValueError(f"Unknown activation {config.activation!r}; choose one of {', '.join(ACTIVATIONS)}.")
    if config.optimizer not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {config.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}.")
    if config.epochs < 1:
        raise ValueError("Train for at least one epoch.")
    x_train, y_train, x_val, y_val = data
    net = build_digit_net(hidden=config.hidden, activation=config.activation, seed=config.seed)
    trainer = digit_trainer(
        net, x_train, y_train, x_val, y_val, lr=config.lr, batch_size=config.batch_size,
        optimizer=config.optimizer, augment=config.augment, seed=config.seed, copies=augment_copies(len(x_train)),
    )
    rows = np.random.default_rng(config.seed).permutation(len(x_train))[:EVAL_ROWS]
    engine = RunEngine(run_id, config, trainer, flatten_images(x_train[rows]), np.asarray(y_train)[rows])
    snapshot = RunSnapshot(run_id, config, TRAINING, net.copy().eval(), data_source=data_source)
    return engine, snapshot


def _steps_left_in_epoch(trainer) -> int:
    """Minibatch steps until the trainer's current epoch ends."""
    rows_left = round((1.0 - (trainer.epoch - trainer.epochs_done)) * len(trainer.x))
    return max(1, math.ceil(rows_left / trainer.batch_size))


def _measure(engine: RunEngine, seconds: float) -> EpochRecord:
    trainer = engine.trainer
    train = trainer.evaluate(engine.x_eval, engine.y_eval)
    val = trainer.evaluate()
    max_abs = tuple(float(np.abs(layer.W).max()) for layer in trainer.net.linear_layers())
    return EpochRecord(
        trainer.epochs_done, float(train["loss"]), float(train["accuracy"]),
        float(val["loss"]), float(val["accuracy"]), max_abs, seconds,
    )


def advance(engine: RunEngine, snapshot: RunSnapshot, budget_seconds: float, chunk: int = 25) -> RunSnapshot:
    """Train for about ``budget_seconds`` (at least one minibatch chunk) and return a new
    snapshot; ``snapshot`` itself is left untouched.

    Stops at the configured number of epochs (status "finished"); a diverging run gets
    status "diverged" with the trainer's advice as message. If another tick holds the
    engine, returns ``snapshot`` unchanged.
    """
    if snapshot.status != TRAINING:
        return snapshot
    if not engine.lock.acquire(blocking=False):
        return snapshot
    try:
        trainer, target = engine.trainer, engine.config.epochs
        history, seconds = list(snapshot.history), snapshot.seconds
        start = time.perf_counter()
        status, message = TRAINING, ""
        try:
            while trainer.epochs_done < target:
                trainer.step(min(chunk, _steps_left_in_epoch(trainer)))
                if trainer.epochs_done > len(history):
                    history.append(_measure(engine, seconds + time.perf_counter() - start))
                if time.perf_counter() - start >= budget_seconds:
                    break
        except TrainingDiverged as exc:
            status, message = DIVERGED, str(exc)
        seconds += time.perf_counter() - start
        if status == TRAINING and trainer.epochs_done >= target:
            status = FINISHED
        return replace(
            snapshot, status=status, message=message, history=tuple(history), epoch=trainer.epoch,
            seconds=seconds, net=trainer.net.copy().eval() if status != DIVERGED else snapshot.net,
        )
    finally:
        engine.lock.release()


def stop(snapshot: RunSnapshot) -> RunSnapshot:
    """The run halted by the user, keeping what it learnt so far."""
    return replace(snapshot, status=STOPPED) if snapshot.status == TRAINING else snapshot
