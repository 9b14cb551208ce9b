"""Data a user brings: a CSV upload (parsed and validated, nothing executed) or points
clicked on the drawable canvas. No Streamlit import: the page passes bytes / canvas JSON in, and
the refusals carry a :class:`~playground.i18n.Message` (English as ``str``) that the page translates.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from core.datasets import MAX_CLASSES
from playground.i18n import Message
from playground.safe_markdown import code

MAX_BYTES = 512 * 1024
MAX_ROWS = 5000  # data rows of a CSV file, and points clicked on the canvas
MIN_ROWS = 4
# The network computes in float32 (largest number about 3.4e38). Within +-1e15, the features
# x1², x2², x1·x2 (up to 1e30), the map's margin and squared errors summed over MAX_ROWS rows
# stay far inside it; larger values are refused with that reason rather than turning into
# "infinity" half-way through. (Standardising them instead would change the units of the
# map's axes and of the loss the page shows.)
MAX_ABS_VALUE = 1e15
LABEL_NAMES = ("label", "class", "y")
TARGET_NAMES = ("target", "value")
COLUMNS = ("x1", "x2", "label/target")


@dataclass(frozen=True)
class UserData:
    """Points a user brought. x: (n, 2); y: (n,) int labels 0..k-1 or float targets."""

    x: np.ndarray
    y: np.ndarray
    task: str  # "classification" or "regression"
    n_classes: int = 0
    source: str = "upload"  # "upload" or "clicks"
    version: int = 0  # bumps on each new upload, so the network resets


class UserDataError(ValueError):
    """The data was refused; the message names the line and the reason, and what to do."""


def parse_csv(raw: bytes, max_rows: int = MAX_ROWS, version: int = 0) -> UserData:
    """Read ``x1,x2,label`` (classification) or ``x1,x2,target`` (regression) CSV bytes.

    The header row is optional; it decides the task by its third column's name. Without one,
    whole-number third columns with at most MAX_CLASSES values are labels. Labels may be any
    whole numbers (e.g. TF Playground's -1/1): they are mapped to 0..k-1 in sorted order.
    Returns UserData with x: (n, 2) and y: (n,). Raises UserDataError naming the line; never
    anything else. Values from the file appear in messages only inside code spans.
    """
    if len(raw) > MAX_BYTES:
        raise UserDataError(Message("The file is {size} KB; the limit is {limit} KB. Upload fewer points.",
                                    size=len(raw) // 1024, limit=MAX_BYTES // 1024))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise UserDataError(Message("Line {line}: not UTF-8 text. Save the file as a plain CSV (UTF-8).", line=line)) from None
    task = None
    header_line = None
    xs, values, lines = [], [], []
    for lineno, row in _rows(text):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue  # blank lines are harmless
        if header_line is None and not xs and not _is_number(cells[0]):
            header_line = lineno
            task = _task_from_header(cells, lineno)
            continue
        if len(cells) != 3:
            raise UserDataError(Message("Line {line}: expected 3 values (x1, x2, label or target), found {count}.",
                                        line=lineno, count=len(cells)))
        if len(xs) >= max_rows:
            raise UserDataError(Message("Line {line}: more than {max} data rows; the limit is {max}.", line=lineno,
                                        max=max_rows))
        numbers = [_number(cell, name, lineno) for name, cell in zip(COLUMNS, cells)]
        xs.append(numbers[:2])
        values.append(numbers[2])
        lines.append(lineno)
    if len(xs) < MIN_ROWS:
        raise UserDataError(Message("The file has {count} data rows; at least {min} are needed (x1,x2,label per line).",
                                    count=len(xs), min=MIN_ROWS))
    x = np.asarray(xs, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if task is None:
        whole = bool(np.all(v == np.round(v)))
        task = "classification" if whole and len(np.unique(v)) <= MAX_CLASSES else "regression"
    if task == "regression":
        return UserData(x, v, "regression", 0, "upload", version)
    for value, lineno in zip(v, lines):
        if value != round(value):
            raise UserDataError(Message("Line {line}: label {label} is not a whole number; labels name classes "
                                        "(0, 1, 2, ...).", line=lineno, label=f"{value:g}"))
    classes, y = np.unique(v, return_inverse=True)
    if len(classes) < 2:
        raise UserDataError(Message("Line {line}: every row has label {label}; a classifier needs at least two classes.",
                                    line=lines[0], label=f"{classes[0]:g}"))
    if len(classes) > MAX_CLASSES:
        where = lines[int(np.argmax(y == MAX_CLASSES))]
        # TRANSLATORS: {count} is the number of the class that is one too many, e.g. "a 9th class".
        raise UserDataError(Message("Line {line}: a {count}th class; at most {max} classes are supported.", line=where,
                                    count=MAX_CLASSES + 1, max=MAX_CLASSES))
    return UserData(x, y.astype(np.intp), "classification", len(classes), "upload", version)


def _rows(text: str):
    """(line number, cells) of each CSV row, read lazily; csv.Error becomes UserDataError."""
    # newline=None reads old Mac files (lines ending in a bare "\r") as well.
    reader = csv.reader(io.StringIO(text, newline=None))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            # reader.line_num counts the lines read so far, the bad one included.
            line = max(reader.line_num, 1)
            if "field larger than field limit" in str(err):
                raise UserDataError(Message(
                    "Line {line}: one value is longer than {limit} characters; a number takes a few dozen at most. "
                    "Check that this is a CSV file of numbers.", line=line, limit=f"{csv.field_size_limit():,}")
                ) from None
            # TRANSLATORS: {reason} is the csv module's reason, in English.
            raise UserDataError(Message("Line {line}: not readable as CSV ({reason}). Save the file as a plain CSV.",
                                        line=line, reason=_csv_reason(err))) from None
        yield reader.line_num, row


def _csv_reason(err: csv.Error) -> str:
    """The csv module's reason in plain words (its messages are fixed texts; keep them short)."""
    reason = str(err).split(" - ")[0]
    return "".join(c for c in reason if c.isalnum() or c in " ,'") or "malformed"


def _number(cell: str, name: str, lineno: int) -> float:
    """One cell as a float within +-MAX_ABS_VALUE, or UserDataError saying what is wrong with it."""
    try:
        value = float(cell)
    except ValueError:
        # TRANSLATORS: {column} is x1, x2 or label/target; {value} the cell as written in the file.
        raise UserDataError(Message("Line {line}: {column} is {value}, not a number.", line=lineno, column=name,
                                    value=code(cell))) from None
    if math.isnan(value):
        raise UserDataError(Message("Line {line}: {column} is {value}; every value must be a number.", line=lineno,
                                    column=name, value=code(cell)))
    if abs(value) > MAX_ABS_VALUE:
        if cell.lower().lstrip("+-") in ("inf", "infinity"):
            raise UserDataError(Message("Line {line}: {column} is {value}, infinite; every value must be a finite number.",
                                        line=lineno, column=name, value=code(cell)))
        raise UserDataError(Message(
            "Line {line}: {column} is {value}, too large: values must lie within ±{limit} so that the network's "
            "float32 numbers (at most about 3.4e38) can hold the features x1², x2² and x1·x2 made from them. "
            "Rescale the column (for example divide it by a power of ten).", line=lineno, column=name, value=code(cell),
            limit=f"{MAX_ABS_VALUE:.0e}"))
    return value


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _task_from_header(cells: list[str], lineno: int) -> str:
    names = [c.lower() for c in cells]
    if len(names) != 3:
        raise UserDataError(Message("Line {line}: the header has {count} columns; use x1,x2,label or x1,x2,target.",
                                    line=lineno, count=len(names)))
    if names[2] in LABEL_NAMES:
        return "classification"
    if names[2] in TARGET_NAMES:
        return "regression"
    raise UserDataError(Message(
        "Line {line}: the third column is {name}; name it 'label' (classes) or 'target' (regression).", line=lineno,
        name=code(cells[2])))


def points_from_canvas(objects, size: tuple[int, int], extent: tuple[float, float, float, float],
                       colors: list[str], max_points: int = MAX_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """Clicked points of the drawable canvas (``json_data["objects"]`` in point mode) -> data.

    The objects come from the browser, so nothing about them is trusted: an object that is not
    a point of a known colour with finite coordinates inside the canvas is skipped, and at most
    ``max_points`` points are kept (the first ones). Never raises.
    size: (width, height) of the canvas in pixels; extent: (xmin, xmax, ymin, ymax) it shows;
    colors: the class colours, in class order (a point's fill colour names its class).
    Returns x: (n, 2) in data coordinates (y up) and labels y: (n,), n <= max_points.
    """
    width, height = size
    xmin, xmax, ymin, ymax = extent
    lookup = {c.lower(): i for i, c in enumerate(colors)}
    xs, ys = [], []
    for obj in objects if isinstance(objects, (list, tuple)) else ():
        if len(xs) >= max_points:
            break
        centre = _canvas_centre(obj, width, height)
        if centre is None:
            continue
        label = _colour_label(obj.get("fill"), lookup)
        if label is None:
            label = _colour_label(obj.get("stroke"), lookup)
        if label is None:
            continue
        cx, cy = centre
        xs.append([xmin + (xmax - xmin) * cx / width, ymax - (ymax - ymin) * cy / height])
        ys.append(label)
    return np.asarray(xs, dtype=np.float64).reshape(-1, 2), np.asarray(ys, dtype=np.intp)


def _canvas_centre(obj, width: float, height: float) -> tuple[float, float] | None:
    """The clicked pixel of a canvas point object, or None when any field is missing, not a
    finite number of a sensible size, or the point lies outside the canvas."""
    if not isinstance(obj, dict):
        return None
    numbers = {}
    for name, default in (("left", None), ("top", None), ("radius", 0.0), ("strokeWidth", 0.0)):
        value = obj.get(name, default)
        if value is None and default is not None:
            value = default  # the canvas writes null for an unset radius or stroke
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        value = float(value)
        if not math.isfinite(value) or abs(value) > 10 * max(width, height):
            return None
        numbers[name] = value
    if numbers["radius"] < 0 or numbers["strokeWidth"] < 0:
        return None
    # Point mode (canvas 0.13) stores left = click x - (radius + stroke/2), originX "left",
    # top = click y, originY "center": undo whichever origin the object reports.
    half = numbers["radius"] + numbers["strokeWidth"] / 2
    cx = numbers["left"] + half if obj.get("originX", "left") == "left" else numbers["left"]
    cy = numbers["top"] + half if obj.get("originY", "top") == "top" else numbers["top"]
    if not (0 <= cx <= width and 0 <= cy <= height):
        return None
    return cx, cy


def _colour_label(colour, lookup: dict[str, int]) -> int | None:
    """The class whose colour ``colour`` is (any case), or None for anything else."""
    if not isinstance(colour, str) or len(colour) > 32:
        return None
    return lookup.get(colour.lower())


def clicked_data(x: np.ndarray, y: np.ndarray, version: int = 0) -> UserData:
    """Clicked points -> UserData for classification; refuses too few points or one class."""
    if len(x) < MIN_ROWS:
        raise UserDataError(Message("{count} points placed; place at least {min} (of at least two classes).",
                                    count=len(x), min=MIN_ROWS))
    present = np.unique(y)
    if len(present) < 2:
        raise UserDataError(Message("All points have the same class: switch the class and place a few points of another."))
    # Relabel to 0..k-1 so a skipped class does not leave an empty output.
    _, labels = np.unique(y, return_inverse=True)
    return UserData(x, labels.astype(np.intp), "classification", len(present), "clicks", version)
