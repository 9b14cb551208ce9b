"""The per-session model of the playground: one config, the data, the network and its history.

Nothing here imports Streamlit, so the whole page logic is testable without a browser.

- :class:`Config` is every setting a user can make, frozen and serialisable: it maps to and
  from URL query parameters (``to_query`` / ``from_query``), clamping or dropping bad values
  with a notice, so a shared link reproduces dataset, seed, architecture and settings.
- :class:`Model` is one immutable snapshot: config, data, trainer (which owns the network) and
  :class:`History`. Training never touches a snapshot in place: ``model.trained(...)`` trains a
  copy and returns a new snapshot, so the page can swap it into session state in one statement.
- :class:`UserData` is data a user brought (CSV upload or clicked points); see ``userdata.py``.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

import numpy as np

from core import (
    Dataset,
    MAELoss,
    MSELoss,
    SoftmaxCrossEntropy,
    Trainer,
    TrainingDiverged,
    grid_inputs,
    make_dataset,
    make_features,
    make_optimizer,
    mlp,
)
from core.datasets import CLASSIFICATION, MAX_CLASSES, MULTICLASS, REGRESSION, train_test_split
from core.losses import accuracy

CUSTOM = "custom"  # the dataset name for data a user uploaded or clicked
DATASETS = (*CLASSIFICATION, *REGRESSION, CUSTOM)
ONE_D = ("curve",)  # datasets with a single input column
FEATURE_NAMES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
ACTIVATION_NAMES = ("tanh", "relu", "sigmoid", "linear", "leaky_relu")
OPTIMIZER_NAMES = ("sgd", "momentum", "adam")
REGULARIZERS = ("none", "l1", "l2")
REGRESSION_LOSSES = ("mse", "mae")
# TF Playground's ladders, so a lecturer finds the same steps.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MAX_LAYERS = 8
MAX_NEURONS = 16
POINTS_RANGE = (20, 2000)
NOISE_RANGE = (0, 50)  # percent
TRAIN_RANGE = (10, 90)  # percent
BATCH_RANGE = (1, 64)
SEED_RANGE = (0, 999_999)
MAP_RESOLUTION = 100  # the decision map's grid, as TF Playground
CURVE_RESOLUTION = 200
# Epochs per second while playing, slow to fast; 0 is "max" (as fast as the machine allows).
# TF Playground runs ~60 (one epoch per animation frame); a lecture may want slow motion.
PACES = (1, 3, 10, 30, 60, 0)
MAX_HISTORY = 600  # points kept per curve; older ones are thinned, not dropped


@dataclass(frozen=True)
class Config:
    """Every user setting of the playground. Tuples keep it hashable and comparable."""

    dataset: str = "circle"
    n_points: int = 500
    noise: int = 0  # percent, 0..50 as TF Playground
    train_pct: int = 50
    seed: int = 0
    n_classes: int = 2  # used by the multi-class sets (spiral, blobs)
    show_test: bool = False
    discretize: bool = False
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activations: tuple[str, ...] = ("tanh", "tanh")
    lr: float = 0.03
    batch: int = 10
    optimizer: str = "sgd"
    reg: str = "none"
    reg_rate: float = 0.001
    loss: str = "mse"  # regression only; classification always uses softmax cross-entropy
    pace: int = 0  # epochs per second while playing, one of PACES (0: max)

    # ---- derived facts -------------------------------------------------------------
    @property
    def task(self) -> str:
        """'classification' or 'regression' for a generated set (custom data says its own)."""
        return "regression" if self.dataset in REGRESSION else "classification"

    @property
    def one_d(self) -> bool:
        return self.dataset in ONE_D

    def data_key(self) -> tuple:
        """What the data depends on: changing any of it regenerates the data and the network."""
        k = self.n_classes if self.dataset in MULTICLASS else None
        return (self.dataset, self.n_points, self.noise, self.train_pct, self.seed, k)

    def arch_key(self) -> tuple:
        """What the network's shape depends on: changing it builds a new network."""
        loss = self.loss if self.dataset in REGRESSION or self.dataset == CUSTOM else None
        return (self.features, self.hidden, self.activations, loss)

    def normalised(self) -> Config:
        """The same config with every value forced into its valid range (never raises)."""
        n_layers = min(len(self.hidden), MAX_LAYERS)
        hidden = tuple(int(_clamp(h, 1, MAX_NEURONS)) for h in self.hidden[:n_layers])
        acts = tuple(self.activations[:n_layers])
        if len(acts) < n_layers:
            acts = acts + ((acts[-1] if acts else "tanh"),) * (n_layers - len(acts))
        acts = tuple(a if a in ACTIVATION_NAMES else "tanh" for a in acts)
        allowed = [f for f in FEATURE_NAMES if not (self.dataset in ONE_D and "x2" in f)]
        feats = tuple(f for f in FEATURE_NAMES if f in self.features and f in allowed) or ("x1",)
        return replace(
            self,
            dataset=self.dataset if self.dataset in DATASETS else "circle",
            n_points=int(_clamp(self.n_points, *POINTS_RANGE)),
            noise=int(_clamp(self.noise, *NOISE_RANGE)),
            train_pct=int(_clamp(self.train_pct, *TRAIN_RANGE)),
            seed=int(_clamp(self.seed, *SEED_RANGE)),
            n_classes=int(_clamp(self.n_classes, 2, MAX_CLASSES)),
            features=feats,
            hidden=hidden,
            activations=acts,
            lr=_nearest(self.lr, LEARNING_RATES),
            batch=int(_clamp(self.batch, *BATCH_RANGE)),
            optimizer=self.optimizer if self.optimizer in OPTIMIZER_NAMES else "sgd",
            reg=self.reg if self.reg in REGULARIZERS else "none",
            reg_rate=_nearest(self.reg_rate, REG_RATES),
            loss=self.loss if self.loss in REGRESSION_LOSSES else "mse",
            pace=_pace(self.pace),
        )

    # ---- URL query parameters ---------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """The settings that differ from the defaults, as URL query parameters (strings)."""
        default = Config()
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                out[QUERY_KEYS[f.name]] = _format(f.name, value)
        # The activations default depends on the depth: write them whenever the depth changed.
        if "hidden" in out and "act" not in out:
            out["act"] = _format("activations", self.activations)
        if not self.hidden:
            out.pop("act", None)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, str | list[str]]) -> tuple[Config, list[str]]:
        """Parse URL query parameters into a config plus notices for every value that was
        malformed (ignored) or out of range (clamped). Unknown parameters are ignored."""
        notices: list[str] = []
        values: dict = {}
        for name, key in QUERY_KEYS.items():
            if key not in params:
                continue
            raw = params[key]
            if isinstance(raw, (list, tuple)):
                raw = raw[-1] if raw else ""
            try:
                values[name] = _parse(name, str(raw))
            except ValueError as err:
                notices.append(f"URL parameter `{key}={raw}` ignored: {err}")
        given = set(values)
        if "hidden" in values and "activations" not in values:
            values["activations"] = (Config.activations[0],) * len(values["hidden"])
        if "activations" in values:
            n = len(values.get("hidden", cls.hidden))
            acts = values["activations"]
            if n and (len(acts) == 1 or len(acts) != n):
                if len(acts) > 1:
                    notices.append(f"URL parameter `act`: {len(acts)} activations for {n} layers; used the first for all.")
                values["activations"] = ((acts or Config.activations)[0],) * n
        raw_config = cls(**values)
        config = raw_config.normalised()
        for f in fields(cls):
            before, after = getattr(raw_config, f.name), getattr(config, f.name)
            if before != after and f.name in given:
                notices.append(
                    f"URL parameter `{QUERY_KEYS[f.name]}={_format(f.name, before)}` is out of range or between steps: "
                    f"used {_format(f.name, after)}."
                )
        return config, notices


