"""Start Streamlit replicas and HAProxy in front of them, keep them running, stop them all.

Every child runs in its own process group, so stopping a replica also stops the training
processes it started, and on Linux each child gets SIGTERM if the launcher itself dies
(``PR_SET_PDEATHSIG``), so nothing is left behind even after a ``kill -9`` of the launcher.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from serve.balancer import Backend, render

ROOT = Path(__file__).resolve().parent.parent
HEALTH = "/_stcore/health"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0
RESTARTS_PER_MINUTE = 3  # a replica that keeps crashing is left out (the balancer skips it)


class LaunchError(RuntimeError):
    """Something the operator must fix, said plainly (a busy port, no haproxy, a replica that fails)."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def find_haproxy() -> str:
    found = shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.access(p, os.X_OK)), None)
    if found is None:
        raise LaunchError("haproxy is not installed: `./run serve` installs Debian's package, "
                          "or run `apt-get install haproxy`.")
    return found


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.read().strip() == b"ok"
    except OSError:
        return False


def wait_healthy(proc: subprocess.Popen, url: str, seconds: float) -> bool:
    """Poll ``url`` until it answers "ok" (True), or until ``proc`` exits or ``seconds`` pass
    (False: the caller tells the two apart with ``proc.poll()``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        if healthy(url):
            return True
        time.sleep(0.3)
    return False


def answering(url: str, timeout: float = 2.0) -> bool:
    """Any HTTP answer at all (a balancer whose replicas are not up yet answers 503)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _die_with_parent() -> None:  # runs in the child between fork and exec
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    """One process the launcher owns: its command, log file and process group."""

    name: str
    argv: list[str]
    log: Path
    env: dict[str, str] | None = None
    proc: subprocess.Popen | None = None
    starts: list[float] = field(default_factory=list)

    def start(self) -> None:
        self.starts.append(time.monotonic())
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, sig)

    def wait(self, timeout: float) -> None:
        """Wait for the process; SIGKILL its group if it outlives ``timeout``; then sweep the
        group (its own children, e.g. training workers) either way."""
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.0, timeout))
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.proc.wait()
        self.signal_group(signal.SIGKILL)

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Launcher:
    """HAProxy on ``bind:port`` in front of ``replicas`` local Streamlit processes (and any
    ``remotes``, replicas started elsewhere), all sharing ``secret`` as ``server.cookieSecret``."""

    def __init__(self, bind: str, port: int, replicas: int, secret: str, replica_ports: list[int] | None = None,
                 remotes: list[tuple[str, int]] = (), streamlit_args: list[str] = (), haproxy: str | None = None,
                 workdir: Path | None = None, out=sys.stdout) -> None:
        if replicas < 0 or (replicas == 0 and not remotes):
            raise LaunchError("nothing to balance: ask for at least one replica (--replicas) or a --remote one")
        self.bind, self.port, self.out = bind, port, out
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="nn-playground-serve-"))
        self.haproxy_bin = haproxy or find_haproxy()
        ports = list(replica_ports or [])
        ports += [free_port() for _ in range(replicas - len(ports))]
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret, "NN_PLAYGROUND_REPLICAS": str(replicas)}
        self.replicas = [
            Child(f"r{i + 1}", [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                                "--server.headless", "true", "--server.address", "127.0.0.1",
                                "--server.port", str(p), "--browser.gatherUsageStats", "false", *streamlit_args],
                  self.workdir / f"r{i + 1}.log", env={**env, "NN_PLAYGROUND_REPLICA": str(i + 1)})
            for i, p in enumerate(ports[:replicas])]
        self.backends = [Backend(c.name, "127.0.0.1", p) for c, p in zip(self.replicas, ports)]
        self.backends += [Backend(f"r{len(self.backends) + i + 1}", h, p) for i, (h, p) in enumerate(remotes)]
        self.config = self.workdir / "haproxy.cfg"
        self.haproxy = Child("haproxy", [self.haproxy_bin, "-db", "-f", str(self.config)], self.workdir / "haproxy.log")
        self.failed = False
        self.should_stop = lambda: False  # checked while waiting at start (Ctrl-C during a slow start)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.bind in ("", "*", "0.0.0.0", "::") else self.bind
        return f"http://{host}:{self.port}"

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # ---- start -------------------------------------------------------------------------------
    def start(self) -> None:
        """Replicas first (all healthy), then the balancer (answering): raises LaunchError, after
        stopping whatever it started, when something does not come up."""
        try:
            self.config.write_text(render(self.bind, self.port, self.backends))
            check = subprocess.run([self.haproxy_bin, "-c", "-q", "-f", str(self.config)], capture_output=True, text=True)
            if check.returncode != 0:
                raise LaunchError(f"haproxy rejected {self.config}:\n{check.stdout}{check.stderr}")
            for child in self.replicas:
                child.start()
            for child, backend in zip(self.replicas, self.backends):
                self._wait(child, f"http://{backend.address}{HEALTH}")
            for backend in self.backends[len(self.replicas):]:
                if not healthy(f"http://{backend.address}{HEALTH}"):
                    self.say(f"warning: remote replica {backend.address} does not answer {HEALTH} yet; "
                             "the balancer will use it once it does")
            self.haproxy.start()
            self._wait(self.haproxy, self.url + HEALTH, what=f"haproxy on port {self.port} (is the port free?)", check=answering)
        except BaseException:
            self.failed = True
            self.stop()
            raise

    def _wait(self, child: Child, url: str, what: str | None = None, check=healthy) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.should_stop():
                raise LaunchError("stopped while starting")
            if not child.alive:
                raise LaunchError(f"{what or child.name} exited at start; its log ({child.log}) ends:\n{child.tail()}")
            if check(url):
                return
            time.sleep(0.2)
        raise LaunchError(f"{what or child.name} did not answer {url} within {START_TIMEOUT:.0f} s; "
                          f"its log ({child.log}) ends:\n{child.tail()}")

    # ---- run ---------------------------------------------------------------------------------
    def supervise(self, should_stop) -> int:
        """Until ``should_stop()``: restart a replica that died (at most RESTARTS_PER_MINUTE a
        minute); stop everything if the balancer dies. Returns the exit status."""
        while not should_stop():
            time.sleep(0.25)
            if not self.haproxy.alive:
                self.failed = True
                self.say(f"haproxy exited; its log ({self.haproxy.log}) ends:\n{self.haproxy.tail()}")
                return 1
            for child in self.replicas:
                if child.alive or child.proc is None:
                    continue
                child.wait(0)  # sweep its group
                recent = [t for t in child.starts if time.monotonic() - t < 60]
                if len(recent) > RESTARTS_PER_MINUTE:
                    self.failed = True
                    self.say(f"replica {child.name} keeps exiting; left out. Its log ({child.log}) ends:\n{child.tail()}")
                    child.proc = None
                    continue
                self.say(f"replica {child.name} exited (status {child.proc.returncode}); restarting it")
                child.start()
        return 0

    # ---- stop --------------------------------------------------------------------------------
    def stop(self) -> None:
        """Balancer first (no new requests), then every replica and its children: SIGTERM,
        then SIGKILL after STOP_TIMEOUT seconds."""
        self.haproxy.signal_group(signal.SIGTERM)
        self.haproxy.wait(STOP_TIMEOUT)
        for child in self.replicas:
            child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in self.replicas:
            child.wait(deadline - time.monotonic())
        if not self.failed:
            shutil.rmtree(self.workdir, ignore_errors=True)
        else:
            self.say(f"(logs kept in {self.workdir})")

    def pids(self) -> list[int]:
        return [c.proc.pid for c in (self.haproxy, *self.replicas) if c.proc is not None]
