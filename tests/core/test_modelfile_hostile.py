"""Hostile model files: zip bombs, lying headers, pickles, nested metadata, shapes that do not chain.

Every bad file must give ModelFileError with a reason (never another exception) while memory
stays bounded: the loader reads declared sizes and .npy headers before any array data, so a
file that declares gigabytes allocates next to nothing. Property tests try many generated
files; run with ``--hypothesis-show-statistics`` to see how many and what they were refused for.
"""

from __future__ import annotations

import bz2
import io
import json
import os
import re
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from core import Linear, Net, Standardize, mlp
from core.modelfile import (
    MAX_BYTES,
    MAX_META_DEPTH,
    MAX_PARAMETERS,
    MAX_UNPACKED_BYTES,
    ModelFileError,
    load_model,
    model_bytes,
    save_model,
)
from tests.core.hostile import (
    Entry,
    deflated,
    entries_of,
    linear_bomb,
    meta_entry,
    npy,
    npy_header,
    zero_bomb,
    zip_archive,
)

# Every generated file is under a megabyte; one that declares gigabytes must not get near this.
MEMORY_BOUND = 32 * 2**20
# A few seconds in the suite; HOSTILE_EXAMPLES=5000 for a deeper search.
HOSTILE = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 150)), deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])


def good_net() -> Net:
    net = Net([Standardize([1.0, 2.0, 3.0], [0.5, 0.25, 1.0])])
    for layer in mlp(3, [5, 4], 2, ["relu", "tanh"], seed=0, dropout=0.1).layers:
        net.add(layer)
    return net


GOOD = model_bytes(good_net())


def note(text: str) -> None:
    """Label a generated case's outcome (shown by --hypothesis-show-statistics), numbers and names left out."""
    if currently_in_test_context():
        event(re.sub(r"'[^']*'|\S*\d\S*", "_", text)[:60])


def load_within_memory(data: bytes):
    """(LoadedModel or None, ModelFileError or None); the traced peak must stay under MEMORY_BOUND."""
    tracemalloc.start()
    try:
        try:
            loaded, error = load_model(data), None
        except ModelFileError as exc:
            loaded, error = None, exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.1f} MiB ({error or 'loaded'})"
    if error is not None:
        assert str(error).strip()
        note(f"refused: {error}")
    else:
        note("loaded")
        assert np.isfinite(loaded.net.predict(np.ones((2, loaded.net.n_inputs)))).all()
    return loaded, error


def refused_within_memory(data: bytes) -> ModelFileError:
    _, error = load_within_memory(data)
    assert error is not None, "a hostile file was loaded"
    return error


def loads_or_refused_within_memory(data: bytes):
    return load_within_memory(data)[0]


# --- The reported attack and its variants -------------------------------------------------


def test_the_reported_bomb_is_refused_from_its_declared_size():
    """50,000 x 40,000 float32 zeros: 7.8 MB on disk, 8 GB inflated. The old loader tried to allocate it."""
    data = linear_bomb(honest_crc=False)
    assert len(data) < 8 * 2**20
    error = refused_within_memory(data)
    assert "8,000,200,505 bytes" in str(error) and "zip bomb" in str(error)


def test_a_bomb_whose_zip_entry_lies_about_its_size_is_refused_from_the_npy_header():
    header = npy_header("<f4", (50_000, 40_000))
    lying = zero_bomb("layer0.W.npy", header, 400)  # an honest zip entry of 400 bytes of data after the header
    data = zip_archive([meta_entry([{"type": "Linear", "nin": 40_000, "nout": 50_000}]), lying,
                        deflated(npy(np.zeros((1, 50_000), np.float32)), "layer0.b.npy")])
    error = refused_within_memory(data)
    assert "declares a (50000, 40000) float32 array (8,000,000,000 bytes) but holds 400 bytes" in str(error)


def test_a_file_declaring_more_parameters_than_the_cap_is_refused_before_inflating():
    rows, cols = 4_250, 4_000  # 17 million float32: under the unpacked-bytes cap, over the parameter cap
    bomb = zero_bomb("layer0.W.npy", npy_header("<f4", (rows, cols)), 4 * rows * cols, honest_crc=False)
    bomb.data += bytes(700_000)  # padding after the deflate stream keeps the ratio under 100:1
    data = zip_archive([meta_entry([{"type": "Linear", "nin": cols, "nout": rows}]), bomb,
                        deflated(npy(np.zeros((1, rows), np.float32)), "layer0.b.npy")])
    assert 4 * rows * cols < MAX_UNPACKED_BYTES
    error = refused_within_memory(data)
    assert f"declares {rows * cols + rows:,} numbers" in str(error) and f"{MAX_PARAMETERS:,}" in str(error)


