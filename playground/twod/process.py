"""Training in a child process, so the network learns while the browser paints.

A refresh of the live page is the server's tick followed by the browser's painting, one after
the other. Training inside the tick lengthens every refresh; training in a thread of the
server fights Streamlit for the GIL (measured: slower on both counts). A child process has its
own interpreter: it trains continuously, and each tick only collects the newest snapshot and
draws it. No Streamlit here; the live page (``live.py``) drives one per session.

The conversation over one pipe (both ends are this module's code; only our own objects cross):
  parent -> child: ("play", generation, model)   train this snapshot on, from now on
                   ("want",)                      send the newest state when it is ready
                   ("pause",) / ("close",)
  child -> parent: ("update", generation, trainer_without_data, point, frame)
                   ("diverged", generation, message)
The frame (``frame.render_frame``) is drawn here too: the server's tick, which the
browser waits for, then only wraps bytes.
The child answers one "want" with one update, so at most one is in flight (a sender thread
writes it, so training goes on while the parent has not read it yet). It prepares the next
update right after sending one, so a "want" is usually answered at once. It pauses by itself
when nobody has asked for ``HEARTBEAT`` seconds (tab closed, other page), and exits after
``IDLE_EXIT`` seconds without any message or when the server goes away.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import pickle
import queue
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from core import Trainer, TrainingDiverged

from .frame import LiveFrame, render_frame
from .model import Model

LOG = logging.getLogger(__name__)
CHUNK_SECONDS = 0.015  # training between looks at the pipe: bounds the wait for a fresh snapshot
HEARTBEAT = 2.0
IDLE_EXIT = 300.0
# Each playing session owns one process; beyond this many the page trains inside its ticks
# (slower, still correct), so a full lecture hall cannot swamp the server with processes.
MAX_PROCESSES = int(os.environ.get("NN_PLAYGROUND_MAX_TRAINERS", "4"))
# Below the browser and the server: the child gets most of the CPU time they leave, so a 2-core
# laptop running both still paints often (benchmarks/bench_ui.py: nice 12 gave ~0.5-1 more
# refreshes/s than 5 and still 1.5-4x the target epochs/s; 19 measured the same as 12, within noise).
NICENESS = 12
_DATA = ("x", "y", "x_test", "y_test")
_live: weakref.WeakSet[TrainingProcess] = weakref.WeakSet()
_live_lock = threading.Lock()


class TrainingProcess:
    """One session's trainer process. ``advance(model)`` returns the newest snapshot of ``model``
    trained on in the background and its frame (or ``model`` and None until one arrives);
    ``pause()`` stops it.
    Thread-safe: a fragment tick and a full rerun of the same session may overlap."""

    def __init__(self, heartbeat: float = HEARTBEAT, idle_exit: float = IDLE_EXIT) -> None:
        # A fresh interpreter (`python -m playground.twod.process`), not multiprocessing's
        # spawn or forkserver: those re-run the parent's __main__ in the child, which inside
        # Streamlit is the app script itself. Starting costs ~0.4 s of imports, once per session.
        parent_end, child_end = socket.socketpair()
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "playground.twod.process", str(child_end.fileno()), str(heartbeat),
                 str(idle_exit)],
                pass_fds=(child_end.fileno(),), env=env, cwd=root, stdin=subprocess.DEVNULL)
        finally:
            child_end.close()
        self._conn = Connection(parent_end.detach())
        self._lock = threading.Lock()
        self._generation = 0
        self._source: Model | None = None  # what the child is training on from (our last answer)
        self._finalizer = weakref.finalize(self, _shut, self._conn, self._proc)

    @classmethod
    def start(cls, **kwargs) -> TrainingProcess | None:
        """A new process (``kwargs`` as for the constructor), or None when ``MAX_PROCESSES`` are
        already running or processes cannot start here."""
        with _live_lock:
            if sum(1 for p in _live if p.alive) >= MAX_PROCESSES:
                return None
            try:
                proc = cls(**kwargs)
            except (OSError, ValueError, RuntimeError) as err:
                LOG.warning("no training process (%s): training inside the page's ticks", err)
                return None
            _live.add(proc)
            return proc

    @property
    def pid(self) -> int:
        return self._proc.pid

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None and not self._conn.closed

    def advance(self, model: Model, wait: float = 0.0) -> tuple[Model, LiveFrame | None]:
        """The newest snapshot trained on from ``model`` and its frame, or (``model``, None) when
        none is ready within ``wait`` seconds. The first call with a given ``model`` (a new
        network, a Step, new settings: anything the child did not produce) restarts the child
        from it."""
        with self._lock:
            if model is not self._source:
                self._generation += 1
                self._send(("play", self._generation, model))
                self._send(("want",))
                self._source = model
                return model, None
            update = None
            try:
                if wait > 0:
                    self._conn.poll(wait)  # a select(): the GIL is free meanwhile
                while self._conn.poll():
                    message = self._conn.recv()
                    if message[1] == self._generation:  # older generations trained a network that is gone
                        update = message
            except (EOFError, OSError) as err:  # the child died: the next tick starts another or trains itself
                LOG.warning("training process lost: %s", err)
                self._finalizer()
                return model, None
            self._send(("want",))
            if update is None:
                return model, None
            frame = None
            if update[0] == "diverged":
                new = model if model.diverged else replace(model, diverged=update[2])
            else:
                _, _, trainer, point, frame = update
                for name in _DATA:
                    setattr(trainer, name, getattr(model.trainer, name))
                new = model.advanced(trainer, point)
            self._source = new
            return new, frame

    def pause(self) -> None:
        with self._lock:
            if self._source is not None:
                self._source = None
                self._send(("pause",))

    def close(self) -> None:
        self._finalizer()

    def _send(self, message) -> None:
        try:
            self._conn.send(message)
        except (OSError, ValueError) as err:  # the child is gone: the page falls back to ticks
            LOG.warning("training process unreachable: %s", err)
            self._finalizer()


def _shut(conn: Connection, proc: subprocess.Popen) -> None:
    with contextlib.suppress(OSError, ValueError):
        conn.send(("close",))
    conn.close()
    try:
        proc.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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


def _without_data(trainer: Trainer) -> Trainer:
    """A shallow copy whose pickle leaves out the data (the parent has them)."""
    light = copy.copy(trainer)
    for name in _DATA:
        setattr(light, name, None)
    return light


def serve(conn, heartbeat: float = HEARTBEAT, idle_exit: float = IDLE_EXIT) -> None:
    """The child: train while playing, answer each "want" with the newest state."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, "blas")  # small matrices: threads only add hand-off cost on a busy machine
    except ImportError:
        pass
    model: Model | None = None
    pacer = Pacer(0, 0)
    generation, playing, wanted, heard, sent_epoch = -1, False, False, time.monotonic(), 0
    prepared: bytes | None = None  # the next update, ready for the next "want"
    # A frame is bigger than the pipe's buffer: written from this thread, send() would block
    # training until the parent's next tick reads it. The sender thread waits instead.
    outbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_send_all, args=(conn, outbox), name="sender", daemon=True).start()
    try:
        while True:
            if conn.poll(0 if playing else idle_exit):
                while conn.poll():
                    kind, *args = conn.recv()
                    heard = time.monotonic()
                    if kind == "play":
                        generation, model = args
                        # The page already shows this snapshot: the first frame is due after an epoch.
                        pacer, playing, sent_epoch = Pacer(model.config.pace, model.epoch), True, model.epoch
                        prepared = None
                    elif kind == "want":
                        wanted = True
                    elif kind == "pause":
                        playing, wanted, prepared = False, False, None
                    elif kind == "close":
                        return
            elif not playing:
                return  # nobody spoke for idle_exit seconds
            if not playing:
                continue
            if time.monotonic() - heard > heartbeat:
                playing = wanted = False  # the page stopped asking: its tab is closed or elsewhere
                continue
            if wanted and prepared is not None:  # answered at once: the tick need not wait
                outbox.put(prepared)
                prepared, wanted = None, False
            trainer = model.trainer  # trained in place: this process's own copy
            allowed = pacer.allowance(trainer.epochs_done)
            if allowed == 0:  # a slow pace: wait for the next epoch's turn
                time.sleep(min(CHUNK_SECONDS, 1.0 / pacer.pace))
            try:
                with np.errstate(all="ignore"):
                    if allowed != 0:
                        trainer.run_for(CHUNK_SECONDS, max_epochs=min(1000, allowed or 1000))
                    fresh = prepared is None and trainer.epochs_done != sent_epoch
                    point = trainer.measure() if fresh else None
            except (TrainingDiverged, FloatingPointError, OverflowError) as err:
                outbox.put(("diverged", generation, str(err)))
                playing = wanted = False
                continue
            if point is None:
                continue
            # The next update is prepared as soon as the last one is out (double buffering), and
            # pickled now, while the trainer is as measured. The parent appends the same point to
            # its copy of the history, so both stay equal.
            model = replace(model, history=model.history.appended(point))
            prepared = pickle.dumps(("update", generation, _without_data(trainer), point, render_frame(model)),
                                    protocol=pickle.HIGHEST_PROTOCOL)
            sent_epoch = trainer.epochs_done
    except (EOFError, OSError):
        return  # the server went away
    finally:
        outbox.put(None)


def _send_all(conn, outbox: queue.SimpleQueue) -> None:
    """The child's sender thread: messages (pickled bytes or tuples) until None."""
    while (message := outbox.get()) is not None:
        try:
            if isinstance(message, bytes):
                conn.send_bytes(message)
            else:
                conn.send(message)
        except (OSError, ValueError):
            return


if __name__ == "__main__":  # the child: python -m playground.twod.process FD HEARTBEAT IDLE_EXIT
    serve(Connection(int(sys.argv[1])), float(sys.argv[2]), float(sys.argv[3]))
