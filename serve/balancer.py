"""The HAProxy configuration for a set of replicas, from the template ``haproxy.cfg`` next to this file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).with_name("haproxy.cfg")


@dataclass(frozen=True)
class Backend:
    """One Streamlit replica the balancer sends browsers to; ``name`` is its SERVERID cookie value."""

    name: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def parse_address(text: str) -> tuple[str, int]:
    """``"host:port"`` -> (host, port); raises ValueError with what was wrong."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text!r} is not HOST:PORT (for example 10.0.0.12:8601)")
    return host, int(port)


def render(bind: str, port: int, backends: list[Backend], template: Path = TEMPLATE) -> str:
    """The config text: HAProxy listening on ``bind:port`` with one cookie-sticky, health-checked
    ``server`` line per backend."""
    if not backends:
        raise ValueError("the balancer needs at least one replica")
    names = [b.name for b in backends]
    if len(set(names)) != len(names) or not all(re.fullmatch(r"[A-Za-z0-9_-]+", n) for n in names):
        raise ValueError(f"replica names must be unique words, got {names}")
    servers = "\n".join(f"    server {b.name} {b.address} cookie {b.name}" for b in backends)
    return Template(template.read_text()).substitute(bind=bind, port=port, servers=servers)
