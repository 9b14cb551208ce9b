"""Every setting of the 2D page, described once: its URL key, its kind (with the range, ladder
or choices) and its default, as one line of :class:`Config`.

Everything else derives from that table: ``Config.to_query`` / ``Config.from_query`` (the
URL; malformed values are ignored and out-of-range ones clamped, each with a notice),
``Config.normalised`` (every value forced into range), and the widgets' values
(``controls.widget_values`` / ``controls.read_config``, through each kind). The choices come
from the core's tables (datasets, features, activations, optimizers, losses). Adding a setting
is one line here plus its widget in ``controls.py``. No Streamlit here: the notices and the
reasons of malformed values are :class:`~playground.i18n.Message` objects (English as ``str``),
translated where the page shows them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from core import ACTIVATIONS, DATASETS, FEATURES, OPTIMIZERS, usable_features
from core.datasets import MAX_CLASSES
from core.losses import REGRESSION_LOSSES
from playground.i18n import Message
from playground.safe_markdown import echo  # URL values repeated in notices (inside code spans)

CUSTOM = "custom"  # the dataset name for data a user uploaded or clicked
WORKED = "worked"  # the dataset name of Mazur's backprop worked example (worked.py)
VIEWS = ("map", "backprop", "space")  # the decision map, the backprop inspector, the hidden layer's space
# The hidden-space view's axes: the first two principal components, the output's decision direction
# and the main spread along the boundary, or two neurons "i,j" (1-based).
SPACE_AXES = ("pca", "boundary", *(f"{i},{j}" for i in range(1, 17) for j in range(i + 1, 17)))
MAP_RESOLUTION = 100  # the decision map's grid, as TF Playground
CURVE_RESOLUTION = 200  # points along the 1-D curve's fit
# TF Playground's ladders, so a lecturer finds the same steps.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# Epochs per second while playing, slow to fast; 0 is "max" (as fast as the machine allows).
# TF Playground runs ~60 (one epoch per animation frame); a lecture may want slow motion.
PACES = (1, 3, 10, 30, 60, 0)
REGULARIZERS = ("none", "l1", "l2")


# ---- kinds of settings: how a value is parsed from the URL, written to it and clamped --------------
class Kind:
    """How one kind of setting reads from and writes to the URL and keeps to its range."""

    def parse(self, raw: str):
        """A URL value -> a typed value; raises ValueError with the reason (a Message) when malformed."""
        raise NotImplementedError

    def format(self, value) -> str:
        return str(value)

    def clamp(self, value, default):
        """The value forced into range (``default`` when there is nothing sensible to keep)."""
        return value


@dataclass(frozen=True)
class Whole(Kind):
    """A whole number from lo to hi (``step``: the widget's step)."""

    lo: int
    hi: int
    step: int = 1

    def parse(self, raw):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(Message("not a whole number")) from None

    def clamp(self, value, default):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            return default
        return int(min(max(value, self.lo), self.hi))


@dataclass(frozen=True)
class Ladder(Kind):
    """One rung of a ladder of positive numbers; other values snap to the nearest rung (log scale)."""

    rungs: tuple[float, ...]

    def parse(self, raw):
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(Message("not a number")) from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(Message("must be a positive number"))
        return value

    def format(self, value):
        return f"{value:g}"

    def clamp(self, value, default):
        return _nearest(value, self.rungs)


@dataclass(frozen=True)
class Speed(Kind):
    """Epochs per second, one of ``steps`` where 0 means "max"; others snap to the nearest step,
    and 0, negative or far beyond the fastest step mean max."""

    steps: tuple[int, ...]

    def parse(self, raw):
        return Whole(0, 0).parse(raw)

    def clamp(self, value, default):
        if value in self.steps:
            return int(value)
        finite = tuple(p for p in self.steps if p)
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0) or value > 1.5 * max(finite):
            return 0
        return int(_nearest(value, finite))


@dataclass(frozen=True)
class Choice(Kind):
    """One of ``options``."""

    options: tuple[str, ...]

    def parse(self, raw):
        if raw not in self.options:
            raise ValueError(Message("choose one of {choices}", choices=_listed(self.options)))
        return raw

    def clamp(self, value, default):
        return value if value in self.options else default


LISTED = 8  # choices a notice names at most (the hidden-space axes have 122)


def _listed(options: tuple[str, ...]) -> str | Message:
    """The options for a notice, in one code span (they are what the URL takes, in every language),
    the first LISTED of them when there are more: a notice stays one short line."""
    if len(options) <= LISTED:
        return "`{}`".format(", ".join(options))
    # TRANSLATORS: the first few of a long list of choices (a code span), and how many there are in all.
    return Message("{first}, … ({count} choices)", first="`{}`".format(", ".join(options[:LISTED])), count=len(options))


