"""A training worker: one process that trains many sessions' networks, in turns, and draws
their live frames. ``pool.py`` runs one per core and shares them among every playing session.

A refresh of the live page is the server's tick followed by the browser's painting. Training
inside the tick would lengthen every refresh, and training in a thread of the server fights
Streamlit for the GIL; a worker process has its own interpreter: it trains continuously while
the server only hands frames over. Fairness: every job that plays gets the same slice of
training time in turn (``SLICE``), whatever its network; drawing a frame happens only when the
page asks for one. No Streamlit here.

The conversation (``channel.py``), per job (one job per playing session):
  server -> worker: ("play", job, generation, model, lang)  train this snapshot on (its grid is rebuilt
                                                     here) and draw its frames in language ``lang``
                    ("want", job)                      send the newest state when it is ready
                    ("pause", job) / ("drop", job) / ("close",)
  worker -> server: ("update", job, generation, trainer_without_data, point, frame, network_png or None)
                    ("diverged", job, generation, message)   a playground.i18n.Message
                    ("failed", job, generation, message)   an unexpected error: the job is dropped
                    ("unknown", job)                       a "want" for a job this worker no longer has
A job answers one "want" with one update, prepared as soon as the last one is out (so a want
is usually answered at once). A job nobody asked for ``HEARTBEAT`` seconds stops training (its
tab is hidden, closed or on another page) and trains on as soon as a "want" comes again; after
``DROP_AFTER`` seconds it is forgotten. The worker exits when the server goes away.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import queue
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np

from core import Trainer, TrainingDiverged
from playground.diverged import divergence_message

from ..frame import network_png_of, render_frame
from ..model import Model, make_grid
from . import channel

LOG = logging.getLogger(__name__)
# Training seconds per turn: every runnable job gets a turn within ROUND seconds (each turn at least
# MIN_SLICE, at most SLICE), so a page asking every ~0.2 s finds its job trained on since its last frame.
SLICE = 0.01
MIN_SLICE = 0.002
ROUND = 0.08
HEARTBEAT = 2.0
DROP_AFTER = 30.0
NETWORK_EVERY = 1.0  # seconds between network images of one job (the page shows one a second)...
BUSY_JOBS = 4  # ...and when more jobs than this share the worker (a class), the costlier images less often:
BUSY_NETWORK_EVERY = 2.5  # the page then asks for the network every few seconds
BUSY_CURVES_EVERY = 0.4  # and the curves are redrawn at most this often, the map every frame
# Below the browser and the server: the worker gets most of the CPU time they leave, so a 2-core
# laptop running both still paints often (benchmarks/bench_ui.py: nice 12 gave ~0.5-1 more
# refreshes/s than 5 and still 1.5-4x the target epochs/s; 19 measured the same as 12, within noise).
NICENESS = 12
DATA = ("x", "y", "x_test", "y_test")


@dataclass
class Job:
    """One session's network in this worker."""

    model: Model
    generation: int
    pacer: Pacer
    heard: float
    lang: str = "en"  # the language of its frames' text
    wanted: bool = True
    sent_epoch: int = -1
    prepared: bytes | None = None  # the next update, encoded, ready for the next "want"
    network_at: float = field(default=-1e9)  # when its last network image was drawn
    curves: bytes | None = None  # its last curves image...
    curves_at: float = field(default=-1e9)  # ...and when it was drawn

    def runnable(self, now: float) -> bool:
        return now - self.heard <= HEARTBEAT


class Pacer:
    """At most ``pace`` epochs per second of wall time (0: no limit), counted from its start."""

    def __init__(self, pace: int, epochs_done: int, now: float | None = None) -> None:
        self.pace, self.start_epoch = pace, epochs_done
        self.start = time.monotonic() if now is None else now

    def allowance(self, epochs_done: int, now: float | None = None) -> int | None:
        """Whole epochs that may run now (None: no limit)."""
        if not self.pace:
            return None
        now = time.monotonic() if now is None else now
        return max(0, int(self.start_epoch + self.pace * (now - self.start)) - epochs_done)


def without_data(trainer: Trainer) -> Trainer:
    """A shallow copy whose pickle leaves out the data (the other end has them)."""
    light = copy.copy(trainer)
    for name in DATA:
        setattr(light, name, None)
    return light


