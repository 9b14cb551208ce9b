"""How many refreshes per second this server gives out, shared by every playing session, found
by watching how late the ticks come.

Each refresh is a fragment rerun that the server's one Python process must run and send; when
there are more than it can serve, the browsers' timers queue reruns, Streamlit starts them back
to back and drops the output of runs it could not send in time: every session freezes at once
(measured with benchmarks/bench_load.py). A fixed budget is wrong on a shared machine, so the
ticks report how late they run (the time since the session's last tick beyond its interval) and
the budget shrinks while they run late and grows back while they are on time. No Streamlit.
"""

from __future__ import annotations

import threading
import time


class RefreshBudget:
    """Refreshes per second for the whole server (``value``), adjusted from the ticks' lateness.

    start, low, high: refreshes/s; late and on_time: the average lateness (a share of the
    interval) above which the budget shrinks by ``down`` and below which it grows by ``up``, at
    most once per ``every`` seconds.
    """

    def __init__(self, start: float, low: float, high: float, late: float = 0.5, on_time: float = 0.15,
                 down: float = 0.8, up: float = 1.1, every: float = 2.0, memory: float = 0.9) -> None:
        self.value, self.low, self.high = start, low, high
        self.late, self.on_time, self.down, self.up, self.every, self.memory = late, on_time, down, up, every, memory
        self.lateness = 0.0  # moving average over the ticks of every session, as a share of their interval
        self._adjusted: float | None = None  # when the budget last moved (or was first told about a tick)
        self._lock = threading.Lock()

    def observe(self, gap: float, interval: float, now: float | None = None) -> None:
        """A tick started ``gap`` seconds after the same session's last tick, whose interval is ``interval``."""
        if interval <= 0 or gap <= 0 or gap > 10 * interval:  # a pause in between, not a late tick
            return
        now = time.monotonic() if now is None else now
        with self._lock:
            self.lateness = self.memory * self.lateness + (1 - self.memory) * max(0.0, gap / interval - 1.0)
            if self._adjusted is None:
                self._adjusted = now
            if now - self._adjusted < self.every:
                return
            self._adjusted = now
            if self.lateness > self.late:
                self.value = max(self.low, self.value * self.down)
            elif self.lateness < self.on_time:
                self.value = min(self.high, self.value * self.up)
