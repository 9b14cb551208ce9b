"""The session's language in a running app (Streamlit's AppTest): URL, browser, selector, fragments."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).with_name("session_app.py"))


def run(query: dict | None = None, locale: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if locale is not None:
        at.context["locale"] = locale
    return at.run()


def shown(at: AppTest) -> tuple[str, list[str]]:
    assert not at.exception
    return at.button[0].label, [c.value for c in at.caption]


def test_english_without_url_or_browser_language():
    label, captions = shown(run())
    assert label == "Play"
    assert captions == ["Learning rate lowered to 0.01 and the network reset.", "training", "fragment: Step"]


def test_the_browser_language_decides_when_the_url_says_nothing():
    at = run(locale="th-TH")
    label, captions = shown(at)
    assert label == "เล่น"
    assert captions == ["ลดอัตราการเรียนรู้เป็น 0.01 และรีเซ็ตโครงข่ายแล้ว", "กำลังฝึก", "fragment: ทีละขั้น"]
    assert "lang" not in at.query_params  # not pinned: a shared link follows its reader's browser


def test_the_url_wins_over_the_browser_and_stays_in_the_url():
    at = run({"lang": "en"}, locale="th-TH")
    assert shown(at)[0] == "Play"
    assert at.query_params["lang"] == "en"
    assert at.segmented_control[0].value == "en"


def test_a_bad_url_value_is_explained_and_dropped():
    at = run({"lang": "fr"}, locale="th")
    assert shown(at)[0] == "เล่น"
    assert [t.value for t in at.toast] == ["ไม่ใช้พารามิเตอร์ URL `lang=fr`: เลือกหนึ่งใน en, th"]
    assert "lang" not in at.query_params


def test_the_selector_switches_the_language_and_pins_it_in_the_url():
    at = run()
    at.segmented_control[0].set_value("th").run()
    label, captions = shown(at)
    assert label == "เล่น" and captions[-1] == "fragment: ทีละขั้น"
    assert at.query_params["lang"] == "th"
    at.segmented_control[0].set_value("en").run()
    assert shown(at)[0] == "Play"
    assert at.query_params["lang"] == "en"


def test_a_page_that_rewrites_the_query_string_keeps_the_pinned_language():
    at = run({"lang": "th"})
    at.session_state["write_query"] = True
    at.run()
    assert shown(at)[0] == "เล่น"
    assert at.query_params["ds"] == "xor" and at.query_params["lang"] == "th"
    at.run()  # the next run finds it there too
    assert at.query_params["lang"] == "th"
