"""translate(), Message and choose_language() without Streamlit."""

from __future__ import annotations

from types import MappingProxyType

import pytest

import playground.i18n as i18n
from playground.i18n import N_, NC_, Message, choose_language, placeholders, translate


def test_translates_a_known_message_into_thai():
    assert translate("Play", "th") == "เล่น"
    assert translate("Play", "en") == "Play"


def test_fills_placeholders_by_name_in_both_languages():
    message = "Learning rate lowered to {lr} and the network reset."
    assert translate(message, "en", lr="0.01") == "Learning rate lowered to 0.01 and the network reset."
    assert translate(message, "th", lr="0.01") == "ลดอัตราการเรียนรู้เป็น 0.01 และรีเซ็ตโครงข่ายแล้ว"


def test_unknown_messages_and_languages_fall_back_to_english():
    assert translate("A message nobody wrote down", "th") == "A message nobody wrote down"
    assert translate("Epoch {n} of {m}", "th", n=1, m=2) == "Epoch 1 of 2"
    assert translate("Play", "fr") == "Play"
    assert translate("Play", "xx-not-a-language") == "Play"


def test_without_arguments_the_text_is_not_formatted():
    assert translate("{not a placeholder}", "en") == "{not a placeholder}"


def test_a_context_separates_one_english_word_with_two_meanings():
    assert translate("training", "th") == "ชุดฝึก"  # the chart legend
    assert translate("training", "th", context="run status") == "กำลังฝึก"
    assert translate("training", "en", context="run status") == "training"


def test_a_translation_with_broken_placeholders_shows_english(monkeypatch):
    broken = MappingProxyType({"Network reset: {reason}.": "รีเซ็ตโครงข่ายแล้ว: {cause}"})
    monkeypatch.setattr(i18n, "catalogue", lambda lang: broken)
    assert translate("Network reset: {reason}.", "th", reason="x") == "Network reset: x."


def test_a_missing_argument_in_english_is_the_caller_s_error():
    with pytest.raises(KeyError):
        translate("Network reset: {reason}.", "en", cause="x")


def test_a_missing_or_broken_catalogue_gives_english(monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        assert translate("Play", "th") == "Play"
        broken = tmp_path / "th" / "LC_MESSAGES" / "messages.po"
        broken.parent.mkdir(parents=True)
        broken.write_bytes(b'msgid "Play"\nmsgstr "\xff\xfe unterminated\n')
        i18n.catalogue.cache_clear()
        assert translate("Play", "th") == "Play"
    finally:
        monkeypatch.undo()
        i18n.catalogue.cache_clear()
    assert translate("Play", "th") == "เล่น"


def test_fuzzy_entries_are_not_used(monkeypatch, tmp_path):
    po = tmp_path / "th" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  '#, fuzzy\nmsgid "Play"\nmsgstr "เล่น?"\n\nmsgid "Step"\nmsgstr "ทีละขั้น"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        assert translate("Play", "th") == "Play"
        assert translate("Step", "th") == "ทีละขั้น"
    finally:
        i18n.catalogue.cache_clear()


def test_a_message_carries_its_arguments_to_whoever_knows_the_language():
    message = Message("Line {line}: not UTF-8 text. Save the file as a plain CSV (UTF-8).", line=3)
    assert str(message) == "Line 3: not UTF-8 text. Save the file as a plain CSV (UTF-8)."
    assert translate(message, "th") == "บรรทัด 3: ไม่ใช่ข้อความ UTF-8 บันทึกไฟล์เป็น CSV ธรรมดา (UTF-8)"
    error = ValueError(message)
    assert str(error) == str(message)
    assert translate(error, "th") == translate(message, "th")
    assert translate(ValueError("plain text"), "th") == "plain text"
    assert message == Message(message.text, line=3) and message != Message(message.text, line=4)


def test_markers_return_the_message_unchanged():
    assert N_("Play") == "Play"
    assert NC_("run status", "training") == "training"


@pytest.mark.parametrize(("query", "browser", "expected"), [
    (None, None, "en"),
    ("th", None, "th"),
    ("TH", "en-US", "th"),
    ("th-TH", None, "th"),
    ("th_TH", None, "th"),
    (None, "th-TH", "th"),
    (None, "th", "th"),
    (None, "en-GB", "en"),
    ("en", "th-TH", "en"),  # the URL wins over the browser
    ("fr", "th-TH", "th"),  # an unknown URL value is ignored
    ("fr", "de-DE", "en"),
    ("", "th-TH", "th"),
    (["en", "th"], None, "th"),  # a repeated parameter: the last one, as st.query_params reads it
    ([], None, "en"),
    (None, 42, "en"),
])
def test_choose_language(query, browser, expected):
    assert choose_language(query, browser) == expected


def test_placeholders_reads_named_fields_and_rejects_broken_braces():
    assert placeholders("Line {line}: {column} is {value}") == {"line", "column", "value"}
    assert placeholders("no fields") == set()
    with pytest.raises(ValueError):
        placeholders("Line {line")


def test_a_message_among_the_arguments_is_translated_with_its_sentence():
    notice = Message("Network reset: {reason}.", reason=Message("the data changed"))
    assert str(notice) == "Network reset: the data changed."
    assert translate(notice, "th") == "รีเซ็ตโครงข่ายแล้ว: ข้อมูลเปลี่ยน"
    assert translate("Training stopped. {reason}", "th", reason=Message("the architecture changed")) == (
        "การฝึกหยุดแล้ว โครงสร้างของโครงข่ายเปลี่ยน")


def test_a_message_pickles_with_its_arguments():
    """The training worker sends a divergence's Message to the page."""
    import pickle

    message = Message("Network reset: {reason}.", reason=Message("the data changed"))
    back = pickle.loads(pickle.dumps(message))
    assert back == message and translate(back, "th") == translate(message, "th")
    assert pickle.loads(pickle.dumps(ValueError(message))).args[0] == message
