"""A catalogue of bad inputs to the 2D page, as property-based tests (hypothesis): URL query
strings, CSV files and the canvas's JSON. Each property says what must hold for every input:
no exception escapes, the result is valid, every message is short and Markdown-safe, and
memory stays bounded. Example counts are fixed (tests/properties.py)."""

from __future__ import annotations

import csv
import io
import math
import tracemalloc
from urllib.parse import parse_qs, quote

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from playground.i18n import LANGUAGES, translate
from playground.twod.config import SETTINGS, Config
from playground.twod.model import Model
from playground.twod.userdata import (
    MAX_ABS_VALUE,
    MAX_BYTES,
    MAX_ROWS,
    UserData,
    UserDataError,
    parse_csv,
    points_from_canvas,
)
from tests.markdown import markdown_risks
from tests.properties import bounded

URL_KEYS = [s.metadata["url"] for s in SETTINGS]
HOSTILE_TEXT = [
    "[x](http://evil.example)", "![i](http://evil.example/i.png)", "<script>alert(1)</script>", "`", "```", "\\",
    ":red[boom]", "$$x$$", "www.evil.example", "https://evil.example", "\n# heading", "%00", "\x00", "…", "ก",
    "1e999", "-1e999", "nan", "inf", "-0", "0x10", "1_000", "9" * 5000, "1," * 50, "none", "", " ",
]
NOTICE_LIMIT = 300  # characters: a notice is one short sentence


# ---- URL query strings -----------------------------------------------------------------------
url_values = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=60),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.sampled_from(["1", "8", "-3", "relu", "tanh", "x", "0", "99999"]), max_size=12).map(",".join),
)
query_strings = st.lists(
    st.tuples(st.one_of(st.sampled_from(URL_KEYS), st.text(max_size=8)), url_values), max_size=10,
).map(lambda pairs: "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs))


@bounded(400)
@given(query_strings)
def test_any_query_string_gives_a_valid_config_and_safe_short_notices(query):
    params = parse_qs(query, keep_blank_values=True)  # what the browser's URL becomes: {key: [values]}
    config, notices = Config.from_query(params)
    assert config == config.normalised()
    assert len(config.activations) == len(config.hidden)
    for notice in (translate(n, lang) for n in notices for lang in LANGUAGES):  # as the page shows them
        assert len(notice) <= NOTICE_LIMIT, notice
        assert markdown_risks(notice) == [], notice
    # What the page writes back into the URL reads back as the same config, without notices.
    again, more = Config.from_query(config.to_query())
    assert again == config and more == []
    event("notices" if notices else "no notice")


# ---- CSV files ---------------------------------------------------------------------------------
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-10, max_value=10).map(lambda v: f"{v:.3f}"),
    st.integers(min_value=-3, max_value=12).map(str),
    st.sampled_from(["1e39", "-1e39", "3.4e38", "1e15", "1.0000001e15", "1e308", "1e400", "1e-400", "NaN", "-inf"]),
)
cells = st.one_of(numbers, numbers, numbers, st.sampled_from(HOSTILE_TEXT), st.text(max_size=12))
rows = st.lists(cells, min_size=0, max_size=5)
headers = st.one_of(st.none(), st.sampled_from([["x1", "x2", "label"], ["x1", "x2", "target"], ["a", "b"], ["x", "y", "[z](u)"]]))


def write_csv(header, body, newline: str, encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    if header is not None:
        writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode(encoding, errors="replace")


good_numbers = st.one_of(st.floats(-10, 10).map(repr), st.floats(-MAX_ABS_VALUE, MAX_ABS_VALUE).map(repr),
                         st.integers(-1000, 1000).map(str))
labels = st.one_of(st.sampled_from(["0", "1", "2", "-1", "7"]), good_numbers)
good_rows = st.lists(st.tuples(good_numbers, good_numbers, labels).map(list), min_size=4, max_size=40)
csv_files = st.one_of(
    st.binary(max_size=3000),  # anything at all
    st.builds(write_csv, headers, good_rows, st.just("\n"), st.just("utf-8")),  # mostly files that parse
    st.builds(write_csv, headers, st.tuples(good_rows, rows).map(lambda both: [*both[0], both[1]]),
              st.just("\n"), st.just("utf-8")),  # a good file with one bad row at the end
    st.builds(write_csv, headers, st.lists(rows, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]),
              st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])),
    st.builds(lambda n, big: b"x1,x2,label\n" + b"".join(b"%d,%d,%d\n" % (i, -i, i % 3) for i in range(n)) + big,
              st.integers(0, 30), st.sampled_from([b"", b"1,2," + b"7" * 140_000 + b"\n", b'"' * 3, b"\x00,\x00,\x00\n"])),
)


