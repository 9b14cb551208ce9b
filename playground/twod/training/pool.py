"""The training workers of this server, shared fairly by every session that plays.

One worker process per core (``worker.py``) trains many sessions' networks in turns, so a class
of 32 shares the machine evenly instead of four sessions getting a process each and the rest
training inside the server's ticks. At most ``CAPACITY`` sessions train at once: the rest wait
in a queue, are told where they stand, and start by themselves when a place frees. A session
whose page stops asking (a hidden or closed tab) gives its place up after ``SLOT_TTL`` seconds;
a paused one at once.

The page holds one :class:`Job` per session. ``job.advance(model, lang=...)`` hands the newest
snapshot trained on from ``model`` and its live frame, drawn in the session's language ``lang``
(or ``model`` and None until one is ready); a snapshot the worker did not produce (a new network,
a Step, new settings) or another language restarts the job from it. Thread-safe: a fragment
tick and a full rerun of the same session may overlap. No Streamlit.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from playground.i18n import Message

from ..frame import LiveFrame
from ..model import Model
from . import channel
from .worker import DATA

LOG = logging.getLogger(__name__)
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
# `./run serve` runs several servers (replicas) on one machine: each gets its share of the cores.
REPLICAS = max(1, int(os.environ.get("NN_PLAYGROUND_REPLICAS", "1")))
WORKERS = max(1, int(os.environ.get("NN_PLAYGROUND_WORKERS", max(1, CORES // REPLICAS))))
# Sessions training at once on this server; the rest queue. Measured with benchmarks/bench_load.py
# on 2 cores: see the README's classroom table.
CAPACITY = max(1, int(os.environ.get("NN_PLAYGROUND_MAX_PLAYING", 24 * WORKERS)))
SLOT_TTL = 5.0  # a place (or a queue entry) not asked for this long is given up
SEND_TIMEOUT = 2.0
RESTART_BACKOFF = (1.0, 5.0, 30.0)  # seconds before starting a worker again after it died young
YOUNG = 10.0  # a worker that dies within this many seconds of its start counts as failing


@dataclass(frozen=True)
class Advance:
    """What ``Job.advance`` found: the newest snapshot, its frame (None: nothing new yet), and a
    problem the page should explain (the job stopped for another reason than divergence: a
    Message, or NO_WORKER)."""

    model: Model
    frame: LiveFrame | None = None
    problem: Message | str | None = None


class Worker:
    """One worker process and the two sockets to it (one per direction)."""

    def __init__(self, pool: Pool, index: int) -> None:
        to_child, child_in = socket.socketpair()
        from_child, child_out = socket.socketpair()
        root = str(Path(__file__).resolve().parents[3])  # the project root: playground/twod/training/pool.py
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        try:
            # A fresh interpreter, not multiprocessing's spawn or forkserver: those re-run the
            # parent's __main__ in the child, which inside Streamlit is the app script itself.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "playground.twod.training.worker", str(child_in.fileno()), str(child_out.fileno())],
                pass_fds=(child_in.fileno(), child_out.fileno()), env=env, cwd=root, stdin=subprocess.DEVNULL)
        finally:
            child_in.close()
            child_out.close()
        self.index, self.started = index, time.monotonic()
        self.jobs: set[int] = set()
        self._out, self._in = to_child, from_child
        self._send_lock = threading.Lock()
        self._dead = False
        threading.Thread(target=self._read, args=(pool,), name=f"training-worker-{index}", daemon=True).start()

    @property
    def alive(self) -> bool:
        return not self._dead and self.process.poll() is None

    def send(self, message) -> bool:
        """Send a message; False (and the worker counts as dead) when it cannot take it in time."""
        if self._dead:
            return False
        try:
            with self._send_lock:
                channel.send(self._out, message, SEND_TIMEOUT)
            return True
        except channel.ChannelClosed as err:
            LOG.warning("training worker %s unreachable: %s", self.index, err)
            self.stop()
            return False

    def _read(self, pool: Pool) -> None:
        try:
            while True:
                pool.deliver(channel.receive(self._in))
        except channel.ChannelClosed:
            if not self._dead:
                LOG.warning("training worker %s ended (exit code %s)", self.index, self.process.poll())
            self.stop()

    def stop(self) -> None:
        self._dead = True
        for sock in (self._out, self._in):
            sock.close()
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=1.0)  # its inbox is closed: it ends by itself
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Pool:
    """Workers, places and the queue of this server (one per process: :func:`shared_pool`)."""

    def __init__(self, workers: int = WORKERS, capacity: int = CAPACITY, slot_ttl: float = SLOT_TTL) -> None:
        self.size, self.capacity, self.slot_ttl = workers, capacity, slot_ttl
        self._lock = threading.Lock()
        self._workers: list[Worker | None] = [None] * workers
        self._failures = [0] * workers
        self._retry_at = [0.0] * workers
        self._jobs: weakref.WeakValueDictionary[int, Job] = weakref.WeakValueDictionary()
        self._playing: OrderedDict[int, float] = OrderedDict()  # job -> last asked
        self._waiting: OrderedDict[int, float] = OrderedDict()
        self._ids = itertools.count(1)
        self._forgotten: queue.SimpleQueue[int] = queue.SimpleQueue()

    def job(self) -> Job:
        """A new session's handle."""
        job = Job(self, next(self._ids))
        self._jobs[job.id] = job
        return job

    # ---- places and the queue --------------------------------------------------------------------
    def place(self, job: Job) -> int:
        """0 when ``job`` may train now, else its place in the queue (1 = next). Call it on every
        tick: a place or a queue entry not asked for ``slot_ttl`` seconds is given up."""
        now = time.monotonic()
        with self._lock:
            drops = self._collect()
        for worker, message in drops:
            worker.send(message)
        with self._lock:
            for entries in (self._playing, self._waiting):
                for stale in [j for j, seen in entries.items() if now - seen > self.slot_ttl or j not in self._jobs]:
                    del entries[stale]
            if job.id in self._playing:
                self._playing[job.id] = now
                return 0
            self._waiting[job.id] = now  # keeps its position when already waiting
            while self._waiting and len(self._playing) < self.capacity:
                first, _ = self._waiting.popitem(last=False)
                self._playing[first] = now
            if job.id in self._playing:
                return 0
            return list(self._waiting).index(job.id) + 1

    def leave(self, job: Job) -> None:
        """Give up ``job``'s place or queue entry (it paused or closed)."""
        with self._lock:
            self._playing.pop(job.id, None)
            self._waiting.pop(job.id, None)

    @property
    def playing(self) -> int:
        """Sessions with a place now (what the refresh interval adapts to)."""
        now = time.monotonic()
        with self._lock:
            return sum(1 for seen in self._playing.values() if now - seen <= self.slot_ttl)

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    # ---- workers ----------------------------------------------------------------------------------
    def assign(self, job_id: int) -> Worker | None:
        """The worker for a job: the live one with the fewest jobs, starting workers as needed
        (None when no worker can run here: the page then trains inside its ticks)."""
        with self._lock:
            candidates = []
            for i in range(self.size):
                worker = self._workers[i]
                if worker is not None and not worker.alive:
                    self._note_death(i, worker)
                    worker = self._workers[i] = None
                if worker is None and time.monotonic() >= self._retry_at[i]:
                    worker = self._workers[i] = self._start(i)
                if worker is not None:
                    candidates.append(worker)
            if not candidates:
                return None
            worker = min(candidates, key=lambda w: len(w.jobs))
            worker.jobs.add(job_id)
            return worker

    def release(self, worker: Worker | None, job_id: int) -> None:
        if worker is not None:
            with self._lock:
                worker.jobs.discard(job_id)

    def forget(self, job_id: int) -> None:
        """A session's handle is gone (the session ended): its place and its worker's memory are
        freed on the pool's next call. Only queued here: the garbage collector may call this at
        any moment, even while this thread holds the pool's lock."""
        self._forgotten.put(job_id)

    def _collect(self) -> list:
        """Under the lock: forget the ended sessions; returns the (worker, message) pairs to send."""
        drops = []
        while True:
            try:
                job_id = self._forgotten.get_nowait()
            except queue.Empty:
                return drops
            self._playing.pop(job_id, None)
            self._waiting.pop(job_id, None)
            for worker in self._workers:
                if worker is not None and job_id in worker.jobs:
                    worker.jobs.discard(job_id)
                    drops.append((worker, ("drop", job_id)))

    def _start(self, index: int) -> Worker | None:
        try:
            return Worker(self, index)
        except (OSError, ValueError, RuntimeError) as err:
            LOG.warning("no training worker (%s): sessions train inside the page's ticks", err)
            self._retry_at[index] = time.monotonic() + RESTART_BACKOFF[-1]
            return None

    def _note_death(self, index: int, worker: Worker) -> None:
        """Back off before starting a worker again when they keep dying young."""
        young = time.monotonic() - worker.started < YOUNG
        self._failures[index] = self._failures[index] + 1 if young else 0
        if self._failures[index]:
            backoff = RESTART_BACKOFF[min(self._failures[index], len(RESTART_BACKOFF)) - 1]
            self._retry_at[index] = time.monotonic() + backoff
        worker.stop()

    def deliver(self, message) -> None:
        """A message from a worker (its reader thread), handed to the job it is for."""
        job = self._jobs.get(message[1])
        if job is not None:
            job.receive(message)

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, [None] * self.size
        for worker in workers:
            if worker is not None:
                worker.send(("close",))
                worker.stop()


