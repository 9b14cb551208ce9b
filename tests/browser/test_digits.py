"""The /digits page in a real headless Chromium: draw digits with the mouse and read the
answer off the page; train a run live and watch it finish.

These tests use their own app server (the ``app_url`` fixture below overrides the shared
one for this module) so the app's ready model comes from a temporary cache holding a
quickly trained real model (see digits_helpers) instead of being trained on first use.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core import load_model
from tests.browser.conftest import free_port, start_app
from tests.digits.helpers import STROKES, ready_model_cache

pytestmark = pytest.mark.browser

CANVAS_PX = 280


@pytest.fixture(scope="module")
def app_url():
    """A dedicated app server whose ready model is the quick one."""
    port = free_port()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NN_PLAYGROUND_CACHE", str(ready_model_cache()))
        proc = start_app(port)  # the server inherits the variable
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def draw(page, strokes, steps_per_segment: int = 12) -> None:
    """Draw strokes ([(x, y), ...] in 280x280 canvas pixels) with the mouse, as a person would."""
    canvases = page.locator(".st-key-digits_canvas_box").locator("canvas.upper-canvas")
    expect(canvases).to_have_count(1, timeout=30_000)  # while a rerun replaces the canvas, the old one lingers a moment
    box = canvases.first.bounding_box()
    sx, sy = box["width"] / CANVAS_PX, box["height"] / CANVAS_PX
    for stroke in strokes:
        (x0, y0), rest = stroke[0], stroke[1:]
        page.mouse.move(box["x"] + x0 * sx, box["y"] + y0 * sy)
        page.mouse.down()
        for x1, y1 in rest:
            for i in range(1, steps_per_segment + 1):
                t = i / steps_per_segment
                page.mouse.move(box["x"] + (x0 + (x1 - x0) * t) * sx, box["y"] + (y0 + (y1 - y0) * t) * sy)
            x0, y0 = x1, y1
        page.mouse.up()


def test_draw_a_digit_and_read_the_prediction(page, app_url):
    page.goto(f"{app_url}/digits")
    reading = page.locator(".st-key-digits_canvas_reading")
    reading.get_by_text("Draw a digit on the canvas").wait_for()

    draw(page, STROKES[7])
    value = reading.get_by_test_id("stMetricValue")
    value.wait_for()
    assert value.inner_text().strip() == "7"
    assert reading.get_by_text("What the network sees").is_visible()

    # Clear empties the canvas: the page asks for a drawing again, then reads a new one.
    page.get_by_role("button", name="Clear").click()
    reading.get_by_text("Draw a digit on the canvas").wait_for()
    draw(page, STROKES[1])
    value.wait_for()
    assert value.inner_text().strip() == "1"

    # The model behind the answer can be downloaded as a model file that loads back.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download this model").click()
    net = load_model(download.value.path()).net
    assert (net.n_inputs, net.n_outputs) == (784, 10)


def test_training_runs_live_and_lands_in_the_table(page, app_url):
    page.goto(f"{app_url}/digits")
    page.get_by_role("tab", name="Train").click()
    epochs = page.get_by_label("Epochs")
    epochs.fill("200")  # long enough to watch it advance and to stop it by hand
    epochs.press("Enter")
    page.locator(".st-key-digits_start").get_by_role("button").click()
    # Start only shows the new run; then the run_every fragment trains it tick by tick, with no clicks.
    progress = page.get_by_test_id("stProgress").first
    progress.get_by_text("of 200 · training").wait_for()
    stop = page.locator(".st-key-digits_stop").get_by_role("button")
    expect(stop).to_be_enabled()
    progress.get_by_text(re.compile(r"epoch [2-9]\d* of 200 · training")).wait_for(timeout=120_000)
    stop.click()
    progress.get_by_text(re.compile(r"of 200 · stopped")).wait_for()
    expect(page.locator(".st-key-digits_start").get_by_role("button")).to_be_enabled()
    expect(stop).to_be_disabled()
    table = page.get_by_test_id("stDataFrame")
    table.wait_for()
    assert table.count() == 1


def touch_draw(page, strokes, steps_per_segment: int = 12) -> None:
    """Draw strokes with a finger: touch events, as a phone sends them (Chrome DevTools Protocol)."""
    canvases = page.locator(".st-key-digits_canvas_box").locator("canvas.upper-canvas")
    expect(canvases).to_have_count(1, timeout=30_000)
    box = canvases.first.bounding_box()
    sx, sy = box["width"] / CANVAS_PX, box["height"] / CANVAS_PX
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": box["x"] + x * sx, "y": box["y"] + y * sy}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    for stroke in strokes:
        (x0, y0), rest = stroke[0], stroke[1:]
        touch("touchStart", x0, y0)
        for x1, y1 in rest:
            for i in range(1, steps_per_segment + 1):
                t = i / steps_per_segment
                touch("touchMove", x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            x0, y0 = x1, y1
        touch("touchEnd", x0, y0)


def test_on_a_phone_the_canvas_and_its_answer_come_first_and_a_finger_draws(phone, app_url):
    phone.goto(f"{app_url}/digits")
    canvas = phone.locator(".st-key-digits_canvas_box canvas.upper-canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box["y"] + box["height"] <= 844  # the whole canvas on the first screen
    touch_draw(phone, STROKES[7])
    value = phone.locator(".st-key-digits_canvas_reading").get_by_test_id("stMetricValue")
    value.wait_for()
    assert value.inner_text().strip() == "7"  # read from a finger's strokes
    answer = value.bounding_box()
    model_choice = phone.get_by_text("Ready model (trained with augmentation)").first.bounding_box()
    assert answer["y"] < model_choice["y"]  # the answer before the model's choice
    assert answer["y"] < 2 * 844  # at most one swipe down, not two screens
