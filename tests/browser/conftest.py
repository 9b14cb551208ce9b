"""Shared fixtures: a running app server and a headless Chromium page for browser tests.

Browser tests need Debian's chromium at /usr/bin/chromium (``.ci/run`` installs it) and
the Python ``playwright`` package; without them they fail with a message saying so,
rather than being skipped silently.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int) -> subprocess.Popen:
    """Start ``streamlit run app.py`` headless on 127.0.0.1:port and wait for health."""
    log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early; see {log.name}:\n{Path(log.name).read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not become healthy within 60 s; see {log.name}")


@pytest.fixture(scope="session")
def app_url():
    """Base URL of one app server shared by the browser tests of a run."""
    port = free_port()
    proc = start_app(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def playwright():
    """One Playwright driver for the whole run (its sync API allows one per thread)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: run `apt-get install chromium` (.ci/run does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    """A headless Debian Chromium driven by Playwright (a desktop window, 1400x1000)."""
    user_data = tempfile.mkdtemp(prefix="chromium-profile-")
    context = playwright.chromium.launch_persistent_context(
        user_data,
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000},
    )
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def phone(playwright):
    """A tab as a phone shows it: 390x844 CSS pixels, touch, a mobile browser's layout."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                   has_touch=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    try:
        yield tab
    finally:
        context.close()
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh tab, closed after the test."""
    tab = browser.new_page()
    tab.set_default_timeout(30_000)
    try:
        yield tab
    finally:
        tab.close()


@pytest.fixture(scope="module")
def served():
    """``./run serve`` with two replicas: (launcher process, balancer URL) for a module's tests."""
    from tests.serve.launch import serving

    yield from serving(replicas=2)