class Job:
    """One session's training in the pool (see the module docstring)."""

    def __init__(self, pool: Pool, job_id: int) -> None:
        self.pool, self.id = pool, job_id
        self.network_png: bytes | None = None  # the newest network image the worker drew
        self.network_lang: str | None = None  # ... in this language
        self._lock = threading.Lock()
        self._arrived = threading.Condition()
        self._worker: Worker | None = None
        self._generation = 0
        self._source: Model | None = None  # what the worker trains on from (our last answer)
        self._lang: str | None = None  # the language the worker draws in
        self._update = None
        weakref.finalize(self, pool.forget, job_id)

    def advance(self, model: Model, wait: float = 0.0, lang: str = "en") -> Advance:
        """The newest snapshot trained on from ``model`` and its frame (its text in ``lang``),
        waiting up to ``wait`` seconds for one; ``Advance(model)`` while none is ready, and
        ``Advance(model, problem=...)`` when no worker can train here. A language other than the
        one the worker draws in restarts the job, as a new snapshot does."""
        with self._lock:
            worker = self._worker
            if worker is None or not worker.alive:
                self.pool.release(worker, self.id)
                worker = self._worker = self.pool.assign(self.id)
                self._source = None
                if worker is None:
                    return Advance(model, problem=NO_WORKER)
            if model is not self._source or lang != self._lang:
                self._generation += 1
                with self._arrived:
                    self._update = None
                # The grid is rebuilt in the worker: 10,000 rows need not cross the socket.
                sent = worker.send(("play", self.id, self._generation, replace(model, grid=None), lang))
                sent = sent and worker.send(("want", self.id))
                self._source, self._lang = (model, lang) if sent else (None, None)
                return Advance(model)
            worker.send(("want", self.id))
            generation, drawn_in = self._generation, self._lang
        with self._arrived:
            if self._update is None and wait > 0:
                self._arrived.wait(wait)
            update, self._update = self._update, None
        if update is None:
            return Advance(model)
        kind = update[0]
        if kind == "unknown":  # the worker forgot the job (its tab was away too long): start it again
            self._source = None
            return Advance(model)
        if update[2] != generation:  # a network that is gone
            return Advance(model)
        if kind == "diverged":
            new = model if model.diverged else replace(model, diverged=update[3])
        elif kind == "failed":
            self._source = None
            # TRANSLATORS: {error} is technical (a Python error and its text), left in English.
            return Advance(model, problem=Message("The training worker failed on this network ({error}).",
                                                  error=update[3]))
        else:
            _, _, _, trainer, point, frame, network = update
            for name in DATA:
                setattr(trainer, name, getattr(model.trainer, name))
            new = model.advanced(trainer, point)
            if network is not None:
                self.network_png, self.network_lang = network, drawn_in
        with self._lock:
            self._source = new
        return Advance(new, frame if kind == "update" else None)

    def receive(self, message) -> None:
        with self._arrived:
            if message[0] == "unknown" or message[2] == self._generation:
                self._update = message
                self._arrived.notify_all()

    def pause(self) -> None:
        """Stop training (Pause, or leaving): the worker forgets the job, the place frees."""
        self.pool.leave(self)
        with self._lock:
            if self._worker is not None and self._source is not None:
                self._worker.send(("pause", self.id))
            self._source = None

    @property
    def worker_pid(self) -> int | None:
        worker = self._worker
        return worker.process.pid if worker is not None and worker.alive else None


NO_WORKER = "no training worker could start here"


_shared: Pool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> Pool:
    """This server's pool (workers start on the first Play)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Pool()
            atexit.register(_shared.close)
        return _shared
