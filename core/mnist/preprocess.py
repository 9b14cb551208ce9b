"""One preprocessing function for every digit the app or the command line reads.

LeCun's recipe for MNIST: take the ink, crop it to its bounding box at full resolution,
scale the longer side to 20 px with anti-aliasing (keeping grey levels), paste into 28x28
and shift the intensity centre of mass to the centre. Squashing a whole canvas to 28x28
instead makes small or off-centre drawings unreadable, which is why every path (canvas,
upload, ``predict``) goes through :func:`preprocess_digit`.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
from PIL import Image, UnidentifiedImageError
from scipy import ndimage

BOX = 20  # MNIST digits fit a 20x20 box...
SIZE = 28  # ...centred in 28x28
# Centre of mass of MNIST digits in (row, col) pixel indices; measured on the embedded sample: 14.0 +- 0.3.
CENTRE = (14.0, 14.0)
BLANK_CONTRAST = 24.0  # ink must differ from the background by this many grey levels (of 255) to count
INK_FLOOR = 0.12  # pixels below this share of the strongest ink are background noise (JPEG, paper texture)


def to_grey(image) -> np.ndarray:
    """image: (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA; uint8 or float (0-1 or 0-255).

    Returns (H, W) float64 on a 0-255 scale in which the ink is visible: for a transparent
    RGBA canvas with uniform colour the ink lives in alpha only, so alpha is used; otherwise
    partly transparent pixels are laid over a background that contrasts with the ink.
    """
    a = np.asarray(image)
    if a.dtype.kind not in "uif" and a.dtype != bool:
        raise ValueError(f"An image must hold numbers, got dtype {a.dtype}.")
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (1, 3, 4)):
        raise ValueError(f"An image must be (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA; got shape {a.shape}.")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"The image has no pixels (shape {a.shape}).")
    unit_scale = a.dtype.kind in "fb"  # floats in [0, 1] and booleans are scaled up to 0-255
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError("The image contains NaN or infinite values.")
    if unit_scale and a.max() <= 1.0:
        a = a * 255.0
    a = np.clip(a, 0.0, 255.0)
    if a.ndim == 2:
        return a
    if a.shape[2] == 1:
        return a[:, :, 0]
    rgb, alpha = a[:, :, :3], (a[:, :, 3] if a.shape[2] == 4 else None)
    grey = rgb @ np.array([0.299, 0.587, 0.114])
    if alpha is None or alpha.min() == alpha.max():
        return grey if alpha is None or alpha.max() > 0 else np.zeros_like(grey)
    opaque = alpha > 0
    if np.ptp(grey[opaque]) < BLANK_CONTRAST:
        return alpha  # one colour everywhere (e.g. a transparent canvas): the strokes are the alpha
    # Lay the image over black if its visible ink is light, over white if it is dark.
    ink_level = np.average(grey, weights=alpha)
    background = 0.0 if ink_level >= 128 else 255.0
    w = alpha / 255.0
    return grey * w + background * (1.0 - w)


def ink_map(grey: np.ndarray) -> np.ndarray:
    """grey: (H, W) 0-255 -> (H, W) ink strength >= 0 in grey levels, whatever the polarity.

    The background level is the median of the image's border; ink is what differs from it in
    the direction of the stronger contrast (dark ink on light paper is inverted).
    """
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    background = float(np.median(border))
    lighter, darker = grey.max() - background, background - grey.min()
    return np.clip(grey - background, 0, None) if lighter >= darker else np.clip(background - grey, 0, None)


def _resize(ink: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Anti-aliased resize of a float image to shape (rows, cols), keeping grey levels."""
    img = Image.fromarray(ink.astype(np.float32))  # float32 -> Pillow mode "F"
    shrinking = shape[0] < ink.shape[0] or shape[1] < ink.shape[1]
    # BOX averages every source pixel when shrinking (true anti-aliasing, no ringing); bilinear when enlarging.
    method = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    return np.asarray(img.resize((shape[1], shape[0]), resample=method), dtype=np.float64)


def centre_by_mass(digit: np.ndarray) -> np.ndarray:
    """Shift a (28, 28) digit by whole pixels so its intensity centre of mass sits at CENTRE,
    as far as the frame allows without cutting ink off."""
    rows, cols = np.nonzero(digit > 0)
    cy, cx = ndimage.center_of_mass(digit)
    dy, dx = round(CENTRE[0] - cy), round(CENTRE[1] - cx)
    dy = int(np.clip(dy, -rows.min(), SIZE - 1 - rows.max()))
    dx = int(np.clip(dx, -cols.min(), SIZE - 1 - cols.max()))
    return np.roll(digit, (dy, dx), axis=(0, 1))


def preprocess_digit(image) -> np.ndarray | None:
    """Turn any digit picture into MNIST format.

    image: (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA, uint8 or float, either polarity.
    Returns (28, 28) float32 in [0, 1] with ink high, or None when the image is blank.
    A 28x28 image is taken as MNIST format already (only the polarity is fixed).
    """
    grey = to_grey(image)
    ink = ink_map(grey)
    strongest = float(ink.max())
    if strongest < BLANK_CONTRAST:
        return None
    if grey.shape == (SIZE, SIZE):
        return (ink / 255.0 if strongest <= 255 else ink / strongest).astype(np.float32)
    ink = np.where(ink >= INK_FLOOR * strongest, ink, 0.0) / strongest
    rows, cols = np.nonzero(ink)
    crop = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    small = np.clip(_resize(crop, (new_h, new_w)), 0.0, None)
    if small.max() <= 0:
        return None
    small /= small.max()  # the strongest stroke at full ink, as in MNIST
    digit = np.zeros((SIZE, SIZE))
    top, left = (SIZE - new_h) // 2, (SIZE - new_w) // 2
    digit[top : top + new_h, left : left + new_w] = small
    return np.clip(centre_by_mass(digit), 0.0, 1.0).astype(np.float32)


MAX_SIDE = 4096
WORK_SIDE = 1024  # larger images are first shrunk to this (anti-aliased): the digit ends up 20 px anyway
# The formats the pages offer. Pillow's other decoders (EPS runs Ghostscript, and dozens of rare
# formats) never see an upload.
IMAGE_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "WEBP")
_FORMAT_NAMES = "PNG, JPEG, BMP, GIF or WebP"
# What a damaged file makes Pillow's decoders raise besides OSError (truncated data, bad chunks).
_DECODE_ERRORS = (OSError, SyntaxError, EOFError, ValueError, TypeError, IndexError, KeyError, struct.error,
                  zlib.error, ZeroDivisionError, OverflowError, RuntimeError, Image.DecompressionBombError)


