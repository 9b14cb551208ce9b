"""The server's own limits in .streamlit/config.toml, backstops behind each uploader's cap:
every legitimate upload and message fits them, with room."""

from __future__ import annotations

import tomllib

import numpy as np
from streamlit.testing.v1 import AppTest

from playground.digits.models import MAX_IMAGE_MB, MAX_MODEL_MB
from playground.twod import keys
from playground.twod.userdata import MAX_BYTES, MAX_ROWS
from tests import APP, ROOT

SERVER = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]


def test_the_upload_limit_is_the_largest_uploaders_cap():
    caps_mib = {"model file": MAX_MODEL_MB, "picture": MAX_IMAGE_MB, "CSV": MAX_BYTES / 2**20}
    assert SERVER["maxUploadSize"] == max(caps_mib.values()) == MAX_MODEL_MB  # MiB, as Streamlit counts it
    assert SERVER["maxUploadSize"] < 200  # Streamlit's default


def test_the_largest_figure_fits_the_message_limit_many_times():
    """The paused 2D page at its largest: 5,000 points of one's own in 8 classes, 8 hidden layers of 16,
    every feature, test points shown (about 0.23 MB as the server sends it, measured)."""
    rng = np.random.default_rng(0)
    rows = b"".join(b"%.4f,%.4f,%d\n" % (a, b, c) for a, b, c in
                    zip(rng.normal(size=MAX_ROWS) * 3, rng.normal(size=MAX_ROWS) * 3, rng.integers(0, 8, MAX_ROWS)))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"ds": "custom", "hidden": ",".join(["16"] * 8), "test": "1",
                       "feat": "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)"}.items():
        at.query_params[key] = value
    at.run()
    at.file_uploader(key=keys.CSV_UPLOAD).upload("big.csv", b"x1,x2,label\n" + rows, "text/csv").run()
    at.button(key=keys.STEP).click().run()
    assert not at.exception and not at.error

    def sizes(node):
        proto = getattr(node, "proto", None)
        yield proto.ByteSize() if proto is not None and hasattr(proto, "ByteSize") else 0
        for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else ()):
            yield from sizes(child)

    largest = max(sizes(at._tree))
    assert largest > 100_000  # the map with its 5,000 points is there
    assert 20 * largest < SERVER["maxMessageSize"] * 10**6  # MB of 10^6 bytes, as Streamlit counts it
