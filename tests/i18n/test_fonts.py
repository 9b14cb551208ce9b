"""The packaged font draws Thai (real glyphs, marks stacked), and the cached tiles draw what
ImageDraw.text draws."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw

from playground.i18n import LANGUAGES, translate
from playground.i18n.fonts import (
    FONT_LICENSE,
    LABEL_SIZE,
    TextTiles,
    draw_text,
    font,
    font_path,
    has_raqm,
    text_length,
)
from playground.twod.frame import CURVES_SIZE, IMAGE_MESSAGES
from playground.twod.views.curves import LEGEND_GAP, legend_room

# Every assigned character of the Thai block (U+0E01-U+0E3A, U+0E3F-U+0E5B).
THAI_BLOCK = [chr(c) for c in [*range(0x0E01, 0x0E3B), *range(0x0E3F, 0x0E5C)]]
SAMPLE = {"layer": 1, "neurons": 4, "epoch": 1234, "number": 2, "count": 3, "stage": "z", "activation": "tanh",
          "share": "62%", "first": "PCA 1 (62%)", "second": "PCA 2 (20%)"}


@pytest.fixture(scope="module")
def cmap() -> dict[int, str]:
    return TTFont(str(font_path())).getBestCmap()


def test_the_font_comes_from_the_pip_package_under_the_ofl():
    path = font_path()
    assert path.is_file() and path.suffix == ".ttf"
    assert "fontpkg_noto_sans_thai" in str(path)
    assert FONT_LICENSE == "OFL-1.1"
    licence = (path.parent.parent / "LICENSE").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence


def test_the_font_maps_every_thai_character(cmap):
    assert [hex(ord(c)) for c in THAI_BLOCK if ord(c) not in cmap] == []


def test_the_font_has_every_character_of_the_image_texts_in_every_language(cmap):
    texts = {translate(m, lang, **SAMPLE) if "{" in m else translate(m, lang) for m in IMAGE_MESSAGES for lang in LANGUAGES}
    missing = {(ch, text) for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert missing == set()


def test_image_texts_are_never_empty_and_fit_the_legend():
    """The live curves image has ~400 px for its four legend entries (views/curves.py)."""
    room = legend_room(CURVES_SIZE[0])
    assert 380 <= room <= 420
    for lang in LANGUAGES:
        legend = [translate(m, lang) for m in ("train loss", "test loss", "train acc", "test acc")]
        assert all(legend)
        assert sum(text_length(t) for t in legend) + LEGEND_GAP * (len(legend) - 1) <= room, (lang, legend)


def ink(text: str, size: int = 32) -> np.ndarray:
    image = Image.new("L", (size * (len(text) + 2), size * 2), 0)
    ImageDraw.Draw(image).text((size // 2, size // 2), text, fill=255, font=font(size))
    return np.asarray(image)


def test_thai_glyphs_are_real_glyphs_not_the_missing_glyph_box(cmap):
    missing = "\ue000"  # a private-use character: surely not in the font, so drawn as .notdef
    assert ord(missing) not in cmap
    box = ink(missing)
    assert box.any()  # .notdef draws a visible box: the comparison below means something
    spacing = [c for c in THAI_BLOCK if unicodedata.category(c) not in ("Mn",)]
    assert [hex(ord(c)) for c in spacing if np.array_equal(ink(c), box)] == []


def test_thai_marks_stack_above_the_vowel():
    """With raqm a tone mark over a vowel sits higher than the vowel alone (Pillow's basic
    layout puts both at the same height: Pillow #7747)."""
    assert has_raqm(), "Pillow lacks raqm: Thai vowel and tone marks would overlap"
    vowel_only, with_tone = ink("ที"), ink("ที่")
    def top(a):
        return int(np.argmax(a.any(axis=1)))
    assert top(with_tone) < top(vowel_only) - 2


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
@pytest.mark.parametrize("anchor", ["la", "ra", "mm", "ls", "rb"])
def test_cached_tiles_draw_exactly_what_imagedraw_text_draws(mode, anchor):
    texts = ["loss ฝึก", "ความแม่นยำ ทดสอบ", "น้ำหนัก |W| (log)", "epoch 1234", "ที่นี่ ปิ่น ผู้ใหญ่", "0.0012", "x1^2"]
    background = {"RGB": (255, 255, 255), "RGBA": (255, 255, 255, 255), "L": 255}[mode]
    direct, cached = Image.new(mode, (320, 120), background), Image.new(mode, (320, 120), background)
    d, c = ImageDraw.Draw(direct), ImageDraw.Draw(cached)
    tiles = TextTiles()
    for i, text in enumerate(texts * 2):  # the second round is drawn from the cache
        xy, size = (160 + 3 * i - 20, 20 + 6 * i), (LABEL_SIZE, 16)[(i % len(texts)) % 2]
        fill = (40 + 10 * i, 90, 200 - 5 * i) if mode != "L" else 30 + 10 * i
        d.text(xy, text, fill=fill, font=font(size), anchor=anchor)
        tiles.draw(c, xy, text, fill, size=size, anchor=anchor)
    assert tiles.hits == len(texts) and tiles.misses == len(texts)
    assert np.array_equal(np.asarray(direct), np.asarray(cached))


def test_on_a_palette_image_the_tiles_are_the_anti_aliased_text_in_a_few_shades():
    text, fill = "ความแม่นยำ loss ฝึก 0.693", (60, 60, 60)
    rgb = Image.new("RGB", (200, 30), (255, 255, 255))
    ImageDraw.Draw(rgb).text((4, 4), text, fill=fill, font=font(LABEL_SIZE))
    palette = Image.new("P", (200, 30), (255, 255, 255))
    draw_text(ImageDraw.Draw(palette), (4, 4), text, fill)
    shown = np.asarray(palette.convert("RGB")).astype(int)
    reference = np.asarray(rgb).astype(int)
    step = (255 - 60) / 4  # four shades between white and the ink
    assert np.abs(shown - reference).max() <= step / 2 + 1
    assert len(np.unique(shown.reshape(-1, 3), axis=0)) <= 5  # white and four shades
    assert (shown != 255).any(axis=2).sum() > 100  # text was drawn


def test_a_palette_index_draws_one_bit_text():
    palette = Image.new("P", (120, 24), 0)
    palette.putpalette([255, 255, 255, 0, 0, 0])
    draw_text(ImageDraw.Draw(palette), (2, 2), "ชั้นซ่อน 1", 1)
    assert set(np.unique(np.asarray(palette))) == {0, 1}


def test_the_cache_is_bounded_and_keeps_the_most_recent_texts():
    tiles = TextTiles(max_items=3)
    for text in ("a", "b", "c", "a", "d"):
        tiles.tile(text)
    assert len(tiles) == 3
    assert (tiles.hits, tiles.misses) == (1, 4)
    tiles.tile("a")  # still there (used recently)
    tiles.tile("b")  # evicted: rendered again
    assert (tiles.hits, tiles.misses) == (2, 5)


def test_one_line_per_tile():
    with pytest.raises(ValueError, match="wrap"):
        TextTiles().tile("two\nlines")


def test_text_length_is_imagedraws_textlength():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    for text in ("epoch 12", "ความแม่นยำ ทดสอบ", ""):
        assert text_length(text) == draw.textlength(text, font=font(LABEL_SIZE))
