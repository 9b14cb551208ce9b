"""The playground end to end in headless Chromium: Play, watch the epoch and the loss move,
Pause, Step; a screenshot that is not blank; two sessions that do not share a network."""

import io
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.browser

# Paused, the metrics are st.metric elements; playing, they are part of the live frame.
METRIC = '[data-testid="stMetric"], [data-testid="pg-metric"]'
METRIC_VALUE = '[data-testid="stMetricValue"], [data-testid="pg-metric-value"]'


def metric(page, label: str) -> str:
    """The value shown under a metric's label."""
    box = page.locator(METRIC).filter(has=page.get_by_text(label, exact=True)).first
    return box.locator(METRIC_VALUE).inner_text().strip()


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def open_page(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Play").wait_for()
    wait_for(lambda: metric(page, "Epoch") == "0", what="epoch 0")


def test_play_pause_step_and_a_screenshot(app_url, page):
    open_page(page, f"{app_url}/?ds=spiral&hidden=8,8&test=1")
    loss0 = metric(page, "Train loss")
    page.get_by_role("button", name="Play").click()
    wait_for(lambda: int(metric(page, "Epoch")) >= 5, what="the epoch to advance while playing")
    wait_for(lambda: metric(page, "Train loss") != loss0, what="the loss to change")
    # While playing: the live frame (map and curves as images) and the network as an image.
    for view in ("pg-live-map", "pg-live-curves", "pg-live-network"):
        page.locator(f'[data-testid="{view}"]').wait_for()
    first_map = page.locator('[data-testid="pg-live-map"]').get_attribute("src")
    wait_for(lambda: page.locator('[data-testid="pg-live-map"]').get_attribute("src") != first_map,
             what="the decision map to be redrawn while playing")
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()

    def settled():
        before = metric(page, "Epoch")
        time.sleep(1.0)
        return before if metric(page, "Epoch") == before else None

    paused_at = int(wait_for(settled, what="training to stop after Pause"))
    page.get_by_role("button", name="Step").click()
    wait_for(lambda: metric(page, "Epoch") == str(paused_at + 1), what="Step to add one epoch")
    assert "ds=spiral" in page.url and "hidden=8%2C8" in page.url  # the setup is shareable

    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    time.sleep(1.0)  # let plotly finish painting
    shot = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"), dtype=np.float64)
    assert shot.std() > 20, "the page looks blank"
    # TF Playground's orange and blue must both be on screen (the map and the points).
    orange = np.all(np.abs(shot - [245, 147, 34]) < 40, axis=2).mean()
    blue = np.all(np.abs(shot - [8, 119, 189]) < 40, axis=2).mean()
    assert orange > 0.001 and blue > 0.001


def test_two_sessions_do_not_share_a_network(app_url, browser):
    first, second = browser.new_page(), browser.new_page()
    try:
        open_page(first, f"{app_url}/?ds=circle")
        first.get_by_role("button", name="Step").click()
        wait_for(lambda: metric(first, "Epoch") == "1", what="the first session to step")
        first.get_by_role("button", name="Step").click()
        wait_for(lambda: metric(first, "Epoch") == "2", what="the first session to step again")
        open_page(second, f"{app_url}/?ds=circle")  # same server, same settings, its own network
        second.get_by_role("button", name="Step").click()
        wait_for(lambda: metric(second, "Epoch") == "1", what="the second session to step")
        assert metric(first, "Epoch") == "2"
    finally:
        first.close()
        second.close()


def test_divergence_while_playing_stops_and_explains(app_url, page):
    """The training process reports the divergence; the page pauses and says what to do."""
    open_page(page, f"{app_url}/?ds=plane&hidden=4,4&lr=3&seed=3")
    page.get_by_role("button", name="Play").click()
    page.get_by_text("too high", exact=False).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Play").wait_for()  # paused by itself
    page.get_by_role("button", name="Reset and lower the learning rate").click()
    wait_for(lambda: metric(page, "Epoch") == "0", what="the reset after a divergence")
    # (location.search, not page.url: Playwright updates page.url only at the next history event)
    wait_for(lambda: "lr=0.1&" in page.evaluate("location.search") + "&", what="three steps down the ladder, in the URL")


def epoch_advances(page, what: str, timeout: float = 30.0) -> int:
    """Waits until the Epoch metric moves on by itself; returns where it got to."""
    start = int(metric(page, "Epoch"))
    return int(wait_for(lambda: int(metric(page, "Epoch")) > start + 3 and metric(page, "Epoch"), timeout, what))


def test_training_goes_on_by_itself_after_the_tab_was_frozen_or_away(app_url, page):
    """The freeze: when a tab stopped its timer for more than ~2 s (slides, a background tab, a
    visit to /digits), training never resumed until Pause and Play."""
    open_page(page, f"{app_url}/?ds=spiral&hidden=8,8")
    page.get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Pause").wait_for()
    epoch_advances(page, "training to start")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setWebLifecycleState", {"state": "frozen"})  # as Chrome freezes a hidden tab: no timers
    time.sleep(4.0)
    cdp.send("Page.setWebLifecycleState", {"state": "active"})
    epoch_advances(page, "training to go on after the tab was frozen for 4 s")
    page.get_by_role("link", name="Digits (MNIST)").click()  # away to the other page...
    page.get_by_text("Draw a digit").first.wait_for()
    time.sleep(3.0)
    page.get_by_role("link", name="Playground").click()  # ...and back
    page.get_by_role("button", name="Pause").wait_for()  # still playing
    epoch_advances(page, "training to go on after a visit to /digits")
    page.get_by_role("button", name="Pause").click()


def box(page, selector: str) -> dict:
    """The first visible element's bounding box in CSS pixels (page coordinates at the top of the
    page). (A button with a tooltip has a hidden twin.)"""
    found = page.locator(f"{selector} >> visible=true").first
    found.wait_for()
    # A live image is swapped every refresh: ask until one answers that is laid out.
    return wait_for(lambda: found.bounding_box(), what=f"{selector} laid out")


def test_the_lecture_view_fills_a_projector(app_url, page):
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(f"{app_url}/?ds=spiral&hidden=8,8&present=1")
    page.get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Pause").wait_for()
    live_map = box(page, '[data-testid="pg-live-map"]')
    network = box(page, '[data-testid="pg-live-network"]')
    assert live_map["width"] >= 600 and live_map["y"] + 300 < 900  # large, and on the screen
    assert network["x"] >= live_map["x"] + live_map["width"] - 1 and network["y"] < 900  # beside it
    for hidden in ('[data-testid="stSidebar"]', '[data-testid="stToolbar"]', '[data-testid="stHeader"]'):
        assert not page.locator(hidden).is_visible()
    value = box(page, '[data-testid="pg-metric-value"]')
    assert value["height"] >= 50  # big numbers
    for control in ("Step", "Reset", "Full controls"):
        assert page.get_by_role("button", name=control).is_visible()
    page.screenshot(path=str(Path(tempfile.gettempdir()) / "lecture-view.png"))
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Full controls").click()
    page.locator('[data-testid="stSidebar"]').get_by_text("Dataset").wait_for()  # one click back
    assert "present" not in page.evaluate("location.search") and "ds=spiral" in page.evaluate("location.search")


def test_on_a_phone_play_and_the_map_are_on_the_first_screen(app_url, phone):
    phone.goto(f"{app_url}/?ds=xor&hidden=4")
    row = ".st-key-pg-transport button"
    play, step, reset = (box(phone, f'{row}:has-text("{name}")') for name in ("Play", "Step", "Reset"))
    assert abs(play["y"] - step["y"]) < 5 and abs(play["y"] - reset["y"]) < 5  # one row
    chart = box(phone, '[data-testid="stPlotlyChart"]')
    assert play["y"] + play["height"] <= 844 and chart["y"] + 0.5 * chart["height"] <= 844  # Play and the map, no scrolling
    phone.locator(f'{row}:has-text("Play") >> visible=true').first.tap()
    live_map = box(phone, '[data-testid="pg-live-map"]')
    assert live_map["y"] + 0.5 * live_map["height"] <= 844 and live_map["width"] >= 300
    phone.screenshot(path=str(Path(tempfile.gettempdir()) / "phone-playing.png"))
    phone.locator(f'{row}:has-text("Pause") >> visible=true').first.tap()
