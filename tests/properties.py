"""Settings of the property-based tests (hypothesis): bounded and reproducible.

Every property test runs a fixed number of examples drawn from a fixed seed (``derandomize``),
so the suite stays fast and CI sees the same cases on every run; no example database is
written. ``pytest --hypothesis-show-statistics`` prints how many cases each one tried.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def bounded(max_examples: int) -> settings:
    """Settings for a property test that tries ``max_examples`` cases."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
