"""Hostile images for load_image_file: other formats under a PNG name, huge declared sizes, truncated
and damaged files, odd modes, animations. Each gives an array preprocess_digit takes, or ValueError with
a reason, never another exception; huge declared sizes are refused before any pixel is decoded.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from core.mnist.preprocess import MAX_SIDE, WORK_SIDE, load_image_file, preprocess_digit
from tests.core.hostile import png_declaring

ROOT = Path(__file__).resolve().parents[3]
IMAGES = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 150)), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(encoded(Image.new("L", (16, 16), 200), "JPEG"))
    at = data.find(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_declaring(width: int, height: int) -> bytes:
    data = bytearray(encoded(Image.new("L", (16, 16), 200), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def bmp_declaring(width: int, height: int) -> bytes:
    data = bytearray(encoded(Image.new("L", (16, 16), 200), "BMP"))
    data[18:26] = struct.pack("<ii", width, height)
    return bytes(data)


HUGE = {
    "png-100000x100000": png_declaring(100_000, 100_000),
    "png-4097x1": png_declaring(MAX_SIDE + 1, 1),
    "jpeg-65000x65000": jpeg_declaring(65_000, 65_000),
    "gif-65535x65535": gif_declaring(65_535, 65_535),
    "bmp-1000000x1000000": bmp_declaring(1_000_000, 1_000_000),
    "png-2147483647x2147483647": png_declaring(2**31 - 1, 2**31 - 1),
}


def check_outcome(source) -> np.ndarray | None:
    """load_image_file then preprocess_digit: arrays of the documented kinds, or ValueError with a reason."""
    try:
        picture = load_image_file(source)
    except ValueError as exc:
        assert str(exc).strip()
        event(f"refused: {' '.join(str(exc).split()[:5])}")
        return None
    assert picture.ndim in (2, 3) and max(picture.shape[:2]) <= WORK_SIDE
    assert picture.dtype == np.uint8 or (picture.dtype.kind == "f" and picture.min() >= 0 and picture.max() <= 1)
    digit = preprocess_digit(picture)
    assert digit is None or (digit.shape == (28, 28) and digit.dtype == np.float32)
    event("read")
    return picture


@pytest.mark.parametrize("name", sorted(HUGE))
def test_huge_declared_sizes_are_refused_before_decoding(name):
    with pytest.raises(ValueError, match=f"limit is {MAX_SIDE}x{MAX_SIDE}"):
        load_image_file(io.BytesIO(HUGE[name]))


def test_huge_declared_sizes_are_refused_within_1_gib(tmp_path):
    """In a process limited to 1 GiB of address space (each would need gigabytes decoded)."""
    for name, data in HUGE.items():
        (tmp_path / f"{name}.png").write_bytes(data)
    bomb = tmp_path / "zeros-4096x4096-rgba.png"  # a real, allowed size: 64 MB decoded from a 65 KB file
    Image.new("RGBA", (MAX_SIDE, MAX_SIDE)).save(bomb)
    script = (
        "import resource, sys, json\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
        "from core.mnist.preprocess import load_image_file\n"
        "out = {}\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        out[path] = 'read %s' % (load_image_file(path).shape,)\n"
        "    except ValueError as exc:\n"
        "        out[path] = 'refused: %s' % exc\n"
        "print(json.dumps(out))\n"
    )
    paths = sorted(str(p) for p in tmp_path.iterdir())
    proc = subprocess.run([sys.executable, "-c", script, *paths], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr
    import json

    outcomes = json.loads(proc.stdout)
    assert outcomes.pop(str(bomb)) == f"read ({WORK_SIDE}, {WORK_SIDE}, 4)"
    assert all(o.startswith("refused: ") for o in outcomes.values()), outcomes


@pytest.mark.parametrize("fmt", ["EPS", "TIFF", "ICO", "PDF", "PPM", "TGA", "DDS"])
def test_other_formats_under_a_png_name_are_refused(tmp_path, fmt):
    path = tmp_path / "digit.png"
    path.write_bytes(encoded(Image.new("RGB" if fmt != "EPS" else "L", (32, 32), 255), fmt))
    with pytest.raises(ValueError, match="not a PNG, JPEG, BMP, GIF or WebP file"):
        load_image_file(path)


@pytest.mark.parametrize("fmt,options", [("GIF", {}), ("WEBP", {"lossless": True}), ("PNG", {})])
def test_animations_give_their_first_frame(fmt, options):
    frames = [Image.fromarray(np.full((30, 40), 40 * (i + 1), np.uint8)).convert("RGB") for i in range(4)]
    data = encoded(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, **options)
    with Image.open(io.BytesIO(data)) as check:
        assert getattr(check, "n_frames", 1) == 4
    picture = load_image_file(io.BytesIO(data))
    assert picture.shape[:2] == (30, 40)
    assert abs(int(picture[..., 0].mean()) - 40) <= 2


def test_truncated_files_are_refused_with_a_reason():
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    for fmt in ("PNG", "JPEG", "BMP", "GIF", "WEBP"):
        data = encoded(Image.fromarray(noise), fmt)
        with pytest.raises(ValueError, match="damaged"):
            load_image_file(io.BytesIO(data[: len(data) * 2 // 3]))


MODES = ["1", "L", "LA", "P", "P+transparency", "RGB", "RGBA", "I;16", "CMYK"]
FORMATS = {"PNG": {"1", "L", "LA", "P", "P+transparency", "RGB", "RGBA", "I;16"}, "JPEG": {"L", "RGB", "CMYK"},
           "BMP": {"1", "L", "P", "RGB", "RGBA"}, "GIF": {"1", "L", "P", "P+transparency", "RGB"},
           "WEBP": {"L", "RGB", "RGBA"}}


@st.composite
def image_files(draw) -> bytes:
    """A small image in any mode the offered formats store, maybe truncated or with bytes flipped."""
    fmt = draw(st.sampled_from(sorted(FORMATS)))
    mode = draw(st.sampled_from(sorted(FORMATS[fmt])))
    w, h = draw(st.integers(1, 48)), draw(st.integers(1, 48))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    base = Image.fromarray(rng.integers(0, 256, (h, w, 4), dtype=np.uint8), "RGBA")
    if mode == "P+transparency":
        image = base.convert("RGB").convert("P")
        image.info["transparency"] = 0
    elif mode == "I;16":
        image = Image.fromarray(rng.integers(0, 65536, (h, w), dtype=np.uint16))
    else:
        image = base.convert(mode)
    data = bytearray(encoded(image, fmt, **({"transparency": 0} if mode == "P+transparency" else {})))
    damage = draw(st.sampled_from(["none", "none", "truncate", "flip", "flip-header"]))
    if damage == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage.startswith("flip"):
        top = min(len(data), 64) if damage == "flip-header" else len(data)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, top - 1))] ^= draw(st.integers(1, 255))
    event(f"{fmt} {mode} {damage}")
    return bytes(data)


@IMAGES
@given(image_files())
def test_any_offered_image_reads_or_is_refused_with_a_reason(data):
    check_outcome(io.BytesIO(data))


@IMAGES
@given(st.binary(max_size=2000), st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"BM", b"RIFF"]))
def test_random_bytes_behind_an_image_signature_read_or_are_refused(noise, signature):
    check_outcome(io.BytesIO(signature + noise))
