"""The HAProxy configuration, the shared cookie secret and the launcher's arguments."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from serve.__main__ import parse_args
from serve.balancer import Backend, parse_address, render
from serve.launcher import find_haproxy, free_port, wait_healthy
from serve.secret import ENV, cookie_secret

BACKENDS = [Backend("r1", "127.0.0.1", 8601), Backend("r2", "10.0.0.12", 8601)]


def test_config_routes_by_cookie_and_checks_health():
    text = render("0.0.0.0", 8501, BACKENDS)
    assert "bind 0.0.0.0:8501" in text
    assert "cookie SERVERID insert indirect nocache" in text
    assert "server r1 127.0.0.1:8601 cookie r1" in text
    assert "server r2 10.0.0.12:8601 cookie r2" in text
    assert "uri /_stcore/health" in text
    assert "timeout tunnel 1h" in text
    assert "balance source" not in text and "hash-type" not in text  # never by source address
    assert "$" not in text  # every placeholder filled


def test_haproxy_accepts_the_config(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(render("127.0.0.1", 18501, BACKENDS))
    check = subprocess.run([find_haproxy(), "-c", "-f", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("backends", [[], [Backend("r1", "a", 1), Backend("r1", "b", 2)], [Backend("r 1", "a", 1)]])
def test_config_refuses_bad_replica_lists(backends):
    with pytest.raises(ValueError):
        render("0.0.0.0", 8501, backends)


def test_parse_address():
    assert parse_address("10.0.0.12:8601") == ("10.0.0.12", 8601)
    for bad in ("10.0.0.12", ":8601", "host:http", "host:70000"):
        with pytest.raises(ValueError, match="HOST:PORT"):
            parse_address(bad)


def test_arguments():
    args = parse_args(["--replicas", "3", "--port", "9000", "--remote", "10.0.0.12:8601", "--", "--server.maxUploadSize",
                       "5"])
    assert (args.replicas, args.port, args.remote) == (3, 9000, [("10.0.0.12", 8601)])
    assert args.streamlit_args == ["--server.maxUploadSize", "5"]
    assert parse_args([]).replicas == len(os.sched_getaffinity(0))
    with pytest.raises(SystemExit):
        parse_args(["--remote", "nowhere"])


def test_cookie_secret_is_made_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    path = tmp_path / "sub" / "cookie-secret"
    first = cookie_secret(path)
    assert len(first) == 64
    assert cookie_secret(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_cookie_secret_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, "shared-by-every-replica")
    assert cookie_secret(tmp_path / "cookie-secret") == "shared-by-every-replica"
    assert not (tmp_path / "cookie-secret").exists()


def test_wait_healthy_needs_an_ok_answer_from_a_live_process(tmp_path):
    (tmp_path / "ok").write_text("ok")
    (tmp_path / "no").write_text("starting")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_healthy(server, f"http://127.0.0.1:{port}/ok", 30)
        assert not wait_healthy(server, f"http://127.0.0.1:{port}/no", 1)
    finally:
        server.terminate()
        server.wait()
    assert not wait_healthy(server, f"http://127.0.0.1:{port}/ok", 30)  # exited: no waiting out the 30 s
