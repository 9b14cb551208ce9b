"""A one-line text progress bar on stderr (the project does not depend on tqdm)."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """``[#####.....]  50%  label  detail`` redrawn in place with a carriage return.

    update(done, detail) at any rate; redraws at most every ``interval`` seconds (and always
    at 100%). close() ends the line.
    """

    def __init__(self, label: str, total: float | None, stream=None, width: int = 30, interval: float = 0.1):
        self.label, self.total, self.width, self.interval = label, total, width, interval
        self.stream = stream if stream is not None else sys.stderr
        self._last = 0.0
        self._shown = False

    def update(self, done: float, detail: str = "") -> None:
        now = time.monotonic()
        finished = self.total is not None and done >= self.total
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        if self.total:
            fraction = min(max(done / self.total, 0.0), 1.0)
            filled = round(fraction * self.width)
            bar = f"[{'#' * filled}{'.' * (self.width - filled)}] {fraction * 100:3.0f}%"
        else:
            bar = f"[{'?' * self.width}]"
        self.stream.write(f"\r{bar}  {self.label}  {detail}".rstrip() + "   ")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
