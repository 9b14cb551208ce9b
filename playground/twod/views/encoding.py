"""How the views travel to the browser: PNG bytes and data URIs, plotly's typed arrays, and
figures assembled without plotly's per-property validation. Arrays in, bytes or figures out.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

FONT = {"family": "Helvetica, Arial, sans-serif", "size": 12, "color": "#333"}


def png_bytes(image: np.ndarray, palette: np.ndarray | None = None, compress_level: int = 1) -> bytes:
    """PNG bytes of an RGB image (h, w, 3) uint8, or of palette indices (h, w) uint8 with
    ``palette`` (n <= 256, 3): one byte a pixel, a third of RGB's work and size. Fast
    compression: these images change every tick."""
    buf = io.BytesIO()
    img = Image.fromarray(np.ascontiguousarray(image))
    if palette is not None:
        img.putpalette(np.asarray(palette, dtype=np.uint8).tobytes())
    img.save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


def png_data_uri(image: np.ndarray, palette: np.ndarray | None = None, compress_level: int = 1) -> str:
    """'data:image/png;base64,...' of an image (see png_bytes), for a plotly layout image."""
    return data_uri("image/png", png_bytes(image, palette, compress_level))


def data_uri(mime: str, data: bytes) -> str:
    """Image bytes as a ``data:`` URI, for an ``<img>`` inside ``st.html`` or a plotly layout image."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def image_bytes(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    """A Pillow image encoded (PNG by default; fast compression: live images change every tick)."""
    buffer = io.BytesIO()
    if fmt == "PNG":
        options.setdefault("compress_level", 1)
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def base_layout(height: int, **extra) -> dict:
    """The layout every chart starts from: white, tight margins, the user's zoom kept across redraws."""
    layout = {
        "height": height,
        "margin": {"l": 50, "r": 20, "t": 30, "b": 40, "pad": 0},
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "uirevision": "keep",  # keep the user's zoom and hidden traces across redraws
    }
    layout.update(extra)
    return layout


def hint(text: str) -> dict:
    """An annotation in the middle of an empty chart."""
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
            "font": {"color": "#888", "size": 13}}


def typed(values, dtype: str = "f4") -> dict:
    """A 1-D array as plotly's typed-array spec {"dtype", "bdata"} (base64 of the raw bytes).

    plotly.js reads these directly. Handing them over pre-encoded skips plotly.py's own
    conversion, which inspects every array at ~0.5 ms apiece: most of a small figure's
    serialisation time. dtype: "f4" (float32, NaN makes a gap in a line), "u1", "i2", ...
    """
    arr = np.ascontiguousarray(np.asarray(values).ravel(), dtype=np.dtype(dtype))
    return {"dtype": dtype, "bdata": base64.b64encode(arr.tobytes()).decode("ascii")}


def untyped(value) -> np.ndarray:
    """The inverse of ``typed`` (plain lists and arrays pass through): for tests and tools."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value)


# plotly.js's plain defaults plus our explicit styling: the default template (plotly's, or
# Streamlit's once Streamlit is imported) would be deep-copied into every figure (~8 ms) and
# sent with it (~9 KB, half a small figure's payload), every tick.
EMPTY_TEMPLATE = {"layout": {}}


def make_figure(traces: list[dict], layout: dict) -> go.Figure:
    """A plotly Figure from plain trace and layout dicts, without plotly's per-property
    validation: that validation costs 10-30 ms per figure, more than everything else a
    redraw does. The builders' dicts are checked against the validating constructor in
    the tests instead (tests/twod/views/)."""
    if "template" not in layout:
        layout = {**layout, "template": EMPTY_TEMPLATE}
    try:
        return go.Figure(data=traces, layout=layout, _validate=False)
    except TypeError:  # a plotly without the private switch: the same figure, validated
        return go.Figure(data=traces, layout=layout)
