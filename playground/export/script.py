"""Write a 2D-page experiment as a standalone NumPy script: ``export_script(config, epochs)``.

The script holds what this one setup needs and nothing else: the dataset's generator (copied
from ``core/datasets.py`` with the helpers it calls), the input features, the layers, the loss
and the optimizer (from ``templates.py``) and the playground's training loop with its seeds. It
imports only NumPy and the standard library, and ends with one JSON line of the numbers the
page shows after as many epochs: ``{"epoch", "train_loss", "test_loss", "test_accuracy"}``.

Nothing from a URL or an upload is executed or pasted into the code: every setting comes from a
validated :class:`Config` and is written as a Python literal (``literal``), which refuses
anything but numbers, booleans, plain strings and tuples of them. No Streamlit here: an
:class:`ExportError` carries a :class:`~playground.i18n.Message` (English as ``str``, for the
command line), which the page translates.
"""

from __future__ import annotations

import inspect
import math
import re
import string
import types
from urllib.parse import urlencode

import numpy as np

import core.datasets
from core import DATASETS, usable_features
from playground.i18n import N_, Message
from playground.twod.config import CUSTOM, Config
from playground.twod.userdata import UserData

from . import templates

MAX_EPOCHS = 100_000

# What the user may read (messages of the catalogue, named placeholders).
NOT_FINITE = N_("A setting is not a finite number: {value}.")
NOT_A_LITERAL = N_("A setting of type {kind} cannot be written into a script.")
BAD_EPOCHS = N_("Epochs must be a whole number from 1 to {most}, got {epochs}.")
NO_USER_DATA = N_("Your own data is not part of a link: open the page with your data and use its 'Copy as Python' "
                  "button, which writes your points into the script.")
NOT_EXPORTABLE = N_("Mazur's worked example is not exported: it is one point, and its network and every number are on "
                    "the page's backprop inspector.")
NOT_FLOAT = N_("Only float tables can be written into a script.")


class ExportError(ValueError):
    """The setup cannot be written as a script; the message says why and what to do."""


def literal(value) -> str:
    """``value`` as Python source that evaluates back to it: an int, a finite float, a bool,
    None, a str or a tuple of these. Anything else is refused (nothing is pasted raw)."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(Message(NOT_FINITE, value=repr(value)))
        return repr(value)
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    raise ExportError(Message(NOT_A_LITERAL, kind=type(value).__name__))


def export_script(config: Config, epochs: int, user: UserData | None = None) -> str:
    """The standalone script that trains ``config``'s network for ``epochs`` epochs.

    config: the page's settings (normalised here); user: the data of a "custom" dataset (its
    points are written into the script). Raises ExportError when there is nothing to export.
    """
    config = config.normalised()
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or not 1 <= epochs <= MAX_EPOCHS:
        raise ExportError(Message(BAD_EPOCHS, most=MAX_EPOCHS, epochs=repr(epochs)))
    if config.dataset == CUSTOM and user is None:
        raise ExportError(Message(NO_USER_DATA))
    if config.dataset not in DATASETS and config.dataset != CUSTOM:
        raise ExportError(Message(NOT_EXPORTABLE))  # the worked example (WORKED): its data are one point
    task = user.task if config.dataset == CUSTOM else config.task
    input_dims = user.x.shape[1] if config.dataset == CUSTOM else config.input_dims
    features = usable_features(config.features, input_dims)
    loss = "cross_entropy" if task == "classification" else config.loss
    parts = [
        _docstring(config, epochs, task, features, loss)
        + "\n\nfrom __future__ import annotations\n\nimport json\nimport math\nimport sys\n\nimport numpy as np\n",
        _settings(config, epochs, features, user),
        _section("the data" + ("" if config.dataset == CUSTOM else " (copied from the playground's core/datasets.py)")),
        _data(config, user),
        _features(features),
        _section("the layers"),
        templates.INIT,
        templates.LINEAR,
        *dict.fromkeys(templates.ACTIVATIONS[a][1] for a in config.activations),
        templates.NET,
        _network(config.activations),
        _section("the loss"),
        templates.LOSSES[loss][1],
        _section("the optimizer"),
        *_optimizer(config),
        _section("training, as the playground trains"),
        _training(task, loss, config),
    ]
    script = "\n\n".join(part.strip("\n") + "\n" for part in parts)
    # A section's title sits one blank line above its first definition.
    return re.sub(r"(\n# ---- [^\n]*\n)\n+", r"\1\n", script)


# ---- the parts, in script order ------------------------------------------------------------------------
def _docstring(config: Config, epochs: int, task: str, features, loss: str) -> str:
    data = (f"{config.dataset}, {config.n_points} points, noise {config.noise} %" if config.dataset != CUSTOM
            else "your own data")
    hidden = ", ".join(f"{w} {a}" for w, a in zip(config.hidden, config.activations)) or "none"
    reg = "none" if config.reg == "none" else f"{config.reg.upper()} at {config.reg_rate:g}"
    # urlencode escapes anything unusual, so the link cannot end the docstring.
    link = urlencode(config.to_query(), safe=",")
    lines = [
        '"""A neural-network playground experiment as a standalone NumPy script.',
        "",
        f"Data: {data}; {config.train_pct} % for training; seed {config.seed}.",
        f"Inputs: {', '.join(features)}. Hidden layers: {hidden}.",
        f"{task.capitalize()}, loss {loss}; optimizer {config.optimizer}, learning rate {config.lr:g}, "
        f"batch size {config.batch}; regularization {reg}.",
        f"The playground's link: ?{link}" if link else "The playground's default setup.",
        "",
        f"Run it with `python experiment.py` (it needs only NumPy). It trains {epochs} epochs from the",
        "same start as the playground (the same seeds, float32, the same operations in the same order),",
        "prints the losses as it goes and ends with one JSON line: the numbers the playground shows",
        f"after {epochs} epochs of this setup from a fresh network.",
        '"""',
    ]
    return "\n".join(lines)


