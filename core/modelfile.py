"""Model files: a network (architecture, weights, input normalisation) in one ``.npz``.

Layout: ``meta`` holds UTF-8 JSON bytes (format, version, the layer specs and any extra
metadata the caller adds); ``layer{i}.{name}`` holds each layer's arrays. Files are read
with ``allow_pickle=False`` semantics and checked before a network is built, so a truncated,
malformed, pickle-bearing or inconsistent file is refused with :class:`ModelFileError`.

Reading is bounded: the zip directory, every member's declared sizes and every ``.npy``
header (dtype, shape) are checked against the caps below before a single array byte is
inflated, so a few-megabyte file that declares gigabytes of zeros is refused in
milliseconds and a few megabytes of memory.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import math
import reprlib
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .atomicfile import write_atomically
from .layers import ACTIVATIONS, Dropout, LeakyReLU, Linear, Softmax, Standardize
from .net import Net

FORMAT = "nn-playground-model"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024  # the file itself
# Weights, biases and normalisation numbers in one file. 16 million float32 (64 MB) still fit
# MAX_BYTES uncompressed; the largest digit net the CLI trains is bounded by this same number.
MAX_PARAMETERS = 16_000_000
MAX_LAYERS = 64
MAX_WIDTH = 100_000
MAX_MEMBERS = 2 * MAX_LAYERS + 1  # two arrays per layer at most, plus meta
MAX_META_BYTES = 1024 * 1024
MAX_META_DEPTH = 32  # nesting of the metadata JSON
MAX_HEADER_BYTES = 10_000  # of one .npy header (numpy's own default limit)
# Everything a valid file can inflate to: every parameter as float64, the metadata, the headers.
MAX_UNPACKED_BYTES = 8 * MAX_PARAMETERS + MAX_META_BYTES + MAX_MEMBERS * (MAX_HEADER_BYTES + 64)
# Weights hardly compress; deflate tops out near 1000:1 on zeros. Members over a MiB that
# shrank more than this are bombs (checked before inflating, for a clear early message).
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
_SIMPLE = {cls.__name__: cls for cls in (*ACTIVATIONS.values(), Softmax)}
_CORRUPT = "Not a model file, or it is truncated or corrupt"


class ModelFileError(ValueError):
    """A model file that cannot be loaded; the message says why."""


@dataclass
class LoadedModel:
    net: Net
    extra: dict = field(default_factory=dict)


def mlp_parameter_count(widths: Sequence[int]) -> int:
    """Weights and biases of a stack of Linear layers through widths [n_inputs, *hidden, n_outputs]."""
    widths = [int(w) for w in widths]
    return sum((a + 1) * b for a, b in itertools.pairwise(widths))


def _layer_arrays(layer) -> dict[str, np.ndarray]:
    if isinstance(layer, Linear):
        return {"W": layer.W, "b": layer.b}
    if isinstance(layer, Standardize):
        return layer.arrays()
    return {}


def save_model(path_or_file, net: Net, extra: dict | None = None) -> None:
    """Write ``net`` and the JSON-serialisable ``extra`` dict to a path or binary file.

    A path is written atomically (a unique temporary file in the same folder, renamed into
    place when complete). Raises ModelFileError for a net that load_model would refuse as too
    large (more than MAX_LAYERS layers or MAX_PARAMETERS numbers).
    """
    if len(net.layers) > MAX_LAYERS:
        raise ModelFileError(f"The net has {len(net.layers)} layers; a model file holds at most {MAX_LAYERS}.")
    arrays_of = [_layer_arrays(layer) for layer in net.layers]
    total = sum(np.size(a) for arrays in arrays_of for a in arrays.values())
    if total > MAX_PARAMETERS:
        raise ModelFileError(f"The net has {total:,} parameters; a model file holds at most {MAX_PARAMETERS:,}.")
    meta = {"format": FORMAT, "version": VERSION, "layers": [layer.spec() for layer in net.layers], "extra": extra or {}}
    arrays = {"meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)}
    for i, layer_arrays in enumerate(arrays_of):
        for name, value in layer_arrays.items():
            arrays[f"layer{i}.{name}"] = np.asarray(value)
    if isinstance(path_or_file, (str, Path)):
        write_atomically(path_or_file, lambda fh: np.savez_compressed(fh, **arrays))
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
    objects, unknown layers, shapes that do not chain, non-finite weights, too large,
    declared sizes over the caps) and never any other exception for a bad file.
    """
    data = _read_bytes(source, max_bytes)
    try:
        return _load(data)
    except MemoryError:
        raise ModelFileError("The model is too large for the memory available; it was not loaded.") from None
    except RecursionError:
        raise ModelFileError("The model file is nested too deeply to read.") from None


