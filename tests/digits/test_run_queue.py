"""The server's queue of training runs (run_queue.py), with a fake clock: places at once,
memory, first come first served, places that lapse."""

from __future__ import annotations

from playground.digits.run_queue import RunQueue

MB = 2**20


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_at_most_max_running_train_and_the_rest_wait_in_order():
    queue = RunQueue(max_running=2, memory_budget=1000 * MB, clock=Clock())
    a, b, c, d = (queue.join(10 * MB) for _ in range(4))
    assert [queue.poll(t) for t in (a, b, c, d)] == [0, 0, 1, 2]
    assert queue.counts() == (2, 2)
    queue.leave(a)  # a finished: c, first in line, trains by itself on its next check-in
    assert [queue.poll(t) for t in (b, c, d)] == [0, 0, 1]
    queue.leave(d)  # a waiting run cancelled
    assert queue.counts() == (2, 0) and queue.poll(d) is None


def test_memory_budget_holds_the_next_run_back_and_nobody_overtakes():
    queue = RunQueue(max_running=3, memory_budget=100 * MB, clock=Clock())
    big = queue.join(70 * MB)
    bigger = queue.join(50 * MB)  # 70 + 50 > 100: waits although a place is free
    small = queue.join(1 * MB)  # would fit, but waits its turn behind `bigger`
    assert [queue.poll(t) for t in (big, bigger, small)] == [0, 1, 2]
    queue.leave(big)
    assert [queue.poll(t) for t in (bigger, small)] == [0, 0]


def test_a_run_larger_than_the_budget_trains_alone():
    queue = RunQueue(max_running=3, memory_budget=100 * MB, clock=Clock())
    huge = queue.join(300 * MB)
    assert queue.poll(huge) == 0
    other = queue.join(1 * MB)
    assert queue.poll(other) == 1
    queue.leave(huge)
    assert queue.poll(other) == 0
    late_huge = queue.join(300 * MB)
    assert queue.poll(late_huge) == 1  # not while another runs


def test_places_not_checked_in_lapse_and_release_what_they_held():
    clock = Clock()
    released = []
    queue = RunQueue(max_running=1, lease_seconds=30, clock=clock)
    gone = queue.join(1, release=lambda: released.append("gone"))
    waiting = queue.join(1, release=lambda: released.append("waiting"))
    assert queue.poll(waiting) == 1
    for _ in range(4):  # the waiting page keeps checking in; the training one went away
        clock.now += 10
        queue.poll(waiting)
    assert released == ["gone"]
    assert queue.poll(waiting) == 0 and queue.poll(gone) is None
    clock.now += 31
    assert queue.poll(waiting) is None and released == ["gone", "waiting"]


def test_set_release_replaces_the_callback():
    clock = Clock()
    calls = []
    queue = RunQueue(lease_seconds=1, clock=clock)
    ticket = queue.join(1)
    queue.set_release(ticket, lambda: calls.append(ticket))
    clock.now += 2
    queue.counts()  # counting does not expire places...
    assert calls == []
    queue.tidy()  # ...tidying (any page may) and any check-in do
    assert calls == [ticket] and queue.poll(ticket) is None
