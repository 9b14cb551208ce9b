"""Read MNIST's IDX files (raw or gzip-compressed), validated.

IDX layout: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions,
then one big-endian uint32 per dimension, then the data. MNIST images are (n, 28, 28)
uint8 (magic 0x00000803), labels (n,) uint8 (magic 0x00000801). Every malformed case
(wrong magic, truncated data, trailing bytes, counts that disagree) raises :class:`IdxError`
with a message that says what is wrong and what to do.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import numpy as np

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
MAX_BYTES = 256 * 1024 * 1024  # far above the 47 MB of the training images; stops gzip bombs
FIX_HINT = "Download the file again (python -m core.mnist download) or check that it is an MNIST IDX file."

# The four official files, as (split, kind) -> base name; each may end in ".gz".
OFFICIAL_FILES = {
    ("train", "images"): "train-images-idx3-ubyte",
    ("train", "labels"): "train-labels-idx1-ubyte",
    ("test", "images"): "t10k-images-idx3-ubyte",
    ("test", "labels"): "t10k-labels-idx1-ubyte",
}


class IdxError(ValueError):
    """An IDX file that is not valid MNIST data; the message names the file and the problem."""


def _open(path: Path):
    with open(path, "rb") as fh:
        head = fh.read(2)
    if head == b"\x1f\x8b":  # gzip magic, whatever the file is called
        return gzip.open(path, "rb")
    return open(path, "rb")


def _read_exactly(fh, n: int, path: Path, what: str) -> bytes:
    try:
        data = fh.read(n)
    except (OSError, EOFError, zlib.error) as exc:  # gzip raises these on truncated or corrupt streams
        raise IdxError(f"{path.name}: the compressed data is truncated or corrupt ({exc}). {FIX_HINT}") from None
    if len(data) != n:
        raise IdxError(f"{path.name}: truncated while reading {what}: expected {n:,} bytes, got {len(data):,}. {FIX_HINT}")
    return data


def read_idx(path, max_bytes: int = MAX_BYTES) -> np.ndarray:
    """Read any unsigned-byte IDX file (raw or .gz) into a uint8 array of its stated shape."""
    path = Path(path)
    if not path.is_file():
        raise IdxError(f"No such file: {path}.")
    with _open(path) as fh:
        header = _read_exactly(fh, 4, path, "the header")
        if header[0] != 0 or header[1] != 0:
            raise IdxError(
                f"{path.name} is not an IDX file (its first bytes are {header.hex()}, expected 00000801 or 00000803). {FIX_HINT}"
            )
        type_code, ndim = header[2], header[3]
        if type_code != 0x08:
            raise IdxError(f"{path.name}: IDX data type 0x{type_code:02x} is not unsigned bytes (0x08), which MNIST uses.")
        if not 1 <= ndim <= 4:
            raise IdxError(f"{path.name}: IDX header states {ndim} dimensions; MNIST files have 1 (labels) or 3 (images).")
        dims = tuple(int(d) for d in np.frombuffer(_read_exactly(fh, 4 * ndim, path, "the dimensions"), dtype=">u4"))
        size = int(np.prod(dims, dtype=np.int64))
        if size > max_bytes:
            raise IdxError(f"{path.name}: header states shape {dims} ({size:,} bytes), more than the {max_bytes:,} allowed.")
        data = _read_exactly(fh, size, path, f"data of shape {dims}")
        try:
            extra = fh.read(1)
        except (OSError, EOFError, zlib.error) as exc:
            raise IdxError(f"{path.name}: the compressed data is corrupt after the digits ({exc}). {FIX_HINT}") from None
        if extra:
            raise IdxError(f"{path.name}: has bytes after the {size:,} its header announces (shape {dims}). {FIX_HINT}")
    return np.frombuffer(data, dtype=np.uint8).reshape(dims)


def read_images(path) -> np.ndarray:
    """An MNIST image file -> (n, 28, 28) uint8."""
    path = Path(path)
    images = read_idx(path)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise IdxError(f"{path.name}: expected images shaped (n, 28, 28), the header says {images.shape}. Is it a labels file?")
    return images


def read_labels(path) -> np.ndarray:
    """An MNIST label file -> (n,) int64 digits 0-9."""
    path = Path(path)
    labels = read_idx(path)
    if labels.ndim != 1:
        raise IdxError(f"{path.name}: expected labels shaped (n,), the header says {labels.shape}. Is it an images file?")
    if labels.size and labels.max() > 9:
        raise IdxError(f"{path.name}: contains label {int(labels.max())}; MNIST labels are 0-9.")
    return labels.astype(np.int64)


def find_official_file(directory, split: str, kind: str) -> Path | None:
    """The path of one official file in directory (plain, .gz, or with '.' before 'idx'), or None."""
    base = OFFICIAL_FILES[(split, kind)]
    directory = Path(directory)
    for name in (base, base + ".gz", base.replace("-idx", ".idx"), base.replace("-idx", ".idx") + ".gz"):
        if (directory / name).is_file():
            return directory / name
    return None


def has_split(directory, split: str) -> bool:
    """True when directory holds both the images and the labels file of split ("train" or "test")."""
    return directory is not None and all(find_official_file(directory, split, kind) for kind in ("images", "labels"))


def load_split(directory, split: str) -> tuple[np.ndarray, np.ndarray]:
    """(images (n, 28, 28) uint8, labels (n,) int64) of split "train" or "test" from directory."""
    paths = {kind: find_official_file(directory, split, kind) for kind in ("images", "labels")}
    missing = [OFFICIAL_FILES[(split, k)] for k, p in paths.items() if p is None]
    if missing:
        raise IdxError(
            f"{directory} has no {' or '.join(missing)} (.gz or not). Run `python -m core.mnist download --dir {directory}`."
        )
    images, labels = read_images(paths["images"]), read_labels(paths["labels"])
    if len(images) != len(labels):
        raise IdxError(
            f"{paths['images'].name} holds {len(images):,} images but {paths['labels'].name} {len(labels):,} labels: "
            f"the two files do not belong together. {FIX_HINT}"
        )
    return images, labels


def load_mnist_dir(directory) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The four official files from one directory: x_train, y_train, x_test, y_test."""
    x_train, y_train = load_split(directory, "train")
    x_test, y_test = load_split(directory, "test")
    return x_train, y_train, x_test, y_test


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array as IDX bytes (used to write test files and cached downloads)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    buf = io.BytesIO()
    buf.write(bytes([0, 0, 0x08, array.ndim]))
    buf.write(np.asarray(array.shape, dtype=">u4").tobytes())
    buf.write(array.tobytes())
    return buf.getvalue()
