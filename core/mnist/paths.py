"""Where MNIST files and the cached default model live on the user's machine."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "NN_PLAYGROUND_CACHE"


def cache_dir() -> Path:
    """The project's cache directory: $NN_PLAYGROUND_CACHE, else ~/.cache/nn-playground.

    Not created here; writers create it when they first store something.
    """
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    return Path.home() / ".cache" / "nn-playground"


def mnist_cache_dir() -> Path:
    """Where ``python -m core.mnist download`` stores the four official IDX files."""
    return cache_dir() / "mnist"
