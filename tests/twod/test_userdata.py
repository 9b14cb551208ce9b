"""CSV parsing and validation (with line numbers) and clicked canvas points."""

import numpy as np
import pytest

from playground.twod.userdata import (
    MAX_ABS_VALUE,
    MAX_BYTES,
    MAX_ROWS,
    UserDataError,
    clicked_data,
    parse_csv,
    points_from_canvas,
)


def test_labelled_csv_with_header_maps_labels_to_classes():
    data = parse_csv(b"x1,x2,label\n0,0,-1\n1,1,1\n2,0.5,-1\n-1,3,1\n")
    assert data.task == "classification" and data.n_classes == 2
    np.testing.assert_array_equal(data.y, [0, 1, 0, 1])
    np.testing.assert_array_equal(data.x[3], [-1, 3])


def test_target_header_means_regression_and_bom_and_blank_lines_are_fine():
    data = parse_csv("\ufeffx1,x2,target\n0,0,0.5\n\n1,1,1.5\n2,2,2\n3,3,-1\n".encode())
    assert data.task == "regression" and data.n_classes == 0
    np.testing.assert_allclose(data.y, [0.5, 1.5, 2, -1])


def test_headerless_csv_guesses_the_task():
    assert parse_csv(b"0,0,0\n1,1,1\n2,2,2\n3,3,0\n").n_classes == 3
    assert parse_csv(b"0,0,0.25\n1,1,1\n2,2,2\n3,3,0\n").task == "regression"


