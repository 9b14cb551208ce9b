"""Inside the network, in headless Chromium: the backprop inspector steps forward and back; the
hidden layer's space is a picture that changes while training plays."""

import pytest

from tests.browser.test_twod import wait_for

pytestmark = pytest.mark.browser

INSPECTOR = '[data-testid="pg-backprop"]'
SPACE = '[data-testid="pg-hidden-space"] img'


def step_shown(page) -> str:
    return page.locator(INSPECTOR).first.get_attribute("data-step")


def test_the_backprop_inspector_steps_forward_and_back(app_url, page):
    page.goto(f"{app_url}/?view=backprop&ds=worked&hidden=2&act=sigmoid")
    page.locator(INSPECTOR).wait_for()
    assert page.locator(INSPECTOR).inner_text().startswith("Step 1 of 6: Forward through layer 1")
    for expected in ("2", "3"):
        page.get_by_role("button", name="Next", exact=True).click()
        wait_for(lambda e=expected: step_shown(page) == e, what=f"step {expected}")
    assert "The loss on this point" in page.locator(INSPECTOR).inner_text()
    page.get_by_role("button", name="Back", exact=True).click()
    wait_for(lambda: step_shown(page) == "2", what="Back to step 2")
    assert "Forward through layer 2 (output layer)" in page.locator(INSPECTOR).inner_text()
    assert "view=backprop" in page.evaluate("location.search")  # a shared link opens the inspector


def test_the_hidden_space_changes_while_playing(app_url, page):
    page.goto(f"{app_url}/?view=space&hidden=3&act=tanh&sa=boundary")
    picture = page.locator(SPACE).first
    picture.wait_for()
    assert picture.bounding_box()["width"] >= 300
    page.get_by_role("button", name="Play").click()
    live = page.locator('[data-testid="pg-hidden-space"] [data-testid="pg-live-space"]')
    live.wait_for()
    first = live.get_attribute("src")
    wait_for(lambda: live.get_attribute("src") != first, what="the hidden space to be redrawn while playing")
    assert live.bounding_box()["width"] >= 300
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
