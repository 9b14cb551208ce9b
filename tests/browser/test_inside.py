"""Inside the network, in headless Chromium: the backprop inspector steps forward and back; the
hidden layer's space is a picture that changes while training plays."""

import pytest

from tests.browser.test_twod import wait_for

pytestmark = pytest.mark.browser

INSPECTOR = '[data-testid="pg-backprop"]'
SPACE = '[data-testid="pg-hidden-space"] img'
PICK_MAP = '[data-testid="stPlotlyChart"]'  # the first chart of the inspector: the map a point is picked on


def step_shown(page) -> str:
    return page.locator(INSPECTOR).first.get_attribute("data-step")


def width(locator) -> float:
    """The element's width on screen (0 while it is being swapped)."""
    box = locator.bounding_box()
    return box["width"] if box else 0.0


def test_the_backprop_inspector_picks_a_point_and_steps_forward_and_back(app_url, page):
    page.goto(f"{app_url}/?view=backprop&ds=gauss&hidden=3")
    page.locator(INSPECTOR).wait_for()
    assert page.locator(INSPECTOR).inner_text().startswith("Step 1 of 6: Forward through layer 1")
    assert page.locator(INSPECTOR).get_attribute("data-point") == "0"
    # Click training point 18 on the map (its position from the chart's own axes).
    page.locator(f"{PICK_MAP} .js-plotly-plot").first.wait_for()
    spot = page.evaluate("""(selector) => { const gd = document.querySelector(selector);
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, points = gd._fullData[0], box = gd.getBoundingClientRect();
        return [box.left + xa._offset + xa.l2p(points.x[17]), box.top + ya._offset + ya.l2p(points.y[17])]; }""",
                         f"{PICK_MAP} .js-plotly-plot")
    page.mouse.click(*spot)
    wait_for(lambda: page.locator(INSPECTOR).get_attribute("data-point") == "17", what="the clicked point to be inspected")
    for expected in ("2", "3", "4"):
        page.get_by_role("button", name="Next", exact=True).click()
        wait_for(lambda e=expected: step_shown(page) == e, what=f"step {expected}")
    assert "Backward through layer 2 (output layer)" in page.locator(INSPECTOR).inner_text()
    page.get_by_role("button", name="Back", exact=True).click()
    wait_for(lambda: step_shown(page) == "3", what="Back to step 3")
    assert "The loss on this point" in page.locator(INSPECTOR).inner_text()
    assert page.locator(INSPECTOR).get_attribute("data-point") == "17"
    assert "view=backprop" in page.evaluate("location.search")  # a shared link opens the inspector


def test_the_hidden_space_changes_while_playing(app_url, page):
    page.goto(f"{app_url}/?view=space&hidden=3&act=tanh&sa=boundary")
    picture = page.locator(SPACE).first
    picture.wait_for()
    assert width(picture) >= 300
    page.get_by_role("button", name="Play").click()
    live = page.locator('[data-testid="pg-hidden-space"] [data-testid="pg-live-space"]')
    live.wait_for()
    first = live.get_attribute("src")
    wait_for(lambda: live.get_attribute("src") != first, what="the hidden space to be redrawn while playing")
    # (Each refresh swaps the element: measure one that is on screen.)
    wait_for(lambda: width(live) >= 300, what="the live hidden space at 300 px or more")
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
