"""Downloading the official files with pooch, against a local HTTP server on 127.0.0.1 (core/mnist/download.py).

The local mirror is plain http, so every download passes the files' checksums, as a user must."""

import gzip
import hashlib
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from core.mnist import cli
from core.mnist.download import KNOWN_FILES, DownloadError, download_mnist, file_names, read_checksums, verify_file
from core.mnist.idx import idx_bytes, load_mnist_dir

COUNTS = {"train": 6, "test": 4}


def official_like_files():
    rng = np.random.default_rng(2)
    files = {}
    for split, kind, name in file_names():
        n = COUNTS[split]
        data = rng.integers(0, 256, (n, 28, 28)) if kind == "images" else rng.integers(0, 10, n)
        files[name] = gzip.compress(idx_bytes(data))
    return files


class Mirror:
    """A tiny MNIST mirror: serves files, and can truncate, corrupt or lose chosen ones."""

    def __init__(self):
        self.files = official_like_files()
        self.truncate: set[str] = set()  # announce the full length, send half, hang up
        self.requests: list[str] = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                mirror.requests.append(name)
                if name not in mirror.files:
                    self.send_error(404, "Not Found")
                    return
                body = mirror.files[name]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if name in mirror.truncate else body)
                self.close_connection = True

            def log_message(self, *args):
                pass

        # The digests of the true files, taken before a test truncates or corrupts any of them.
        self.hashes = {name: "sha256:" + hashlib.sha256(body).hexdigest() for name, body in self.files.items()}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/mnist/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mirror():
    m = Mirror()
    yield m
    m.close()


def test_download_verifies_caches_and_shows_progress(tmp_path, mirror):
    progress = io.StringIO()
    folder = download_mnist(tmp_path / "d", mirror=mirror.url, stream=progress, counts=COUNTS, hashes=mirror.hashes)
    x_train, _y_train, _x_test, y_test = load_mnist_dir(folder)
    assert x_train.shape == (6, 28, 28) and len(y_test) == 4
    assert sorted(p.name for p in folder.iterdir()) == sorted(name for *_, name in file_names())  # no temporary left
    assert "100%" in progress.getvalue() and "train-images-idx3-ubyte.gz" in progress.getvalue()
    assert len(mirror.requests) == 4
    download_mnist(folder, mirror=mirror.url, counts=COUNTS, hashes=mirror.hashes)  # all cached and valid: nothing fetched
    assert len(mirror.requests) == 4


def test_truncated_download_is_refused_and_leaves_nothing(tmp_path, mirror):
    mirror.truncate.add("t10k-images-idx3-ubyte.gz")
    with pytest.raises(DownloadError, match=r"t10k-images-idx3-ubyte.gz: the connection ended"):
        download_mnist(tmp_path, mirror=mirror.url, counts=COUNTS, hashes=mirror.hashes)
    assert not (tmp_path / "t10k-images-idx3-ubyte.gz").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]


def test_corrupt_download_fails_its_checksum(tmp_path, mirror):
    good = mirror.files["train-labels-idx1-ubyte.gz"]
    mirror.files["train-labels-idx1-ubyte.gz"] = good[:12] + bytes(b ^ 0x5A for b in good[12:])
    with pytest.raises(DownloadError, match=r"train-labels-idx1-ubyte.gz: its checksum does not match"):
        download_mnist(tmp_path, mirror=mirror.url, counts=COUNTS, hashes=mirror.hashes)
    assert not (tmp_path / "train-labels-idx1-ubyte.gz").exists()
    assert len(list(tmp_path.iterdir())) == 1  # the one good file before it, no temporary file


def test_wrong_checksum_is_refused(tmp_path, mirror):
    hashes = {**mirror.hashes, "t10k-labels-idx1-ubyte.gz": "sha256:" + "0" * 64}
    with pytest.raises(DownloadError, match=r"t10k-labels-idx1-ubyte.gz: its checksum does not match sha256:000"):
        download_mnist(tmp_path, mirror=mirror.url, counts=COUNTS, hashes=hashes)
    assert not (tmp_path / "t10k-labels-idx1-ubyte.gz").exists()


