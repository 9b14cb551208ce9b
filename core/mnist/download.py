"""Fetch the four official MNIST files from a mirror, verify them and cache them (with pooch).

``python -m core.mnist download [--dir D] [--mirror URL] [--checksums FILE]``. pooch streams
each file to a temporary file beside its final name, checks its hash and only then renames it
into place, so a broken download never leaves a file that looks valid. On top of that every
file is parsed as IDX with the expected number of digits. Files already present and valid are
not fetched again.

What a file's content is checked against:
- the default mirror serves LeCun's originals: their MD5s;
- ``hashes`` (``--checksums``): the digests the user gives, for any mirror;
- a custom https mirror without hashes: the IDX parse and the counts only;
- a custom plain-http mirror without hashes is refused: anything on the way could alter it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pooch
import requests
from tqdm import tqdm

from .idx import OFFICIAL_FILES, IdxError, read_images, read_labels
from .paths import mnist_cache_dir

DEFAULT_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"  # torchvision's mirror of LeCun's original files
MAX_DOWNLOAD = 64 * 1024 * 1024  # the largest file is 9.9 MB
# The original gzip files' MD5s (as torchvision and others check them).
KNOWN_FILES = {
    "train-images-idx3-ubyte.gz": "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "md5:d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "md5:9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "md5:ec29112dd5afa0611ce80d1b7f02629c",
}
EXPECTED_COUNT = {"train": 60_000, "test": 10_000}

pooch.get_logger().setLevel(logging.WARNING)  # our own lines say what happens


class DownloadError(RuntimeError):
    """A file could not be fetched or failed verification; the message says which and why."""


def file_names() -> list[tuple[str, str, str]]:
    """(split, kind, file name on the mirror) for the four official files."""
    return [(split, kind, base + ".gz") for (split, kind), base in OFFICIAL_FILES.items()]


def read_checksums(path) -> dict[str, str]:
    """A checksum file as ``sha256sum`` or ``md5sum`` write it ("<hex digest>  <name>" per line)
    -> {name: "sha256:<hex>" or "md5:<hex>"} (the algorithm told apart by the digest's length)."""
    algorithms = {32: "md5", 64: "sha256"}
    hashes = {}
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.strip().partition(" ")
        name = name.strip().lstrip("*")
        if len(digest) not in algorithms or not name or any(c not in "0123456789abcdefABCDEF" for c in digest):
            raise DownloadError(f"{path}, line {lineno}: expected '<md5 or sha256 digest>  <file name>', got {line!r}.")
        hashes[name] = f"{algorithms[len(digest)]}:{digest.lower()}"
    return hashes


def verify_file(path: Path, split: str, kind: str, known_hash: str | None = None, counts: dict | None = None) -> None:
    """Raise DownloadError unless path is the expected MNIST file: its hash (when known) and a valid
    IDX file with counts[split] rows (default 60,000 train, 10,000 test)."""
    name = Path(path).name
    if known_hash is not None and not pooch.file_hash(str(path), alg=known_hash.split(":")[0]) == known_hash.split(":")[1]:
        raise DownloadError(f"{name}: its checksum does not match {known_hash}: the file is corrupt or altered.")
    try:
        data = read_images(path) if kind == "images" else read_labels(path)
    except IdxError as exc:
        raise DownloadError(f"{name} is not a valid MNIST file: {exc}") from None
    expected = (counts or EXPECTED_COUNT)[split]
    if len(data) != expected:
        raise DownloadError(f"{name} holds {len(data):,} {kind}; the official {split} set has {expected:,}.")


class _CappedBar(tqdm):
    """pooch's progress bar, which also stops a download that grows past MAX_DOWNLOAD bytes."""

    def update(self, n=1):
        super().update(n)
        if (self.total or 0) > MAX_DOWNLOAD or self.n > MAX_DOWNLOAD:
            raise DownloadError(f"{self.desc} is larger than {MAX_DOWNLOAD:,} bytes, far more than an MNIST file; "
                                "is the mirror right?")


def _fetch(url: str, folder: Path, name: str, known_hash: str | None, timeout: float, stream) -> None:
    # total=1 until pooch sets the announced length: pooch skips a progress bar that tests false.
    bar = _CappedBar(total=1, desc=name, unit="B", unit_scale=True, file=stream, leave=True, mininterval=0.1)
    try:
        pooch.retrieve(url, known_hash, fname=name, path=folder,
                       downloader=pooch.HTTPDownloader(progressbar=bar, timeout=timeout))
    except requests.exceptions.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        reason = exc.response.reason if exc.response is not None else ""
        raise DownloadError(f"{url}: the server answered HTTP {status} {reason}. Check the --mirror URL.") from None
    except requests.exceptions.ChunkedEncodingError:
        raise DownloadError(f"{url}: the connection ended before the whole file arrived. Try again.") from None
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        raise DownloadError(f"Could not reach {url} ({type(exc).__name__}). Check your connection or try another "
                            "--mirror.") from None
    except requests.exceptions.RequestException as exc:
        raise DownloadError(f"{url}: the download failed ({type(exc).__name__}: {exc}). Try again.") from None
    except ValueError as exc:  # pooch: the hash does not match
        raise DownloadError(f"{name}: its checksum does not match {known_hash}: the file is corrupt or altered "
                            f"({str(exc).splitlines()[0]}).") from None
    except OSError as exc:
        raise DownloadError(f"{name}: could not write it to {folder} ({exc.strerror or exc}).") from None
    finally:
        bar.close()


def download_mnist(directory=None, mirror: str = DEFAULT_MIRROR, timeout: float = 60.0, stream=None,
                   log: Callable[[str], None] | None = None, counts: dict | None = None,
                   hashes: dict[str, str] | None = None) -> Path:
    """Download, verify and cache the four official files into directory (default: the user
    cache dir, ``~/.cache/nn-playground/mnist``). Returns the directory.

    hashes: {file name: "md5:<hex>" or "sha256:<hex>"} to check a custom mirror's files (see the
    module docstring for what is checked when they are missing). Valid files already there are
    kept. counts overrides the expected rows per split ({"train": 60000, "test": 10000}), for small
    test mirrors. Raises DownloadError (nothing half-written is left under the final names) when
    a file cannot be fetched or fails verification.
    """
    folder = Path(directory) if directory is not None else mnist_cache_dir()
    base = mirror if mirror.endswith("/") else mirror + "/"
    if base == DEFAULT_MIRROR and not hashes:
        hashes = KNOWN_FILES
    if urlparse(base).scheme not in ("https", "http"):
        raise DownloadError(f"{mirror} is not an http(s) URL: give the mirror's address, e.g. {DEFAULT_MIRROR}.")
    if urlparse(base).scheme == "http" and not hashes:
        raise DownloadError(f"{mirror} is plain http, so the files could be altered on the way: give their checksums "
                            "with --checksums FILE (as sha256sum writes them) or use an https mirror.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"Cannot create {folder} ({exc.strerror or exc}): choose another --dir.") from None
    say = log or (lambda message: None)
    for split, kind, name in file_names():
        dest = folder / name
        known = (hashes or {}).get(name)
        if dest.is_file():
            try:
                verify_file(dest, split, kind, known, counts)
                say(f"{name}: already downloaded and valid.")
                continue
            except DownloadError as exc:
                say(f"{name}: present but invalid ({exc}); downloading it again.")
                os.unlink(dest)
        _fetch(base + name, folder, name, known, timeout, stream)
        try:
            verify_file(dest, split, kind, None, counts)  # pooch checked the hash; now the content
        except DownloadError:
            os.unlink(dest)
            raise
        say(f"{name}: downloaded and verified.")
    return folder