def test_a_directory_of_sixty_thousand_members_is_refused_before_zipfile_reads_it():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(60_000):  # under 65,535: a plain zip, not ZIP64 (refused on its own)
            zf.writestr(f"{i}.npy", b"")
    error = refused_within_memory(buf.getvalue())
    assert "60,000 members" in str(error)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_members_compressed_with_unbounded_decoders_are_refused(method):
    """Python's zipfile inflates bzip2 and lzma without an output limit per read: a bomb in one call."""
    entries = entries_of(GOOD)
    content = npy(np.zeros((3, 5), np.float32))
    entries[1] = Entry(entries[1].name, bz2.compress(content), 0, len(content), method)
    error = refused_within_memory(zip_archive(entries))
    assert f"zip method {method}" in str(error)


def test_pickles_are_refused_from_the_header_without_unpickling():
    entries = entries_of(GOOD)
    entries[1] = deflated(npy(np.array([{"evil": 1}], dtype=object)), entries[1].name)
    assert "pickled" in str(refused_within_memory(zip_archive(entries)))


def test_deeply_nested_metadata_is_refused():
    for depth in (MAX_META_DEPTH + 5, 200_000):  # within the JSON parser's reach, and past it (RecursionError)
        extra = "[" * depth + "]" * depth
        layers = '[{"type": "Linear", "nin": 1, "nout": 1}]'
        meta = f'{{"format": "nn-playground-model", "version": 1, "layers": {layers}, "extra": {extra}}}'
        entries = [deflated(npy(np.frombuffer(meta.encode(), np.uint8)), "meta.npy"),
                   deflated(npy(np.zeros((1, 1), np.float32)), "layer0.W.npy"),
                   deflated(npy(np.zeros((1, 1), np.float32)), "layer0.b.npy")]
        assert "nested" in str(refused_within_memory(zip_archive(entries)))


def test_archive_level_oddities_are_refused():
    entries = entries_of(GOOD)
    cases = {
        "twice": [*entries, entries[1]],
        "not a .npy array": [*entries, deflated(b"#!/bin/sh", "run.sh")],
        "encrypted": [Entry(e.name, e.data, e.crc, e.file_size, e.method) for e in entries],
    }
    encrypted = bytearray(zip_archive(cases.pop("encrypted")))
    at = encrypted.find(b"PK\x01\x02")  # set the encryption flag in the first central directory entry
    encrypted[at + 8] |= 1
    for reason, archive in cases.items():
        assert reason in str(refused_within_memory(zip_archive(archive)))
    assert "encrypted" in str(refused_within_memory(bytes(encrypted)))
    zip64 = GOOD[:-22] + b"PK\x06\x07" + bytes(16) + GOOD[-22:]
    assert "ZIP64" in str(refused_within_memory(zip64))


def test_memory_errors_become_model_file_errors(monkeypatch):
    import core.modelfile as modelfile

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(modelfile, "_read_array", no_memory)
    with pytest.raises(ModelFileError, match="too large for the memory"):
        load_model(GOOD)


