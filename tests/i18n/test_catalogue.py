"""The message catalogue: the template matches the code, the Thai .po is complete, its
placeholders and markup match, and it follows the glossary (docs/glossary-th.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from playground.i18n import catalogue_path, placeholders
from playground.i18n.__main__ import KEYWORDS, MAPPING, ROOT, TEMPLATE, problems

THAI = re.compile("[\u0e00-\u0e7f]")


def read(path: Path, **kwargs):
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True, **kwargs)


@pytest.fixture(scope="module")
def template():
    return read(TEMPLATE)


@pytest.fixture(scope="module")
def thai():
    return read(catalogue_path("th"), locale="th")


def entries(catalog):
    return [m for m in catalog if m.id]


def test_the_thai_catalogue_parses_with_its_header(thai):
    assert str(thai.locale) == "th"
    assert thai.plural_forms == "nplurals=1; plural=0;"
    assert len(entries(thai)) > 300


def test_the_template_holds_exactly_the_messages_in_the_code(template):
    """`python -m playground.i18n extract` was run after the last change of a message."""
    from babel.messages.extract import DEFAULT_KEYWORDS
    from babel.messages.frontend import parse_keywords, parse_mapping_cfg

    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(list(KEYWORDS))}
    with MAPPING.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {(context, msgid if isinstance(msgid, str) else msgid[0])
             for _, _, msgid, _, context in extract_from_dir(ROOT, method_map, options_map, keywords=keywords)}
    in_template = {(m.context, m.id) for m in entries(template)}
    assert found - in_template == set(), "run `python -m playground.i18n extract` and `update`"
    assert in_template - found == set(), "run `python -m playground.i18n extract` and `update`"


def test_every_message_has_a_reviewed_thai_translation():
    assert problems("th") == []


def test_every_thai_entry_belongs_to_the_template(template, thai):
    ids = {(m.context, m.id) for m in entries(template)}
    assert [m.id for m in entries(thai) if (m.context, m.id) not in ids] == []


def test_placeholders_are_the_same_in_english_and_thai(thai):
    mismatched = [(m.id, m.string) for m in entries(thai) if placeholders(m.id) != placeholders(m.string)]
    assert mismatched == []
    # the check itself sees a difference
    assert placeholders("Epoch {epoch}") != placeholders("epoch {epochs}")


@pytest.mark.parametrize("markup", ["**", "`", "|"])
def test_markdown_and_code_markup_survive_translation(thai, markup):
    assert [m.id for m in entries(thai) if m.id.count(markup) != m.string.count(markup)] == []


# Translations that are the English term on purpose (docs/glossary-th.md: epoch and loss stay English).
SAME_IN_THAI = {"Loss", "loss", "Epoch", "epoch", "epochs", "epoch {epoch}"}


def test_every_translation_is_thai_unless_it_is_a_kept_term(thai):
    untranslated = [m.id for m in entries(thai) if not THAI.search(m.string) and m.id not in SAME_IN_THAI]
    assert untranslated == []


# docs/glossary-th.md, as patterns on the English text and the Thai that must then appear.
GLOSSARY = {
    r"learning rate": "อัตราการเรียนรู้",
    r"\bneurons?\b": "นิวรอน",
    r"\blayers?\b": "ชั้น",
    r"\bweights?\b": "น้ำหนัก",
    r"\bactivations?\b": "ฟังก์ชันการกระตุ้น",
    r"\bclassification\b|\bclassifier\b": "การจำแนกประเภท",
    r"\bregression\b": "การถดถอย",
    r"\bdataset\b": "ชุดข้อมูล",
    r"\baccuracy\b|\bacc\b": "ความแม่นยำ",
    r"\bboundary\b": "ขอบเขตการตัดสินใจ",
    r"\bgradients?\b": "กราดิเอนต์",
    r"\bepochs?\b": "epoch",
    r"\bloss\b": "loss",
    r"\bdiverge[sd]?\b": "ลู่ออก",
    r"\bvalidation\b": "ชุดตรวจสอบ",
    r"backprop inspector": "ตัวตรวจ backprop",
    r"\bworked example\b": "ตัวอย่างคำนวณ",
    r"\bspace\b": "ปริภูมิ",
    r"\bdecision line\b": "เส้นตัดสินใจ",
    r"\bgradient descent\b": "การลดตามกราดิเอนต์",
}
# Thai renderings of the terms the lesson keeps in English: never used.
NOT_FOR_EPOCH_AND_LOSS = ("รอบการฝึก", "สูญเสีย", "เอพ็อก", "อีพ็อก", "อีพอค")


@pytest.mark.parametrize("pattern", GLOSSARY)
def test_glossary_terms_are_translated_the_same_way_everywhere(thai, pattern):
    term = GLOSSARY[pattern]
    uses = [m for m in entries(thai) if re.search(pattern, re.sub(r"\{\w*\}", "", m.id), re.IGNORECASE)]
    assert uses, f"no message uses {pattern}: update the glossary test"
    assert [(m.id, m.string) for m in uses if term.lower() not in m.string.lower()] == []


def test_epoch_and_loss_are_never_translated(thai):
    assert [m.string for m in entries(thai) if any(word in m.string for word in NOT_FOR_EPOCH_AND_LOSS)] == []


def test_thai_text_has_no_stray_characters(thai):
    """No zero-width or replacement characters and no doubled spaces slipped into a translation."""
    bad = re.compile("[\u200b\u200c\u200d\ufeff\ufffd]|  ")
    assert [m.string for m in entries(thai) if bad.search(m.string)] == []
