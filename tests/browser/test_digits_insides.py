"""The Draw tab's look inside in headless Chromium: after a drawing, the history, the hidden
activations and the top first-layer units appear beside the answer; another stroke adds to the
history; Clear takes them away."""

from __future__ import annotations

import pytest

from tests.browser.test_digits import app_url, draw  # noqa: F401 (the module's app server, with the quick model)
from tests.digits.helpers import STROKES

pytestmark = pytest.mark.browser


def test_a_drawing_lights_up_the_network(page, app_url):  # noqa: F811
    page.goto(f"{app_url}/digits")
    reading = page.locator(".st-key-digits_canvas_reading")
    reading.get_by_text("Draw a digit on the canvas").wait_for()
    insides = page.locator(".st-key-digits_insides")
    assert insides.count() == 0

    draw(page, STROKES[1])
    insides.get_by_text("How the probabilities moved while you drew").wait_for()
    for heading in ("What lights up in the hidden layers", "The first-layer units your drawing pushes most"):
        assert insides.get_by_text(heading).is_visible()
    insides.get_by_text("(1 so far)").wait_for()
    charts = insides.get_by_test_id("stPlotlyChart")
    assert charts.count() == 3

    draw(page, [[(110, 70), (190, 70)]])  # one more stroke: a second point in the history
    insides.get_by_text("(2 so far)").wait_for()

    page.get_by_role("button", name="Clear").click()
    reading.get_by_text("Draw a digit on the canvas").wait_for()
    assert insides.count() == 0