@pytest.mark.parametrize(
    "change,match",
    [
        (lambda a: a.update({"layer0.shift": np.zeros((1, 4))}), "shift for 4 and scale for 3 features"),
        (lambda a: a.update({"layer0.shift": np.zeros((1, 4)), "layer0.scale": np.ones((1, 4))}),
         r"Layer 1 \(Linear\) takes 3 inputs but the layer before gives 4"),
        (lambda a: a.update({"layer0.shift": np.zeros((4,))}), r"shaped \(1, features\)"),
        (lambda a: a.update({"layer4.W": np.zeros((4, 6)), "layer4.b": np.zeros((1, 4))}), r"expected \(4, 5\)"),
    ],
    ids=["standardize-halves-disagree", "standardize-vs-next-layer", "standardize-1d", "linear-chain"],
)
def test_shapes_that_do_not_chain_are_refused(change, match):
    with np.load(io.BytesIO(GOOD)) as z:
        arrays = {k: z[k] for k in z.files}
    change(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    with pytest.raises(ModelFileError, match=match):
        load_model(buf.getvalue())


def test_a_model_at_the_parameter_cap_fits_a_file_and_loads(tmp_path):
    """MAX_PARAMETERS float32 numbers stored uncompressed still fit MAX_BYTES: anything trainable loads."""
    nout, nin = 4_000, 3_999  # (nin + 1) * nout == MAX_PARAMETERS
    assert (nin + 1) * nout == MAX_PARAMETERS
    net = Net([Linear.from_arrays(np.zeros((nout, nin), np.float32), np.zeros((1, nout), np.float32), copy=False)])
    with np.load(io.BytesIO(model_bytes(Net([Linear(1, 1)])))) as z:
        meta = json.loads(z["meta"].tobytes())
    meta["layers"] = [net.layers[0].spec()]
    path = tmp_path / "at-cap.npz"
    np.savez(path, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **{"layer0.W": net.layers[0].W,
                                                                               "layer0.b": net.layers[0].b})
    assert path.stat().st_size < MAX_BYTES
    assert load_model(path).net.layers[0].W.shape == (nout, nin)
    with pytest.raises(ModelFileError, match="at most"):  # and save_model refuses one parameter more
        save_model(tmp_path / "over.npz", Net([net.layers[0], Standardize([0.0], [1.0])]))
    assert not (tmp_path / "over.npz").exists()


# --- Property tests -----------------------------------------------------------------------


@HOSTILE
@given(st.binary(max_size=3000), st.sampled_from([b"", b"PK", b"PK\x03\x04", b"PK\x05\x06"]))
def test_random_bytes_are_refused(noise, prefix):
    refused_within_memory(prefix + noise or b"x")


@HOSTILE
@given(st.data())
def test_damaged_good_files_load_or_are_refused(data):
    """Truncations, flipped bytes and spliced junk anywhere in a valid file: a valid model or a reason."""
    raw = bytearray(GOOD)
    for _ in range(data.draw(st.integers(1, 4), label="damages")):
        kind = data.draw(st.sampled_from(["truncate", "flip", "splice"]))
        at = data.draw(st.integers(0, max(len(raw) - 1, 0)))
        if kind == "truncate":
            raw = raw[:at]
        elif kind == "flip" and raw:
            raw[at] ^= data.draw(st.integers(1, 255))
        else:
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=64))
    loads_or_refused_within_memory(bytes(raw) or b"x")


DESCRS = ["<f4", "<f8", ">f4", ">f8", "<f2", "<i8", "|u1", "|b1", "<c8", "|O", "|V8", "|S3", "<U2", "<M8[s]",
          [("a", "<f4")], [("a", "|O")], "not a dtype"]
HUGE_DIMS = st.one_of(st.integers(0, 6), st.integers(7, 70_000), st.integers(70_000, 2**40))


@st.composite
def hostile_member(draw, name: str) -> Entry:
    """A .npy member whose header, declared size, data and compression may each be wrong."""
    descr = draw(st.sampled_from(DESCRS))
    shape = tuple(draw(st.lists(HUGE_DIMS, max_size=4)))
    if draw(st.booleans()):
        text = None
    else:  # a hand-written header: odd keys, nesting, non-int shapes
        text = draw(st.sampled_from([
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,)}",
            "{'descr': '<f4', 'fortran_order': 'yes', 'shape': (1,)}",
            "{'descr': '<f4', 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(" * 3000 + ")" * 3000 + "}",
            "__import__('os').system('echo pwned')",
            "[" * 5000 + "]" * 5000,
        ]))
    header = npy_header(descr, shape, draw(st.booleans()), draw(st.sampled_from([1, 2, 3])), text)
    try:
        itemsize = np.dtype(descr).itemsize
    except (TypeError, ValueError):
        itemsize = 4
    honest = len(header) + int(np.prod(shape, dtype=object)) * itemsize
    declared = draw(st.sampled_from([honest, honest, len(header), len(header) + 16, 2**33]))
    present = draw(st.integers(0, 256))  # the data actually there: a few bytes at most
    content = header + draw(st.binary(min_size=present, max_size=present))
    method = draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, 99]))
    entry = deflated(content, name, zipfile.ZIP_STORED if method == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED)
    return Entry(name, entry.data, entry.crc, min(declared, 2**64 - 1), method)


