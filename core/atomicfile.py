"""Files written all at once or not at all, and output paths checked before long work.

A file is written into a uniquely named temporary file in the target folder and renamed over
the target only when complete, so readers never see half a file and two writers of the same
path never write into each other's temporary file (a fixed ``.part`` name would let them).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from typing import BinaryIO


def write_atomically(path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(fh)`` on a new temporary file next to ``path``, then rename it to ``path``.

    On any failure (OSError from the disk, an exception from ``write``, Ctrl-C) the temporary
    file is removed and ``path`` is left as it was. The temporary file is created with the
    usual permissions (0666 less the umask), as ``open(path, "wb")`` would.
    """
    path = os.fspath(path)
    fd, tmp = _create_unique(os.path.dirname(os.path.abspath(path)), os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def check_writable(path) -> None:
    """Raise ValueError (one line, saying what to do) unless a file can be written at ``path``.

    Checks what can be checked before a long computation: the path is not a folder or a
    device, its folder exists, and a file can be created there (tried, then removed).
    """
    path = os.fspath(path)
    if not os.path.basename(path):
        raise ValueError(f"{path!r} names a folder; give a file name such as model.npz.")
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ValueError(f"{path} is a folder; give a file name such as {os.path.join(path, 'model.npz')}.")
    if os.path.exists(path) and not os.path.isfile(path):
        raise ValueError(f"{path} exists and is not a regular file; choose another name.")
    if not os.path.isdir(folder):
        raise ValueError(f"the folder {folder} does not exist; create it first or choose another path.")
    try:
        fd, tmp = _create_unique(folder, os.path.basename(path))
    except OSError as exc:
        raise ValueError(f"cannot create files in {folder} ({exc.strerror or exc}); choose a folder you can write to.") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _create_unique(folder: str, name: str) -> tuple[int, str]:
    """Create and open a new file ``.<name>.<random>.tmp`` in folder; returns (fd, path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not find a free temporary name in {folder}")
