"""One TrueType font for every text drawn into an image, in English and Thai, and a cached renderer.

The font is Noto Sans Thai from the pip package ``fontpkg-noto-sans-thai`` (SIL Open Font
License 1.1): Thai, Latin, digits and common punctuation in one file, so mixed text such as
"loss ชุดฝึก" draws with one font (Pillow does no font fallback). Thai needs the raqm layout
(HarfBuzz shaping) to stack vowel and tone marks: Pillow's basic layout draws the tone mark
of ที่ on top of the vowel (Pillow #7747); Pillow's wheels include raqm.

Speed: the live images are redrawn ~14 times a second. FreeType costs ~0.1 ms per label
(~10x Pillow's bitmap font, which has no Thai); :class:`TextTiles` renders each (text, size)
once into an anti-aliased coverage tile and then only stamps it (``ImageDraw.bitmap``),
pixel for pixel what ``ImageDraw.text`` draws. See ``benchmarks/bench_text.py``.

Palette ("P") images cannot blend a colour with what is under it, so there the coverage is
quantised to ``PALETTE_LEVELS`` shades of the text colour over ``background`` (each one a
palette entry, allocated on first use), instead of the 1-bit text those images used before.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

FONT_PACKAGE = "fontpkg-noto-sans-thai"
FONT_FAMILY = "Noto Sans Thai"
FONT_LICENSE = "OFL-1.1"
# px, the live images' labels. Looked at, 4x enlarged: at 12 px hinting merged the two marks of ชั้น
# and น้ำ into one; at 13 px the tabular digits (7.44 px apart) rounded to uneven gaps ("35 26");
# at 14 px they are 8.02 px apart and evenly spaced, and every mark stands clear.
LABEL_SIZE = 14
PALETTE_LEVELS = 4  # shades per text colour in palette images (anti-aliasing there)
WHITE = (255, 255, 255)


def font_path() -> Path:
    """The packaged TrueType file (a variable font: weight 100-900)."""
    import fontpkg

    return Path(fontpkg.path(FONT_FAMILY))


def has_raqm() -> bool:
    """True when Pillow can shape complex scripts (Thai marks stacked right)."""
    return bool(features.check("raqm"))


@functools.cache
def font(size: int, weight: int = 400) -> ImageFont.FreeTypeFont:
    """The font at ``size`` pixels and ``weight`` (400 regular, 700 bold), raqm layout when
    available. Cached: one object per (size, weight), shared by every thread (draw with
    :data:`TILES`, which serialises FreeType calls)."""
    layout = ImageFont.Layout.RAQM if has_raqm() else ImageFont.Layout.BASIC
    face = ImageFont.truetype(str(font_path()), int(size), layout_engine=layout)
    axes = face.get_variation_axes()
    face.set_variation_by_axes([float(weight) if _axis_name(axis) in ("weight", "wght") else float(axis["default"])
                                for axis in axes])
    return face


def _axis_name(axis: dict) -> str:
    name = axis["name"]
    return (name.decode("ascii", "replace") if isinstance(name, bytes) else str(name)).strip().lower()


@functools.cache
def _level_luts(n: int) -> tuple[list[int], ...]:
    """For shade k = 1..n, a ``point`` table picking the coverage values that round to k/n."""
    level = [(v * n + 127) // 255 for v in range(256)]
    return tuple([255 if level[v] == k else 0 for v in range(256)] for k in range(1, n + 1))


class Tile:
    """One rendered text: ``mask`` ("L" coverage 0-255) goes at anchor point + ``offset``."""

    __slots__ = ("_levels", "mask", "offset")

    def __init__(self, mask: Image.Image, offset: tuple[int, int]) -> None:
        self.mask, self.offset = mask, offset
        self._levels: dict[int, tuple[tuple[int, Image.Image], ...]] = {}

    def levels(self, n: int) -> tuple[tuple[int, Image.Image], ...]:
        """The coverage quantised to ``n`` shades: (shade k in 1..n, 0/255 mask of its pixels)."""
        found = self._levels.get(n)
        if found is None:
            masks = (self.mask.point(lut) for lut in _level_luts(n))
            found = tuple((k, mask) for k, mask in enumerate(masks, start=1) if mask.getbbox())
            self._levels[n] = found
        return found


class TextTiles:
    """A bounded LRU cache of rendered texts, shared by threads; ``draw`` stamps one.

    Keys are (text, size, weight, anchor); the colour is applied when stamping, so one tile
    serves every colour. ``max_items`` bounds memory (a label's tile is ~1-3 KB).
    """

    def __init__(self, max_items: int = 2048) -> None:
        self.max_items = max_items
        self._tiles: OrderedDict[tuple, Tile] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._tiles)

    def tile(self, text: str, size: int = LABEL_SIZE, anchor: str = "la", weight: int = 400) -> Tile:
        """The rendered ``text`` (rendered now on a miss). anchor: Pillow's two-letter text
        anchor ("la" left/ascender, "ra" right, "mm" middle, ...)."""
        if "\n" in text:
            raise ValueError("A tile holds one line of text: wrap it first (playground.i18n.wrap) and draw each line.")
        key = (text, size, weight, anchor)
        with self._lock:
            found = self._tiles.get(key)
            if found is not None:
                self._tiles.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
            face = font(size, weight)
            left, top, right, bottom = face.getbbox(text, anchor=anchor)
            mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
            ImageDraw.Draw(mask).text((-left, -top), text, fill=255, font=face, anchor=anchor)
            found = Tile(mask, (left, top))
            self._tiles[key] = found
            if len(self._tiles) > self.max_items:
                self._tiles.popitem(last=False)
            return found

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill, size: int = LABEL_SIZE,
             anchor: str = "la", weight: int = 400, background=WHITE, levels: int = PALETTE_LEVELS) -> None:
        """Draw ``text`` at ``xy`` (rounded down to whole pixels, as ``ImageDraw.text`` does) in
        ``fill`` (an RGB tuple; a palette index also works on "P" images, drawn 1-bit).

        RGB, RGBA and L images get exactly ``draw.text(xy, text, fill, font(size), anchor)``.
        "P" images get ``levels`` shades of ``fill`` over ``background`` (RGB tuples)."""
        if not text:
            return
        tile = self.tile(text, size, anchor, weight)
        x, y = int(xy[0]) + tile.offset[0], int(xy[1]) + tile.offset[1]
        if draw.mode != "P":
            draw.bitmap((x, y), tile.mask, fill=fill)
        elif isinstance(fill, int):
            for _, mask in tile.levels(1):
                draw.bitmap((x, y), mask, fill=fill)
        else:
            for k, mask in tile.levels(levels):
                draw.bitmap((x, y), mask, fill=_shade(background, fill, k / levels))

    def length(self, text: str, size: int = LABEL_SIZE, weight: int = 400) -> float:
        """The advance width of ``text`` in pixels (what ``ImageDraw.textlength`` gives), cached."""
        return text_length(text, size, weight)


def _shade(background, fill, amount: float) -> tuple[int, int, int]:
    """``fill`` painted with coverage ``amount`` (0-1) over ``background``, as RGB."""
    return tuple(int(round(b + (f - b) * amount)) for b, f in zip(background[:3], fill[:3]))


TILES = TextTiles()


def draw_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill, size: int = LABEL_SIZE,
              anchor: str = "la", weight: int = 400, background=WHITE) -> None:
    """``TILES.draw``: text in the packaged font through the shared cache (see :class:`TextTiles`)."""
    TILES.draw(draw, xy, text, fill, size, anchor, weight, background)


@functools.lru_cache(maxsize=4096)
def text_length(text: str, size: int = LABEL_SIZE, weight: int = 400) -> float:
    """Width of ``text`` in pixels in the packaged font, as ``ImageDraw.textlength`` gives it (cached)."""
    return font(size, weight).getlength(text)
