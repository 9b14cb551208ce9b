"""Text drawing for the live images: Pillow's bitmap font vs. the packaged TrueType font
(FreeType, drawn directly) vs. the cached tiles of ``playground.i18n.fonts``, in English and Thai.

Run: ``.venv/bin/python benchmarks/bench_text.py [--frames 300]``

One "frame" draws the labels of one live curves image (``playground.twod.views.curves.curves_png`` for a net
with two hidden layers): 3 panel titles, 10 legend entries, 6 axis values and 3 "epoch N"
labels that change from frame to frame (new numbers each frame: cache misses for the
tiles), "0" and "100%": 26 labels on a 480x400 palette image, as the live view draws them.
Printed: milliseconds per frame (median and best of ``--frames`` consecutive frames) and the
ratio to the bitmap font drawing the English labels, measured in the same run; then, for scale, one whole
``curves_png`` as the app draws it (the packaged font's cached tiles). Pillow's bitmap font has no Thai glyphs, so
its Thai row is left out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playground.i18n import translate
from playground.i18n.fonts import LABEL_SIZE, TextTiles, font, has_raqm
from playground.twod.views.curves import curves_png

INK = (60, 60, 60)
COLORS = ((68, 68, 68), (228, 87, 46), (31, 119, 180), (255, 127, 14), (44, 160, 44))
LAYERS = ("hidden {layer}", "hidden {layer}", "output")


def frame_labels(lang: str, frame: int) -> list[tuple[tuple[int, int], str, tuple]]:
    """(position, text, colour) of every label of one curves image at ``frame``."""
    def t(message, **kw):
        return translate(message, lang, **kw)

    epoch = 120 + 3 * frame
    loss = 0.7 * np.exp(-frame / 150) + 0.02
    layers = [t(name, layer=i + 1) if "{" in name else t(name) for i, name in enumerate(LAYERS)]
    labels = []
    for p, (title, legend, hi, lo) in enumerate((
        (t("loss"), [t("train loss"), t("test loss"), t("train acc"), t("test acc")], f"{loss:.3g}", "0"),
        (t("gradient |dW| (log)"), layers, f"{loss * 3:.2g}", f"{loss / 50:.2g}"),
        (t("weights |W| (log)"), layers, f"{2 + frame / 300:.2g}", f"{0.5 + frame / 900:.2g}"),
    )):
        top = p * 136
        labels.append(((4, top + 2), title, INK))
        x = 150
        for i, name in enumerate(legend):
            labels.append(((x, top + 2), name, COLORS[i % len(COLORS)]))
            x += 8 + 7 * len(name)
        labels += [((4, top + 14), hi, INK), ((4, top + 112), lo, INK), ((62, top + 124), "0", INK),
                   ((400, top + 124), t("epoch {epoch}", epoch=epoch), INK)]
    labels.append(((440, 18), "100%", INK))
    return labels


def draw_bitmap(frames):
    face = ImageFont.load_default_imagefont()
    image = Image.new("P", (480, 400), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    for labels in frames:
        start = time.perf_counter()
        for xy, text, color in labels:
            draw.text(xy, text, fill=color, font=face)
        yield time.perf_counter() - start


def draw_freetype(frames, mode="P"):
    face = font(LABEL_SIZE)
    image = Image.new(mode, (480, 400), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    if mode == "P":
        draw.fontmode = "1"  # palette indices cannot be blended: 1-bit text
    for labels in frames:
        start = time.perf_counter()
        for xy, text, color in labels:
            draw.text(xy, text, fill=color, font=face)
        yield time.perf_counter() - start


def draw_tiles(frames, tiles):
    image = Image.new("P", (480, 400), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for labels in frames:
        start = time.perf_counter()
        for xy, text, color in labels:
            tiles.draw(draw, xy, text, color)
        yield time.perf_counter() - start


def stats(times) -> tuple[float, float]:
    times = list(times)
    return statistics.median(times) * 1e3, min(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    print(f"Pillow raqm layout: {has_raqm()}; label size {LABEL_SIZE} px; {args.frames} frames of 26 labels")
    font(LABEL_SIZE).getlength("warm-up")
    print(f"{'':8} {'method':44} {'median ms/frame':>16} {'best':>7} {'vs bitmap':>10}")
    # The reference for both languages: today's English labels in the bitmap font.
    bitmap = stats(draw_bitmap([frame_labels("en", f) for f in range(args.frames)]))
    for lang in ("en", "th"):
        frames = [frame_labels(lang, f) for f in range(args.frames)]
        rows = [("bitmap font (the former labels, no Thai)", bitmap)] if lang == "en" else []
        rows.append(("FreeType direct, 1-bit on the palette image", stats(draw_freetype(frames, "P"))))
        rows.append(("FreeType direct, anti-aliased on RGB", stats(draw_freetype(frames, "RGB"))))
        tiles = TextTiles()
        rows.append(("cached tiles, 4-shade AA on the palette image", stats(draw_tiles(frames, tiles))))
        hit_rate = tiles.hits / max(tiles.hits + tiles.misses, 1)
        same = [frames[0]] * args.frames
        rows.append(("cached tiles, no changing numbers (all hits)", stats(draw_tiles(same, TextTiles()))))
        for name, (median, best) in rows:
            ratio = f"{median / bitmap[0]:.1f}x"
            print(f"{lang:8} {name:44} {median:16.3f} {best:7.3f} {ratio:>10}")
        print(f"{lang:8} (tile cache hit rate over the changing frames: {hit_rate:.0%})")
    epochs = np.arange(1, 301, dtype=np.float64)
    loss = 0.7 * np.exp(-epochs / 100) + 0.02
    norms = np.column_stack([loss * 3, loss * 2, loss])
    curves = stats(_curves(epochs, loss, norms) for _ in range(30))
    print(f"for scale: one whole curves_png (480x400, as the app draws it) median {curves[0]:.2f} ms, best {curves[1]:.2f} ms")


def _curves(epochs, loss, norms) -> float:
    start = time.perf_counter()
    curves_png(epochs, loss, loss * 1.1, 1 - loss, 1 - loss * 1.2, norms, norms * 10, ["hidden 1", "hidden 2", "output"],
               width=480, height=400)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
