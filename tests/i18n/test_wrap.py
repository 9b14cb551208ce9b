"""Line breaking: never wider than asked, never inside a Thai word, marks stay with their letters."""

from __future__ import annotations

import unicodedata

import pytest

from playground.i18n import LANGUAGES, translate
from playground.i18n import wrap as wrap_module
from playground.i18n.__main__ import TEMPLATE
from playground.i18n.fonts import LABEL_SIZE, font
from playground.i18n.wrap import KEEP_WHOLE, break_units, clusters, wrap

FONT = font(LABEL_SIZE)

# Known sentences and their words, as a Thai reader splits them: a line may break only
# between two of these (spaces and punctuation belong to the word they follow).
SENTENCES = {
    "ชั้น sigmoid แต่ละชั้นทำให้กราดิเอนต์เล็กลง":
        ["ชั้น ", "sigmoid ", "แต่ละ", "ชั้น", "ทำ", "ให้", "กราดิเอนต์", "เล็ก", "ลง"],
    "อัตราการเรียนรู้ที่สูงเกินไปทำให้การฝึกลู่ออก":
        ["อัตรา", "การ", "เรียนรู้", "ที่", "สูง", "เกินไป", "ทำ", "ให้", "การ", "ฝึก", "ลู่ออก"],
    "ขอบเขตการตัดสินใจของนิวรอนในชั้นซ่อน":
        ["ขอบเขต", "การ", "ตัดสินใจ", "ของ", "นิวรอน", "ใน", "ชั้น", "ซ่อน"],
    "ยังไม่ได้ฝึก: กด “เล่น” หรือ “ทีละขั้น”":
        ["ยัง", "ไม่", "ได้", "ฝึก: ", "กด ", "“เล่น” ", "หรือ ", "“ทีละ", "ขั้น”"],
    "ลองเปลี่ยนออปติไมเซอร์และดูนอร์มของกราดิเอนต์":
        ["ลอง", "เปลี่ยน", "ออปติไมเซอร์", "และ", "ดู", "นอร์ม", "ของ", "กราดิเอนต์"],
}


def squeeze(text: str) -> str:
    return "".join(text.split())


def breaks(lines) -> set[int]:
    """Where the lines break, as offsets into the text without spaces."""
    offsets, at = set(), 0
    for line in lines[:-1]:
        at += len(squeeze(line))
        offsets.add(at)
    return offsets


@pytest.mark.parametrize("sentence", SENTENCES)
def test_never_breaks_inside_a_thai_word(sentence):
    words = SENTENCES[sentence]
    assert "".join(words) == sentence
    allowed, at = set(), 0
    for word in words:
        at += len(squeeze(word))
        allowed.add(at)
    assert breaks(break_units(sentence)) <= allowed  # the tokenizer's units are whole words ...
    # ... so the lines break only between words whenever every unit fits on a line
    narrowest = max(FONT.getlength(unit.strip()) for unit in break_units(sentence))
    seen = set()
    for width in range(int(narrowest) + 1, int(FONT.getlength(sentence)) + 10, 3):
        lines = wrap(sentence, FONT, width)
        assert squeeze("".join(lines)) == squeeze(sentence)
        assert all(FONT.getlength(line) <= width for line in lines)
        assert breaks(lines) <= allowed, (width, lines)
        seen |= breaks(lines)
    assert len(seen) >= 3  # the widths did make it break, in several places


def test_the_project_terms_stay_whole():
    for term in KEEP_WHOLE:
        text = f"ดูค่า{term}ของชั้นนี้"
        assert any(term in unit for unit in break_units(text)), term


def every_message(lang: str) -> list[str]:
    from babel.messages.pofile import read_po

    with TEMPLATE.open("rb") as handle:
        ids = [(m.context, m.id) for m in read_po(handle) if m.id]
    sample = {"count": 12, "layer": 2, "value": "0.5", "name": "points.csv", "reason": "…", "lr": "0.03"}

    def text(context, msgid):
        try:
            return translate(msgid, lang, context=context, **sample)
        except KeyError:  # placeholders outside the sample: the bare text
            return translate(msgid, lang, context=context)
    return [text(context, msgid) for context, msgid in ids]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_line_is_wider_than_asked_for_any_message(lang):
    for message in every_message(lang):
        for width in (90, 160, 260):
            lines = wrap(message, FONT, width)
            assert squeeze("".join(lines)) == squeeze(message)
            assert [line for line in lines if FONT.getlength(line) > width] == [], message
            assert all(line == line.strip() for line in lines)
            assert not any(line.startswith(("ๆ", ")", ":", "”")) for line in lines), (message, lines)


def test_english_breaks_at_spaces():
    width = 100 * LABEL_SIZE / 12  # the line this sentence was set in at 12 px, at the labels' size
    assert wrap("No training yet: press Play or Step.", FONT, width) == ("No training yet:", "press Play or", "Step.")
    assert wrap("Short", FONT, 100) == ("Short",)
    assert wrap("one\ntwo", FONT, 100) == ("one", "two")


def test_mai_yamok_stays_with_its_word():
    text = "ชั้นแรก ๆ จึงแทบไม่ได้เรียนรู้"
    for width in range(40, 180, 4):
        assert not any(line.startswith("ๆ") for line in wrap(text, FONT, width))


def test_a_word_wider_than_the_line_is_cut_between_character_clusters():
    lines = wrap("น้ำหนักที่ปิ่นผู้ใหญ่", FONT, 20)
    assert len(lines) > 2 and squeeze("".join(lines)) == "น้ำหนักที่ปิ่นผู้ใหญ่"
    for line in lines:
        assert unicodedata.category(line[0]) != "Mn" and line[0] != "\u0e33"  # no mark without its letter
        assert line[-1] not in "เแโใไ"  # no preposed vowel without its consonant


def test_clusters_keep_marks_with_their_letters():
    assert clusters("น้ำ") == ["น้ำ"]
    assert clusters("ที่นี่") == ["ที่", "นี่"]
    assert clusters("ใหญ่") == ["ให", "ญ่"]
    assert clusters("abc") == ["a", "b", "c"]


def test_without_pythainlp_thai_breaks_at_spaces(monkeypatch):
    monkeypatch.setattr(wrap_module, "_tokenizer", lambda: None)
    wrap.cache_clear()
    try:
        text = "อัตราการเรียนรู้สูงเกินไป ทำให้การฝึกลู่ออก"
        lines = wrap(text, FONT, FONT.getlength("อัตราการเรียนรู้สูงเกินไป") + 2)
        assert lines == ("อัตราการเรียนรู้สูงเกินไป", "ทำให้การฝึกลู่ออก")
    finally:
        wrap.cache_clear()
