"""One MNIST training run of the digits page, without Streamlit.

A run has two halves. :class:`RunEngine` is the mutable training machinery (a
``core.Trainer`` and a lock), used by one tick at a time. :class:`RunSnapshot` is an
immutable record of the run so far (settings, per-epoch history, a frozen copy of the
network): the page keeps snapshots in session state and replaces one with a new one in a
single assignment, so a rerun that starts mid-tick never sees half-updated results.

Each tick (:func:`advance`) trains for a time budget, stopping at epoch boundaries to
measure training and validation accuracy and the largest absolute weight of each layer. The
steps between two looks at the clock adapt to the measured time of a step, so a big network
keeps to the budget as well as a small one.

What a run may cost is bounded: at most MAX_PARAMETERS weights and biases, snapshots that
hold only the weights (:func:`models.frozen_copy`), and :func:`memory_estimate` for the
server's queue of runs (``run_queue.py``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np

from core import ACTIVATIONS, OPTIMIZERS, Net, Trainer, TrainingDiverged
from core.mnist import build_digit_net, digit_trainer, flatten_images
from playground.diverged import divergence_message
from playground.i18n import N_, NC_, Message
from playground.safe_markdown import code

from .models import frozen_copy

# The lab's three networks: 784-10, 784-100-10 and 784-100-50-10 (keys: English messages, shown translated).
ARCHITECTURES: dict[str, tuple[int, ...]] = {
    # TRANSLATORS: the lab's three networks in the Network menu.
    N_("1 layer (784-10)"): (),
    N_("2 layers (784-100-10)"): (100,),
    N_("3 layers (784-100-50-10)"): (100, 50),
}
MAX_HIDDEN_LAYERS = 5
MAX_WIDTH = 2048
# Weights and biases of a network the page trains or reads (models.py holds uploads to it too).
# No larger than what a model file may hold (core.modelfile.MAX_PARAMETERS, 16,000,000), so every
# run downloads as a file that loads back (tests/digits/test_run.py checks it); small enough that a run's
# weights, gradients and Adam moments take at most 16 MB and a kept snapshot 4 MB.
MAX_PARAMETERS = 1_000_000
EVAL_ROWS = 5000  # training accuracy is measured on this many (un-augmented) training digits
AUGMENTED_ROWS = 20_000  # aim for about this many rows with augmentation (at least one copy of each digit)
MAX_EPOCHS = 200  # epochs of one run (the settings form offers 1 to this)
MAX_CHUNK = 100  # minibatch steps between two looks at the clock, at most
PREDICT_ROWS = 8192  # Net.predict's chunk: the activations an evaluation holds at once

# Statuses of a run (shown with pgettext("run status", status)).
# TRANSLATORS: a run's status.
TRAINING, FINISHED = NC_("run status", "training"), NC_("run status", "finished")
STOPPED, DIVERGED = NC_("run status", "stopped"), NC_("run status", "diverged")
LOST_PLACE = N_("Stopped: the page did not check in for a while (a closed or long-hidden tab), so the run's place "
                "went to the next one in the queue. What it learnt is kept; press Start to train again.")


def parse_widths(text: str) -> tuple[int, ...]:
    """Hidden-layer widths from text such as "256, 128" (empty text: no hidden layer).

    Raises ValueError saying what to type instead (a Message).
    """
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    widths = []
    for part in parts:
        if not (part.isdecimal() and len(part) <= 6 and 1 <= int(part) <= MAX_WIDTH):
            raise ValueError(Message(
                "Hidden widths must be whole numbers from 1 to {max} separated by commas (e.g. 256,128); "
                "{part} is not.", max=MAX_WIDTH, part=code(part)))
        widths.append(int(part))
    if len(widths) > MAX_HIDDEN_LAYERS:
        raise ValueError(Message("At most {max} hidden layers, got {count}.", max=MAX_HIDDEN_LAYERS, count=len(widths)))
    return tuple(widths)


def check_config(config: TrainConfig) -> None:
    """Refuse (ValueError saying what to do) settings the page does not train: an unknown
    activation or optimizer, epochs outside 1..MAX_EPOCHS, more than MAX_PARAMETERS parameters."""
    if config.activation not in ACTIVATIONS:
        raise ValueError(Message("Unknown activation {name}; choose one of {choices}.", name=code(config.activation),
                                 choices=code(", ".join(ACTIVATIONS), 200)))
    if config.optimizer not in OPTIMIZERS:
        raise ValueError(Message("Unknown optimizer {name}; choose one of {choices}.", name=code(config.optimizer),
                                 choices=code(", ".join(OPTIMIZERS), 200)))
    if not 1 <= config.epochs <= MAX_EPOCHS:
        raise ValueError(Message("Train for 1 to {max} epochs.", max=MAX_EPOCHS))
    check_size(config)


def check_size(config: TrainConfig) -> None:
    """Refuse (ValueError saying what to do) a network with more than MAX_PARAMETERS parameters."""
    n = config.n_parameters
    if n > MAX_PARAMETERS:
        raise ValueError(Message(
            "A {network} network has {count} weights and biases; the page trains at most {max} (784-1000-10 has "
            "795,010). Use fewer or narrower layers, or train bigger networks with `python -m core.mnist train`.",
            network=config.architecture, count=f"{n:,}", max=f"{MAX_PARAMETERS:,}"))


def memory_estimate(config: TrainConfig, n_train: int, n_val: int) -> int:
    """Bytes a run of ``config`` on n_train training and n_val held-out digits takes at its peak:
    the float32 rows it trains on (while augmented copies are made: the copies and the array
    they are joined into, or those made so far and the distortion's work arrays), its
    evaluation and held-out rows, weights with gradients and optimizer moments, and one
    prediction chunk's activations. Checked against tracemalloc in tests/digits/test_run.py."""
    pixels = 28 * 28 * 4  # one float32 row
    if config.augment:
        rows = n_train * (augment_copies(n_train) + 1)
        # core.mnist.augment distorts 4,096 images a pass with about 9 rows of work arrays per image.
        making = max(2 * rows, rows + 9 * min(n_train, 4096))
    else:
        making = n_train
    data = (making + min(EVAL_ROWS, n_train) + n_val) * pixels
    weights = 4 * 4 * config.n_parameters  # float32 weights, gradients and two moments
    evaluated = min(PREDICT_ROWS, max(n_val, min(EVAL_ROWS, n_train)))  # rows a prediction holds at once
    activations = 2 * 4 * evaluated * (784 + 2 * sum(config.hidden) + 10)
    return data + weights + activations


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
    net: Net  # a frozen copy (weights only, see models.frozen_copy) taken after the latest tick
    history: tuple[EpochRecord, ...] = ()
    epoch: float = 0.0  # epochs done, fractional while an epoch is under way
    seconds: float = 0.0
    message: Message | str = ""  # why it diverged or stopped (a Message, translated where shown)
    data_source: str = ""

    @property
    def last(self) -> EpochRecord | None:
        return self.history[-1] if self.history else None

    @property
    def progress(self) -> float:
        return min(1.0, self.epoch / self.config.epochs)

    @property
    def label(self) -> Message:
        """The run's name, e.g. "Run 2: 784-100-10 relu" (a Message: ``str()`` is English)."""
        # TRANSLATORS: a training run's name: {run} its number, {network} e.g. "784-100-10", {activation} e.g. "relu".
        if self.config.hidden:
            return Message("Run {run}: {network} {activation}", run=self.run_id, network=self.config.architecture,
                           activation=self.config.activation)
        return Message("Run {run}: {network}", run=self.run_id, network=self.config.architecture)

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
    ticket: int | None = None  # its place in the server's queue of runs (run_queue.py)
    step_seconds: float = 0.0  # measured time of one minibatch step (0: not measured yet)

    def release(self) -> None:
        """Drop the trainer and its data (the run lost its place, e.g. its page went away);
        a later tick finds the run stopped. Safe to call from another thread."""
        with self.lock:
            self.trainer = None
            self.x_eval = self.y_eval = None


def augment_copies(n_train: int) -> int:
    """Distorted copies per digit: 4 for the 4,000-digit sample, 1 for the full 60,000 (whose
    augmented copies are made up front and would otherwise take gigabytes)."""
    return max(1, min(4, AUGMENTED_ROWS // max(n_train, 1)))


def start_run(run_id: int, config: TrainConfig, data: tuple, data_source: str = "") -> tuple[RunEngine, RunSnapshot]:
    """Build the network and trainer for ``config`` on data = (x_train, y_train, x_val, y_val)
    (images (n, 28, 28)); returns the engine and the first snapshot (status "training")."""
    check_config(config)
    x_train, y_train, x_val, y_val = data
    net = build_digit_net(hidden=config.hidden, activation=config.activation, seed=config.seed)
    trainer = digit_trainer(
        net, x_train, y_train, x_val, y_val, lr=config.lr, batch_size=config.batch_size,
        optimizer=config.optimizer, augment=config.augment, seed=config.seed, copies=augment_copies(len(x_train)),
    )
    rows = np.random.default_rng(config.seed).permutation(len(x_train))[:EVAL_ROWS]
    engine = RunEngine(run_id, config, trainer, flatten_images(x_train[rows]), np.asarray(y_train)[rows])
    snapshot = RunSnapshot(run_id, config, TRAINING, frozen_copy(net), data_source=data_source)
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


def advance(engine: RunEngine, snapshot: RunSnapshot, budget_seconds: float, max_chunk: int = MAX_CHUNK,
            clock: Callable[[], float] = time.perf_counter) -> RunSnapshot:
    """Train for about ``budget_seconds`` (at least one minibatch step) and return a new
    snapshot; ``snapshot`` itself is left untouched.

    Between two looks at the clock it runs as many steps as fit the time left at the measured
    step time (one step while nothing is measured yet, at most ``max_chunk``), so a tick
    overruns its budget by about one step, plus the measurement when an epoch ends. Stops at
    the configured number of epochs (status "finished"); a diverging run gets status
    "diverged" with the trainer's advice as message. If another tick holds the engine, returns
    ``snapshot`` unchanged; if the engine was released, the run is stopped.
    """
    if snapshot.status != TRAINING:
        return snapshot
    if not engine.lock.acquire(blocking=False):
        return snapshot
    try:
        trainer, target = engine.trainer, engine.config.epochs
        if trainer is None:
            return replace(snapshot, status=STOPPED, message=Message(LOST_PLACE))
        history, seconds = list(snapshot.history), snapshot.seconds
        start = clock()
        status, message = TRAINING, ""
        try:
            while trainer.epochs_done < target:
                left = budget_seconds - (clock() - start)
                fit = int(left / engine.step_seconds) if engine.step_seconds > 0 else 1
                steps = max(1, min(fit, max_chunk, _steps_left_in_epoch(trainer)))
                began = clock()
                with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is caught by the trainer's own checks
                    trainer.step(steps)
                per_step = (clock() - began) / steps
                # A running mean that follows changes (an epoch's measurement, a busy machine) within a few chunks.
                engine.step_seconds = per_step if engine.step_seconds <= 0 else 0.5 * (engine.step_seconds + per_step)
                if trainer.epochs_done > len(history):
                    history.append(_measure(engine, seconds + clock() - start))
                if clock() - start >= budget_seconds:
                    break
        except TrainingDiverged as exc:
            status, message = DIVERGED, divergence_message(exc)
        seconds += clock() - start
        if status == TRAINING and trainer.epochs_done >= target:
            status = FINISHED
        return replace(
            snapshot, status=status, message=message, history=tuple(history), epoch=trainer.epoch,
            seconds=seconds, net=frozen_copy(trainer.net) if status != DIVERGED else snapshot.net,
        )
    finally:
        engine.lock.release()


def stop(snapshot: RunSnapshot) -> RunSnapshot:
    """The run halted by the user, keeping what it learnt so far."""
    return replace(snapshot, status=STOPPED) if snapshot.status == TRAINING else snapshot
