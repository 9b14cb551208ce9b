"""Speed of the live playground in a real browser: epochs per second and refreshes per second.

Drives the page in headless Chromium (Debian's /usr/bin/chromium, via Playwright) for the
issue's three configurations: spiral with two hidden layers of 8, spiral with six layers
of 8 (250 training points, batch 10, tanh) and xor with one layer of 4. For each it presses
Play (Speed at its default, "max"), waits for a warm-up, then reads the page's "Epoch"
metric and its refresh counter ("refresh #N" under the map, which counts only refreshes that
showed a newer snapshot of the network) twice, ``--seconds`` apart.

References measured in the same run, on the same machine at the same moment:
- core: epochs/s of the same network trained in this process without any UI
  (``Model.trained`` for a fixed time), i.e. the ceiling for the page's epochs/s;
- light fragment: refreshes/s of a minimal Streamlit app whose ``run_every`` fragment (the
  page's interval) only shows a counter, i.e. what Streamlit and the browser allow on this
  machine now for a page with nothing else on it.
TF Playground's figures (built from its source, headless Chromium on this kind of machine,
see NOTES.md) and the issue's targets are printed for comparison.

    .venv/bin/python benchmarks/bench_ui.py            # ~2 minutes
    .venv/bin/python benchmarks/bench_ui.py --seconds 5 --configs spiral-8,8
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground.twod.config import Config  # noqa: E402
from playground.twod.live import RUN_EVERY  # noqa: E402
from playground.twod.model import Model  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# name: (URL query, config for the core reference, TF Playground epochs/s, our target epochs/s)
CONFIGS = {
    "spiral-8,8": ("ds=spiral&hidden=8,8&act=tanh&bs=10&n=500&train=50",
                   Config(dataset="spiral", hidden=(8, 8), activations=("tanh",) * 2), 57, 60),
    "spiral-6x8": ("ds=spiral&hidden=8,8,8,8,8,8&act=tanh&bs=10&n=500&train=50",
                   Config(dataset="spiral", hidden=(8,) * 6, activations=("tanh",) * 6), 27, 30),
    "xor-4": ("ds=xor&hidden=4&act=tanh&bs=10&n=500&train=50",
              Config(dataset="xor", hidden=(4,), activations=("tanh",)), 60, 60),
}
TARGET_REFRESHES = 8
METRIC = '[data-testid="stMetric"], [data-testid="pg-metric"]'
METRIC_VALUE = '[data-testid="stMetricValue"], [data-testid="pg-metric-value"]'
LIGHT_APP = """
import streamlit as st
st.session_state.setdefault("n", 0)

@st.fragment(run_every={run_every})
def tick():
    st.session_state.n += 1
    st.metric("Ticks", st.session_state.n)

tick()
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(script: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"streamlit run {script} did not become healthy within 60 s")


def core_epochs_per_second(config: Config, seconds: float) -> float:
    """The same network trained in this process for ``seconds`` without any UI."""
    model = Model.build(config).trained(epochs=2)  # warm up
    start = time.perf_counter()
    done = 0
    while time.perf_counter() - start < seconds:
        model = model.trained(seconds=0.1)
        done += model.epochs_per_tick
    return done / (time.perf_counter() - start)


def read_counts(page) -> tuple[float, int, int]:
    """(time, epoch, refreshes) as the page shows them now."""
    # While playing the metrics are part of the live frame (pg-metric); paused they are st.metric.
    box = page.locator(METRIC).filter(has=page.get_by_text("Epoch", exact=True)).first
    epoch = int(box.locator(METRIC_VALUE).inner_text().strip())
    caption = page.get_by_text(re.compile(r"refresh #\d+")).first.inner_text()
    return time.perf_counter(), epoch, int(re.search(r"refresh #(\d+)", caption).group(1))


