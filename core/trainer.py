"""The one training engine: the playground, the MNIST page, the command line and the tests
all train through :class:`Trainer`.

A UI drives it step by step: ``trainer.step(k)`` runs k minibatch updates and returns
:class:`StepMetrics`; ``trainer.run_epochs(n)`` and ``trainer.run_for(seconds)`` run whole
epochs. Shuffling is seeded. A non-finite loss or weight raises :class:`TrainingDiverged`
with the likely cause, instead of letting NaNs through.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .layers import as_generator
from .losses import BinaryLogistic, CrossEntropyLoss, SoftmaxCrossEntropy, accuracy, check_labels
from .net import Net, check_inputs
from .optim import Optimizer

CLASSIFICATION_LOSSES = (SoftmaxCrossEntropy, CrossEntropyLoss, BinaryLogistic)


class TrainingDiverged(FloatingPointError):
    """The loss or a weight became NaN or infinite; the message (English) says what to change.

    The same facts as fields, for a page that explains a divergence in its reader's language:
    ``epoch`` (1-based: the epoch it happened in), ``cause`` ("loss": the loss became infinite
    or NaN; "weights": a gradient or a weight did), ``layer`` (the layer whose weight did, or
    None), ``lr`` (the learning rate) and ``what`` (the cause in English words).
    """

    def __init__(self, epoch: float, what: str, lr: float, cause: str = "loss", layer: str | None = None) -> None:
        super().__init__(divergence_message(epoch, what, lr))
        self.epoch, self.what, self.lr, self.cause, self.layer = int(epoch) + 1, what, float(lr), cause, layer
        self._given = (epoch, what, lr, cause, layer)

    def __reduce__(self):  # pickles with its fields (BaseException's would call __init__ with the message)
        return type(self), self._given


def divergence_message(epoch: float, what: str, lr: float) -> str:
    """The one explanation of a divergence, for every place that detects one."""
    return (f"Training diverged in epoch {int(epoch) + 1}: {what}. The learning rate ({lr:g}) is probably too "
            "high for this network: reset the network and lower the learning rate.")


PROBLEMS = {"loss": "the loss became infinite or NaN", "weights": "a gradient or a weight became infinite or NaN"}


@dataclass
class StepMetrics:
    """What one call of ``step``/``run_epochs``/``run_for`` did.

    train_loss: mean minibatch loss over the steps run; train_accuracy: fraction of the
    minibatch rows classified right (None for regression); grad_norms / weight_norms:
    Frobenius norm of each Linear layer's dW and W after the last step (input side first);
    epoch: epochs done so far (fractional); steps: minibatch updates so far.
    """

    train_loss: float
    train_accuracy: float | None
    grad_norms: list[float] = field(default_factory=list)
    weight_norms: list[float] = field(default_factory=list)
    epoch: float = 0.0
    steps: int = 0
    steps_run: int = 0


@dataclass(frozen=True)
class Measurement:
    """The whole-data view of a network at one moment (``Trainer.measure``).

    epochs: whole epochs done; train_loss / test_loss: mean loss over all training / test
    rows (test_loss None without test data); train_acc / test_acc: fraction right (None for
    regression or without test data); grad_norms / weight_norms: Frobenius norm of each Linear
    layer's full-batch dL/dW and of its W, input side first.
    """

    epochs: float
    train_loss: float
    test_loss: float | None
    train_acc: float | None
    test_acc: float | None
    grad_norms: tuple[float, ...]
    weight_norms: tuple[float, ...]

    def problem(self) -> str | None:
        """What is not finite (a loss or a norm: the network diverged), or None."""
        found = self.problem_cause()
        return None if found is None else PROBLEMS[found]

    def problem_cause(self) -> str | None:
        """"loss" when a loss is not finite, "weights" when a gradient or weight norm is not, or None."""
        losses = [v for v in (self.train_loss, self.test_loss) if v is not None]
        if not all(math.isfinite(v) for v in losses):
            return "loss"
        if not (np.isfinite(self.grad_norms).all() and np.isfinite(self.weight_norms).all()):
            return "weights"
        return None


def is_classifier(loss) -> bool:
    return isinstance(loss, CLASSIFICATION_LOSSES)


class Trainer:
    """Minibatch training of ``net`` on x: (n, features), y: (n,) labels or (n, k) targets.

    The optimizer and its settings may be swapped or changed between calls
    (``trainer.optimizer.lr = 0.1``); the network keeps its weights.
    """

    def __init__(
        self,
        net: Net,
        loss,
        optimizer: Optimizer,
        x,
        y,
        batch_size: int = 32,
        seed=0,
        x_test=None,
        y_test=None,
    ):
        self.net, self.loss, self.optimizer = net, loss, optimizer
        self.classification = is_classifier(loss)
        self.x, self.y = self._check_data(x, y, "Training data")
        self.x_test = self.y_test = None
        if x_test is not None and len(x_test):
            self.x_test, self.y_test = self._check_data(x_test, y_test, "Test data")
        self.batch_size = batch_size
        self.rng = as_generator(seed)
        self.params = net.parameters()
        # The data were validated above, so each step may skip the loss's own label checks.
        self._loss_forward = getattr(loss, "forward_unchecked", loss.forward)
        self.steps = 0
        self._order = self.rng.permutation(len(self.x))
        self._pos = 0
        self._epochs_done = 0

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"Batch size must be a whole number >= 1, got {value!r}.")
        self._batch_size = int(value)

    def _check_data(self, x, y, what: str):
        x = check_inputs(x, self.net.n_inputs, what)
        dtype = self.net.dtype or np.float32
        x = np.ascontiguousarray(x, dtype=dtype)
        y = np.asarray(y)
        if len(y) != len(x):
            raise ValueError(f"{what}: {len(x)} input rows but {len(y)} labels/targets.")
        if self.classification:
            n_classes = 2 if isinstance(self.loss, BinaryLogistic) else self.net.n_outputs
            y = check_labels(y, len(x), n_classes)
        else:
            y = np.asarray(y, dtype=dtype)
            if y.ndim == 1:
                y = y.reshape(-1, 1)
            if not np.isfinite(y).all():
                raise ValueError(f"{what}: targets contain NaN or infinity.")
            if y.shape[1] != self.net.n_outputs:
                raise ValueError(f"{what}: targets have {y.shape[1]} columns, the network outputs {self.net.n_outputs}.")
        return x, y

    @property
    def epoch(self) -> float:
        """Epochs done, counting a partly done epoch as a fraction."""
        return self._epochs_done + self._pos / len(self.x)

    @property
    def epochs_done(self) -> int:
        return self._epochs_done

    def _next_batch(self):
        n = len(self.x)
        start = self._pos
        stop = min(start + self._batch_size, n)
        idx = self._order[start:stop]
        if stop >= n:
            self._epochs_done += 1
            self._pos = 0
            self._order = self.rng.permutation(n)
        else:
            self._pos = stop
        return self.x.take(idx, axis=0), self.y.take(idx, axis=0)

    def step(self, k: int = 1) -> StepMetrics:
        """Run k minibatch updates; returns their mean loss and the layer norms after them."""
        return self._metrics(*self._run_steps(k), steps_run=k)

    def run_epochs(self, n: int = 1) -> StepMetrics:
        """Run until n more epochs have finished (the first may be partly done already)."""
        steps_before = self.steps
        return self._metrics(*self._run_epochs(n), steps_run=self.steps - steps_before)

    def run_for(self, seconds: float, max_epochs: int = 1000, min_epochs: int = 1) -> StepMetrics:
        """Run whole epochs until the next one would overrun ``seconds`` (at least
        ``min_epochs``, at most ``max_epochs``): the UI's 'as many as fit this frame'."""
        start, steps_before = time.perf_counter(), self.steps
        totals = self._run_epochs(min_epochs)
        done = min_epochs
        while done < max_epochs:
            elapsed = time.perf_counter() - start
            if elapsed + elapsed / done > seconds:
                break
            totals = tuple(a + b for a, b in zip(totals, self._run_epochs(1)))
            done += 1
        return self._metrics(*totals, steps_run=self.steps - steps_before)

    def _run_epochs(self, n: int) -> tuple[float, int, int]:
        target = self._epochs_done + n
        totals = (0.0, 0, 0)
        while self._epochs_done < target:
            remaining = math.ceil((len(self.x) - self._pos) / self._batch_size)
            totals = tuple(a + b for a, b in zip(totals, self._run_steps(remaining)))
        return totals

    def _run_steps(self, k: int) -> tuple[float, int, int]:
        """k minibatch updates; returns (summed row losses, rows classified right, rows seen)."""
        net, loss_fn, opt, params = self.net, self.loss, self.optimizer, self.params
        loss_forward = self._loss_forward
        net.train()
        total_loss, correct, seen = 0.0, 0, 0
        # Overflow on the way to divergence is expected; the finiteness checks report it.
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(k):
                xb, yb = self._next_batch()
                out = net.forward_unchecked(xb)
                batch_loss = loss_forward(out, yb)
                if not math.isfinite(batch_loss):
                    self._diverged(f"the loss became {batch_loss}", "loss")
                net.backward(loss_fn.backward(batch_loss))
                opt.step(params)
                self.steps += 1
                total_loss += batch_loss * len(xb)
                seen += len(xb)
                if self.classification:
                    correct += _count_correct(out, yb)
        for p in params:
            if not np.isfinite(p.value).all():
                self._diverged(f"a weight in {p.owner.name} became NaN or infinite", "weights", p.owner.name)
        return total_loss, correct, seen

    def _metrics(self, total_loss: float, correct: int, seen: int, steps_run: int) -> StepMetrics:
        """StepMetrics from a run's totals; the layer norms are taken once, after the run."""
        linear = self.net.linear_layers()
        return StepMetrics(
            train_loss=total_loss / max(seen, 1),
            train_accuracy=correct / seen if self.classification and seen else None,
            grad_norms=[float(np.linalg.norm(layer.dW)) for layer in linear],
            weight_norms=[float(np.linalg.norm(layer.W)) for layer in linear],
            epoch=self.epoch,
            steps=self.steps,
            steps_run=steps_run,
        )

    def measure(self) -> Measurement:
        """Loss, gradient norms and accuracy over ALL training rows (one full-batch forward and
        backward pass in evaluation mode), test loss and accuracy, weight norms.

        Leaves the weights untouched (the backward pass only writes the gradient buffers).
        Raises TrainingDiverged when a loss or a norm is not finite.
        """
        net, loss_fn = self.net, self.loss
        was_training = [layer.training for layer in net.layers]
        net.eval()
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                out = net.forward_unchecked(self.x)
                train_loss = self._loss_forward(out, self.y)
                net.backward(loss_fn.backward(train_loss))
                test = self.evaluate()
        finally:
            for layer, flag in zip(net.layers, was_training):
                layer.training = flag
        linear = net.linear_layers()
        measurement = Measurement(
            epochs=float(self.epochs_done),
            train_loss=float(train_loss),
            test_loss=float(test["loss"]) if test else None,
            train_acc=accuracy(out, self.y) if self.classification else None,
            test_acc=test["accuracy"] if (test and self.classification) else None,
            grad_norms=tuple(float(np.linalg.norm(layer.dW)) for layer in linear),
            weight_norms=tuple(float(np.linalg.norm(layer.W)) for layer in linear),
        )
        if cause := measurement.problem_cause():
            self._diverged(PROBLEMS[cause], cause)
        return measurement

    def evaluate(self, x=None, y=None) -> dict:
        """Loss and (for classification) accuracy on x, y; defaults to the test set.

        Returns {"loss": float, "accuracy": float | None}, or None when there is no data.
        """
        if x is None:
            if self.x_test is None:
                return None
            x, y = self.x_test, self.y_test
        else:
            x, y = self._check_data(x, y, "Evaluation data")
        out = self.net.predict(x)
        loss = type(self.loss)().forward(out, y)
        acc = accuracy(out, y) if self.classification else None
        return {"loss": loss, "accuracy": acc}

    def _diverged(self, what: str, cause: str, layer: str | None = None):
        raise TrainingDiverged(self.epoch, what, self.optimizer.lr, cause, layer)


def _count_correct(out: np.ndarray, y: np.ndarray) -> int:
    if out.shape[1] == 1:
        return int(np.count_nonzero((out[:, 0] > 0) == (y == 1)))
    return int(np.count_nonzero(out.argmax(axis=1) == y))


def grid_inputs(extent: tuple[float, float, float, float], resolution: int = 100) -> np.ndarray:
    """Points of a resolution×resolution grid over (xmin, xmax, ymin, ymax).

    Returns (resolution², 2), row-major with y varying slowest, so
    ``values.reshape(resolution, resolution)`` has rows along y, columns along x.
    """
    xmin, xmax, ymin, ymax = extent
    xs = np.linspace(xmin, xmax, resolution)
    ys = np.linspace(ymin, ymax, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])
