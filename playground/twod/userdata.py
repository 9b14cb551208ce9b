"""Data a user brings: a CSV upload (parsed and validated, nothing executed) or points
clicked on the drawable canvas. No Streamlit import: the page passes bytes / canvas JSON in.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from core.datasets import MAX_CLASSES

MAX_BYTES = 512 * 1024
MAX_ROWS = 5000
MIN_ROWS = 4
LABEL_NAMES = ("label", "class", "y")
TARGET_NAMES = ("target", "value")


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
    Returns UserData with x: (n, 2) and y: (n,). Raises UserDataError naming the line.
    """
    if len(raw) > MAX_BYTES:
        raise UserDataError(f"The file is {len(raw) // 1024} KB; the limit is {MAX_BYTES // 1024} KB. Upload fewer points.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise UserDataError(f"Line {line}: not UTF-8 text. Save the file as a plain CSV (UTF-8).") from None
    rows = list(csv.reader(io.StringIO(text)))
    task = None
    header_line = None
    xs, values, lines = [], [], []
    for lineno, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue  # blank lines are harmless
        if header_line is None and not xs and not _is_number(cells[0]):
            header_line = lineno
            task = _task_from_header(cells, lineno)
            continue
        if len(cells) != 3:
            raise UserDataError(
                f"Line {lineno}: expected 3 values (x1, x2, label or target), found {len(cells)}."
            )
        numbers = []
        for name, cell in zip(("x1", "x2", "label/target"), cells):
            try:
                value = float(cell)
            except ValueError:
                raise UserDataError(f"Line {lineno}: {name} is {cell!r}, not a number.") from None
            if not math.isfinite(value):
                raise UserDataError(f"Line {lineno}: {name} is {cell!r}; every value must be a finite number.")
            numbers.append(value)
        if len(xs) >= max_rows:
            raise UserDataError(f"Line {lineno}: more than {max_rows} data rows; the limit is {max_rows}.")
        xs.append(numbers[:2])
        values.append(numbers[2])
        lines.append(lineno)
    if len(xs) < MIN_ROWS:
        raise UserDataError(f"The file has {len(xs)} data rows; at least {MIN_ROWS} are needed (x1,x2,label per line).")
    x = np.asarray(xs, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if task is None:
        whole = bool(np.all(v == np.round(v)))
        task = "classification" if whole and len(np.unique(v)) <= MAX_CLASSES else "regression"
    if task == "regression":
        return UserData(x, v, "regression", 0, "upload", version)
    for value, lineno in zip(v, lines):
        if value != round(value):
            raise UserDataError(f"Line {lineno}: label {value:g} is not a whole number; labels name classes (0, 1, 2, ...).")
    classes, y = np.unique(v, return_inverse=True)
    if len(classes) < 2:
        raise UserDataError(
            f"Line {lines[0]}: every row has label {classes[0]:g}; a classifier needs at least two classes."
        )
    if len(classes) > MAX_CLASSES:
        where = lines[int(np.argmax(y == MAX_CLASSES))]
        raise UserDataError(f"Line {where}: a {MAX_CLASSES + 1}th class; at most {MAX_CLASSES} classes are supported.")
    return UserData(x, y.astype(np.intp), "classification", len(classes), "upload", version)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _task_from_header(cells: list[str], lineno: int) -> str:
    names = [c.lower() for c in cells]
    if len(names) != 3:
        raise UserDataError(
            f"Line {lineno}: the header has {len(names)} columns; use x1,x2,label or x1,x2,target."
        )
    if names[2] in LABEL_NAMES:
        return "classification"
    if names[2] in TARGET_NAMES:
        return "regression"
    raise UserDataError(
        f"Line {lineno}: the third column is {cells[2]!r}; name it 'label' (classes) or 'target' (regression)."
    )


def points_from_canvas(objects, size: tuple[int, int], extent: tuple[float, float, float, float],
                       colors: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Clicked points of the drawable canvas (``json_data["objects"]`` in point mode) -> data.

    size: (width, height) of the canvas in pixels; extent: (xmin, xmax, ymin, ymax) it shows;
    colors: the class colours, in class order (a point's fill colour names its class).
    Returns x: (n, 2) in data coordinates (y up) and labels y: (n,). Unknown colours are skipped.
    """
    width, height = size
    xmin, xmax, ymin, ymax = extent
    lookup = {c.lower(): i for i, c in enumerate(colors)}
    xs, ys = [], []
    for obj in objects or []:
        if not isinstance(obj, dict):
            continue
        label = lookup.get(str(obj.get("fill", "")).lower(), lookup.get(str(obj.get("stroke", "")).lower()))
        try:
            left, top = float(obj["left"]), float(obj["top"])
        except (KeyError, TypeError, ValueError):
            continue
        if label is None or not (math.isfinite(left) and math.isfinite(top)):
            continue
        # Point mode (canvas 0.13) stores left = click x - (radius + stroke/2), originX "left",
        # top = click y, originY "center": undo whichever origin the object reports.
        half = float(obj.get("radius", 0) or 0) + float(obj.get("strokeWidth", 0) or 0) / 2
        cx = left + half if obj.get("originX", "left") == "left" else left
        cy = top + half if obj.get("originY", "top") == "top" else top
        xs.append([xmin + (xmax - xmin) * cx / width, ymax - (ymax - ymin) * cy / height])
        ys.append(label)
    return np.asarray(xs, dtype=np.float64).reshape(-1, 2), np.asarray(ys, dtype=np.intp)


def clicked_data(x: np.ndarray, y: np.ndarray, version: int = 0) -> UserData:
    """Clicked points -> UserData for classification; refuses too few points or one class."""
    if len(x) < MIN_ROWS:
        raise UserDataError(f"{len(x)} points placed; place at least {MIN_ROWS} (of at least two classes).")
    present = np.unique(y)
    if len(present) < 2:
        raise UserDataError("All points have the same class: switch the class and place a few points of another.")
    # Relabel to 0..k-1 so a skipped class does not leave an empty output.
    _, labels = np.unique(y, return_inverse=True)
    return UserData(x, labels.astype(np.intp), "classification", len(present), "clicks", version)