def _read_bytes(source, max_bytes: int) -> bytes:
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
        elif isinstance(source, (str, Path)):
            path = Path(source)
            if not path.is_file():
                raise ModelFileError(f"No model file at {path}.")
            if path.stat().st_size > max_bytes:
                raise ModelFileError(f"{path} is larger than the {max_bytes // 2**20} MiB a model file may be.")
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        else:
            data = source.read(max_bytes + 1)
    except OSError as exc:
        raise ModelFileError(f"Cannot read the model file: {exc.strerror or exc}.") from None
    if not isinstance(data, (bytes, bytearray)):
        raise ModelFileError("A model is read from a path, bytes or a binary file.")
    if len(data) > max_bytes:
        raise ModelFileError(f"The model file is larger than the {max_bytes // 2**20} MiB allowed.")
    if not data:
        raise ModelFileError("The model file is empty.")
    return bytes(data)


@dataclass(frozen=True)
class _Member:
    """One ``.npy`` member as its zip entry and header declare it (no data read yet)."""

    info: zipfile.ZipInfo
    dtype: np.dtype
    shape: tuple[int, ...]
    fortran: bool
    offset: int  # where the data starts in the inflated member

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@contextlib.contextmanager
def _corrupt(what: str):
    """Turn whatever zipfile, zlib or numpy raise on a damaged archive into ModelFileError."""
    try:
        yield
    except (ModelFileError, MemoryError, RecursionError):
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error, OverflowError,
            NotImplementedError, RuntimeError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        raise ModelFileError(f"{_CORRUPT} ({what}: {type(exc).__name__}: {exc}).") from None


def _load(data: bytes) -> LoadedModel:
    if not data.startswith(b"PK"):
        raise ModelFileError(f"{_CORRUPT}: a model file is an .npz (zip) archive.")
    _check_directory(data)
    with _corrupt("zip directory"):
        zf = zipfile.ZipFile(io.BytesIO(data))
    with zf:
        members = _read_headers(zf)
        if "meta" not in members:
            raise ModelFileError("Not a model file of this project: it has no 'meta' entry.")
        meta_member = members.pop("meta")
        if meta_member.dtype != np.uint8 or len(meta_member.shape) != 1 or meta_member.size > MAX_META_BYTES:
            raise ModelFileError(f"The model's metadata must be at most {MAX_META_BYTES:,} bytes of UTF-8 JSON.")
        meta = _parse_meta(_read_array(zf, meta_member))
        plan = _plan(meta["layers"], members)
        arrays = {key: _read_array(zf, members[key]) for _, _, keys in plan for key in keys.values()}
    return LoadedModel(_build(plan, arrays), meta["extra"])


def _check_directory(data: bytes) -> None:
    """Bound the zip's central directory before zipfile parses it (it keeps every entry in memory)."""
    tail_start = max(0, len(data) - (22 + 0xFFFF))
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or len(data) - at < 22:
        raise ModelFileError(f"{_CORRUPT}: it has no zip directory at its end.")
    entries, directory_bytes = struct.unpack_from("<HL", data, at + 10)
    if at >= 20 and data[at - 20 : at - 16] == b"PK\x06\x07":
        raise ModelFileError("The file is a ZIP64 archive; model files are small zips and never need that.")
    if entries > MAX_MEMBERS or directory_bytes > MAX_MEMBERS * 1024:
        raise ModelFileError(f"The file lists {entries:,} members ({directory_bytes:,} bytes of directory); "
                             f"a model file has at most {MAX_MEMBERS}.")


