"""Fixtures for ``./run serve`` tests (see launch.py)."""

import pytest

from tests.serve.launch import serving


@pytest.fixture(scope="module")
def served():
    """(launcher process, balancer URL) shared by a module's tests."""
    yield from serving(replicas=2)
