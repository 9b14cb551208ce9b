"""The server's refresh budget shrinks while the ticks run late (or come back empty) and grows back
while they are on time: a tick is late by the round trip beyond the delay it asked for."""

from playground.twod.budget import RefreshBudget


def feed(budget: RefreshBudget, gap: float, delay: float, seconds: float, start: float = 0.0) -> float:
    """Ticks every ``gap`` seconds, each asked ``delay`` s after the last arrived, for ``seconds``;
    returns the clock after."""
    now = start
    while now < start + seconds:
        now += gap
        budget.observe(gap, delay, now=now)
    return now


def test_late_ticks_shrink_the_budget_down_to_its_floor():
    budget = RefreshBudget(start=100, low=10, high=200)
    now = feed(budget, gap=1.2, delay=0.3, seconds=15)  # a 0.9 s round trip: the server is behind
    assert budget.value < 60
    feed(budget, gap=1.2, delay=0.3, seconds=120, start=now)
    assert budget.value == 10


def test_ticks_on_time_let_it_grow_back_to_its_ceiling():
    budget = RefreshBudget(start=20, low=10, high=200)
    feed(budget, gap=0.33, delay=0.3, seconds=60)  # a 30 ms round trip
    assert budget.value == 200


def test_a_pause_between_ticks_is_not_lateness():
    budget = RefreshBudget(start=100, low=10, high=200)
    for now in range(0, 60, 5):
        budget.observe(gap=5.0, delay=0.3, now=float(now))  # a tab that was away, not a slow server
    assert budget.value == 100 and budget.lateness == 0.0


def test_the_budget_moves_at_most_once_per_period():
    budget = RefreshBudget(start=100, low=10, high=200, every=2.0)
    feed(budget, gap=0.9, delay=0.3, seconds=1.5)  # late, but within one period
    assert budget.value == 100


def test_ticks_that_find_nothing_new_shrink_it_too():
    """On time, but the workers cannot draw that many frames: fewer refreshes, more training."""
    budget = RefreshBudget(start=100, low=10, high=200)
    now = 0.0
    for i in range(200):
        now += 0.1
        budget.observe(0.1, 0.1, fresh=i % 3 == 0, now=now)
    assert budget.value < 50 and budget.freshness < 0.5
