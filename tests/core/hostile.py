"""Builders of hostile files, byte by byte: zip archives whose declared sizes, compression
and ``.npy`` headers say whatever a test wants, including zip bombs that would inflate to
gigabytes, and PNGs that declare any size. Shared by the hostile-file tests and
benchmarks/bench_hostile.py.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np

from core.modelfile import FORMAT, VERSION

ZERO_CHUNK = 1 << 24  # 16 MiB of zeros deflates, after a full flush, to the same ~16 KB every time


@dataclass
class Entry:
    """One zip member as written: ``data`` is the stored or deflated bytes, the rest is declared."""

    name: str
    data: bytes
    crc: int
    file_size: int
    method: int = zipfile.ZIP_DEFLATED


def npy_header(descr: str, shape, fortran: bool = False, version: int = 1, text: str | None = None) -> bytes:
    """The bytes of a ``.npy`` header declaring descr/shape/order (or the literal ``text``), no data."""
    text = text if text is not None else repr({"descr": descr, "fortran_order": fortran, "shape": tuple(shape)})
    body = text.encode("latin1")
    size_field = "<H" if version == 1 else "<I"
    before = 6 + 2 + struct.calcsize(size_field)
    pad = -(before + len(body) + 1) % 64
    body += b" " * pad + b"\n"
    return b"\x93NUMPY" + bytes([version, 0]) + struct.pack(size_field, len(body)) + body


def deflated(content: bytes, name: str, method: int = zipfile.ZIP_DEFLATED) -> Entry:
    """An honest member holding ``content``."""
    if method == zipfile.ZIP_STORED:
        data = content
    else:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        data = c.compress(content) + c.flush()
    return Entry(name, data, zlib.crc32(content), len(content), method)


def zero_bomb(name: str, prefix: bytes, n_zeros: int, honest_crc: bool = True) -> Entry:
    """A member holding ``prefix`` then ``n_zeros`` zero bytes, deflated at ~1000:1 without ever
    holding the zeros in memory. ``honest_crc=False`` skips the CRC (0.25 s per GB) for members
    the loader must refuse before reading their data."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [c.compress(prefix), c.flush(zlib.Z_FULL_FLUSH)]
    crc = zlib.crc32(prefix)
    zeros = bytes(ZERO_CHUNK)
    chunk = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    full, rest = divmod(n_zeros, ZERO_CHUNK)
    parts.append(chunk * full)
    parts.append(c.compress(bytes(rest)) + c.flush())
    if honest_crc:
        for _ in range(full):
            crc = zlib.crc32(zeros, crc)
        crc = zlib.crc32(bytes(rest), crc)
    return Entry(name, b"".join(parts), crc, len(prefix) + n_zeros)


def zip_archive(entries: list[Entry]) -> bytes:
    """A zip of the entries as declared (zip64 extra fields where sizes pass 4 GiB)."""
    out, central = io.BytesIO(), []
    for e in entries:
        offset = out.tell()
        name = e.name.encode("utf-8")
        big = e.file_size >= 0xFFFFFFFF or len(e.data) >= 0xFFFFFFFF
        local_extra = struct.pack("<HHQQ", 1, 16, e.file_size, len(e.data)) if big else b""
        sizes = (0xFFFFFFFF, 0xFFFFFFFF) if big else (len(e.data), e.file_size)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 45 if big else 20, 0x800, e.method, 0, 0x21,
                              e.crc, *sizes, len(name), len(local_extra)))
        out.write(name + local_extra)
        out.write(e.data)
        central_extra = struct.pack("<HHQQ", 1, 16, e.file_size, len(e.data)) if big else b""
        central.append(struct.pack("<4s6H3L5HLL", b"PK\x01\x02", 45, 45 if big else 20, 0x800, e.method, 0, 0x21,
                                   e.crc, *sizes, len(name), len(central_extra), 0, 0, 0, 0, offset)
                       + name + central_extra)
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def meta_bytes(layers: list, extra=None, fmt: str = FORMAT, version=VERSION) -> bytes:
    return json.dumps({"format": fmt, "version": version, "layers": layers, "extra": extra or {}}).encode("utf-8")


def npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=True)
    return buf.getvalue()


def meta_entry(layers: list, extra=None) -> Entry:
    return deflated(npy(np.frombuffer(meta_bytes(layers, extra), np.uint8)), "meta.npy")


def linear_bomb(rows: int = 50_000, cols: int = 40_000, honest_crc: bool = True) -> bytes:
    """A model file of one Linear(cols, rows) whose W is rows x cols float32 zeros: ~8 GB
    declared, ~7.7 MB on disk for the default 50,000 x 40,000."""
    header = npy_header("<f4", (rows, cols))
    return zip_archive([
        meta_entry([{"type": "Linear", "nin": cols, "nout": rows}]),
        zero_bomb("layer0.W.npy", header, 4 * rows * cols, honest_crc),
        deflated(npy(np.zeros((1, rows), np.float32)), "layer0.b.npy"),
    ])


def entries_of(data: bytes) -> list[Entry]:
    """The members of a valid zip as honest, re-deflated entries (to edit one and rebuild)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [deflated(zf.read(info), info.filename) for info in zf.infolist()]


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG whose header declares width x height 8-bit grey, followed by the given (or no) pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(idat)) + png_chunk(b"IEND", b"")
