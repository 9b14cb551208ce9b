"""``python -m serve`` in headless Chromium: a CSV upload goes through the balancer to the
replica that holds the session, and the toolbar has no Deploy button."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.browser


def points_csv(n: int = 40, seed: int = 0) -> bytes:
    """Two separable classes of ``n`` points as ``x1,x2,label`` lines."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    xy = rng.normal(0, 0.5, size=(n, 2)) + np.where(labels[:, None] == 1, 2.0, -2.0)
    rows = [f"{x:.3f},{y:.3f},{c}" for (x, y), c in zip(xy, labels)]
    return ("x1,x2,label\n" + "\n".join(rows) + "\n").encode()


def test_csv_upload_through_the_balancer(served, page):
    """The upload (an HTTP PUT to /_stcore/upload_file/<session>/...) must reach the replica that
    holds the session's websocket; the page then trains on the uploaded points."""
    _, url = served
    page.goto(f"{url}/?ds=custom")
    page.get_by_text("Upload CSV").first.wait_for()
    upload = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
    with page.expect_response(lambda r: "/_stcore/upload_file/" in r.url and r.request.method == "PUT") as put:
        upload.set_input_files({"name": "points.csv", "mimeType": "text/csv", "buffer": points_csv(40)})
    assert put.value.status == 204
    page.get_by_text("points.csv").wait_for()
    # The caption is drawn above the uploader, so it shows from the run after the upload's.
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Using 40 points of your own (2 classes, from a CSV)").wait_for(timeout=30_000)
    assert page.get_by_text("was refused").count() == 0
    cookies = {c["name"]: c["value"] for c in page.context.cookies(url)}
    assert cookies.get("SERVERID") in {"r1", "r2"}


def test_no_deploy_button(served, page):
    _, url = served
    page.goto(url)
    page.locator('[data-testid="stMainMenu"]').wait_for()  # the toolbar is drawn ...
    page.get_by_role("button", name="Play").wait_for()
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0  # ... without Deploy