@dataclass(frozen=True)
class Flag(Kind):
    """On or off: 1/0 in the URL (also true/false, yes/no, on/off)."""

    def parse(self, raw):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(Message("use 1 or 0"))

    def format(self, value):
        return "1" if value else "0"

    def clamp(self, value, default):
        return bool(value)


@dataclass(frozen=True)
class Subset(Kind):
    """Some of ``options``, kept in the options' order (so each subset has one URL form)."""

    options: tuple[str, ...]

    def parse(self, raw):
        chosen = tuple(part.strip() for part in raw.split(",") if part.strip())
        if not chosen or any(c not in self.options for c in chosen):
            raise ValueError(Message("choose features from {choices}", choices=_listed(self.options)))
        return tuple(o for o in self.options if o in chosen)

    def format(self, value):
        return ",".join(value)

    def clamp(self, value, default):
        return tuple(o for o in self.options if o in value) or default


@dataclass(frozen=True)
class Widths(Kind):
    """Neurons per hidden layer: at most ``max_layers`` layers of 1 to ``max_neurons``; "none" for none."""

    max_layers: int
    max_neurons: int

    def parse(self, raw):
        if raw.lower() in ("", "none", "0"):
            return ()
        try:
            widths = tuple(int(part) for part in raw.split(","))
        except ValueError:
            raise ValueError(Message("give neurons per layer as whole numbers, e.g. 8,8")) from None
        if any(w < 1 for w in widths):
            raise ValueError(Message("every layer needs at least one neuron"))
        return widths

    def format(self, value):
        return ",".join(str(w) for w in value) or "none"

    def clamp(self, value, default):
        return tuple(int(min(max(w, 1), self.max_neurons)) for w in value[: self.max_layers])


@dataclass(frozen=True)
class PerLayer(Kind):
    """One of ``options`` per hidden layer; the URL writes one name when all layers share it."""

    options: tuple[str, ...]

    def parse(self, raw):
        if raw.lower() in ("", "none"):
            return ()
        names = tuple(part.strip() for part in raw.split(","))
        bad = [n for n in names if n not in self.options]
        if bad:
            raise ValueError(Message("unknown activation `{name}`; choose from {choices}", name=echo(bad[0]),
                                     choices=_listed(self.options)))
        return names

    def format(self, value):
        return value[0] if len(set(value)) == 1 else ",".join(value)

    def clamp(self, value, default):
        return tuple(v if v in self.options else self.options[0] for v in value)


def setting(url: str, kind: Kind, default):
    """One setting of :class:`Config`: its URL key, its kind and its default."""
    return field(default=default, metadata={"url": url, "kind": kind})


