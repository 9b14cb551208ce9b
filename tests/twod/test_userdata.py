"""CSV parsing and validation (with line numbers) and clicked canvas points."""

import numpy as np
import pytest

from playground.twod.userdata import MAX_BYTES, UserDataError, clicked_data, parse_csv, points_from_canvas


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
    (b"x1,x2,label\n0,0,0\n1,abc,1\n2,2,1\n3,3,0\n", "Line 3: x2 is 'abc', not a number"),
    (b"x1,x2,label\n0,0,0\n1,1,1\nnan,2,1\n3,3,0\n", "Line 4: x1 is 'nan'"),
    (b"x1,x2,label\n0,0,0\n1,1,0\n2,2,0\n3,3,0\n", "Line 2: every row has label 0"),
    (b"x1,x2,label\n0,0,0\n1,1,0.5\n2,2,0\n3,3,1\n", "Line 3: label 0.5 is not a whole number"),
    (b"x1,x2,label\n" + b"".join(b"%d,0,%d\n" % (i, i) for i in range(10)), "Line 10: a 9th class"),
    (b"x1,x2,colour\n0,0,0\n", "Line 1: the third column is 'colour'"),
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