def _settings(config: Config, epochs: int, features, user: UserData | None) -> str:
    rows = [("SEED", config.seed, "one seed for the data, the start weights and the shuffling")]
    if config.dataset != CUSTOM:
        rows += [("N_POINTS", config.n_points, None), ("NOISE", config.noise / 100, f"{config.noise} %")]
        if DATASETS[config.dataset].multiclass:
            rows.append(("N_CLASSES", config.n_classes, None))
    rows += [
        ("TRAIN_FRACTION", config.train_pct / 100, "the rest are test points, never trained on"),
        ("FEATURES", tuple(features), None),
        ("HIDDEN", tuple(config.hidden), "neurons per hidden layer"),
        ("ACTIVATIONS", tuple(config.activations), None),
        ("LEARNING_RATE", config.lr, None),
        ("BATCH_SIZE", config.batch, None),
    ]
    if config.reg != "none":
        rows.append(("REGULARIZATION_RATE", config.reg_rate, config.reg.upper()))
    rows.append(("EPOCHS", int(epochs), None))
    lines = [_section("the setup, as the playground had it").rstrip("\n")]
    for name, value, note in rows:
        lines.append(f"{name} = {literal(value)}" + ("  # " + note if note else ""))
    lines.append("DTYPE = np.float32  # the playground trains in float32")
    if user is not None and config.dataset == CUSTOM:
        lines += _user_points(user)
    return "\n".join(lines) + "\n"


def _user_points(user: UserData) -> list[str]:
    """The user's points as literals: POINTS (n, 2) floats, LABELS (n,) labels or targets."""
    x = np.asarray(user.x, dtype=np.float64)
    rows = ",\n    ".join("[" + ", ".join(literal(float(v)) for v in row) + "]" for row in x)
    if user.task == "classification":
        labels = ", ".join(literal(int(v)) for v in user.y)
        what, dtype = f"labels 0..{user.n_classes - 1}", "np.intp"
    else:
        labels = ", ".join(literal(float(v)) for v in user.y)
        what, dtype = "targets", "np.float64"
    out = ["", f"# Your {len(x)} points (x1, x2) and their {what}.",
           "POINTS = np.array([\n    " + rows + f",\n], dtype=np.float64).reshape(-1, {x.shape[1]})",
           "LABELS = np.array([" + labels + "], dtype=" + dtype + ")"]
    if user.task == "classification":
        out.append(f"N_OUTPUTS = {literal(int(user.n_classes))}  # one output per class")
    return out