QUERY_KEYS = {
    "dataset": "ds", "n_points": "n", "noise": "noise", "train_pct": "train", "seed": "seed",
    "n_classes": "k", "show_test": "test", "discretize": "disc", "features": "feat", "hidden": "hidden",
    "activations": "act", "lr": "lr", "batch": "bs", "optimizer": "opt", "reg": "reg", "reg_rate": "rr",
    "loss": "loss", "pace": "pace",
}
_INTS = ("n_points", "noise", "train_pct", "seed", "n_classes", "batch", "pace")
_FLOATS = ("lr", "reg_rate")
_BOOLS = ("show_test", "discretize")
_CHOICES = {"dataset": DATASETS, "optimizer": OPTIMIZER_NAMES, "reg": REGULARIZERS, "loss": REGRESSION_LOSSES}


def _format(name: str, value) -> str:
    if name in _BOOLS:
        return "1" if value else "0"
    if name == "hidden":
        return ",".join(str(h) for h in value) or "none"
    if name == "activations":
        return value[0] if len(set(value)) == 1 else ",".join(value)
    if name == "features":
        return ",".join(value)
    if name in _FLOATS:
        return f"{value:g}"
    return str(value)


def _parse(name: str, raw: str):
    """One query value -> a typed value; raises ValueError with the reason when malformed."""
    raw = raw.strip()
    if name in _INTS:
        try:
            return int(raw)
        except ValueError:
            raise ValueError("not a whole number") from None
    if name in _FLOATS:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError("not a number") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError("must be a positive number")
        return value
    if name in _BOOLS:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError("use 1 or 0")
    if name in _CHOICES:
        if raw not in _CHOICES[name]:
            raise ValueError(f"choose one of {', '.join(_CHOICES[name])}")
        return raw
    if name == "hidden":
        if raw.lower() in ("", "none", "0"):
            return ()
        try:
            widths = tuple(int(part) for part in raw.split(","))
        except ValueError:
            raise ValueError("give neurons per layer as whole numbers, e.g. 8,8") from None
        if any(w < 1 for w in widths):
            raise ValueError("every layer needs at least one neuron")
        return widths
    if name == "activations":
        if raw.lower() in ("", "none"):
            return ()
        acts = tuple(part.strip() for part in raw.split(","))
        bad = [a for a in acts if a not in ACTIVATION_NAMES]
        if bad:
            raise ValueError(f"unknown activation {bad[0]!r}; choose from {', '.join(ACTIVATION_NAMES)}")
        return acts
    if name == "features":
        feats = tuple(part.strip() for part in raw.split(",") if part.strip())
        bad = [f for f in feats if f not in FEATURE_NAMES]
        if bad or not feats:
            raise ValueError(f"choose features from {', '.join(FEATURE_NAMES)}")
        return tuple(f for f in FEATURE_NAMES if f in feats)  # one canonical order
    raise ValueError("unknown setting")


