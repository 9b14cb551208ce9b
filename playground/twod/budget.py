"""How many refreshes per second this server gives out, shared by every playing session, found
by watching the ticks.

Each refresh is a fragment rerun that the server's one Python process must run and send, and a
frame the training workers must draw. When there are more than the server can serve, the
browsers' timers queue reruns, Streamlit starts them back to back and drops the output of runs
it could not send in time: every session freezes at once; when there are more than the workers
can draw, ticks find nothing new and only cost (both measured with benchmarks/bench_load.py).
A fixed budget is wrong on a shared machine, so every tick reports how late it ran and whether
it found a new frame; the budget shrinks while ticks run late or come back empty, and grows back
while they are on time and fresh. Each refresh asks for the next one ``delay`` seconds after it
arrives (``ticker.py``), so a tick is late by what the round trip took beyond that delay: the
server's queue (and the network and painting), measured against the delay plus ``SLACK``.
No Streamlit.
"""

from __future__ import annotations

import threading
import time

SLACK = 0.15  # seconds of round trip and painting that count as on time whatever the delay


class RefreshBudget:
    """Refreshes per second for the whole server (``value``), adjusted from the ticks.

    start, low, high: refreshes/s. The budget shrinks by ``down`` when the average lateness (the
    round trip beyond the delay, as a share of the delay plus SLACK) is above ``late`` or the
    share of ticks with a new frame below ``stale``; it grows by ``up`` when lateness is below
    ``on_time`` and freshness above ``fresh``; at most once per ``every`` seconds.
    """

    def __init__(self, start: float, low: float, high: float, late: float = 1.0, on_time: float = 0.5,
                 stale: float = 0.5, fresh: float = 0.8, down: float = 0.8, up: float = 1.1, every: float = 2.0,
                 memory: float = 0.9) -> None:
        self.value, self.low, self.high = start, low, high
        self.late, self.on_time, self.stale, self.fresh = late, on_time, stale, fresh
        self.down, self.up, self.every, self.memory = down, up, every, memory
        self.lateness = 0.0  # moving average over the ticks of every session, as a share of their interval
        self.freshness = 1.0  # moving average: the share of ticks that found a new frame
        self._adjusted: float | None = None  # when the budget last moved (or was first told about a tick)
        self._lock = threading.Lock()

    def observe(self, gap: float, delay: float, fresh: bool = True, now: float | None = None) -> None:
        """A tick started ``gap`` seconds after the same session's last tick, which asked for it
        ``delay`` seconds after its arrival; ``fresh``: it found a new frame to show."""
        if delay <= 0 or gap <= 0 or gap > 10 * (delay + SLACK):  # a pause in between, not a late tick
            return
        now = time.monotonic() if now is None else now
        late = max(0.0, gap - delay) / (delay + SLACK)
        with self._lock:
            self.lateness = self.memory * self.lateness + (1 - self.memory) * late
            self.freshness = self.memory * self.freshness + (1 - self.memory) * float(fresh)
            if self._adjusted is None:
                self._adjusted = now
            if now - self._adjusted < self.every:
                return
            self._adjusted = now
            if self.lateness > self.late or self.freshness < self.stale:
                self.value = max(self.low, self.value * self.down)
            elif self.lateness < self.on_time and self.freshness > self.fresh:
                self.value = min(self.high, self.value * self.up)
