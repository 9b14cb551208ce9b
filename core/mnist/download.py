"""Fetch the four official MNIST files from a mirror, verify them and cache them.

``python -m core.mnist download [--dir D] [--mirror URL]``. Each file is streamed to a
``.part`` file with a progress bar, checked (size and MD5 for the default mirror, whose files
are the originals; for any mirror a full IDX parse with the expected counts), then renamed into
place, so a broken download never leaves a file that looks valid. Files already present and
valid are not fetched again.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from http.client import HTTPException
from pathlib import Path

from .idx import OFFICIAL_FILES, IdxError, read_images, read_labels
from .paths import mnist_cache_dir
from .progress import ProgressBar

DEFAULT_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"  # torchvision's mirror of LeCun's original files
CHUNK = 64 * 1024
MAX_DOWNLOAD = 64 * 1024 * 1024  # the largest file is 9.9 MB

# The original gzip files: size in bytes and MD5 (as torchvision and others check them).
KNOWN_FILES = {
    "train-images-idx3-ubyte.gz": (9_912_422, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train-labels-idx1-ubyte.gz": (28_881, "d53e105ee54ea40749a09fcbcd1e9432"),
    "t10k-images-idx3-ubyte.gz": (1_648_877, "9fb629c4189551a2d022fa330f9573f3"),
    "t10k-labels-idx1-ubyte.gz": (4_542, "ec29112dd5afa0611ce80d1b7f02629c"),
}
EXPECTED_COUNT = {"train": 60_000, "test": 10_000}


class DownloadError(RuntimeError):
    """A file could not be fetched or failed verification; the message says which and why."""


def file_names() -> list[tuple[str, str, str]]:
    """(split, kind, file name on the mirror) for the four official files."""
    return [(split, kind, base + ".gz") for (split, kind), base in OFFICIAL_FILES.items()]


def verify_file(path: Path, split: str, kind: str, check_known: bool, counts: dict | None = None) -> None:
    """Raise DownloadError unless path is the expected MNIST file (IDX valid, with counts[split]
    rows (default 60,000 train, 10,000 test), and with check_known the original's size and MD5)."""
    name = path.name if not path.name.endswith(".part") else path.name[: -len(".part")]
    if check_known and name in KNOWN_FILES:
        size, md5 = KNOWN_FILES[name]
        actual = path.stat().st_size
        if actual != size:
            raise DownloadError(f"{name}: got {actual:,} bytes, the original has {size:,}: incomplete or altered.")
        digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
        if digest != md5:
            raise DownloadError(f"{name}: MD5 {digest} does not match the original's {md5}: the file is corrupt or altered.")
    try:
        data = read_images(path) if kind == "images" else read_labels(path)
    except IdxError as exc:
        raise DownloadError(f"{name} is not a valid MNIST file: {exc}") from None
    expected = (counts or EXPECTED_COUNT)[split]
    if len(data) != expected:
        raise DownloadError(f"{name} holds {len(data):,} {kind}; the official {split} set has {expected:,}.")


def _fetch(url: str, dest: Path, label: str, timeout: float, stream) -> None:
    bar = ProgressBar(label, None, stream=stream)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(dest, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > MAX_DOWNLOAD:
                raise DownloadError(f"{url} announces {total:,} bytes, far more than an MNIST file; is the mirror right?")
            bar.total = total
            done = 0
            while chunk := response.read(CHUNK):
                done += len(chunk)
                if done > MAX_DOWNLOAD:
                    raise DownloadError(f"{url} sent more than {MAX_DOWNLOAD:,} bytes; stopped. Is the mirror right?")
                out.write(chunk)
                bar.update(done, f"{done / 1e6:.1f} MB")
            bar.update(done, f"{done / 1e6:.1f} MB")
        if total is not None and done != total:
            raise DownloadError(f"{url}: the connection ended after {done:,} of {total:,} bytes. Try again.")
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: the server answered HTTP {exc.code} {exc.reason}. Check the --mirror URL.") from None
    except urllib.error.URLError as exc:
        raise DownloadError(f"Could not reach {url}: {exc.reason}. Check your connection or try another --mirror.") from None
    except (HTTPException, OSError) as exc:  # IncompleteRead, connection reset, timeout, disk full
        raise DownloadError(f"{url}: the download failed ({type(exc).__name__}: {exc}). Try again.") from None
    finally:
        bar.close()


def download_mnist(directory=None, mirror: str = DEFAULT_MIRROR, timeout: float = 60.0, stream=None,
                   log: Callable[[str], None] | None = None, counts: dict | None = None) -> Path:
    """Download, verify and cache the four official files into directory (default: the user
    cache dir, ``~/.cache/nn-playground/mnist``). Returns the directory.

    Valid files already there are kept. counts overrides the expected rows per split
    ({"train": 60000, "test": 10000}), for small test mirrors. Raises DownloadError (nothing half-written is left
    under the final names) when a file cannot be fetched or fails verification.
    """
    folder = Path(directory) if directory is not None else mnist_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    base = mirror if mirror.endswith("/") else mirror + "/"
    check_known = base == DEFAULT_MIRROR
    say = log or (lambda message: None)
    for split, kind, name in file_names():
        dest = folder / name
        if dest.is_file():
            try:
                verify_file(dest, split, kind, check_known, counts)
                say(f"{name}: already downloaded and valid.")
                continue
            except DownloadError as exc:
                say(f"{name}: present but invalid ({exc}); downloading it again.")
        part = folder / (name + ".part")
        try:
            _fetch(base + name, part, name, timeout, stream)
            verify_file(part, split, kind, check_known, counts)
            os.replace(part, dest)
        finally:
            if part.exists():
                part.unlink()
        say(f"{name}: downloaded and verified.")
    return folder