def _read_headers(zf: zipfile.ZipFile) -> dict[str, _Member]:
    """Check every member's zip entry and .npy header against the caps; read no array data."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ModelFileError(f"The file has {len(infos):,} members; a model file has at most {MAX_MEMBERS}.")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNPACKED_BYTES:
        raise ModelFileError(f"The file declares {declared:,} bytes of content; a model file unpacks to at most "
                             f"{MAX_UNPACKED_BYTES:,} (a zip bomb, or far too large a model).")
    members: dict[str, _Member] = {}
    for info in infos:
        name = info.filename
        if not name.endswith(".npy"):
            raise ModelFileError(f"The file holds {_short(name)}, which is not a .npy array; a model file holds only arrays.")
        key = name[: -len(".npy")]
        if key in members:
            raise ModelFileError(f"The file holds {_short(name)} twice.")
        if info.flag_bits & 0x1:
            raise ModelFileError(f"{name} is encrypted; model files are not.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(f"{name} is compressed with zip method {info.compress_type}; model files use deflate "
                                 "(or none).")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ModelFileError(f"{name} would inflate {info.compress_size:,} bytes to {info.file_size:,} "
                                 f"(over {MAX_RATIO}:1): a zip bomb, not weights.")
        members[key] = _read_header(zf, info)
    total = sum(m.size for key, m in members.items() if key != "meta")
    if total > MAX_PARAMETERS:
        raise ModelFileError(f"The file declares {total:,} numbers; a model file holds at most {MAX_PARAMETERS:,} "
                             "parameters.")
    return members


def _read_header(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> _Member:
    name = info.filename
    with _corrupt(name), zf.open(info) as fp:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp, max_header_size=MAX_HEADER_BYTES)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp, max_header_size=MAX_HEADER_BYTES)
        else:
            raise ModelFileError(f"{name} uses .npy format version {version[0]}.{version[1]}; this program reads 1.0 and 2.0.")
        offset = fp.tell()
    if dtype.hasobject:
        raise ModelFileError(f"The file holds pickled Python objects ({name}), which are never loaded (they could run code).")
    if dtype.kind not in "biuf" or dtype.names is not None or dtype.subdtype is not None:
        raise ModelFileError(f"{name} holds {dtype} values; a model file holds plain numbers.")
    if not all(type(n) is int and n >= 0 for n in shape) or len(shape) > 32:
        raise ModelFileError(f"{name} declares an invalid shape {_short(shape)}.")
    nbytes = math.prod(shape) * dtype.itemsize
    if offset + nbytes != info.file_size:
        raise ModelFileError(f"{name} declares a {shape} {dtype} array ({nbytes:,} bytes) but holds "
                             f"{info.file_size - offset:,} bytes of data: truncated, padded or a bomb.")
    return _Member(info, dtype, tuple(shape), bool(fortran), offset)


def _read_array(zf: zipfile.ZipFile, member: _Member) -> np.ndarray:
    """Inflate one member's data (declared and checked: bounded) into a native-order array."""
    nbytes = member.size * member.dtype.itemsize
    buf = np.empty(nbytes, dtype=np.uint8)
    with _corrupt(member.info.filename), zf.open(member.info) as fp:
        fp.read(member.offset)
        done = 0
        while done < nbytes:  # in pieces: the inflated bytes are never held twice
            piece = fp.read(min(nbytes - done, 1 << 20))
            if not piece:
                raise ModelFileError(f"{member.info.filename} ends after {done:,} of its {nbytes:,} bytes of data: "
                                     "the file is truncated.")
            buf[done : done + len(piece)] = np.frombuffer(piece, np.uint8)
            done += len(piece)
    array = buf.view(member.dtype).reshape(member.shape, order="F" if member.fortran else "C")
    return array if member.dtype.isnative else array.astype(member.dtype.newbyteorder("="))


def _parse_meta(raw: np.ndarray) -> dict:
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except RecursionError:
        raise ModelFileError("The model's metadata is nested too deeply.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"The model's metadata is not valid JSON: {exc}") from None
    if _depth(meta) > MAX_META_DEPTH:
        raise ModelFileError(f"The model's metadata is nested more than {MAX_META_DEPTH} levels deep.")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"Not a model file of this project (format is not {FORMAT!r}).")
    if meta.get("version") != VERSION:
        raise ModelFileError(f"Model file version {_short(meta.get('version'))} is not supported (this program reads {VERSION}).")
    specs = meta.get("layers")
    if not isinstance(specs, list) or not specs or len(specs) > MAX_LAYERS:
        raise ModelFileError(f"The model must list between 1 and {MAX_LAYERS} layers.")
    extra = meta.get("extra", {})
    if not isinstance(extra, dict):
        raise ModelFileError("The model's 'extra' metadata must be a JSON object.")
    return {"layers": specs, "extra": extra}


def _short(value) -> str:
    """A repr of a value from the file, cut short (it may be a long or deeply nested JSON value)."""
    return reprlib.repr(value)


