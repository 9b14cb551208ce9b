"""The worst uploads of issue 10 through the real uploaders, in headless Chromium: each is
refused with a clear message, never a traceback (no ``stException``), and nothing in a file or
its name renders as a link or an image."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from playground.digits import keys as digits_keys
from playground.twod import keys as twod_keys
from tests.browser.conftest import free_port, start_app
from tests.digits.helpers import hostile_model_file, model_file_with_layer_type, ready_model_cache

pytestmark = pytest.mark.browser

CSV = twod_keys.CSV_UPLOAD
EVIL = "[see](http://evil.example) ![x](http://evil.example/x.png) www.evil.example"
HUGE_FIELD = b"x1,x2,label\n0,0,0\n1,1,1\n" + b"9" * 200_000 + b",0,0\n"  # the reported file: _csv.Error
TOO_LARGE = b"x1,x2,label\n0,0,0\n1e39,1,1\n2,2,0\n3,3,1\n"  # was refused as "NaN or infinity"


@pytest.fixture(scope="module")
def app_url():
    """A server of its own whose ready model is the tests' quick one (as in test_digits.py)."""
    port = free_port()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NN_PLAYGROUND_CACHE", str(ready_model_cache()))
        proc = start_app(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def upload(page, key: str, name: str, content: bytes, mime: str) -> None:
    """Hand a file to the uploader with widget key ``key``, as choosing it in the dialog would."""
    page.locator(f".st-key-{key} input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}])


def refusal(page, text: str):
    """The one alert holding ``text``, once it shows; checks the page has no traceback and the
    alert holds no link or image."""
    alert = page.get_by_test_id("stAlert").filter(has_text=text)
    expect(alert).to_have_count(1, timeout=30_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(alert.locator("a")).to_have_count(0)
    expect(alert.locator("img")).to_have_count(0)
    return alert


def test_hostile_csv_files_are_refused_with_their_reason(page, app_url):
    page.goto(f"{app_url}/?ds=custom")
    page.locator(f".st-key-{CSV}").wait_for()
    upload(page, CSV, f"{EVIL}.csv", HUGE_FIELD, "text/csv")
    alert = refusal(page, "one value is longer than 131,072 characters")
    expect(alert).to_contain_text("Line 4")
    expect(alert.locator("code")).to_contain_text("[see](http://evil.example)")  # the name, shown as typed

    # The same file again: the message again, not silence.
    page.locator(f".st-key-{CSV}").get_by_role("button", name="Remove").first.click()
    expect(page.get_by_test_id("stAlert").filter(has_text="131,072")).to_have_count(0)
    upload(page, CSV, f"{EVIL}.csv", HUGE_FIELD, "text/csv")
    refusal(page, "one value is longer than 131,072 characters")

    upload(page, CSV, "big values.csv", TOO_LARGE, "text/csv")
    alert = refusal(page, "too large")
    expect(alert).to_contain_text("Line 3: x1 is 1e39, too large")
    expect(alert).not_to_contain_text("NaN")


def test_hostile_model_files_and_pictures_are_refused_with_their_reason(page, app_url):
    page.goto(f"{app_url}/digits")
    page.get_by_text("Draw a digit on the canvas").wait_for(timeout=60_000)

    upload(page, digits_keys.MODEL_FILE, "huge.npz", hostile_model_file(), "application/octet-stream")
    alert = refusal(page, "huge.npz was not loaded")
    expect(alert).to_contain_text("(50000, 40000) float32")  # core/modelfile.py reads the declared size first

    # A model whose error repeats text from the file: shown literally, with no link even for bare URLs.
    short = "[a](http://e.ex) www.e.ex"  # short enough for the loader to repeat whole
    upload(page, digits_keys.MODEL_FILE, f"{EVIL}.npz", model_file_with_layer_type(short), "application/octet-stream")
    alert = refusal(page, "unknown type")
    assert f"unknown type '{short}'" in alert.inner_text().replace("\u2060", "")  # as typed, give or take the invisible joiners

    upload(page, digits_keys.IMAGE_FILE, "digit.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    alert = refusal(page, "digit.png cannot be read as a digit picture")
    expect(alert).to_contain_text("Not a readable image")
