"""The per-session model of the 2D page: the data, the network and its history, as immutable
snapshots. No Streamlit here, so the page's logic is testable without a browser.

:class:`Model` is one snapshot: config, data, trainer (which owns the network) and
:class:`History`. Training never touches a snapshot in place: ``model.trained(...)`` trains a
copy and returns a new snapshot, so the page can swap it into session state in one statement.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, replace

import numpy as np

from core import (
    Dataset,
    Measurement,
    SoftmaxCrossEntropy,
    Trainer,
    TrainingDiverged,
    grid_inputs,
    make_dataset,
    make_features,
    make_loss,
    make_optimizer,
    mlp,
    usable_features,
)
from core.datasets import train_test_split
from playground.diverged import divergence_message
from playground.i18n import N_, Message, translate

from .config import CURVE_RESOLUTION, CUSTOM, MAP_RESOLUTION, WORKED, Config
from .userdata import UserData
from .worked import worked_parts

MAX_HISTORY = 600  # points kept per curve; older ones are thinned, not dropped
# TRANSLATORS: why the network was rebuilt, shown in "Network reset: {reason}."
DATA_CHANGED = N_("the data changed")
ARCHITECTURE_CHANGED = N_("the architecture changed")
# TRANSLATORS: layer names in charts and the network diagram (keep them short: also drawn into images).
HIDDEN_NAME = N_("hidden {layer}")
OUTPUT_NAME = N_("output")


@dataclass(frozen=True)
class History:
    """One entry per measurement. epochs: (T,); losses/accuracies: (T,) (None when not
    measured: accuracies for regression, test values without test data); norms: (T, L).

    Never changed in place: ``appended`` returns a new History."""

    epochs: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray | None
    train_acc: np.ndarray | None
    test_acc: np.ndarray | None
    grad_norms: np.ndarray
    weight_norms: np.ndarray

    @classmethod
    def first(cls, point: Measurement) -> History:
        return cls(**{f.name: _column(getattr(point, f.name)) for f in fields(cls)})

    def appended(self, point: Measurement) -> History:
        parts = {}
        for f in fields(self):
            old = getattr(self, f.name)
            parts[f.name] = None if old is None else np.concatenate([old, _column(getattr(point, f.name))])
        if len(parts["epochs"]) > MAX_HISTORY:
            # Thin the older half so long runs keep their shape at a bounded cost.
            half = len(parts["epochs"]) // 2
            parts = {k: None if v is None else np.concatenate([v[:half:2], v[half:]]) for k, v in parts.items()}
        return History(**parts)

    def __len__(self) -> int:
        return len(self.epochs)


def _column(value) -> np.ndarray | None:
    return None if value is None else np.asarray([value], dtype=np.float64)


@dataclass(frozen=True)
class Model:
    """One immutable snapshot of a session's network and its history.

    data: the split dataset; grid: (res², n_features) features of the decision map's grid
    ((CURVE_RESOLUTION, n_features) for 1-D data); trainer: owns the network and optimizer
    (not shared with any other snapshot once trained); diverged: why training stopped, if it did
    (a Message: ``str()`` is English, the page translates it).
    """

    config: Config
    data: Dataset
    extent: tuple[float, float, float, float]
    grid: np.ndarray
    trainer: Trainer
    history: History
    user_version: int | None = None
    diverged: Message | None = None
    epochs_per_tick: float = field(default=0.0, compare=False)

    # ---- construction ----------------------------------------------------------------------
    @classmethod
    def build(cls, config: Config, user: UserData | None = None) -> Model:
        """A fresh network on freshly generated (or the user's) data. Raises ValueError with a
        clear message (a Message) when the config cannot be built (e.g. custom data without any data)."""
        config = config.normalised()
        if config.dataset == WORKED:  # inside-network: Mazur's worked example brings its own training (worked.py)
            data, extent, trainer = worked_parts(config)
            grid = make_grid(extent, usable_features(config.features, 2), 2)
            return cls(config, data, extent, grid, trainer, History.first(trainer.measure()))
        data = _dataset(config, user)
        features = usable_features(config.features, data.x_train.shape[1])
        extent = _padded_extent(data) if config.dataset == CUSTOM else data.extent
        trainer = Trainer(
            mlp(len(features), list(config.hidden), data.n_classes or 1, activations=list(config.activations) or "tanh",
                seed=config.seed),
            make_loss("cross_entropy" if data.task == "classification" else config.loss),
            _optimizer(config),
            make_features(data.x_train, features), data.y_train, batch_size=min(config.batch, len(data.x_train)),
            seed=config.seed, x_test=make_features(data.x_test, features) if len(data.x_test) else None,
            y_test=data.y_test if len(data.x_test) else None)
        grid = make_grid(extent, features, data.x_train.shape[1])
        return cls(config, data, extent, grid, trainer, History.first(trainer.measure()),
                   user_version=user.version if (user is not None and config.dataset == CUSTOM) else None)

    def needs_rebuild(self, config: Config, user: UserData | None = None) -> str | None:
        """Why ``config`` needs a new network (the English message DATA_CHANGED or
        ARCHITECTURE_CHANGED, translated where shown), or None when it only changes training
        settings that apply to this network."""
        config = config.normalised()
        if config.data_key() != self.config.data_key():
            return DATA_CHANGED
        if config.dataset == CUSTOM and (user.version if user else None) != self.user_version:
            return DATA_CHANGED
        if config.arch_key() != self.config.arch_key():
            return ARCHITECTURE_CHANGED
        return None

    def with_settings(self, config: Config) -> Model:
        """The same network with new training settings (learning rate, batch size, optimizer,
        regularisation) and display options; weights and history are kept."""
        config = config.normalised()
        if config == self.config:
            return self
        old = self.config
        trainer = copy_trainer(self.trainer)
        if config.dataset == WORKED:  # inside-network: its training settings are Mazur's (worked.py)
            return replace(self, config=config, trainer=trainer)
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

    # ---- training ----------------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        return self.trainer.epochs_done

    @property
    def classification(self) -> bool:
        return self.data.task == "classification"

    def trained(self, seconds: float | None = None, epochs: int | None = None, max_epochs: int = 500) -> Model:
        """Train a copy for ``epochs`` whole epochs, or as many as fit ``seconds``; return the new
        snapshot. On divergence the weights stay at the last good state and ``diverged`` says why
        (``playground.diverged.divergence_message``)."""
        if self.diverged:
            return self
        trainer = copy_trainer(self.trainer)
        try:
            with np.errstate(all="ignore"):
                if epochs is not None:
                    trainer.run_epochs(epochs)
                else:
                    trainer.run_for(seconds or 0.05, max_epochs=max_epochs)
                point = trainer.measure()
        except (TrainingDiverged, FloatingPointError, OverflowError) as err:
            return replace(self, diverged=divergence_message(err))
        return self.advanced(trainer, point)

    def advanced(self, trainer: Trainer, point: Measurement) -> Model:
        """The snapshot after ``trainer`` (a trained copy of this one's, never shared) ran on,
        with ``point`` (its ``measure()``) added to the history."""
        return replace(self, trainer=trainer, history=self.history.appended(point),
                       epochs_per_tick=float(trainer.epochs_done - self.trainer.epochs_done))

    # ---- what the views draw -------------------------------------------------------------------
    def decision_values(self) -> np.ndarray:
        """Classification: (res, res, k) class probabilities; regression: (res, res) predictions;
        1-D data: (CURVE_RESOLUTION,) predictions. Rows run along y."""
        with np.errstate(all="ignore"):
            # Chunks of 2048 rows stay under OpenBLAS's threading threshold: on a busy 2-core
            # machine its thread hand-off made one 10,000-row pass 10-50x slower.
            out = self.trainer.net.predict(self.grid, batch_size=2048)
        if self.one_d:
            return np.nan_to_num(out[:, 0])
        if self.classification:
            probs = SoftmaxCrossEntropy.probabilities(out)
            return np.nan_to_num(probs).reshape(MAP_RESOLUTION, MAP_RESOLUTION, -1)
        return np.nan_to_num(out[:, 0]).reshape(MAP_RESOLUTION, MAP_RESOLUTION)

    @property
    def one_d(self) -> bool:
        """True for data with one input column (the curve): a fit is drawn instead of a map."""
        return self.data.x_train.shape[1] == 1

    @property
    def features_used(self) -> tuple[str, ...]:
        return usable_features(self.config.features, self.data.x_train.shape[1])

    def metrics(self) -> dict:
        """Latest epoch, train loss, test loss (None without test points), test accuracy."""
        h = self.history
        return {
            "epoch": self.epoch,
            "train_loss": float(h.train_loss[-1]),
            "test_loss": None if h.test_loss is None else float(h.test_loss[-1]),
            "test_accuracy": None if h.test_acc is None else float(h.test_acc[-1]),
        }

    def layer_names(self, lang: str = "en") -> list[str]:
        """The Linear layers' names in ``lang``: "hidden 1", ..., "output"."""
        names = [translate(HIDDEN_NAME, lang, layer=i + 1) for i in range(len(self.config.hidden))]
        return [*names, translate(OUTPUT_NAME, lang)]


# ---- helpers ---------------------------------------------------------------------------------------
def make_grid(extent, features, input_dims: int) -> np.ndarray:
    """The network inputs of the decision map's grid over extent (float32, the net's dtype: no
    cast on every redraw): (MAP_RESOLUTION², n_features), or (CURVE_RESOLUTION, n) for 1-D data."""
    if input_dims == 1:
        points = np.linspace(extent[0], extent[1], CURVE_RESOLUTION).reshape(-1, 1)
    else:
        points = grid_inputs(extent, MAP_RESOLUTION)
    return np.ascontiguousarray(make_features(points, features), dtype=np.float32)


def _dataset(config: Config, user: UserData | None) -> Dataset:
    if config.dataset != CUSTOM:
        return make_dataset(config.dataset, config.n_points, config.noise / 100, config.train_pct / 100,
                            seed=config.seed, n_classes=config.n_classes)
    if user is None:
        raise ValueError(Message("No data of your own yet: upload a CSV or click points on the canvas, then press "
                                 "'Use these points'."))
    rng = np.random.default_rng(config.seed)
    x_tr, y_tr, x_te, y_te = train_test_split(user.x, user.y, config.train_pct / 100, rng)
    return Dataset(CUSTOM, user.task, x_tr, y_tr, x_te, y_te, user.n_classes)


MAX_EXTENT = 1e16  # how far from 0 the map may reach (the user's values lie within ±1e15, userdata.MAX_ABS_VALUE)


def _padded_extent(data: Dataset) -> tuple[float, float, float, float]:
    """A square view around the user's points with 10 % margin: finite, within ±MAX_EXTENT, and
    wide enough that the map's grid has distinct points even in float32 far from 0. Raises
    ValueError (shown as a message) for points no map can show, which parse_csv already refuses."""
    x = np.concatenate([data.x_train, data.x_test])
    lo, hi = x.min(axis=0), x.max(axis=0)
    if not (np.isfinite(lo).all() and np.isfinite(hi).all()) or max(np.abs(lo).max(), np.abs(hi).max()) > MAX_EXTENT / 2:
        raise ValueError(Message("Your points reach beyond ±{limit}, too far for the map: rescale them and upload again.",
                                 limit=f"{MAX_EXTENT / 2:.0e}"))
    centre = (lo + hi) / 2
    # float32 tells numbers apart to about 1 part in 10^7: a view narrower than that would have equal grid points.
    floor = max(1e-3, float(np.abs(centre).max()) * 1e-5)
    half = max(float((hi - lo).max()) / 2, floor) * 1.1
    return (float(centre[0] - half), float(centre[0] + half), float(centre[1] - half), float(centre[1] + half))


def _optimizer(config: Config):
    l1 = config.reg_rate if config.reg == "l1" else 0.0
    l2 = config.reg_rate if config.reg == "l2" else 0.0
    return make_optimizer(config.optimizer, config.lr, l1=l1, l2=l2)


def copy_trainer(trainer: Trainer) -> Trainer:
    """A deep copy of trainer, network and optimizer state that shares the (read-only) data."""
    shared = {id(a): a for a in (trainer.x, trainer.y, trainer.x_test, trainer.y_test) if a is not None}
    return copy.deepcopy(trainer, memo=shared)
