"""The one ``server.cookieSecret`` every replica shares.

Streamlit signs its cookies with it (the login cookies of ``st.login``, for one); replicas
with different secrets reject each other's cookies. It is taken from
``STREAMLIT_SERVER_COOKIE_SECRET`` when set (Streamlit's own variable for the option), else from
the file ``cookie-secret`` in the project's cache directory ($NN_PLAYGROUND_CACHE, else
~/.cache/nn-playground), created with 32 random bytes on first use and readable by its owner only.
Replicas on other machines get the same value through that variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from core.mnist.paths import cache_dir

ENV = "STREAMLIT_SERVER_COOKIE_SECRET"


def default_path() -> Path:
    return cache_dir() / "cookie-secret"


def cookie_secret(path: Path | None = None) -> str:
    """The shared secret: the environment's, else the file's (made on first use)."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    path = default_path() if path is None else path
    try:
        value = path.read_text().strip()
        if value:
            return value
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value