# ---- the table --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Config:
    """Every user setting of the 2D page, one line each. Tuples keep it hashable and comparable."""

    dataset: str = setting("ds", Choice((*DATASETS, CUSTOM, WORKED)), "circle")
    n_points: int = setting("n", Whole(20, 2000, step=10), 500)
    noise: int = setting("noise", Whole(0, 50), 0)  # percent, as TF Playground
    train_pct: int = setting("train", Whole(10, 90, step=5), 50)
    seed: int = setting("seed", Whole(0, 999_999), 0)
    n_classes: int = setting("k", Whole(2, MAX_CLASSES), 2)  # used by the multi-class sets (spiral, blobs)
    show_test: bool = setting("test", Flag(), False)
    discretize: bool = setting("disc", Flag(), False)
    features: tuple[str, ...] = setting("feat", Subset(tuple(FEATURES)), ("x1", "x2"))
    hidden: tuple[int, ...] = setting("hidden", Widths(max_layers=8, max_neurons=16), (4, 2))
    activations: tuple[str, ...] = setting("act", PerLayer(tuple(ACTIVATIONS)), ("tanh", "tanh"))
    lr: float = setting("lr", Ladder(LEARNING_RATES), 0.03)
    batch: int = setting("bs", Whole(1, 64), 10)
    optimizer: str = setting("opt", Choice(tuple(OPTIMIZERS)), "sgd")
    reg: str = setting("reg", Choice(REGULARIZERS), "none")
    reg_rate: float = setting("rr", Ladder(REG_RATES), 0.001)
    loss: str = setting("loss", Choice(REGRESSION_LOSSES), "mse")  # regression only; classification: cross-entropy
    pace: int = setting("pace", Speed(PACES), 0)  # epochs per second while playing (0: max)
    present: bool = setting("present", Flag(), False)  # the lecture view: big map, no sidebar
    view: str = setting("view", Choice(VIEWS), "map")
    space_layer: int = setting("sl", Whole(1, 8), 1)  # the hidden layer the space view shows (1-based)
    space_pre: bool = setting("sz", Flag(), False)  # its values before the activation (z) instead of after
    space_axes: str = setting("sa", Choice(SPACE_AXES), "pca")  # with more than two neurons: PCA, ... (SPACE_AXES)
    space_fixed: bool = setting("sf", Flag(), False)  # fixed axes instead of fitted to every frame

    # ---- derived facts -------------------------------------------------------------------
    @property
    def task(self) -> str:
        """'classification' or 'regression' for a generated set (custom data says its own)."""
        kind = DATASETS.get(self.dataset)
        if self.dataset == WORKED:
            return "regression"  # two targets for one point
        return kind.task if kind is not None else "classification"

    @property
    def input_dims(self) -> int:
        """Input columns of the data: 1 for the curve, else 2."""
        kind = DATASETS.get(self.dataset)
        return kind.input_dims if kind is not None else 2

    def data_key(self) -> tuple:
        """What the data depends on: changing any of it regenerates the data and the network."""
        kind = DATASETS.get(self.dataset)
        k = self.n_classes if kind is not None and kind.multiclass else None
        return (self.dataset, self.n_points, self.noise, self.train_pct, self.seed, k)

    def arch_key(self) -> tuple:
        """What the network's shape depends on: changing it builds a new network."""
        loss = self.loss if self.task == "regression" or self.dataset == CUSTOM else None
        return (self.features, self.hidden, self.activations, loss)

    def normalised(self) -> Config:
        """The same config with every value forced into its valid range (never raises)."""
        default = Config()
        clamped = {s.name: s.metadata["kind"].clamp(getattr(self, s.name), getattr(default, s.name))
                   for s in SETTINGS}
        config = replace(self, **clamped)
        # Rules across settings: one activation per hidden layer, features the data can give.
        n_layers = len(config.hidden)
        acts = config.activations[:n_layers]
        acts += ((acts[-1] if acts else default.activations[0]),) * (n_layers - len(acts))
        return replace(config, activations=acts, features=usable_features(config.features, config.input_dims))

    # ---- URL query parameters ------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """The settings that differ from the defaults, as URL query parameters (strings)."""
        default = Config()
        changed = {s for s in SETTINGS if getattr(self, s.name) != getattr(default, s.name)}
        # The activations' default depends on the depth: write them whenever the depth changed.
        if HIDDEN in changed and self.hidden:
            changed.add(ACTIVATIONS_SETTING)
        if not self.hidden:
            changed.discard(ACTIVATIONS_SETTING)
        return {s.metadata["url"]: s.metadata["kind"].format(getattr(self, s.name)) for s in SETTINGS if s in changed}

    @classmethod
    def from_query(cls, params: Mapping[str, str | list[str]]) -> tuple[Config, list[Message]]:
        """Parse URL query parameters into a config plus notices (Messages) for every value that
        was malformed (ignored) or out of range (clamped). Unknown parameters are ignored."""
        notices: list[Message] = []
        values: dict = {}
        for s in SETTINGS:
            key = s.metadata["url"]
            if key not in params:
                continue
            raw = params[key]
            if isinstance(raw, (list, tuple)):
                raw = raw[-1] if raw else ""
            try:
                values[s.name] = s.metadata["kind"].parse(str(raw).strip())
            except ValueError as err:
                # TRANSLATORS: {key}={value} is a URL parameter as typed, {reason} one of the reasons below.
                notices.append(Message("URL parameter `{key}={value}` ignored: {reason}", key=key, value=echo(raw),
                                       reason=err.args[0] if err.args else str(err)))
        given = set(values)
        n_layers = len(values.get("hidden", cls.hidden))
        acts = values.get("activations")
        if acts is None and "hidden" in values:
            values["activations"] = (cls.activations[0],) * n_layers
        elif acts is not None and n_layers and len(acts) != n_layers:
            if len(acts) > 1:
                notices.append(Message("URL parameter `act`: {count} activations for {layers} layers; used the first for "
                                       "all.", count=len(acts), layers=n_layers))
            # "act=none" names no activation at all: the default one for every layer.
            values["activations"] = ((acts or cls.activations)[0],) * n_layers
        raw_config = cls(**values)
        config = raw_config.normalised()
        for s in SETTINGS:
            before, after = getattr(raw_config, s.name), getattr(config, s.name)
            if before != after and s.name in given:
                kind = s.metadata["kind"]
                notices.append(Message("URL parameter `{key}={value}` is out of range or between steps: used {used}.",
                                       key=s.metadata["url"], value=echo(kind.format(before)), used=kind.format(after)))
        return config, notices


SETTINGS = fields(Config)
HIDDEN = next(s for s in SETTINGS if s.name == "hidden")
ACTIVATIONS_SETTING = next(s for s in SETTINGS if s.name == "activations")


def kind_of(name: str) -> Kind:
    """The kind (range, ladder, choices) of the setting ``name``: what its widget offers."""
    return next(s.metadata["kind"] for s in SETTINGS if s.name == name)


def _nearest(value: float, ladder: tuple[float, ...]) -> float:
    """The ladder value nearest to ``value`` on a log scale."""
    if value in ladder:
        return value
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        return ladder[0]
    return min(ladder, key=lambda step: abs(math.log(step) - math.log(value)))
