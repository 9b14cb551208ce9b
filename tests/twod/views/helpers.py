"""Shared by the views' tests: decoding images, colour sets, plotly payload and validation."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from PIL import Image

from playground.twod.views.colors import hex_to_rgb, on_white

RES = 100
EXTENT = (-6.0, 6.0, -6.0, 6.0)


def decode_image(source: str) -> np.ndarray:
    """A PNG data URI -> (h, w, 3) uint8."""
    assert source.startswith("data:image/png;base64,")
    png = base64.b64decode(source.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))

def colors_in(img: np.ndarray) -> set[tuple[int, int, int]]:
    return {tuple(int(v) for v in c) for c in np.unique(img.reshape(-1, 3), axis=0)}

def rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(v) for v in hex_to_rgb(hex_color))

def on_map(hex_color: str) -> tuple[int, int, int]:
    """A colour as maps paint it (at TF's alpha over white)."""
    return tuple(int(v) for v in on_white(hex_to_rgb(hex_color)))

def payload(fig: go.Figure) -> int:
    """Bytes st.plotly_chart sends for the figure."""
    return len(pio.to_json(fig, validate=False))

def assert_valid(fig: go.Figure) -> None:
    """The builders skip plotly's validation for speed: check here that a validating
    constructor accepts every property they set."""
    go.Figure(fig.to_dict())

def traces_named(fig, part: str) -> list:
    return [t for t in fig.data if part in (t.name or "")]
