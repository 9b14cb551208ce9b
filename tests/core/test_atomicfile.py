"""Atomic writes (core/atomicfile.py) and save_model through them."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from core import load_model, mlp, save_model
from core.atomicfile import check_writable, write_atomically


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "model.npz"
    target.write_bytes(b"old")

    def half_then_fail(fh):
        fh.write(b"half a fi")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomically(target, half_then_fail)
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []
    write_atomically(target, lambda fh: fh.write(b"new"))
    assert target.read_bytes() == b"new" and leftovers(tmp_path) == []


def test_the_new_file_gets_the_usual_permissions(tmp_path):
    write_atomically(tmp_path / "a", lambda fh: fh.write(b"x"))
    with open(tmp_path / "b", "wb") as fh:
        fh.write(b"x")
    assert os.stat(tmp_path / "a").st_mode == os.stat(tmp_path / "b").st_mode


def test_concurrent_writers_of_one_path_never_mix_their_bytes(tmp_path):
    """Each writer has its own temporary file: the result is one writer's whole content."""
    target = tmp_path / "model.npz"
    contents = [bytes([i]) * 200_000 for i in range(8)]
    start = threading.Barrier(len(contents))

    def writer(content):
        start.wait()
        write_atomically(target, lambda fh: [fh.write(content[j : j + 1000]) for j in range(0, len(content), 1000)])

    threads = [threading.Thread(target=writer, args=(c,)) for c in contents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_bytes() in contents and leftovers(tmp_path) == []


def test_save_model_to_a_path_is_atomic(tmp_path, monkeypatch):
    net = mlp(2, [3], 2, seed=0)
    path = tmp_path / "m.npz"
    save_model(path, net)
    before = path.read_bytes()

    def broken_savez(fh, **arrays):
        fh.write(b"PK partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez_compressed", broken_savez)
    with pytest.raises(KeyboardInterrupt):
        save_model(path, mlp(2, [4], 2, seed=1))
    assert path.read_bytes() == before and leftovers(tmp_path) == []
    load_model(path)


@pytest.mark.parametrize(
    "make_path,match",
    [
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: str(tmp) + os.sep, "names a folder"),
        (lambda tmp: tmp / "missing" / "m.npz", "does not exist"),
        (lambda tmp: "/proc/m.npz", "cannot create files in /proc"),
        (lambda tmp: "/dev/null", "not a regular file"),
    ],
    ids=["folder", "trailing-slash", "missing-folder", "unwritable-folder", "device"],
)
def test_check_writable_refuses_with_one_line(tmp_path, make_path, match):
    with pytest.raises(ValueError, match=match) as caught:
        check_writable(make_path(tmp_path))
    assert "\n" not in str(caught.value)


def test_check_writable_accepts_new_and_existing_files_and_leaves_nothing(tmp_path):
    check_writable(tmp_path / "new.npz")
    (tmp_path / "old.npz").write_bytes(b"x")
    check_writable(tmp_path / "old.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.npz"]
