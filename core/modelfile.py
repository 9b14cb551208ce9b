"""Model files: a network (architecture, weights, input normalisation) in one ``.npz``.

Layout: ``meta`` holds UTF-8 JSON bytes (format, version, the layer specs and any extra
metadata the caller adds); ``layer{i}.{name}`` holds each layer's arrays. Files are read
with ``allow_pickle=False`` and checked before a network is built, so a truncated,
malformed, pickle-bearing or inconsistent file is refused with :class:`ModelFileError`.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .layers import ACTIVATIONS, Dropout, LeakyReLU, Linear, Softmax, Standardize
from .net import Net

FORMAT = "nn-playground-model"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
MAX_LAYERS = 64
MAX_WIDTH = 100_000
_SIMPLE = {cls.__name__: cls for cls in (*ACTIVATIONS.values(), Softmax)}


class ModelFileError(ValueError):
    """A model file that cannot be loaded; the message says why."""


@dataclass
class LoadedModel:
    net: Net
    extra: dict = field(default_factory=dict)


def _layer_arrays(layer) -> dict[str, np.ndarray]:
    if isinstance(layer, Linear):
        return {"W": layer.W, "b": layer.b}
    if isinstance(layer, Standardize):
        return layer.arrays()
    return {}


def save_model(path_or_file, net: Net, extra: dict | None = None) -> None:
    """Write ``net`` and the JSON-serialisable ``extra`` dict to a path or binary file."""
    meta = {"format": FORMAT, "version": VERSION, "layers": [layer.spec() for layer in net.layers], "extra": extra or {}}
    arrays = {"meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)}
    for i, layer in enumerate(net.layers):
        for name, value in _layer_arrays(layer).items():
            arrays[f"layer{i}.{name}"] = np.asarray(value)
    if isinstance(path_or_file, (str, Path)):
        with open(path_or_file, "wb") as fh:
            np.savez_compressed(fh, **arrays)
    else:
        np.savez_compressed(path_or_file, **arrays)


def model_bytes(net: Net, extra: dict | None = None) -> bytes:
    """The model file's content as bytes (for a download button)."""
    buf = io.BytesIO()
    save_model(buf, net, extra)
    return buf.getvalue()


def load_model(source, max_bytes: int = MAX_BYTES) -> LoadedModel:
    """Read and validate a model from a path, bytes or a binary file object.

    Raises ModelFileError naming what is wrong (not a model file, truncated, pickled
    objects, unknown layers, shapes that do not chain, non-finite weights, too large).
    """
    data = _read_bytes(source, max_bytes)
    if not data.startswith(b"PK"):
        raise ModelFileError("Not a model file, or it is truncated or corrupt: a model file is an .npz (zip) archive.")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ModelFileError("The file holds pickled Python objects, which are never loaded (they could run code).") from None
        raise ModelFileError(f"Not a readable model file: {exc}") from None
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
        raise ModelFileError(f"Not a model file, or it is truncated or corrupt ({type(exc).__name__}: {exc}).") from None
    return LoadedModel(*_build(arrays))


def _read_bytes(source, max_bytes: int) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ModelFileError(f"No model file at {path}.")
        if path.stat().st_size > max_bytes:
            raise ModelFileError(f"{path} is larger than the {max_bytes // 2**20} MiB a model file may be.")
        data = path.read_bytes()
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ModelFileError(f"The model file is larger than the {max_bytes // 2**20} MiB allowed.")
    if not data:
        raise ModelFileError("The model file is empty.")
    return data


def _build(arrays: dict) -> tuple[Net, dict]:
    if "meta" not in arrays:
        raise ModelFileError("Not a model file of this project: it has no 'meta' entry.")
    try:
        meta = json.loads(arrays.pop("meta").astype(np.uint8).tobytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"The model's metadata is not valid JSON: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"Not a model file of this project (format is not {FORMAT!r}).")
    if meta.get("version") != VERSION:
        raise ModelFileError(f"Model file version {meta.get('version')!r} is not supported (this program reads {VERSION}).")
    specs = meta.get("layers")
    if not isinstance(specs, list) or not specs or len(specs) > MAX_LAYERS:
        raise ModelFileError(f"The model must list between 1 and {MAX_LAYERS} layers.")
    extra = meta.get("extra", {})
    if not isinstance(extra, dict):
        raise ModelFileError("The model's 'extra' metadata must be a JSON object.")

    net, used, width, dtype = Net(), set(), None, None
    for i, spec in enumerate(specs):
        kind = spec.get("type") if isinstance(spec, dict) else None

        def take(name, i=i, kind=kind):
            key = f"layer{i}.{name}"
            if key not in arrays:
                raise ModelFileError(f"Layer {i} ({kind}) has no '{name}' array.")
            a = arrays[key]
            if a.dtype not in (np.float32, np.float64):
                raise ModelFileError(f"Layer {i} ({kind}) '{name}' has dtype {a.dtype}; expected float32 or float64.")
            if not np.isfinite(a).all():
                raise ModelFileError(f"Layer {i} ({kind}) '{name}' contains NaN or infinity.")
            used.add(key)
            return a

        if kind == "Linear":
            nin, nout = spec.get("nin"), spec.get("nout")
            if not all(isinstance(n, int) and 0 < n <= MAX_WIDTH for n in (nin, nout)):
                raise ModelFileError(f"Layer {i} (Linear) has invalid sizes nin={nin!r}, nout={nout!r}.")
            if width is not None and nin != width:
                raise ModelFileError(f"Layer {i} (Linear) takes {nin} inputs but the layer before gives {width}.")
            W, b = take("W"), take("b")
            if W.shape != (nout, nin) or b.shape != (1, nout):
                raise ModelFileError(
                    f"Layer {i} (Linear({nin}, {nout})) has W {W.shape} and b {b.shape}; "
                    f"expected ({nout}, {nin}) and (1, {nout})."
                )
            layer = Linear(nin, nout, dtype=W.dtype, seed=0)
            layer.W, layer.b = W.copy(), b.astype(W.dtype)
            width, dtype = nout, W.dtype
        elif kind == "Standardize":
            shift, scale = take("shift"), take("scale")
            if shift.ndim != 2 or scale.ndim != 2 or shift.shape[0] != 1 or scale.shape[0] != 1:
                raise ModelFileError(f"Layer {i} (Standardize) arrays must be shaped (1, features).")
            layer = Standardize(shift, scale, dtype=shift.dtype)
        elif kind == "LeakyReLU":
            alpha = spec.get("alpha", 0.01)
            if not isinstance(alpha, (int, float)) or not 0 <= alpha < 1:
                raise ModelFileError(f"Layer {i} (LeakyReLU) has an invalid slope {alpha!r}.")
            layer = LeakyReLU(alpha)
        elif kind == "Dropout":
            rate = spec.get("rate", 0.0)
            if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
                raise ModelFileError(f"Layer {i} (Dropout) has an invalid rate {rate!r}.")
            layer = Dropout(rate, seed=0)
        elif kind in _SIMPLE:
            layer = _SIMPLE[kind]()
        else:
            raise ModelFileError(f"Layer {i} has unknown type {kind!r}.")
        net.add(layer)
    if width is None:
        raise ModelFileError("The model has no Linear layer.")
    leftover = sorted(set(arrays) - used)
    if leftover:
        raise ModelFileError(f"The model file has arrays no layer uses: {', '.join(leftover[:5])}.")
    for layer in net.layers:
        if isinstance(layer, Standardize) and dtype is not None:
            layer.shift, layer.scale = layer.shift.astype(dtype), layer.scale.astype(dtype)
    return net.eval(), extra