def _clamp(value, lo, hi):
    return min(max(value, lo), hi)


def _pace(value) -> int:
    """The PACES step nearest to ``value`` epochs/s; 0 (max) for 0, negative or above the fastest step."""
    if value in PACES:
        return int(value)
    steps = tuple(p for p in PACES if p)
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0) or value > 1.5 * max(steps):
        return 0
    return int(_nearest(value, steps))


def _nearest(value: float, ladder: tuple[float, ...]) -> float:
    """The ladder value nearest to ``value`` on a log scale."""
    if value in ladder:
        return value
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        return ladder[0]
    return min(ladder, key=lambda step: abs(math.log(step) - math.log(value)))


@dataclass(frozen=True)
class UserData:
    """Points a user brought. x: (n, 2); y: (n,) int labels 0..k-1 or float targets."""

    x: np.ndarray
    y: np.ndarray
    task: str  # "classification" or "regression"
    n_classes: int = 0
    source: str = "upload"  # "upload" or "clicks"
    version: int = 0  # bumps on each new upload, so the network resets


@dataclass(frozen=True)
class History:
    """Per-measurement curves. epochs: (T,); losses/accuracies: (T,); norms: (T, L).

    Never changed in place: ``appended`` returns a new History."""

    epochs: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_acc: np.ndarray | None
    test_acc: np.ndarray | None
    grad_norms: np.ndarray
    weight_norms: np.ndarray

    @classmethod
    def first(cls, point: dict) -> History:
        return cls(**{k: (None if v is None else np.asarray([v], dtype=np.float64)) for k, v in point.items()})

    def appended(self, point: dict) -> History:
        parts = {}
        for name, value in point.items():
            old = getattr(self, name)
            parts[name] = None if old is None else np.concatenate([old, np.asarray([value], dtype=np.float64)])
        if len(parts["epochs"]) > MAX_HISTORY:
            # Thin the older half so long runs keep their shape at a bounded cost.
            half = len(parts["epochs"]) // 2
            parts = {k: None if v is None else np.concatenate([v[:half:2], v[half:]]) for k, v in parts.items()}
        return History(**parts)

    def __len__(self) -> int:
        return len(self.epochs)