@pytest.mark.parametrize(("raw", "message"), [
    (b"x1,x2,label\n0,0,0\n1,1\n2,2,1\n3,3,0\n", "Line 3: expected 3 values"),
    (b"x1,x2,label\n0,0,0\n1,abc,1\n2,2,1\n3,3,0\n", "Line 3: x2 is `abc`, not a number"),
    (b"x1,x2,label\n0,0,0\n1,1,1\nnan,2,1\n3,3,0\n", "Line 4: x1 is `nan`"),
    (b"x1,x2,label\n0,0,0\n1,1,0\n2,2,0\n3,3,0\n", "Line 2: every row has label 0"),
    (b"x1,x2,label\n0,0,0\n1,1,0.5\n2,2,0\n3,3,1\n", "Line 3: label 0.5 is not a whole number"),
    (b"x1,x2,label\n" + b"".join(b"%d,0,%d\n" % (i, i) for i in range(10)), "Line 10: a 9th class"),
    (b"x1,x2,colour\n0,0,0\n", "Line 1: the third column is `colour`"),
    (b"x1,x2,label\n0,0,0\n1,1,1\n", "2 data rows; at least 4"),
    (b"0,0,0\n\xff\xfe,1,1\n", "Line 2: not UTF-8"),
    (b"a;b;c\n", "Line 1: the header has 1 columns"),
])
def test_bad_csv_is_refused_with_the_line_and_reason(raw, message):
    with pytest.raises(UserDataError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_csv(raw)


def test_row_and_size_limits():
    rows = b"".join(b"%d,%d,%d\n" % (i, i, i % 2) for i in range(30))
    with pytest.raises(UserDataError, match="Line 22: more than 20 data rows"):
        parse_csv(b"x1,x2,label\n" + rows, max_rows=20)
    with pytest.raises(UserDataError, match="the limit is 512 KB"):
        parse_csv(b"0" * (MAX_BYTES + 1))


def test_a_field_over_the_csv_modules_limit_is_refused_with_its_line():
    # The reported file: one 200,000-character field raised _csv.Error with the server's paths.
    raw = b"x1,x2,label\n0,0,0\n1,1,1\n" + b"9" * 200_000 + b",0,0\n3,3,1\n"
    with pytest.raises(UserDataError, match=r"Line 4: one value is longer than 131,072 characters"):
        parse_csv(raw)
    # A quoted field is held to the same limit.
    with pytest.raises(UserDataError, match=r"Line 3: one value is longer"):
        parse_csv(b'x1,x2,label\n0,0,0\n"' + b"1" * 200_000 + b'",1,1\n')


def test_any_other_csv_error_is_a_message_with_its_line(monkeypatch):
    import csv

    def reader(lines):
        yield ["x1", "x2", "label"]
        raise csv.Error("line contains NUL")

    monkeypatch.setattr(csv, "reader", lambda f: _LineCounting(reader(f)))
    with pytest.raises(UserDataError, match=r"^Line 2: not readable as CSV \(line contains NUL\)\."):
        parse_csv(b"x1,x2,label\n\0\n")


class _LineCounting:
    """A stand-in csv reader: rows from ``rows``, counting lines like csv.reader."""

    def __init__(self, rows):
        self.rows, self.line_num = rows, 0

    def __iter__(self):
        return self

    def __next__(self):
        self.line_num += 1
        return next(self.rows)


def test_old_mac_line_endings_are_read():
    data = parse_csv(b"x1,x2,label\r0,0,0\r1,1,1\r2,2,0\r3,3,1\r")
    assert len(data.x) == 4 and data.n_classes == 2


@pytest.mark.parametrize(("cell", "reason"), [
    ("1e39", "too large"),  # beyond float32: it was refused as "NaN or infinity"
    ("-2e15", "too large"),
    ("1e300", "too large"),
    ("1e400", "too large"),  # beyond float64 even: Python reads it as inf, the user typed a number
    ("inf", "infinite"),
    ("-Infinity", "infinite"),
])
def test_values_too_large_for_the_network_are_refused_with_that_reason(cell, reason):
    raw = f"x1,x2,label\n0,0,0\n1,{cell},1\n2,2,0\n3,3,1\n".encode()
    with pytest.raises(UserDataError, match=f"Line 3: x2 is `{cell}`, {reason}") as err:
        parse_csv(raw)
    assert "NaN" not in str(err.value)
    if reason == "too large":
        assert "float32" in str(err.value) and "x1²" in str(err.value)


def test_the_largest_values_allowed_keep_every_feature_finite_in_float32():
    from core import make_features
    from playground.twod.config import Config
    from playground.twod.model import Model

    v = MAX_ABS_VALUE
    data = parse_csv(f"x1,x2,label\n{v},{-v},0\n{-v},{v},1\n0,0,0\n{v},{v},1\n".encode())
    features = make_features(data.x, ["x1", "x2", "x1^2", "x2^2", "x1*x2"]).astype(np.float32)
    assert np.isfinite(features).all()
    model = Model.build(Config(dataset="custom", features=("x1", "x2", "x1^2", "x2^2", "x1*x2")), data)
    assert np.isfinite(model.extent).all() and np.isfinite(model.grid).all()


def test_cells_reach_messages_only_inside_code_spans():
    raw = b"x1,x2,label\n0,0,0\n1,[a](http://x.example) ![i](http://x.example/i.png) `tick`,1\n"
    with pytest.raises(UserDataError) as err:
        parse_csv(raw)
    message = str(err.value)
    span = message.split("`")
    assert len(span) == 3, message  # exactly one code span, its backticks not broken by the cell's own
    assert "[" not in span[0] + span[2] and "http" not in span[0] + span[2]


def _canvas_point(x_px, y_px, fill, radius=5, stroke=2):
    """An object as streamlit-drawable-canvas 0.13 records a click in point mode."""
    return {"type": "circle", "left": x_px - (radius + stroke / 2), "top": y_px, "originX": "left", "originY": "center",
            "radius": radius, "strokeWidth": stroke, "fill": fill, "stroke": fill}


def test_clicked_points_map_to_data_coordinates_and_classes():
    colors = ["#f59322", "#0877bd"]
    objects = [_canvas_point(0, 0, "#f59322"), _canvas_point(300, 300, "#0877BD"), _canvas_point(150, 75, "#0877bd"),
               _canvas_point(10, 10, "#123456"), {"type": "path"}]
    x, y = points_from_canvas(objects, (300, 300), (-6, 6, -6, 6), colors)
    np.testing.assert_allclose(x, [[-6, 6], [6, -6], [0, 3]], atol=1e-9)
    np.testing.assert_array_equal(y, [0, 1, 1])
    assert points_from_canvas([], (300, 300), (-6, 6, -6, 6), colors)[0].shape == (0, 2)


def test_clicked_data_needs_enough_points_of_two_classes():
    x = np.zeros((5, 2))
    with pytest.raises(UserDataError, match="at least 4"):
        clicked_data(x[:3], np.array([0, 1, 0]))
    with pytest.raises(UserDataError, match="same class"):
        clicked_data(x, np.zeros(5, np.intp))
    data = clicked_data(x, np.array([0, 2, 2, 0, 2]))  # class 1 skipped: relabelled 0, 1
    assert data.n_classes == 2 and data.source == "clicks"
    np.testing.assert_array_equal(data.y, [0, 1, 1, 0, 1])


def test_clicked_points_are_capped_and_every_field_is_checked():
    colors = ["#f59322", "#0877bd"]
    many = [_canvas_point(i % 300, (i // 300) % 300, colors[i % 2]) for i in range(MAX_ROWS + 500)]
    x, y = points_from_canvas(many, (300, 300), (-6, 6, -6, 6), colors)
    assert len(x) == len(y) == MAX_ROWS

    good = _canvas_point(150, 150, "#f59322")
    hostile = [
        {**good, "left": "12"}, {**good, "top": None}, {**good, "left": float("nan")}, {**good, "top": float("inf")},
        {**good, "radius": "5"}, {**good, "radius": float("inf")}, {**good, "strokeWidth": [2]}, {**good, "radius": -40},
        {**good, "left": True}, {**good, "fill": ["#f59322"], "stroke": {"c": 1}}, {**good, "fill": None, "stroke": 7},
        {**good, "radius": 1e308, "strokeWidth": 1e308},
        _canvas_point(-5, 100, "#f59322"), _canvas_point(100, 301, "#f59322"), _canvas_point(1e9, 1e9, "#f59322"),
        "not an object", None, 17, [good],
    ]
    x, y = points_from_canvas(hostile, (300, 300), (-6, 6, -6, 6), colors)
    assert x.shape == (0, 2) and y.shape == (0,)
    # A whole JSON that is not a list of objects gives no points instead of an error.
    for objects in ({"left": 3}, "points", 12, None):
        assert points_from_canvas(objects, (300, 300), (-6, 6, -6, 6), colors)[0].shape == (0, 2)
    # A point on the canvas's edge is inside; null radius and stroke count as 0.
    x, _ = points_from_canvas([{**good, "left": 300 - 6, "top": 0}, {**good, "left": 150, "radius": None, "strokeWidth": None}],
                              (300, 300), (-6, 6, -6, 6), colors)
    np.testing.assert_allclose(x, [[6, 6], [0, 0]], atol=1e-9)