def _data(config: Config, user: UserData | None) -> str:
    task = user.task if config.dataset == CUSTOM else config.task
    if config.dataset == CUSTOM:
        outputs = "N_OUTPUTS" if task == "classification" else "1"
        return templates.SPLIT + '''

def make_data():
    """Your points, split as the playground splits them: (x_train, y_train, x_test, y_test, outputs)."""
    rng = np.random.default_rng(SEED)
    return (*train_test_split(POINTS, LABELS, TRAIN_FRACTION, rng), ''' + outputs + ")\n"
    generate = DATASETS[config.dataset].generate
    sources = "\n\n".join(_source_with_helpers(generate))
    call = generate.__name__ + "(N_POINTS, NOISE, rng" + (", n_classes=N_CLASSES)" if DATASETS[config.dataset].multiclass
                                                           else ")")
    outputs = "int(y.max()) + 1  # one output per class" if task == "classification" else "1"
    return sources.rstrip("\n") + "\n\n" + templates.SPLIT + '''

def make_data():
    """The points, split as the playground splits them: (x_train, y_train, x_test, y_test, outputs)."""
    rng = np.random.default_rng(SEED)
    x, y = ''' + call + '''
    outputs = ''' + outputs + '''
    return (*train_test_split(x, y, TRAIN_FRACTION, rng), outputs)
'''


def _source_with_helpers(function) -> list[str]:
    """The source of a function of core.datasets preceded by the module's helpers and constants
    it uses (recursively), each once, helpers first."""
    module = vars(core.datasets)
    out: list[str] = []
    seen: set[str] = set()

    def visit(fn):
        for name in fn.__code__.co_names:
            if name in seen or name not in module:
                continue
            value = module[name]
            if isinstance(value, types.FunctionType) and value.__module__ == core.datasets.__name__:
                seen.add(name)
                visit(value)
                out.append(inspect.getsource(value))
            elif isinstance(value, np.ndarray):
                seen.add(name)
                out.append(f"{name} = np.array({_array_literal(value)})\n")
        return out

    visit(function)
    out.append(inspect.getsource(function))
    return out


def _array_literal(array: np.ndarray) -> str:
    if array.dtype.kind != "f":
        raise ExportError(Message(NOT_FLOAT))
    if array.ndim == 1:
        return "[" + ", ".join(literal(float(v)) for v in array) + "]"
    return "[" + ", ".join(_array_literal(row) for row in array) + "]"


def _features(features) -> str:
    uses_b = any("b" in templates.FEATURE_CODE[f].replace("np.", "") for f in features)
    columns = ", ".join(templates.FEATURE_CODE[f] for f in features)
    return '''
def make_features(points):
    """points: (n, {dims}) -> (n, {k}) input features: {names}."""
    a = points[:, 0]
{b}    return np.column_stack([{columns}])
'''.format(dims=2 if uses_b else "1 or 2", k=len(features), names=", ".join(features),
           b="    b = points[:, 1]\n" if uses_b else "", columns=columns)


def _network(activations) -> str:
    used = dict.fromkeys(activations)
    table = ", ".join(f"{a!r}: {templates.ACTIVATIONS[a][0]}" for a in used)
    return '''
ACTIVATION_LAYERS = {''' + table + '''}


def build_network(n_inputs, n_outputs):
    """Linear, activation, ..., Linear with raw outputs; start weights drawn as the playground
    draws them: He for ReLU-like layers, Xavier for the others and the output layer."""
    rng = np.random.default_rng(SEED)
    net = Net()
    widths = [n_inputs, *HIDDEN]
    for i, activation in enumerate(ACTIVATIONS):
        init = "he" if activation in ''' + literal(templates.HE_ACTIVATIONS) + ''' else "xavier"
        net.add(Linear(widths[i], widths[i + 1], init, rng))
        net.add(ACTIVATION_LAYERS[activation]())
    net.add(Linear(widths[-1], n_outputs, "xavier", rng))
    return net
'''


def _optimizer(config: Config) -> list[str]:
    if config.optimizer == "sgd" and config.reg == "none":
        return ["# Plain gradient descent is the lesson's update: net.update(LEARNING_RATE) in the loop.\n"]
    return [templates.GRADIENT[config.reg], templates.OPTIMIZERS[config.optimizer][1]]


def _training(task: str, loss: str, config: Config) -> str:
    plain = config.optimizer == "sgd" and config.reg == "none"
    return string.Template(templates.TRAINING).substitute(
        accuracy=templates.ACCURACY if task == "classification" else "None",
        targets="" if task == "classification" else templates.REGRESSION_TARGETS,
        loss=templates.LOSSES[loss][0],
        optimizer="" if plain else "    optimizer = " + templates.OPTIMIZERS[config.optimizer][0] + "\n",
        step="net.update(LEARNING_RATE)" if plain else "optimizer.step(net)",
    )


def _section(title: str) -> str:
    return "\n# ---- " + title + " " + "-" * max(3, 96 - len(title)) + "\n"
