"""Shared by the digits page tests: a small ready model trained in seconds, and drawings.

The app's ready model (``core.mnist.default_digit_model``) is trained on first use and
cached in $NN_PLAYGROUND_CACHE. The page tests point that variable at a temporary
directory holding a real but smaller model, trained on the embedded sample with the same
recipe machinery (fewer rounds, one hidden layer), so the tests take seconds.
"""

from __future__ import annotations

import atexit
import base64
import functools
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from core import save_model
from core.mnist import Recipe, sample_split, train_digits
from core.mnist.train import DEFAULT_MODEL_FILE, DEFAULT_MODEL_TAG

QUICK_RECIPE = Recipe(hidden=(128,), rounds=3, copies=1, lr=3e-3, batch_size=64, seed=0)

# Pen strokes on a 280x280 canvas, as (x, y) points: what a person draws for these digits.
STROKES = {
    1: [[(150, 50), (140, 230)]],
    7: [[(80, 60), (200, 60), (120, 230)]],
}


@functools.cache
def ready_model_cache() -> Path:
    """A temporary cache dir holding the quick ready model (trained once per test process)."""
    folder = Path(tempfile.mkdtemp(prefix="nn-playground-cache-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    x_train, y_train, x_test, y_test = sample_split()
    result = train_digits(x_train, y_train, x_test, y_test, QUICK_RECIPE)
    save_model(folder / DEFAULT_MODEL_FILE, result.net, extra={"tag": DEFAULT_MODEL_TAG, "recipe": "tests' quick recipe"})
    return folder


def drawing(digit: int, size: int = 280) -> np.ndarray:
    """An RGBA canvas picture (size, size, 4) uint8: white strokes of ``digit`` on black, like the page's canvas."""
    picture = Image.new("RGBA", (size, size), (0, 0, 0, 255))
    pen = ImageDraw.Draw(picture)
    scale = size / 280
    for stroke in STROKES[digit]:
        pen.line([(x * scale, y * scale) for x, y in stroke], fill=(255, 255, 255, 255), width=round(18 * scale),
                 joint="curve")
    return np.asarray(picture)


def png_bytes(picture: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(picture).save(buf, format="PNG")
    return buf.getvalue()


def canvas_state(picture: np.ndarray) -> dict:
    """The canvas component's session-state value after the user drew ``picture`` (its PNG data URL)."""
    url = "data:image/png;base64," + base64.b64encode(png_bytes(picture)).decode("ascii")
    return {"drawing": {"raw": {"objects": [], "background": "#000000"}, "data": url}, "backgroundFit": None}


def npy_header(shape: tuple[int, ...], descr: str = "<f4") -> bytes:
    """A hand-written .npy (version 1.0) header declaring ``shape`` of ``descr``, with no data after it."""
    text = repr({"descr": descr, "fortran_order": False, "shape": tuple(shape)})
    body = text.encode("latin1")
    body += b" " * (63 - (10 + len(body)) % 64) + b"\n"  # the header ends on a 64-byte boundary
    return b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body


def model_zip(layers: list[dict], members: dict[str, bytes]) -> bytes:
    """A model file (.npz) written by hand: ``meta`` listing ``layers``, plus raw ``members``."""
    meta = json.dumps({"format": "nn-playground-model", "version": 1, "layers": layers, "extra": {}}).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta.npy", npy_header((len(meta),), "|u1") + meta)
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


def hostile_model_file() -> bytes:
    """Under a kilobyte on disk, but its weight member declares a 50,000 x 40,000 float32 array (8 GB)."""
    return model_zip([{"type": "Linear", "nin": 40_000, "nout": 50_000}],
                     {"layer0.W.npy": npy_header((50_000, 40_000)), "layer0.b.npy": npy_header((1, 50_000))})


def model_file_with_layer_type(name: str) -> bytes:
    """A model file whose one layer has the made-up type ``name`` (the loader's message repeats it)."""
    return model_zip([{"type": name}], {})