def check_parsed(data: UserData) -> None:
    assert data.x.shape == (len(data.y), 2) and 4 <= len(data.y) <= MAX_ROWS
    assert np.isfinite(data.x).all() and np.abs(data.x).max() <= MAX_ABS_VALUE
    if data.task == "classification":
        assert set(np.unique(data.y)) == set(range(data.n_classes)) and data.n_classes >= 2
    else:
        assert np.isfinite(data.y).all() and np.abs(data.y).max() <= MAX_ABS_VALUE


@bounded(400)
@given(csv_files)
def test_any_csv_file_gives_data_or_a_safe_message_in_bounded_memory(raw):
    tracemalloc.start()
    try:
        try:
            data = parse_csv(raw)
        except UserDataError as err:
            message = str(err)
            assert message and len(message) <= 400, message
            assert markdown_risks(message) == [], message
            event("refused: " + message.split(": ", 1)[-1].split(" ")[0 if message.startswith("Line") else 1])
        else:
            check_parsed(data)
            event("accepted")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20 + 40 * len(raw)


@bounded(60)
@given(st.lists(st.tuples(good_numbers, good_numbers, st.sampled_from(["0", "1", "2", "0.5", "-7", "1e15"])),
                min_size=4, max_size=30))
def test_data_a_csv_brings_always_builds_a_finite_map(body):
    try:
        data = parse_csv(write_csv(None, body, "\n", "utf-8"))
    except UserDataError:
        event("refused")
        return
    event("built")
    features = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    model = Model.build(Config(dataset="custom", features=features, hidden=(3,), activations=("tanh",)), data)
    assert all(math.isfinite(v) for v in model.extent) and model.extent[0] < model.extent[1]
    assert np.isfinite(model.grid).all()


@pytest.mark.parametrize("raw", [
    b"," * MAX_BYTES,  # one row of half a million empty cells
    b"\n" * MAX_BYTES,  # half a million blank lines
    b"0,0,1\n" * (MAX_BYTES // 6),  # far more rows than the cap
    b"9" * MAX_BYTES,  # one field four times the csv module's limit
    "ก,".encode() * (MAX_BYTES // 4),  # multi-byte characters: the text is larger than the bytes
    (b"1" * 100 + b",2,1\n") * (MAX_BYTES // 106),
], ids=["commas", "blank-lines", "rows", "one-field", "thai", "long-numbers"])
def test_the_largest_hostile_files_are_refused_in_little_memory(raw):
    assert len(raw) <= MAX_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(UserDataError):
            parse_csv(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{peak / 2**20:.1f} MiB"


# ---- the canvas's JSON ------------------------------------------------------------------------
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10),
                         st.sampled_from(["#f59322", "#0877BD", "left", "center", "top"]))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                                 st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                           max_leaves=8)
FIELDS = ["left", "top", "radius", "strokeWidth", "fill", "stroke", "originX", "originY", "type"]


@st.composite
def canvas_points(draw):
    """A point as the canvas records a click (often off the canvas), sometimes with one field
    replaced by any JSON value or removed."""
    point = {"type": "circle", "left": draw(st.floats(-30, 330)), "top": draw(st.floats(-30, 330)),
             "originX": "left", "originY": "center", "radius": draw(st.sampled_from([5, 0, 2.5, None])),
             "strokeWidth": draw(st.sampled_from([2, 0, None])),
             "fill": draw(st.sampled_from(["#f59322", "#0877bd", "#0877BD", "#123456"]))}
    point["stroke"] = point["fill"]
    if draw(st.booleans()):
        name = draw(st.sampled_from(FIELDS))
        if draw(st.booleans()):
            point[name] = draw(json_values)
        else:
            point.pop(name)
    return point


canvas_json = st.one_of(json_values, st.lists(st.one_of(canvas_points(), canvas_points(), canvas_points(), json_values),
                                              max_size=30))


@bounded(400)
@given(canvas_json, st.integers(min_value=0, max_value=12))
def test_any_canvas_json_gives_at_most_the_cap_of_points_inside_the_canvas(objects, cap):
    extent = (-6.0, 6.0, -6.0, 6.0)
    x, y = points_from_canvas(objects, (300, 300), extent, ["#f59322", "#0877bd"], max_points=cap)
    assert x.shape == (len(y), 2) and len(y) <= cap
    assert np.isfinite(x).all()
    assert ((x >= -6) & (x <= 6)).all()
    assert set(y.tolist()) <= {0, 1}
    event("no points" if len(y) == 0 else "points kept" if len(y) < cap else "capped")