@HOSTILE
@given(st.data())
def test_hostile_archives_are_refused_from_their_headers(data):
    """Members of a good file replaced by hostile ones, dropped, duplicated or joined by extras."""
    entries = entries_of(GOOD)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        i = data.draw(st.integers(0, len(entries) - 1))
        edit = data.draw(st.sampled_from(["replace", "replace", "drop", "duplicate", "extra"]))
        if edit == "replace":
            entries[i] = data.draw(hostile_member(entries[i].name))
        elif edit == "drop" and len(entries) > 1:
            entries.pop(i)
        elif edit == "duplicate":
            entries.append(entries[i])
        else:
            name = data.draw(st.sampled_from(["layer9.W.npy", "extra.npy", "meta", "../../etc/passwd", "layer1.W"]))
            entries.append(data.draw(hostile_member(name)))
    loads_or_refused_within_memory(zip_archive(entries))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)


@HOSTILE
@given(st.data())
def test_hostile_metadata_loads_or_is_refused(data):
    """Any JSON (or junk) as metadata, in layer specs or in extra, or nested to any depth."""
    with np.load(io.BytesIO(GOOD)) as z:
        meta = json.loads(z["meta"].tobytes())
    where = data.draw(st.sampled_from(["whole", "layers", "spec", "field", "extra", "nesting", "bytes"]))
    if where == "whole":
        meta = data.draw(JSON)
    elif where == "layers":
        meta["layers"] = data.draw(JSON)
    elif where == "spec":
        meta["layers"][data.draw(st.integers(0, len(meta["layers"]) - 1))] = data.draw(JSON)
    elif where == "field":
        spec = meta["layers"][data.draw(st.sampled_from([1, 2, 3, 4]))]  # Linear, ReLU, Dropout, Linear
        spec[data.draw(st.sampled_from(["nin", "nout", "type", "rate", "alpha"]))] = data.draw(JSON)
    elif where == "extra":
        meta["extra"] = data.draw(JSON)
    raw = json.dumps(meta, allow_nan=True).encode()
    if where == "nesting":  # spliced in as text: json.dumps cannot write what is too deep for it
        depth = data.draw(st.integers(1, 5000))
        raw = raw.replace(b'"extra": {}', b'"extra": ' + b"[" * depth + b"]" * depth)
    elif where == "bytes":
        raw = data.draw(st.binary(max_size=200))
    entries = entries_of(GOOD)
    entries[0] = deflated(npy(np.frombuffer(raw, np.uint8)), "meta.npy")
    loads_or_refused_within_memory(zip_archive(entries))


@HOSTILE
@given(st.data())
def test_nets_load_exactly_or_are_refused_when_one_shape_is_off(data):
    """Random nets round-trip exactly; change one array's shape and the file is refused, naming the layer."""
    n_in = data.draw(st.integers(1, 6))
    hidden = data.draw(st.lists(st.integers(1, 6), max_size=3))
    net = Net([Standardize(np.zeros(n_in), np.ones(n_in))] if data.draw(st.booleans()) else [])
    for layer in mlp(n_in, hidden, data.draw(st.integers(1, 4)), "tanh", seed=0).layers:
        net.add(layer)
    dtype = data.draw(st.sampled_from([np.float32, np.float64]))
    with np.load(io.BytesIO(model_bytes(net))) as z:
        arrays = {k: (z[k].astype(dtype) if k != "meta" else z[k]) for k in z.files}
    if data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(k for k in arrays if k != "meta")))
        shape = list(arrays[key].shape)
        axis = data.draw(st.integers(0, len(shape) - 1))
        new = data.draw(st.integers(0, 8).filter(lambda n, old=shape[axis]: n != old))
        if key.endswith(("shift", "scale")) and axis == 1 and shape[1] > 1 and new == 1:
            new = 0  # width 1 is a valid broadcast for Standardize: pick a real mismatch
        shape[axis] = new
        arrays[key] = np.zeros(shape, dtype)
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        error = refused_within_memory(buf.getvalue())
        assert "Layer" in str(error)
    else:
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        loaded = loads_or_refused_within_memory(buf.getvalue())
        assert loaded is not None
        x = np.random.default_rng(0).normal(size=(4, n_in))
        np.testing.assert_allclose(loaded.net.predict(x), net.predict(x), rtol=1e-5, atol=1e-6)
