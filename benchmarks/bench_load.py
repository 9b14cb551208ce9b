"""Load on the live playground: N sessions playing at once, no browser.

Each session is a protocol-level client (``benchmarks/stclient.py``) that opens the root page
with ``--query``, presses Play and answers the fragment timers as the browser does. After
every session has shown its first live frame (or was told the server is busy; at most
``--max-wait`` seconds) and ``--warmup`` seconds more, it counts, over ``--seconds``:
- refreshes/s: fragment runs that brought a new live frame (the frame's HTML changed);
- epochs/s: from the frame's "Epoch" metric;
- fragment runs/s the server finished for it (more runs than refreshes means runs whose output
  never reached the browser, or ticks that found nothing new);
- errors: exceptions shown, "could not be drawn", a dropped connection;
- busy: whether the page said the server was busy or where the session stands in a queue;
- first frame: seconds from pressing Play to the first live frame (median, slowest);
and the server's CPU (% of one core, over the server process and all its children: replicas,
HAProxy, training workers) and peak memory (RSS summed over the same processes).
"OK" counts sessions that refreshed at least once a second with the epoch moving, or were told
plainly that the server is busy.

Why fragment runs/s can be far above refreshes/s (Streamlit 1.67, read in its source): the
browser's timer is a plain setInterval that does not wait for the last run; pending timer reruns
of a fragment fold into one, which starts as soon as the running one ends; and starting a run
clears that fragment's messages still queued for the browser (the event loop flushes the queue
only between its other work). Once a tick takes longer than ``run_every``, runs go back to back
and most of their output is thrown away; the browser keeps the last frame it got, so the page
looks frozen while the server is busiest. ``--polite`` clients skip a tick while the last run is
unfinished, which shows what a scheduler that waits for each frame would get.

Each sweep value gets a fresh server (so training workers and sessions of the last round do
not linger into the next), started as ``streamlit run app.py`` (default) or as ``python -m serve``
(``--serve``, HAProxy and ``--replicas`` replicas, like ``./run serve``). ``--url`` measures a
server that is already running instead (its CPU via ``--pid`` or the process listening on the
URL's port). Everything stays on 127.0.0.1; the bench's own CPU is printed as well, since it shares the machine.

    .venv/bin/python benchmarks/bench_load.py                       # 1, 8, 32 sessions, one streamlit process
    .venv/bin/python benchmarks/bench_load.py --serve               # the same through ./run serve (one replica per core)
    .venv/bin/python benchmarks/bench_load.py --sessions 100 --seconds 20 --url http://127.0.0.1:8501
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.proctree import TreeMeter, cmdline, listener_pid, parent  # noqa: E402
from benchmarks.stclient import SessionLog, close_all, open_playing  # noqa: E402
from serve.launcher import free_port, wait_healthy  # noqa: E402

REFERENCE = {1: (14.4, 662), 8: (7.5, 37), 16: (3.3, 5.6), 32: (1.4, 1.7)}  # slowest refreshes/s, epochs/s, before issue 9
MAX_SESSIONS = 200
MAX_SECONDS = 300


@dataclass
class Round:
    """One sweep value's figures."""

    sessions: int
    rates: list[tuple[float, float | None, float]]  # per session: refreshes/s, epochs/s, fragment runs/s
    errors: list[str]
    busy: int
    ok: int
    first: list[float | None]  # per session: seconds from Play to the first live frame
    resumed: int | None  # with --stall: sessions whose epoch moved again after their timers stopped
    replicas: list[str]  # per session: the replica it landed on (its SERVERID cookie; "" without a balancer)
    cpu: float | None
    rss: int | None
    client_cpu: float


def summarize(logs: list[SessionLog], start: float, end: float) -> tuple[list, list[str], int, int]:
    """Per-session (refreshes/s, epochs/s, fragment runs/s), every error, how many were told
    "busy", and how many are OK (>= 1 refresh/s with the epoch moving, or told busy)."""
    rates, errors, busy, ok = [], [], 0, 0
    for log in logs:
        refreshes, epochs = log.window(start, end)
        runs = sum(1 for t in log.fragment_run_times if start <= t < end) / (end - start)
        rates.append((refreshes, epochs, runs))
        errors += [f"{log.name}: {e}" for e in log.errors]
        told = log.busy_in(start, end)
        busy += told
        ok += told or (refreshes >= 1.0 and (epochs or 0) > 0)
    return rates, errors, busy, ok


