"""The server's queue of digit training runs: how many train at once, and who is next.

One Streamlit process serves every session, so every session's runs share one machine's cores
and memory. A run joins the queue with its memory estimate (``run.memory_estimate``); it
trains once it reaches the front and there is room: fewer than ``max_running`` runs training
and their estimates within ``memory_budget`` (a run larger than the budget trains alone).
First come, first served: nobody is overtaken.

Every holder of a place, waiting or training, checks in (:meth:`RunQueue.poll`) on each tick
of its page. A place not checked in for ``lease_seconds`` (a closed tab, a lost connection)
is given up, so an abandoned run cannot hold the server's places for ever; its ``release``
callback frees what the run held. No Streamlit here; one instance, :data:`QUEUE`, serves the
process.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_RUNNING = 3  # runs training at once on the server (2 cores: more would only share them thinner)
MEMORY_BUDGET = 800 * 2**20  # bytes the runs training at once may take together (estimates)
LEASE_SECONDS = 30.0  # a place not checked in for this long is given up (ticks come every 0.6 s)


@dataclass
class _Place:
    ticket: int
    cost: int
    seen: float
    release: Callable[[], None] | None
    running: bool = False


class RunQueue:
    """Places of runs, waiting or training; thread-safe. ``clock`` is injectable for tests."""

    def __init__(self, max_running: int = MAX_RUNNING, memory_budget: int = MEMORY_BUDGET,
                 lease_seconds: float = LEASE_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.max_running, self.memory_budget, self.lease_seconds = max_running, memory_budget, lease_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._places: list[_Place] = []  # training ones and waiting ones, in the order they joined
        self._tickets = itertools.count(1)

    def join(self, cost: int, release: Callable[[], None] | None = None) -> int:
        """Queue a run that needs ``cost`` bytes; returns its ticket. ``release`` is called if
        its place lapses (see the module's docstring)."""
        with self._lock:
            ticket = next(self._tickets)
            self._places.append(_Place(ticket, int(cost), self._clock(), release))
        self.poll(ticket)
        return ticket

    def poll(self, ticket: int) -> int | None:
        """Check in for ``ticket``: 0 when its run may train now, n >= 1 when it is n-th in the
        queue, None when the ticket has no place (it left, or its place lapsed)."""
        with self._lock:
            lapsed = self._expire()
            self._admit()
            place = self._find(ticket)
            if place is not None:
                place.seen = self._clock()
                answer = 0 if place.running else 1 + [p for p in self._places if not p.running].index(place)
            else:
                answer = None
        for gone in lapsed:
            if gone.release is not None:
                gone.release()
        return answer

    def tidy(self) -> None:
        """Give up the places that lapsed (releasing what their runs held) and let the next runs
        in: any page may call it, so a closed tab's run is freed without waiting for a check-in."""
        self.poll(-1)

    def set_release(self, ticket: int, release: Callable[[], None] | None) -> None:
        """What to call if the place of ``ticket`` lapses (e.g. once its run holds data)."""
        with self._lock:
            place = self._find(ticket)
            if place is not None:
                place.release = release

    def leave(self, ticket: int | None) -> None:
        """Give up the place of ``ticket`` (the run finished, stopped or was cancelled)."""
        with self._lock:
            self._places = [p for p in self._places if p.ticket != ticket]
            self._admit()

    def counts(self) -> tuple[int, int]:
        """(runs training, runs waiting) right now."""
        with self._lock:
            running = sum(p.running for p in self._places)
            return running, len(self._places) - running

    def _find(self, ticket: int) -> _Place | None:
        return next((p for p in self._places if p.ticket == ticket), None)

    def _expire(self) -> list[_Place]:
        now = self._clock()
        lapsed = [p for p in self._places if now - p.seen > self.lease_seconds]
        if lapsed:
            self._places = [p for p in self._places if p not in lapsed]
        return lapsed

    def _admit(self) -> None:
        """Let waiting runs train, first come first served, while there is room."""
        running = [p for p in self._places if p.running]
        used = sum(p.cost for p in running)
        for place in self._places:
            if place.running:
                continue
            room = len(running) < self.max_running and (not running or used + place.cost <= self.memory_budget)
            if not room:
                break  # the next in line waits; nobody behind it is let past
            place.running = True
            running.append(place)
            used += place.cost


QUEUE = RunQueue()  # the process's queue: module state is shared by every session of the server
