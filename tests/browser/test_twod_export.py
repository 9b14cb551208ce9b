"""The 2D page's "Copy as Python" in headless Chromium: the button opens the script, the download
gives it, and run, it prints the losses the page shows."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.browser.test_twod import metric, open_page, wait_for

pytestmark = pytest.mark.browser


def test_copy_as_python_gives_the_script_that_reproduces_the_page(app_url, page, tmp_path):
    open_page(page, f"{app_url}/?ds=spiral&hidden=8,8&test=1")
    page.get_by_role("button", name="Step").click()
    wait_for(lambda: metric(page, "Epoch") == "1", what="Step to train one epoch")
    page.get_by_role("button", name=re.compile("Copy as Python")).click()
    panel = page.get_by_test_id("stPopoverBody")
    panel.get_by_text("def make_data").first.wait_for()  # the script, shown with its copy icon
    assert panel.get_by_label("Epochs the script trains", exact=True).input_value() == "1"
    with page.expect_download() as download:
        panel.get_by_role("button", name=re.compile("Download experiment.py")).click()
    assert download.value.suggested_filename == "experiment.py"
    script = tmp_path / "experiment.py"
    script.write_bytes(open(download.value.path(), "rb").read())
    assert "def spiral(" in script.read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", script.name], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["epoch"] == 1
    assert f"{result['train_loss']:.4f}" == metric(page, "Train loss")
    assert f"{result['test_loss']:.4f}" == metric(page, "Test loss")