async def measure(url: str, query: str, n: int, warmup: float, seconds: float, max_wait: float,
                  meter: TreeMeter | None, stall: float = 0.0, polite: bool = False) -> Round:
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    sessions = await open_playing(url, query, n, polite=polite)
    try:
        deadline = time.monotonic() + max_wait
        while time.monotonic() < deadline and not all(s.log.frames or s.log.busy for s, _ in sessions):
            await asyncio.sleep(0.2)
        await asyncio.sleep(warmup)
        if meter is not None:
            meter.start()
        start = time.monotonic()
        while time.monotonic() < start + seconds:
            await asyncio.sleep(min(0.5, start + seconds - time.monotonic()))
            if meter is not None:
                meter.sample()
        end = time.monotonic()
        cpu, rss = meter.stop() if meter is not None else (None, None)
        resumed = await stall_and_resume([s for s, _ in sessions], stall) if stall else None
    finally:
        await close_all(sessions)
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    client = (usage1.ru_utime + usage1.ru_stime - usage0.ru_utime - usage0.ru_stime) / (time.monotonic() - t0) * 100
    logs = [s.log for s, _ in sessions]
    rates, errors, busy, ok = summarize(logs, start, end)
    return Round(n, rates, errors, busy, ok, [log.first_frame() for log in logs], resumed,
                 [log.cookies.get("SERVERID", "") for log in logs], cpu, rss, client)


async def stall_and_resume(sessions, stall: float, grace: float = 6.0, drain: float = 1.5) -> int:
    """Every session stops answering its fragment timers for ``stall`` seconds, as a hidden
    tab (browsers throttle its timers to 1/s, then to 1/min after 5 minutes), a frozen one or
    a laptop lid does; then how many keep training: a frame in the last ``grace - drain``
    seconds shows a higher epoch than any shown before (a snapshot made before the stall may
    still arrive in the first ``drain`` seconds)."""
    await asyncio.sleep(0)
    for s in sessions:
        s.stall(stall)
    await asyncio.sleep(stall)
    resumed_at = time.monotonic()
    await asyncio.sleep(grace)
    count = 0
    for s in sessions:
        early = [f.epoch for f in s.log.frames if f.t < resumed_at + drain and f.epoch is not None]
        late = [f.epoch for f in s.log.frames if f.t >= resumed_at + drain and f.epoch is not None]
        count += bool(late) and max(late) > max(early, default=-1)
    return count


