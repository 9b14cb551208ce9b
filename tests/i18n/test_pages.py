"""Both pages in Thai under Streamlit's AppTest (no browser): every text an element shows (labels,
options, help, captions, messages, tabs, metrics) has no English word a Thai reader would meet,
in the views a lesson passes through; with the browser's language Thai and no ``?lang``, the
same; English stays the default. The browser tests (tests/browser/test_thai.py) measure what
is on the screen."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from playground.digits import keys as digits_keys
from playground.i18n.session import SELECTOR_KEY, SELECTOR_LABEL
from playground.twod import keys
from tests import APP
from tests.digits.helpers import canvas_state, drawing
from tests.digits.test_page import queue, quick_ready_model  # noqa: F401 (fixtures: the quick ready model, a fresh queue)
from tests.i18n.english import english_words

ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "toast",
            "button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "slider", "select_slider",
            "number_input", "text_input", "segmented_control", "metric", "tabs", "expander")


def shown_texts(at: AppTest) -> list[str]:
    """What the page's elements show: values, labels, help, and the options as formatted."""
    found = []
    for kind in ELEMENTS:
        for element in getattr(at, kind):
            for attr in ("value", "label", "help", "placeholder"):
                text = getattr(element, attr, None) if attr != "value" or kind in (
                    "title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                    "toast") else None
                if isinstance(text, str) and text != SELECTOR_LABEL:
                    found.append(text)
            found += [str(o) for o in getattr(element, "options", []) or []]
    return found


def english_in(at: AppTest) -> dict[str, list[str]]:
    assert not at.exception, [e.message for e in at.exception]
    return {text: english_words(text) for text in shown_texts(at) if english_words(text)}


def playground(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"lang": "th", **query}.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("query", [
    {},  # the default: circle, two hidden layers, the sidebar
    {"ds": "custom"},  # the "Your data" panel
    {"ds": "curve", "feat": "x1"},  # regression: the loss choice, the curve fit
    {"present": "1"},  # the lecture view
    {"view": "backprop"},  # the inspector
    {"view": "space", "hidden": "3", "act": "tanh"},  # the hidden space with its choices
    {"ds": "worked", "feat": "x1,x2", "hidden": "2", "act": "sigmoid", "view": "backprop"},  # Mazur's example
    {"ds": "moon", "n": "lots"},  # URL notices
])
def test_the_playground_in_thai_shows_no_english(query):
    at = playground(**query)
    assert english_in(at) == {}
    if not at.button(key=keys.STEP).disabled:  # a trained network: metrics, charts' captions
        at.button(key=keys.STEP).click().run()
        assert english_in(at) == {}


def test_a_divergence_and_the_fix_in_thai():
    at = playground(ds="plane", hidden="4,4", act="tanh", lr="3", bs="10", seed="3")
    for _ in range(5):
        at.button(key=keys.STEP).click().run()
    assert [e.value for e in at.error] and english_in(at) == {}
    assert "ลู่ออก" in at.error[0].value
    at.button(key=keys.FIX).click().run()
    assert english_in(at) == {} and "ลดอัตราการเรียนรู้เป็น 0.1 " in " ".join(i.value for i in at.info)


def test_the_browsers_language_decides_without_lang_and_english_is_the_default():
    at = AppTest.from_file(APP, default_timeout=60)
    at.context["locale"] = "th-TH"
    at.run()
    assert at.button(key=keys.PLAY).label == "เล่น" and english_in(at) == {}
    assert "lang" not in at.query_params  # not pinned: a shared link follows its reader's browser
    english = AppTest.from_file(APP, default_timeout=60).run()
    assert english.button(key=keys.PLAY).label == "Play" and english.title[0].value == "Neural-network playground"


def test_the_url_keeps_the_chosen_language_beside_the_settings():
    at = playground(ds="xor")
    at.slider(key=keys.setting("noise")).set_value(10).run()
    assert at.query_params["lang"] == "th" and at.query_params["ds"] == "xor" and at.query_params["noise"] == "10"
    at.segmented_control(key=SELECTOR_KEY).set_value("en").run()
    assert at.query_params["lang"] == "en" and at.button(key=keys.PLAY).label == "Play"
    assert at.query_params["ds"] == "xor"


def digits(lang: str = "th") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("playground/digits/page.py")
    return at.run()


def test_the_digits_page_in_thai_shows_no_english():
    at = digits()
    assert english_in(at) == {}
    assert [t.label for t in at.tabs] == ["วาดตัวเลข", "ฝึก", "ตรวจดู"]
    # A drawing read, a run trained (its progress, metrics and table), the Inspect tab on it.
    at.session_state[digits_keys.canvas(0)] = canvas_state(drawing(1))
    at.selectbox(key=digits_keys.ARCHITECTURE).set_value("1 layer (784-10)")
    at.number_input(key=digits_keys.EPOCHS).set_value(1)
    at.button(key=digits_keys.START).click().run()
    for _ in range(30):
        if at.session_state[digits_keys.ENGINE] is None:
            break
        at.run()
    assert english_in(at) == {}
    table = at.dataframe[0].value
    assert list(table.columns)[:2] == ["รัน", "โครงข่าย"] and table.iloc[0]["สถานะ"] == "เสร็จแล้ว"
    assert [m.label for m in at.metric if m.label == "ตัวเลขที่ทำนาย"]


def test_a_bad_custom_width_is_explained_in_thai():
    at = digits()
    at.selectbox(key=digits_keys.ARCHITECTURE).set_value("Custom widths").run()
    at.text_input(key=digits_keys.WIDTHS).set_value("64,abc").run()
    at.button(key=digits_keys.START).click().run()
    assert any("ความกว้างของชั้นซ่อน" in e.value and "`abc`" in e.value for e in at.error), [e.value for e in at.error]
    assert english_in(at) == {}