def test_plain_http_mirror_without_checksums_is_refused(tmp_path, mirror):
    with pytest.raises(DownloadError, match=r"plain http.*--checksums"):
        download_mnist(tmp_path, mirror=mirror.url, counts=COUNTS)
    assert mirror.requests == []


def test_an_invalid_file_with_the_right_checksum_is_still_refused(tmp_path, mirror):
    """The checksum says the file arrived as the mirror has it; the IDX parse says it is MNIST."""
    mirror.files["train-labels-idx1-ubyte.gz"] = gzip.compress(b"not an idx file at all")
    hashes = {**mirror.hashes, "train-labels-idx1-ubyte.gz":
              "sha256:" + hashlib.sha256(mirror.files["train-labels-idx1-ubyte.gz"]).hexdigest()}
    with pytest.raises(DownloadError, match=r"train-labels-idx1-ubyte.gz is not a valid MNIST file"):
        download_mnist(tmp_path, mirror=mirror.url, counts=COUNTS, hashes=hashes)
    assert not (tmp_path / "train-labels-idx1-ubyte.gz").exists()


def test_wrong_number_of_digits_is_refused(tmp_path, mirror):
    with pytest.raises(DownloadError, match="official train set has 60,000"):
        download_mnist(tmp_path, mirror=mirror.url, hashes=mirror.hashes)


def test_a_damaged_cached_file_is_fetched_again(tmp_path, mirror):
    download_mnist(tmp_path, mirror=mirror.url, counts=COUNTS, hashes=mirror.hashes)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"garbage")
    download_mnist(tmp_path, mirror=mirror.url, counts=COUNTS, hashes=mirror.hashes)
    assert mirror.requests.count("train-images-idx3-ubyte.gz") == 2
    load_mnist_dir(tmp_path)


def test_missing_file_on_the_mirror(tmp_path, mirror):
    del mirror.files["train-labels-idx1-ubyte.gz"]
    with pytest.raises(DownloadError, match="HTTP 404"):
        download_mnist(tmp_path, mirror=mirror.url, counts=COUNTS, hashes=mirror.hashes)


def test_unreachable_mirror(tmp_path):
    with pytest.raises(DownloadError, match=r"Could not reach|failed"):
        download_mnist(tmp_path, mirror="http://127.0.0.1:9/", timeout=5, counts=COUNTS, hashes={"x": "md5:0"})


def test_default_mirror_files_are_checked_against_the_originals(tmp_path):
    """Files from the default mirror must match the originals' sizes and MD5s."""
    assert KNOWN_FILES["t10k-labels-idx1-ubyte.gz"] == "md5:ec29112dd5afa0611ce80d1b7f02629c"
    fake = tmp_path / "t10k-labels-idx1-ubyte.gz"
    fake.write_bytes(gzip.compress(idx_bytes(np.zeros(10_000, np.uint8))))
    verify_file(fake, "test", "labels")  # a valid IDX file with the right count...
    with pytest.raises(DownloadError, match="checksum does not match md5:ec29"):
        verify_file(fake, "test", "labels", KNOWN_FILES[fake.name])  # ...but not the original


def test_command_line_download(tmp_path, mirror, monkeypatch, capsys):
    monkeypatch.setattr("core.mnist.download.EXPECTED_COUNT", COUNTS)
    monkeypatch.setenv("NN_PLAYGROUND_CACHE", str(tmp_path / "cache"))
    checksums = tmp_path / "SHA256SUMS"
    checksums.write_text("".join(f"{digest.split(':')[1]}  {name}\n" for name, digest in mirror.hashes.items()))
    assert read_checksums(checksums) == mirror.hashes
    assert cli.main(["download", "--mirror", mirror.url]) == 2  # plain http without checksums
    assert "--checksums" in capsys.readouterr().err
    assert cli.main(["download", "--mirror", mirror.url, "--checksums", str(checksums)]) == 0
    assert (tmp_path / "cache" / "mnist" / "train-images-idx3-ubyte.gz").is_file()
    assert '"verified": true' in capsys.readouterr().out
    del mirror.files["t10k-images-idx3-ubyte.gz"]
    assert cli.main(["download", "--dir", str(tmp_path / "other"), "--mirror", mirror.url, "--checksums",
                     str(checksums)]) == 2
    assert "error:" in capsys.readouterr().err