def load_image_file(source) -> np.ndarray:
    """Read a PNG, JPEG, BMP, GIF or WebP from a path or binary file into an array for :func:`preprocess_digit`.

    Refuses (ValueError with the reason) other formats, unreadable or truncated files, images
    without pixels and images over MAX_SIDE x MAX_SIDE, the last before decoding their pixels.
    An animated image gives its first frame. Images over WORK_SIDE are shrunk to it (keeping
    the aspect ratio) so memory stays small. Returns (H, W), (H, W, 3) or (H, W, 4) uint8, or
    (H, W) floats in [0, 1] for 16-bit greys.
    """
    try:
        img = Image.open(source, formats=IMAGE_FORMATS)
    except FileNotFoundError:
        raise ValueError(f"No image file at {source}.") from None
    except UnidentifiedImageError:
        raise ValueError(f"Not a readable image: not a {_FORMAT_NAMES} file, or a damaged one.") from None
    except Image.DecompressionBombError:  # Pillow's own check of the declared size, far above ours
        raise ValueError(f"The image declares far too many pixels; the limit is {MAX_SIDE}x{MAX_SIDE}. "
                         "Scale it down first.") from None
    except _DECODE_ERRORS as exc:
        raise ValueError(f"Not a readable image: the file is damaged or truncated ({type(exc).__name__}: {exc}).") from None
    with img:
        width, height = img.size
        if width == 0 or height == 0:
            raise ValueError(f"The image has no pixels ({width}x{height}).")
        if width > MAX_SIDE or height > MAX_SIDE:
            raise ValueError(f"The image is {width}x{height}; the limit is {MAX_SIDE}x{MAX_SIDE}. Scale it down first.")
        try:
            return _decode(img)
        except MemoryError:
            raise ValueError(f"The {width}x{height} image does not fit in memory; scale it down first.") from None
        except _DECODE_ERRORS as exc:
            raise ValueError(f"Not a readable image: the file is damaged or truncated ({type(exc).__name__}: {exc}).") from None


def _decode(img: Image.Image) -> np.ndarray:
    """Decode the first frame of an opened image into grey, RGB or RGBA at most WORK_SIDE a side."""
    img.draft(None, (WORK_SIDE, WORK_SIDE))  # JPEG decodes at 1/2, 1/4 or 1/8 scale when that is enough
    factor = -(-max(img.size) // WORK_SIDE)
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):  # 16-bit or float greys: scale to [0, 1]
        grey = img.convert("F")
        if factor > 1:
            grey = grey.reduce(factor)
        grey = np.asarray(grey, dtype=np.float64)
        top = float(np.abs(grey).max()) if grey.size else 0.0
        return grey / top if top > 0 else grey
    if img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
    elif img.mode == "1":
        img = img.convert("L")
    elif img.mode not in ("L", "RGB"):
        img = img.convert("RGB")  # P, CMYK, YCbCr, LAB, HSV, RGBX
    if factor > 1:
        img.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)
    return np.asarray(img)
