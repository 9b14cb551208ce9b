"""The app server's memory under the worst inputs of issue 10, driven in headless Chromium.

Starts ``streamlit run app.py`` and reads the server process's resident memory (VmRSS) and its
high-water mark (VmHWM, /proc/<pid>/status) after each stage:

1. reference: both pages loaded once (the 2D page, /digits with the Inspect tab);
2. hostile uploads through the real uploaders: the 200,000-character-field CSV, a CSV with
   1e39, a 5,000-row CSV, a model file whose member declares a 50,000 x 40,000 float32 array,
   a fake PNG;
3. training: ``--sessions`` tabs each press Start on the largest network the page trains
   (784-1257-10, ~1,000,000 parameters) with augmentation; the server trains 3 at once and
   queues the rest, which the script checks on the page;
4. the same tabs closed: the runs' places lapse and their data are freed (after the lease).

Prints each stage's figures and the ratio to the reference. The target: under ~1 GB.

    .venv/bin/python benchmarks/bench_app_memory.py             # ~2 minutes
    .venv/bin/python benchmarks/bench_app_memory.py --sessions 5 --train-seconds 30
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground.digits.run_queue import LEASE_SECONDS  # noqa: E402
from tests.digits.helpers import hostile_model_file, ready_model_cache  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) of process ``pid`` in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def start_server(port: int, cache: Path) -> subprocess.Popen:
    env = {**os.environ, "NN_PLAYGROUND_CACHE": str(cache)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--server.port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the app did not start")


def upload(page, key: str, name: str, content: bytes, mime: str) -> None:
    page.locator(f".st-key-{key} input[type='file']").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4, help="tabs that start a large run at once")
    parser.add_argument("--train-seconds", type=float, default=25.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    proc = start_server(port, ready_model_cache())
    figures = {}
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(tempfile.mkdtemp(prefix="chromium-"), executable_path=CHROMIUM,
                                                            headless=True, args=CHROMIUM_ARGS,
                                                            viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.goto(url)
            page.get_by_role("button", name="Play").wait_for()
            page.goto(f"{url}/digits")
            page.get_by_text("Draw a digit on the canvas").wait_for()
            page.get_by_role("tab", name="Inspect").click()
            page.get_by_text("Accuracy on the").wait_for()
            figures["1 reference: both pages loaded"] = memory_mb(proc.pid)

            page.goto(f"{url}/?ds=custom")
            csv_key = "pg_csv"
            page.locator(f".st-key-{csv_key}").wait_for()
            rows = b"".join(b"%d,%d,%d\n" % (i % 71, i // 71, i % 3) for i in range(5000))
            for name, content, expect in (
                ("field.csv", b"x1,x2,label\n0,0,0\n1,1,1\n" + b"9" * 200_000 + b",0,0\n", "131,072"),
                ("big.csv", b"x1,x2,label\n0,0,0\n1e39,1,1\n2,2,0\n3,3,1\n", "too large"),
                ("rows.csv", b"x1,x2,label\n" + rows, None),
            ):
                upload(page, csv_key, name, content, "text/csv")
                if expect:
                    page.get_by_test_id("stAlert").filter(has_text=expect).wait_for()
                else:  # accepted: the refusal goes, the map of the 5,000 points comes
                    page.get_by_test_id("stAlert").filter(has_text="too large").wait_for(state="detached")
                    time.sleep(3)
            page.goto(f"{url}/digits")
            page.get_by_text("Draw a digit on the canvas").wait_for()
            upload(page, "digits_model_file", "huge.npz", hostile_model_file(), "application/octet-stream")
            page.get_by_test_id("stAlert").filter(has_text="was not loaded").wait_for()
            upload(page, "digits_image_file", "fake.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
            page.get_by_test_id("stAlert").filter(has_text="cannot be read").wait_for()
            assert page.get_by_test_id("stException").count() == 0
            figures["2 hostile uploads"] = memory_mb(proc.pid)

            tabs = [context.new_page() for _ in range(args.sessions)]
            for tab in tabs:
                tab.set_default_timeout(120_000)
                tab.goto(f"{url}/digits")
                tab.get_by_role("tab", name="Train").click()
                tab.get_by_role("combobox", name="Network").click()
                tab.get_by_role("option", name="Custom widths").click()
                widths = tab.get_by_role("textbox", name="Hidden widths")
                widths.fill("1257")
                widths.press("Enter")
                epochs = tab.get_by_label("Epochs")
                epochs.fill("200")
                epochs.press("Enter")
                tab.get_by_text("Augment (shifts").click()
                tab.locator(".st-key-digits_start").get_by_role("button").click()
            time.sleep(5)
            queued = sum(tab.get_by_text("in the queue and starts by itself").count() > 0 for tab in tabs)
            time.sleep(args.train_seconds)
            figures[f"3 {args.sessions} tabs training 784-1257-10 augmented ({queued} queued)"] = memory_mb(proc.pid)
            for tab in tabs:
                tab.close()
            page.goto(url)  # another session's check-ins let the closed tabs' places lapse
            time.sleep(LEASE_SECONDS + 5)
            page.goto(f"{url}/digits")
            page.get_by_role("tab", name="Train").click()
            time.sleep(2)
            figures["4 tabs closed, places lapsed"] = memory_mb(proc.pid)
            context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    reference = figures["1 reference: both pages loaded"][0]
    print(f"{'stage':60s} {'resident MB':>12s} {'peak MB':>9s} {'peak / reference':>17s}")
    for stage, (rss, peak) in figures.items():
        print(f"{stage:60s} {rss:12.0f} {peak:9.0f} {peak / reference:17.2f}")
    print("target: peak under ~1,000 MB")


if __name__ == "__main__":
    main()