def start_server(serve: bool, replicas: int | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    if serve:
        argv = [sys.executable, "-m", "serve", "--bind", "127.0.0.1", "--port", str(port)]
        argv += ["--replicas", str(replicas)] if replicas else []
    else:
        argv = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    if wait_healthy(proc, url + "/_stcore/health", 120):
        return proc, url
    if proc.poll() is not None:
        raise SystemExit(f"{' '.join(argv)} exited with status {proc.returncode}")
    stop_server(proc)
    raise SystemExit(f"{' '.join(argv)} did not answer within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def server_root(url: str, pid: int | None) -> int | None:
    """The process whose tree is the server: ``pid``, else the listener on the URL's port (or its
    parent when that is the ``python -m serve`` launcher)."""
    if pid:
        return pid
    port = urllib.parse.urlsplit(url).port or 80
    found = listener_pid(port)
    up = parent(found) if found else None
    if up and " -m serve" in cmdline(up):
        return up
    return found


def fmt_rate(pair: tuple[float, float | None]) -> str:
    refreshes, epochs = pair
    return f"{refreshes:.1f}, {'–' if epochs is None else f'{epochs:.0f}'}"


def table(rounds: list[Round]) -> str:
    lines = ["| sessions playing | slowest: refreshes/s, epochs/s | median | fastest | fragment runs/s (median) "
             "| first frame after Play (median, slowest) | errors | told busy | OK (>=1/s or busy) | server CPU "
             "| server RSS | bench CPU |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    stalled = any(r.resumed is not None for r in rounds)
    if stalled:
        lines = [lines[0] + " resumed after the stall |", lines[1] + "---|"]
    for r in rounds:
        by_refresh = sorted(r.rates, key=lambda x: (x[0], x[1] or 0))
        epochs = [e for _, e, _ in r.rates if e is not None]
        median = (statistics.median(x[0] for x in r.rates), statistics.median(epochs) if epochs else None)
        cpu = "–" if r.cpu is None else f"{r.cpu:.0f}%"
        rss = "–" if r.rss is None else f"{r.rss / 2**20:.0f} MB"
        seen = sorted(f for f in r.first if f is not None)
        never = len(r.first) - len(seen)
        first = f"{statistics.median(seen):.1f} s, {seen[-1]:.1f} s" if seen else "–"
        first += f" ({never} never)" if never else ""
        runs = statistics.median(x[2] for x in r.rates)
        lines.append(f"| {r.sessions} | {fmt_rate(by_refresh[0][:2])} | {fmt_rate(median)} | {fmt_rate(by_refresh[-1][:2])} "
                     f"| {runs:.1f} | {first} | {len(r.errors)} | {r.busy} | {r.ok}/{r.sessions} | {cpu} | {rss} "
                     f"| {r.client_cpu:.0f}% |" + (f" {r.resumed}/{r.sessions} |" if stalled else ""))
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", default="1,8,32", help="comma-separated session counts to sweep (default 1,8,32)")
    p.add_argument("--seconds", type=float, default=10.0, help="measured seconds per sweep value (default 10)")
    p.add_argument("--warmup", type=float, default=3.0,
                   help="seconds after every session's first frame before measuring (default 3)")
    p.add_argument("--max-wait", type=float, default=60.0,
                   help="longest wait for every session's first frame (default 60)")
    p.add_argument("--query", default="ds=spiral&hidden=8,8", help="the page's query string")
    p.add_argument("--url", help="a running server (http://127.0.0.1:PORT) instead of starting one")
    p.add_argument("--pid", type=int, help="with --url: the server's process for CPU and memory")
    p.add_argument("--stall", type=float, default=0.0,
                   help="after measuring, stop every session's timers this long (a hidden tab) and check that "
                        "training resumes (default 0: no check)")
    p.add_argument("--polite", action="store_true",
                   help="clients skip a timer tick while the fragment's last run is unfinished (the 1.67 "
                        "frontend does not: this shows what a pull-style tick would give)")
    p.add_argument("--detail", action="store_true", help="also print each session's figures and replica")
    p.add_argument("--serve", action="store_true", help="start `python -m serve` (HAProxy + replicas)")
    p.add_argument("--replicas", type=int, help="with --serve: replicas (default: one per core)")
    args = p.parse_args()
    counts = [int(x) for x in args.sessions.split(",") if x.strip()]
    if not counts or min(counts) < 1 or max(counts) > MAX_SESSIONS:
        p.error(f"--sessions takes counts from 1 to {MAX_SESSIONS}")
    if not 0 < args.seconds <= MAX_SECONDS or not 0 <= args.warmup <= MAX_SECONDS or not 0 <= args.max_wait <= MAX_SECONDS:
        p.error(f"--seconds, --warmup and --max-wait are at most {MAX_SECONDS}")
    if args.url and urllib.parse.urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        p.error("--url must point at this machine (127.0.0.1): the bench only loads local servers")
    target = args.url or ("python -m serve" + (f" --replicas {args.replicas}" if args.replicas else "")
                          if args.serve else "streamlit run app.py")
    polite = " (polite clients)" if args.polite else ""
    print(f"Load: {target}, ?{args.query}, Play in every session{polite}; measured {args.seconds:g} s, from {args.warmup:g} s "
          f"after every session's first frame (waiting at most {args.max_wait:g} s for those)")
    rounds = []
    for n in counts:
        proc, url = (None, args.url) if args.url else start_server(args.serve, args.replicas)
        try:
            root = server_root(url, args.pid or (proc.pid if proc else None))
            meter = TreeMeter(root) if root else None
            r = asyncio.run(measure(url, args.query, n, args.warmup, args.seconds, args.max_wait, meter, args.stall, args.polite))
        finally:
            if proc is not None:
                stop_server(proc)
        rounds.append(r)
        resumed = "" if r.resumed is None else f"; resumed after a {args.stall:g} s stall: {r.resumed}/{n}"
        print(f"  {n} sessions: done ({len(r.errors)} errors{resumed})", flush=True)
        for e in r.errors[:5]:
            print(f"    {e}")
        if args.detail:
            for i, ((refreshes, epochs, runs), replica) in enumerate(zip(r.rates, r.replicas)):
                print(f"    session {i + 1:3d} {replica:4s} {refreshes:5.1f} refreshes/s {epochs or 0:6.0f} epochs/s "
                      f"{runs:5.1f} fragment runs/s")
    print()
    print(table(rounds))
    print("\nBefore issue 9 (one streamlit process, slowest session): "
          + "; ".join(f"{n}: {a} refreshes/s, {b} epochs/s" for n, (a, b) in REFERENCE.items()))


if __name__ == "__main__":
    main()
