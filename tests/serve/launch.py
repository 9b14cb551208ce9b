"""Starting and stopping ``./run serve`` for tests: the launcher (``python -m serve``) with HAProxy
and Streamlit replicas on free ports of 127.0.0.1; and running the load bench's asyncio clients."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from serve.launcher import find_haproxy, free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


def start_serve(replicas: int = 2) -> tuple[subprocess.Popen, str]:
    """``python -m serve`` in its own process group (as a terminal would run it), answering."""
    find_haproxy()  # fails with "haproxy is not installed: ..." rather than a timeout
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="serve-", suffix=".log", delete=False)
    env = {**os.environ, "NN_PLAYGROUND_CACHE": tempfile.mkdtemp(prefix="serve-cache-")}
    proc = subprocess.Popen([sys.executable, "-m", "serve", "--bind", "127.0.0.1", "--port", str(port),
                             "--replicas", str(replicas)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    if wait_healthy(proc, url + "/_stcore/health", 90):
        return proc, url
    if proc.poll() is not None:
        raise RuntimeError(f"python -m serve exited ({proc.returncode}):\n{Path(log.name).read_text()[-3000:]}")
    stop_serve(proc)
    raise RuntimeError(f"python -m serve did not answer within 90 s:\n{Path(log.name).read_text()[-3000:]}")


def stop_serve(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise


def run_async(coroutine_function):
    """Run ``coroutine_function()`` to its end on a fresh event loop in a thread of its own (the
    browser tests' Playwright keeps an event loop running in the main thread for the session)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine_function()).result()


def serving(replicas: int = 2):
    """A generator for a fixture: (launcher process, balancer URL), stopped afterwards."""
    proc, url = start_serve(replicas=replicas)
    try:
        yield proc, url
    finally:
        stop_serve(proc)
