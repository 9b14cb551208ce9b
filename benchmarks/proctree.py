"""CPU time and memory of a process and all its descendants, read from /proc (Linux only).

CPU: the sum over the tree of each process's user+system time plus the time of the children
it has reaped, so a training process that ends inside a measurement still counts (its parent
collects its time when it waits for it). Memory: the sum of resident set sizes (shared pages
count once per process, so this overstates what the tree needs a little).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from "state" on; the name may hold spaces


def tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:  # utime stime cutime cstime are fields 14-17 of stat (11-14 here)
            total += sum(int(x) for x in fields[11:15])
    return total / CLOCK_TICKS


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    return total


class TreeMeter:
    """CPU (% of one core) and peak RSS of the tree under ``root`` between ``start()`` and
    ``stop()``; call ``sample()`` now and then in between to catch the memory peak."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_rss = 0
        self._t0 = self._cpu0 = 0.0

    def start(self) -> None:
        self.peak_rss = 0
        self._t0, self._cpu0 = time.monotonic(), cpu_seconds(tree(self.root))
        self.sample()

    def sample(self) -> None:
        self.peak_rss = max(self.peak_rss, rss_bytes(tree(self.root)))

    def stop(self) -> tuple[float, int]:
        """(CPU % of one core, peak RSS bytes) since ``start()``."""
        self.sample()
        cpu = cpu_seconds(tree(self.root)) - self._cpu0
        return 100.0 * cpu / max(1e-9, time.monotonic() - self._t0), self.peak_rss


def listener_pid(port: int) -> int | None:
    """The process listening on TCP ``port`` (IPv4 or IPv6), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(cols[9])
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            for fd in os.scandir(f"/proc/{entry.name}/fd"):
                link = os.readlink(fd.path)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(entry.name)
        except OSError:
            continue
    return None


def parent(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
