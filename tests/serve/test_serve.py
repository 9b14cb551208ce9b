"""``python -m serve`` end to end, without a browser: sessions playing through the balancer,
sticky routing, and a clean stop on SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import urllib.error
import urllib.request
import uuid

import pytest

from benchmarks.bench_load import summarize
from benchmarks.proctree import cmdline, tree
from benchmarks.stclient import Session, close_all, open_playing
from tests.serve.launch import run_async, start_serve, stop_serve

QUERY = "ds=spiral&hidden=8,8"


def test_sessions_play_through_the_balancer(served):
    """The load bench's clients: every session refreshes and its epoch moves; nothing fails."""
    _, url = served

    async def run():
        sessions = await open_playing(url, QUERY, 4)
        try:
            await asyncio.sleep(3)
            start = time.monotonic()
            await asyncio.sleep(4)
            return [s.log for s, _ in sessions], start, time.monotonic()
        finally:
            await close_all(sessions)

    logs, start, end = run_async(run)
    rates, errors, _, _ = summarize(logs, start, end)
    assert errors == []
    for log, (refreshes, epochs, _) in zip(logs, rates):
        assert refreshes > 0, f"{log.name} showed no new frame in {end - start:.1f} s"
        assert epochs is not None and epochs > 0, f"{log.name}: the epoch did not move"
    assert {log.cookies.get("SERVERID") for log in logs} == {"r1", "r2"}


def upload(url: str, cookies: dict[str, str], session_id: str) -> int:
    """PUT a one-file multipart upload for ``session_id`` with ``cookies``; the HTTP status."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\nx1,x2,label\n0,0,0\n1,1,1\n\r\n--{boundary}--\r\n").encode()
    request = urllib.request.Request(
        f"{url}/_stcore/upload_file/{session_id}/{uuid.uuid4().hex}", data=body, method="PUT",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                 "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                 "X-Xsrftoken": cookies.get("_streamlit_xsrf", "")})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def test_sessions_are_spread_and_stick_to_their_replica(served):
    """New browsers are spread over both replicas, and each one's HTTP requests (an upload here)
    follow its SERVERID cookie to the replica that holds its session: with the other replica's
    cookie the same request fails, since that replica has no such session."""
    _, url = served

    async def run():
        sessions = []
        for i in range(4):
            session = Session(url, QUERY, name=f"s{i}")
            await session.connect()
            sessions.append((session, asyncio.create_task(session.run())))
        deadline = time.monotonic() + 30
        while not all(s.log.session_id for s, _ in sessions) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        logs = [s.log for s, _ in sessions]
        statuses = []
        for log in logs:
            other = {**log.cookies, "SERVERID": "r2" if log.cookies["SERVERID"] == "r1" else "r1"}
            statuses.append((await asyncio.to_thread(upload, url, log.cookies, log.session_id),
                             await asyncio.to_thread(upload, url, other, log.session_id)))
        await close_all(sessions)
        return logs, statuses

    logs, statuses = run_async(run)
    assert all(log.session_id for log in logs)
    assert {log.cookies["SERVERID"] for log in logs} == {"r1", "r2"}
    for log, (own, other) in zip(logs, statuses):
        assert own == 204, f"{log.name}: upload through its own replica answered {own}"
        assert other == 400, f"{log.name}: upload routed to the other replica answered {other}"


def _alive(pid: int, command: str) -> bool:
    """The process is still there (not a zombie, not a new process that reused the pid)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and cmdline(pid) == command


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_stopping_the_launcher_leaves_nothing_behind(how):
    """SIGTERM to the launcher, or SIGINT to its process group as a terminal's Ctrl-C sends:
    haproxy, both replicas and the training workers they started all end."""
    proc, url = start_serve(replicas=2)

    async def play_then_stop():
        sessions = await open_playing(url, QUERY, 2)  # one per replica, so each starts its training worker
        try:
            await asyncio.sleep(2)
            started = {pid: cmdline(pid) for pid in tree(proc.pid)}
        finally:
            if how == "SIGTERM":
                proc.send_signal(signal.SIGTERM)
            else:
                os.killpg(proc.pid, signal.SIGINT)
            status = await asyncio.to_thread(stop_serve, proc, signal.SIGTERM if how == "SIGTERM" else signal.SIGINT)
            await close_all(sessions)
        return started, status

    started, status = run_async(play_then_stop)
    names = " ".join(started.values())
    assert "haproxy" in names and names.count("streamlit run") == 2 and names.count("playground.twod.training.worker") == 2, names
    assert status == 0
    deadline = time.monotonic() + 15
    while (left := [p for p, c in started.items() if _alive(p, c)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == [], f"still running after {how}: {[started[p] for p in left]}"