@dataclass(frozen=True)
class Model:
    """One immutable snapshot of a session's network and its history.

    data: the split dataset; x_train/x_test: (n, n_features) after the feature transforms;
    grid: (res², n_features) features of the decision-map grid ((CURVE_RESOLUTION, n) for 1-D);
    trainer: owns the network and optimizer (not shared with any other snapshot once trained).
    """

    config: Config
    data: Dataset
    extent: tuple[float, float, float, float]
    grid: np.ndarray
    trainer: Trainer
    history: History
    user_version: int | None = None
    diverged: str | None = None
    epochs_per_tick: float = field(default=0.0, compare=False)

    # ---- construction ----------------------------------------------------------------
    @classmethod
    def build(cls, config: Config, user: UserData | None = None) -> Model:
        """A fresh network on freshly generated (or the user's) data. Raises ValueError with a
        clear message when the config cannot be built (e.g. custom data without any data)."""
        config = config.normalised()
        data = _dataset(config, user)
        features = config.features
        if data.x_train.shape[1] == 1:
            features = tuple(f for f in features if "x2" not in f) or ("x1",)
        x_train = make_features(data.x_train, features)
        x_test = make_features(data.x_test, features) if len(data.x_test) else None
        extent = data.extent if user is None or config.dataset != CUSTOM else _padded_extent(data)
        if data.x_train.shape[1] == 1:
            grid = make_features(np.linspace(extent[0], extent[1], CURVE_RESOLUTION).reshape(-1, 1), features)
        else:
            grid = make_features(grid_inputs(extent, MAP_RESOLUTION), features)
        classification = data.task == "classification"
        n_out = data.n_classes if classification else 1
        grid = np.ascontiguousarray(grid, dtype=np.float32)  # the net's dtype: no cast on every redraw
        net = mlp(len(features), list(config.hidden), n_out, activations=list(config.activations) or "tanh",
                  seed=config.seed)
        loss = SoftmaxCrossEntropy() if classification else (MAELoss() if config.loss == "mae" else MSELoss())
        trainer = Trainer(net, loss, _optimizer(config), x_train, data.y_train, batch_size=min(config.batch, len(x_train)),
                          seed=config.seed, x_test=x_test, y_test=data.y_test if x_test is not None else None)
        with np.errstate(all="ignore"):
            point = measure(trainer)
        return cls(config, data, extent, grid, trainer, History.first(point),
                   user_version=user.version if (user is not None and config.dataset == CUSTOM) else None)

    def needs_rebuild(self, config: Config, user: UserData | None = None) -> str | None:
        """Why ``config`` needs a new network ('the data changed', 'the architecture changed'),
        or None when it only changes training settings that apply to this network."""
        config = config.normalised()
        if config.data_key() != self.config.data_key():
            return "the data changed"
        if config.dataset == CUSTOM and (user.version if user else None) != self.user_version:
            return "the data changed"
        if config.arch_key() != self.config.arch_key():
            return "the architecture changed"
        return None

    def with_settings(self, config: Config) -> Model:
        """The same network with new training settings (learning rate, batch size, optimizer,
        regularisation) and display options; weights and history are kept."""
        config = config.normalised()
        if config == self.config:
            return self
        old = self.config
        trainer = _copy_trainer(self.trainer)
        if (config.optimizer, config.reg) != (old.optimizer, old.reg):
            trainer.optimizer = _optimizer(config)  # a new kind of optimizer starts its own state
        else:
            trainer.optimizer.lr = config.lr
            trainer.optimizer.l1 = config.reg_rate if config.reg == "l1" else 0.0
            trainer.optimizer.l2 = config.reg_rate if config.reg == "l2" else 0.0
        trainer.batch_size = min(config.batch, len(trainer.x))
        # A new learning rate may cure a divergence: let the user try again.
        diverged = self.diverged if (config.lr, config.optimizer) == (old.lr, old.optimizer) else None
        return replace(self, config=config, trainer=trainer, diverged=diverged)

    # ---- training --------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        return self.trainer.epochs_done

    @property
    def classification(self) -> bool:
        return self.data.task == "classification"

    def trained(self, seconds: float | None = None, epochs: int | None = None, max_epochs: int = 500) -> Model:
        """Train a copy for ``epochs`` whole epochs, or as many as fit ``seconds``; return the new
        snapshot. On divergence the weights stay at the last good state and ``diverged`` says why."""
        if self.diverged:
            return self
        trainer = _copy_trainer(self.trainer)
        try:
            with np.errstate(all="ignore"):
                if epochs is not None:
                    trainer.run_epochs(epochs)
                else:
                    trainer.run_for(seconds or 0.05, max_epochs=max_epochs)
                point = measure(trainer)
        except (TrainingDiverged, FloatingPointError, OverflowError) as err:
            return replace(self, diverged=str(err))
        return self.advanced(trainer, point)

    def advanced(self, trainer: Trainer, point: dict) -> Model:
        """The snapshot after ``trainer`` (a trained copy of this one's, never shared) ran on,
        with ``point`` (from :func:`measure`) added to the history. Keeps this snapshot's
        weights and says why when the point is not finite."""
        if reason := divergence_reason(point, self.config.lr):
            return replace(self, diverged=reason)
        return replace(self, trainer=trainer, history=self.history.appended(point),
                       epochs_per_tick=float(trainer.epochs_done - self.trainer.epochs_done))

    # ---- what the views draw -------------------------------------------------------------
    def decision_values(self) -> np.ndarray:
        """Classification: (res, res, k) class probabilities; regression: (res, res) predictions;
        1-D data: (CURVE_RESOLUTION,) predictions. Rows run along y."""
        with np.errstate(all="ignore"):
            # Chunks of 2048 rows stay under OpenBLAS's threading threshold: on a busy 2-core
            # machine its thread hand-off made one 10,000-row pass 10-50x slower.
            out = self.trainer.net.predict(self.grid, batch_size=2048)
        if self.grid.shape[0] == CURVE_RESOLUTION and self.data.x_train.shape[1] == 1:
            return np.nan_to_num(out[:, 0])
        if self.classification:
            probs = SoftmaxCrossEntropy.probabilities(out)
            return np.nan_to_num(probs).reshape(MAP_RESOLUTION, MAP_RESOLUTION, -1)
        return np.nan_to_num(out[:, 0]).reshape(MAP_RESOLUTION, MAP_RESOLUTION)

    @property
    def features_used(self) -> tuple[str, ...]:
        if self.data.x_train.shape[1] == 1:
            return tuple(f for f in self.config.features if "x2" not in f) or ("x1",)
        return self.config.features

    def metrics(self) -> dict:
        """Latest Epoch, Train loss, Test loss (None without test points), test accuracy."""
        h = self.history
        return {
            "epoch": self.epoch,
            "train_loss": float(h.train_loss[-1]),
            "test_loss": None if h.test_loss is None else float(h.test_loss[-1]),
            "test_accuracy": None if h.test_acc is None else float(h.test_acc[-1]),
        }

    def layer_names(self) -> list[str]:
        names = [f"hidden {i + 1}" for i in range(len(self.config.hidden))]
        return [*names, "output"]