def serve(inbox: socket.socket, outbox_socket: socket.socket) -> None:
    """The worker's loop: take messages, give each runnable job a turn, answer wants."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, "blas")  # small matrices: threads only add hand-off cost on a busy machine
    except ImportError:
        pass
    jobs: dict[int, Job] = {}
    turns: deque[int] = deque()
    # A frame can be bigger than the socket's buffer: sent from this thread, it would stop training
    # until the server reads it. The sender thread waits instead.
    outbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_send_all, args=(outbox_socket, outbox), name="sender", daemon=True).start()
    try:
        while True:
            now = time.monotonic()
            busy = any(job.runnable(now) for job in jobs.values())
            message = channel.receive(inbox, 0 if busy else 1.0)
            while message is not None:
                if _take(message, jobs, turns, outbox) is False:
                    return
                message = channel.receive(inbox, 0)
            now = time.monotonic()
            for job_id in [j for j, job in jobs.items() if now - job.heard > DROP_AFTER]:
                del jobs[job_id]
            job_id = _next_turn(turns, jobs, now)
            if job_id is not None:
                runnable = sum(1 for job in jobs.values() if job.runnable(now))
                _turn(job_id, jobs, outbox, min(SLICE, max(MIN_SLICE, ROUND / runnable)))
    except channel.ChannelClosed:
        return  # the server went away
    finally:
        outbox.put(None)


def _take(message, jobs: dict[int, Job], turns: deque, outbox: queue.SimpleQueue) -> bool | None:
    """Act on one message from the server; False for "close"."""
    kind, *args = message
    now = time.monotonic()
    if kind == "play":
        job_id, generation, model, lang = args
        model = replace(model, grid=make_grid(model.extent, model.features_used, model.data.x_train.shape[1]))
        # The page already shows this snapshot: the first frame is due after an epoch.
        jobs[job_id] = Job(model, generation, Pacer(model.config.pace, model.epoch), now, lang, sent_epoch=model.epoch)
        if job_id not in turns:
            turns.append(job_id)
    elif kind == "want":
        (job_id,) = args
        job = jobs.get(job_id)
        if job is None:
            outbox.put(("unknown", job_id))
        else:
            if not job.runnable(now):  # back after a pause of its tab: go on from here, paced from now
                job.pacer = Pacer(job.model.config.pace, job.model.epoch, now)
            job.heard, job.wanted = now, True
            if job.prepared is not None:  # answered at once: the tick need not wait
                outbox.put(job.prepared)
                job.prepared, job.wanted = None, False
            else:  # drawn now if it trained since its last update, not at its next turn
                _prepare(job_id, jobs, outbox)
    elif kind in ("pause", "drop"):
        jobs.pop(args[0], None)
    elif kind == "close":
        return False
    return None


def _next_turn(turns: deque, jobs: dict[int, Job], now: float) -> int | None:
    """The next runnable job in turn (round robin), or None."""
    for _ in range(len(turns)):
        job_id = turns[0]
        turns.rotate(-1)
        if job_id not in jobs:
            turns.remove(job_id)
            continue
        if jobs[job_id].runnable(now):
            return job_id
    return None


def _turn(job_id: int, jobs: dict[int, Job], outbox: queue.SimpleQueue, seconds: float = SLICE) -> None:
    """Train one job for ``seconds``; prepare its next update when it has trained on since the last."""
    job = jobs[job_id]
    trainer = job.model.trainer  # trained in place: this worker's own copy

    def train() -> None:
        allowed = job.pacer.allowance(trainer.epochs_done)
        if allowed == 0:  # a slow pace: this job waits for its next epoch
            if len(jobs) == 1:
                time.sleep(min(seconds, 1.0 / job.pacer.pace))
        else:
            with np.errstate(all="ignore"):
                trainer.run_for(seconds, max_epochs=min(1000, allowed or 1000))

    if _safely(job_id, jobs, outbox, train):
        _prepare(job_id, jobs, outbox)


def _prepare(job_id: int, jobs: dict[int, Job], outbox: queue.SimpleQueue) -> None:
    """Measure the job and draw its frame when it has trained on since its last update (its next
    update, ready for the next "want"); send it at once when one is waiting."""
    job = jobs[job_id]
    trainer = job.model.trainer
    if job.prepared is not None or trainer.epochs_done == job.sent_epoch:
        return

    def prepare() -> None:
        with np.errstate(all="ignore"):
            point = trainer.measure()
        # The parent appends the same point to its copy of the history, so both stay equal.
        job.model = replace(job.model, history=job.model.history.appended(point))
        now = time.monotonic()
        busy = sum(1 for other in jobs.values() if other.runnable(now)) > BUSY_JOBS
        network = None
        if now - job.network_at >= (BUSY_NETWORK_EVERY if busy else NETWORK_EVERY):
            network, job.network_at = network_png_of(job.model, job.lang), now
        reuse = job.curves if busy and now - job.curves_at < BUSY_CURVES_EVERY else None
        frame = render_frame(job.model, job.lang, curves=reuse)
        if reuse is None:
            job.curves, job.curves_at = frame.curves_image, now
        job.prepared = channel.encode(("update", job_id, job.generation, without_data(trainer), point, frame, network))
        job.sent_epoch = trainer.epochs_done

    if _safely(job_id, jobs, outbox, prepare) and job.wanted:
        outbox.put(job.prepared)
        job.prepared, job.wanted = None, False


def _safely(job_id: int, jobs: dict[int, Job], outbox: queue.SimpleQueue, work) -> bool:
    """Run ``work()`` for a job; a divergence or any other error is reported for this job alone,
    which is dropped (the worker serves the others). Returns whether the job is still there."""
    job = jobs[job_id]
    try:
        work()
        return True
    except (TrainingDiverged, FloatingPointError, OverflowError) as err:
        outbox.put(("diverged", job_id, job.generation, divergence_message(err)))
    except Exception as err:  # anything else: report it for this job and serve the others
        LOG.exception("training job %s failed", job_id)
        outbox.put(("failed", job_id, job.generation, f"{type(err).__name__}: {err}"))
    del jobs[job_id]
    return False


def _send_all(sock: socket.socket, outbox: queue.SimpleQueue) -> None:
    """The sender thread: messages (encoded bytes or tuples) until None."""
    while (message := outbox.get()) is not None:
        try:
            channel.send_bytes(sock, message if isinstance(message, bytes) else channel.encode(message), None)
        except channel.ChannelClosed:
            return


if __name__ == "__main__":  # python -m playground.twod.training.worker INBOX_FD OUTBOX_FD
    serve(socket.socket(fileno=int(sys.argv[1])), socket.socket(fileno=int(sys.argv[2])))
