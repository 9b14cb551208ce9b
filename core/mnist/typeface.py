"""Typeset digits on the app's 280x280 canvas: a second test of reading digits from outside MNIST.

What it is for: a cross-check that shares nothing with the stroke generator of
:mod:`core.mnist.handwriting` (which also provides synthetic training digits). Each digit is
typeset in the TrueType font embedded in Pillow itself (Aileron Regular, returned by
``PIL.ImageFont.load_default(size)`` when Pillow has FreeType, as its wheels do; no system font),
at a random size, weight (a white outline thickens it), slant, rotation and position, white
on a black 280x280 RGBA picture like the canvas gives, then read through
:func:`core.mnist.preprocess.preprocess_digit`. ``TYPEFACE_SEED`` was fixed before any recipe
was measured on it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont, features

from .preprocess import preprocess_digit

CANVAS = 280
TYPEFACE_SEED = 20240612
_REFERENCE_SIZE = 200


class NoTrueTypeError(RuntimeError):
    """Pillow was built without FreeType, so it has no scalable embedded font."""


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    if not features.check("freetype2"):
        raise NoTrueTypeError("This Pillow has no FreeType support, so it cannot typeset digits; "
                              "install Pillow's wheel from PyPI.")
    return ImageFont.load_default(size=size)


def typeset_digit(digit: int, rng: np.random.Generator) -> np.ndarray:
    """One randomly typeset ``digit``: the canvas picture (280, 280, 4) uint8 RGBA, white on opaque black.

    Height log-uniform 50-250 px, outline 0-5% of the height (regular to heavy), slant +-0.3 (x shift
    per unit of height), rotation +-10 degrees, anywhere on the canvas that holds it.
    """
    if digit not in range(10):
        raise ValueError(f"Digits are 0-9, got {digit!r}.")
    height = float(np.exp(rng.uniform(np.log(50.0), np.log(250.0))))
    left, top, right, bottom = _font(_REFERENCE_SIZE).getbbox(str(digit))
    size = max(8, round(_REFERENCE_SIZE * height / (bottom - top)))
    outline = int(round(rng.uniform(0.0, 0.05) * height))
    slant = rng.uniform(-0.3, 0.3)
    degrees = rng.uniform(-10.0, 10.0)

    font = _font(size)
    left, top, right, bottom = font.getbbox(str(digit), stroke_width=outline)
    pad = int(0.5 * (bottom - top)) + 4
    w, h = right - left + 2 * pad, bottom - top + 2 * pad
    glyph = Image.new("L", (w, h), 0)
    ImageDraw.Draw(glyph).text((pad - left, pad - top), str(digit), font=font, fill=255, stroke_width=outline, stroke_fill=255)
    # Slant about the middle height: output (x, y) reads input (x - slant * (h/2 - y), y).
    glyph = glyph.transform((w, h), Image.Transform.AFFINE, (1.0, slant, -slant * h / 2, 0.0, 1.0, 0.0),
                            resample=Image.Resampling.BILINEAR)
    glyph = glyph.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=True)
    glyph = glyph.crop(glyph.getbbox())
    room = CANVAS - 8
    if max(glyph.size) > room:
        factor = room / max(glyph.size)
        glyph = glyph.resize((max(1, round(glyph.width * factor)), max(1, round(glyph.height * factor))), Image.Resampling.BOX)
    x = int(rng.integers(4, CANVAS - 4 - glyph.width + 1))
    y = int(rng.integers(4, CANVAS - 4 - glyph.height + 1))
    grey = Image.new("L", (CANVAS, CANVAS), 0)
    grey.paste(glyph, (x, y))
    picture = Image.merge("RGBA", (grey, grey, grey, Image.new("L", (CANVAS, CANVAS), 255)))
    return np.asarray(picture)


def typeface_digit_set(n_per_class: int, seed: int = TYPEFACE_SEED) -> tuple[np.ndarray, np.ndarray]:
    """n_per_class typeset versions of every digit, each through ``preprocess_digit``.

    Returns images (10 * n_per_class, 28, 28) float32 in [0, 1] and labels (10 * n_per_class,) int64,
    in the order 0, 1, ..., 9, 0, ...; the same seed gives the same set. Raises NoTrueTypeError
    when Pillow lacks FreeType.
    """
    rng = np.random.default_rng(seed)
    labels = np.tile(np.arange(10, dtype=np.int64), n_per_class)
    images = np.empty((len(labels), 28, 28), dtype=np.float32)
    for i, digit in enumerate(labels):
        images[i] = preprocess_digit(typeset_digit(int(digit), rng))
    return images, labels