# ---- helpers -----------------------------------------------------------------------------
def _dataset(config: Config, user: UserData | None) -> Dataset:
    if config.dataset != CUSTOM:
        return make_dataset(config.dataset, config.n_points, config.noise / 100, config.train_pct / 100,
                            seed=config.seed, n_classes=config.n_classes)
    if user is None:
        raise ValueError("No data of your own yet: upload a CSV or click points on the canvas, then press 'Use'.")
    rng = np.random.default_rng(config.seed)
    x_tr, y_tr, x_te, y_te = train_test_split(user.x, user.y, config.train_pct / 100, rng)
    return Dataset(CUSTOM, user.task, x_tr, y_tr, x_te, y_te, user.n_classes)


def _padded_extent(data: Dataset) -> tuple[float, float, float, float]:
    """A square view around the user's points with 10 % margin."""
    x = np.concatenate([data.x_train, data.x_test])
    lo, hi = x.min(axis=0), x.max(axis=0)
    centre, half = (lo + hi) / 2, max(float((hi - lo).max()) / 2, 1e-3) * 1.1
    return (float(centre[0] - half), float(centre[0] + half), float(centre[1] - half), float(centre[1] + half))


def _optimizer(config: Config):
    l1 = config.reg_rate if config.reg == "l1" else 0.0
    l2 = config.reg_rate if config.reg == "l2" else 0.0
    return make_optimizer(config.optimizer, config.lr, l1=l1, l2=l2)


