"""Text in the live images: every label the Pillow drawings write, in English and in Thai, goes
through the packaged Thai+Latin font (``playground.i18n.fonts``: Noto Sans Thai, raqm layout),
stamped from the shared cache of rendered texts, so a frame's labels cost well under a
millisecond once seen (``benchmarks/bench_text.py``).

Positions are baselines (anchors "ls", "rs", "ms": left, right, middle on the baseline), so
Latin and Thai labels line up whatever marks they carry: Thai vowels and tone marks reach
``ASCENT`` pixels above the baseline and ``DESCENT`` below it.
"""

from __future__ import annotations

from PIL import ImageDraw

from playground.i18n.fonts import LABEL_SIZE, WHITE, draw_text, text_length

ASCENT, DESCENT = 15, 5  # px above and below the baseline a LABEL_SIZE line needs (stacked Thai marks)
LINE = ASCENT + DESCENT


def label(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill, anchor: str = "ls",
          size: int = LABEL_SIZE, background=WHITE) -> None:
    """Draw ``text`` with its baseline at ``xy`` (``anchor``: Pillow's, "ls" left, "rs" right,
    "ms" centred). fill: an RGB tuple; background: what a palette image's text is blended over."""
    draw_text(draw, xy, text, fill, size=size, anchor=anchor, background=background)


def width(text: str, size: int = LABEL_SIZE) -> float:
    """The width of ``text`` in pixels."""
    return text_length(text, size)