def _depth(value) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_META_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _plan(specs: list, members: dict[str, _Member]) -> list[tuple[int, dict, dict[str, str]]]:
    """Check the layer specs against the members' declared dtypes and shapes (no data read yet).

    Returns [(i, spec, {array name: member key})]. Widths must chain: every Linear takes what
    the layer before gives, and a Standardize's width is 1 (one number for all) or that width.
    """
    plan, used, width = [], set(), None
    for i, spec in enumerate(specs):
        kind = spec.get("type") if isinstance(spec, dict) else None
        if not isinstance(kind, str):
            raise ModelFileError(f"Layer {i} has unknown type {_short(kind)}.")

        def take(name, i=i, kind=kind) -> _Member:
            key = f"layer{i}.{name}"
            if key not in members:
                raise ModelFileError(f"Layer {i} ({kind}) has no '{name}' array.")
            m = members[key]
            if m.dtype.kind != "f" or m.dtype.itemsize not in (4, 8):
                raise ModelFileError(f"Layer {i} ({kind}) '{name}' has dtype {m.dtype}; expected float32 or float64.")
            used.add(key)
            return m

        keys: dict[str, str] = {}
        if kind == "Linear":
            nin, nout = spec.get("nin"), spec.get("nout")
            if not all(type(n) is int and 0 < n <= MAX_WIDTH for n in (nin, nout)):
                raise ModelFileError(f"Layer {i} (Linear) has invalid sizes nin={_short(nin)}, nout={_short(nout)}.")
            if width is not None and nin != width:
                raise ModelFileError(f"Layer {i} (Linear) takes {nin} inputs but the layer before gives {width}.")
            W, b = take("W"), take("b")
            if W.shape != (nout, nin) or b.shape != (1, nout):
                raise ModelFileError(
                    f"Layer {i} (Linear({nin}, {nout})) has W {W.shape} and b {b.shape}; "
                    f"expected ({nout}, {nin}) and (1, {nout})."
                )
            keys, width = {"W": f"layer{i}.W", "b": f"layer{i}.b"}, nout
        elif kind == "Standardize":
            shift, scale = take("shift"), take("scale")
            if len(shift.shape) != 2 or len(scale.shape) != 2 or shift.shape[0] != 1 or scale.shape[0] != 1:
                raise ModelFileError(f"Layer {i} (Standardize) arrays must be shaped (1, features).")
            widths = {n for n in (shift.shape[1], scale.shape[1]) if n != 1}
            if 0 in (shift.shape[1], scale.shape[1]) or len(widths) > 1 or (width is not None and widths - {width}):
                where = f"the layer before gives {width}" if width is not None else "they must agree"
                raise ModelFileError(f"Layer {i} (Standardize) has shift for {shift.shape[1]} and scale for "
                                     f"{scale.shape[1]} features; {where}.")
            if width is None and widths:
                width = widths.pop()
            keys = {"shift": f"layer{i}.shift", "scale": f"layer{i}.scale"}
        elif kind == "LeakyReLU":
            alpha = spec.get("alpha", 0.01)
            if type(alpha) not in (int, float) or not 0 <= alpha < 1:
                raise ModelFileError(f"Layer {i} (LeakyReLU) has an invalid slope {_short(alpha)}.")
        elif kind == "Dropout":
            rate = spec.get("rate", 0.0)
            if type(rate) not in (int, float) or not 0 <= rate < 1:
                raise ModelFileError(f"Layer {i} (Dropout) has an invalid rate {_short(rate)}.")
        elif kind not in _SIMPLE:
            raise ModelFileError(f"Layer {i} has unknown type {_short(kind)}.")
        plan.append((i, spec, keys))
    if not any(spec["type"] == "Linear" for _, spec, _ in plan):
        raise ModelFileError("The model has no Linear layer.")
    leftover = sorted(set(members) - used)
    if leftover:
        raise ModelFileError(f"The model file has arrays no layer uses: {', '.join(leftover[:5])}.")
    return plan


def _build(plan, arrays: dict[str, np.ndarray]) -> Net:
    """Layers from a checked plan and the arrays it names (checked finite here)."""
    for key, a in arrays.items():
        if not np.isfinite(a).all():
            i, name = key.split(".", 1)
            raise ModelFileError(f"Layer {i[len('layer'):]} '{name}' contains NaN or infinity.")
    net, dtype = Net(), None
    for i, spec, keys in plan:
        kind = spec["type"]
        try:
            if kind == "Linear":
                # The arrays were inflated for this net alone: the layers take them without a copy.
                layer = Linear.from_arrays(arrays.pop(keys["W"]), arrays.pop(keys["b"]), copy=False)
                dtype = dtype or layer.W.dtype
            elif kind == "Standardize":
                shift = arrays[keys["shift"]]
                layer = Standardize(shift, arrays[keys["scale"]], dtype=shift.dtype)
            elif kind == "LeakyReLU":
                layer = LeakyReLU(spec.get("alpha", 0.01))
            elif kind == "Dropout":
                layer = Dropout(spec.get("rate", 0.0), seed=0)
            else:
                layer = _SIMPLE[kind]()
        except ValueError as exc:
            raise ModelFileError(f"Layer {i} ({kind}): {exc}") from None
        net.add(layer)
    for layer in net.layers:
        if isinstance(layer, Standardize):
            layer.shift, layer.scale = layer.shift.astype(dtype), layer.scale.astype(dtype)
    return net.eval()
