"""IDX files: parsing, validation and the directory loader (core/mnist/idx.py)."""

import gzip

import numpy as np
import pytest

from core.mnist import IdxError, read_idx, read_images, read_labels
from core.mnist.data import load_test_data, load_training_data
from core.mnist.idx import idx_bytes, load_mnist_dir, load_split

IMAGES = np.arange(3 * 28 * 28, dtype=np.uint32).reshape(3, 28, 28).astype(np.uint8)
LABELS = np.array([7, 2, 1], np.uint8)


def write(path, data: bytes, gz=False):
    if gz:
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_reads_images_and_labels_raw_or_gzipped(tmp_path, gz):
    images = read_images(write(tmp_path / "i", idx_bytes(IMAGES), gz))
    labels = read_labels(write(tmp_path / "l", idx_bytes(LABELS), gz))
    np.testing.assert_array_equal(images, IMAGES)
    assert labels.dtype == np.int64 and labels.tolist() == [7, 2, 1]


def test_header_layout_is_the_standard_one(tmp_path):
    raw = idx_bytes(IMAGES)
    assert raw[:4] == bytes.fromhex("00000803") and int.from_bytes(raw[4:8], "big") == 3
    assert idx_bytes(LABELS)[:4] == bytes.fromhex("00000801") and len(idx_bytes(LABELS)) == 8 + 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "truncated while reading the header"),
        (b"\x12\x34\x08\x03" + bytes(20), "not an IDX file"),
        (b"\x00\x00\x0d\x01" + bytes(8), "not unsigned bytes"),
        (b"\x00\x00\x08\x09" + bytes(8), "9 dimensions"),
        (idx_bytes(IMAGES)[:-100], "truncated while reading data"),
        (idx_bytes(IMAGES)[:10], "truncated while reading the dimensions"),
        (idx_bytes(IMAGES) + b"\x00", "bytes after"),
    ],
)
def test_malformed_files_get_clear_errors(tmp_path, data, message):
    with pytest.raises(IdxError, match=message):
        read_idx(write(tmp_path / "bad", data))


def test_truncated_gzip_stream(tmp_path):
    data = gzip.compress(idx_bytes(IMAGES))
    with pytest.raises(IdxError, match=r"truncated|corrupt"):
        read_idx(write(tmp_path / "bad.gz", data[: len(data) // 2]))


def test_corrupt_gzip_stream(tmp_path):
    data = bytearray(gzip.compress(idx_bytes(IMAGES)))
    data[30:40] = b"\xff" * 10
    with pytest.raises(IdxError):
        read_idx(write(tmp_path / "bad.gz", bytes(data)))


def test_header_announcing_huge_data_is_refused_before_reading(tmp_path):
    header = b"\x00\x00\x08\x03" + np.array([10**6, 1000, 1000], ">u4").tobytes()
    with pytest.raises(IdxError, match="more than"):
        read_idx(write(tmp_path / "bomb", header))


def test_images_and_labels_files_are_told_apart(tmp_path):
    with pytest.raises(IdxError, match="labels file"):
        read_images(write(tmp_path / "l", idx_bytes(LABELS)))
    with pytest.raises(IdxError, match="images file"):
        read_labels(write(tmp_path / "i", idx_bytes(IMAGES)))
    with pytest.raises(IdxError, match="0-9"):
        read_labels(write(tmp_path / "l2", idx_bytes(np.array([3, 12], np.uint8))))
    with pytest.raises(IdxError, match="No such file"):
        read_idx(tmp_path / "missing")


def make_dir(folder, n_train=5, n_test=3, gz=True):
    rng = np.random.default_rng(1)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if gz else ""
    for split, n in (("train", n_train), ("t10k", n_test)):
        write(folder / f"{split}-images-idx3-ubyte{suffix}", idx_bytes(rng.integers(0, 256, (n, 28, 28))), gz)
        write(folder / f"{split}-labels-idx1-ubyte{suffix}", idx_bytes(rng.integers(0, 10, n)), gz)
    return folder


def test_directory_with_the_four_official_files(tmp_path):
    x_train, y_train, x_test, y_test = load_mnist_dir(make_dir(tmp_path / "d", gz=False))
    assert x_train.shape == (5, 28, 28) and y_train.shape == (5,) and x_test.shape == (3, 28, 28) and y_test.shape == (3,)
    x_train, *_ = load_mnist_dir(make_dir(tmp_path / "g", gz=True))
    assert x_train.dtype == np.uint8


def test_directory_errors_name_the_missing_or_mismatched_file(tmp_path):
    folder = make_dir(tmp_path / "d")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(IdxError, match=r"t10k-labels-idx1-ubyte.*download"):
        load_mnist_dir(folder)
    write(folder / "t10k-labels-idx1-ubyte.gz", idx_bytes(np.zeros(4, np.uint8)), gz=True)
    with pytest.raises(IdxError, match=r"3 images but .* 4 labels"):
        load_split(folder, "test")


def test_training_data_prefers_the_full_set_and_falls_back_to_the_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_PLAYGROUND_CACHE", str(tmp_path / "cache"))
    *_, source = load_training_data()
    assert "sample" in source
    x_test, _y_test, source = load_test_data()
    assert x_test.shape == (1000, 28, 28) and "held-out" in source
    x_train, _, x_test, _, source = load_training_data(make_dir(tmp_path / "d"))
    assert len(x_train) == 5 and len(x_test) == 3 and str(tmp_path / "d") in source
    make_dir(tmp_path / "cache" / "mnist")  # as `download` leaves it
    x_train, *_ = load_training_data()
    assert len(x_train) == 5
    x_test, _, source = load_test_data()
    assert len(x_test) == 3 and "official" in source