def measure_page(page, url: str, warmup: float, seconds: float) -> tuple[float, float]:
    page.goto(url)
    page.get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Pause").wait_for()
    time.sleep(warmup)
    t0, e0, r0 = read_counts(page)
    time.sleep(seconds)
    t1, e1, r1 = read_counts(page)
    pause(page)
    return (e1 - e0) / (t1 - t0), (r1 - r0) / (t1 - t0)


def pause(page) -> None:
    """Press Pause until the button reads Play again (reports a click that got lost)."""
    for attempt in range(3):
        page.get_by_role("button", name="Pause").click()
        try:
            page.get_by_role("button", name="Play").wait_for(timeout=15_000)
            return
        except Exception:
            print(f"  (Pause click {attempt + 1} did not stop play within 15 s; pressing again)")
    raise SystemExit("Pause did not stop the page")


def measure_light(page, url: str, warmup: float, seconds: float) -> float:
    page.goto(url)
    value = page.locator('[data-testid="stMetricValue"]').first
    value.wait_for()
    time.sleep(warmup)
    t0, n0 = time.perf_counter(), int(value.inner_text())
    time.sleep(seconds)
    t1, n1 = time.perf_counter(), int(value.inner_text())
    return (n1 - n0) / (t1 - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring window per configuration")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of play before measuring")
    parser.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated names: " + ", ".join(CONFIGS))
    args = parser.parse_args()
    names = [n.strip() for n in re.split(r",(?![0-9])", args.configs) if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        raise SystemExit(f"unknown configuration(s) {unknown}; choose from {', '.join(CONFIGS)}")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    core = {name: core_epochs_per_second(CONFIGS[name][1], 3.0) for name in names}
    scratch = tempfile.TemporaryDirectory(prefix="bench-ui-")
    light_dir = Path(scratch.name)
    (light_dir / "light.py").write_text(textwrap.dedent(LIGHT_APP).format(run_every=RUN_EVERY))
    app_port, light_port = free_port(), free_port()
    app = start_streamlit(ROOT / "app.py", app_port)
    light = start_streamlit(light_dir / "light.py", light_port)
    results = {}
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(light_dir / "profile"), executable_path=CHROMIUM, headless=True,
                args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(60_000)
            light_rate = measure_light(page, f"http://127.0.0.1:{light_port}/", args.warmup, args.seconds)
            # One untimed play first: the first page of a fresh browser and server pays one-off costs
            # (script compilation, imports, first plotly mount) that penalised whichever configuration came first.
            measure_page(page, f"http://127.0.0.1:{app_port}/?{CONFIGS[names[0]][0]}", args.warmup, 1.0)
            for name in names:
                query = CONFIGS[name][0]
                results[name] = measure_page(page, f"http://127.0.0.1:{app_port}/?{query}", args.warmup, args.seconds)
            context.close()
    finally:
        for proc in (app, light):
            proc.terminate()
            proc.wait(timeout=10)
        scratch.cleanup()

    print(f"\nLive playground in headless Chromium ({args.seconds:g} s per configuration after {args.warmup:g} s warm-up)")
    print(f"light-fragment reference (run_every={RUN_EVERY} s, a counter only): {light_rate:.1f} refreshes/s\n")
    header = (f"{'configuration':<12} {'epochs/s':>9} {'target':>7} {'TF PG':>6} {'core':>7} {'page/core':>9} "
              f"{'refresh/s':>10} {'target':>7} {'vs light':>9}")
    print(header)
    print("-" * len(header))
    for name in names:
        eps, rps = results[name]
        _, _, tf, target = CONFIGS[name]
        print(f"{name:<12} {eps:9.1f} {target:7d} {tf:6d} {core[name]:7.0f} {eps / core[name]:9.2f} "
              f"{rps:10.1f} {TARGET_REFRESHES:7d} {rps / light_rate if light_rate else float('nan'):9.2f}")
    print("\ncore: the same network trained in this process without a UI (the ceiling for epochs/s);")
    print("TF PG: TensorFlow Playground's epochs/s as measured from its source (NOTES.md), not re-run here.")


if __name__ == "__main__":
    main()