def _copy_trainer(trainer: Trainer) -> Trainer:
    """A deep copy of trainer, network and optimizer state that shares the (read-only) data."""
    shared = {id(a): a for a in (trainer.x, trainer.y, trainer.x_test, trainer.y_test) if a is not None}
    return copy.deepcopy(trainer, memo=shared)


def measure(trainer: Trainer) -> dict:
    """Full-batch train loss and gradient norms, test loss, accuracies and weight norms.

    The backward pass only writes the copy's gradient buffers; the weights are untouched."""
    net, loss_fn = trainer.net, trainer.loss
    net.eval()
    out = net.forward_unchecked(trainer.x)
    train_loss = loss_fn.forward(out, trainer.y)
    net.backward(loss_fn.backward(train_loss))
    net.train()
    linear = net.linear_layers()
    test = trainer.evaluate()
    classification = trainer.classification
    return {
        "epochs": float(trainer.epochs_done),
        "train_loss": float(train_loss),
        "test_loss": float(test["loss"]) if test else None,
        "train_acc": accuracy(out, trainer.y) if classification else None,
        "test_acc": test["accuracy"] if (test and classification) else None,
        "grad_norms": [float(np.linalg.norm(layer.dW)) for layer in linear],
        "weight_norms": [float(np.linalg.norm(layer.W)) for layer in linear],
    }


def divergence_reason(point: dict, lr: float) -> str | None:
    """Why a :func:`measure` point shows a diverged network (a loss or a norm is not finite), or None."""
    losses = [v for v in (point["train_loss"], point["test_loss"]) if v is not None]
    if all(math.isfinite(v) for v in losses) and np.isfinite(point["grad_norms"]).all() and (
        np.isfinite(point["weight_norms"]).all()
    ):
        return None
    return (f"Training diverged at epoch {int(point['epochs'])}: the loss became infinite. The learning rate "
            f"({lr:g}) is probably too high for this network: reset and lower it.")
