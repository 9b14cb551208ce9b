"""The "Your data" panel: upload a CSV, or click points onto a canvas, then train on them.

The parsing and checks live in ``userdata.py`` (no Streamlit); this module only lays out the
uploader and the canvas and keeps the result in session state.
"""

from __future__ import annotations

import streamlit as st

from core.datasets import MAX_CLASSES
from playground.safe_markdown import code

from . import keys
from .userdata import MAX_BYTES, MAX_ROWS, UserDataError, clicked_data, parse_csv, points_from_canvas
from .views.colors import class_colors

CANVAS_PX = 300
CANVAS_EXTENT = (-6.0, 6.0, -6.0, 6.0)


def your_data_panel() -> None:
    """CSV upload, or points clicked on a canvas with a chosen class, shown in the map's colours."""
    user = st.session_state.get(keys.USER)
    if user is not None:
        kind = f"{user.n_classes} classes" if user.task == "classification" else "regression targets"
        st.caption(f"Using {len(user.x)} points of your own ({kind}, from {'a CSV' if user.source == 'upload' else 'clicks'}).")
    upload, click = st.tabs(["Upload CSV", "Click points"])
    with upload:
        _csv_upload()
    with click:
        _click_canvas()


def _new_version() -> int:
    version = st.session_state.get(keys.USER_VERSION, 0) + 1
    st.session_state[keys.USER_VERSION] = version
    return version


def _csv_upload() -> None:
    ss = st.session_state
    st.caption(f"Columns `x1,x2,label` (classes) or `x1,x2,target` (regression), a header row optional; "
               f"at most {MAX_ROWS:,} rows.")
    file = st.file_uploader("CSV file", type=["csv", "txt"], key=keys.CSV_UPLOAD, max_upload_size=max(1, MAX_BYTES // 2**20))
    if file is None:
        ss[keys.CSV_FILE_ID] = ss[keys.CSV_ERROR] = None  # the message was about a file no longer there
    elif ss.get(keys.CSV_FILE_ID) != file.file_id:
        # Parse each upload once (reruns keep the file); the outcome, data or message, stays until the next one.
        ss[keys.CSV_FILE_ID] = file.file_id
        try:
            ss[keys.USER] = parse_csv(file.getvalue(), version=_new_version())
            ss[keys.CSV_ERROR] = None
        except UserDataError as err:
            ss[keys.CSV_ERROR] = "{name} was refused. {reason}".format(name=code(file.name), reason=err)
    if ss.get(keys.CSV_ERROR):
        st.error(ss[keys.CSV_ERROR])


def _click_canvas() -> None:
    ss = st.session_state
    n = st.slider("Classes to place", 2, MAX_CLASSES, 2, key=keys.CLICK_CLASSES)
    colors = class_colors(n)
    label = st.radio("Class of the next point", list(range(n)), horizontal=True, key=keys.CLICK_CLASS,
                     format_func=lambda c: f"class {c}")
    from streamlit_drawable_canvas import st_canvas  # only inside a running app (it raises elsewhere)

    result = st_canvas(fill_color=colors[label], stroke_color=colors[label], stroke_width=2,
                       background_color="#e8eaeb", drawing_mode="point", point_display_radius=5,
                       width=CANVAS_PX, height=CANVAS_PX, key=keys.CANVAS, update_streamlit=True)
    drawing = result.json_data if result is not None else None  # from the browser: checked point by point
    objects = drawing.get("objects") if isinstance(drawing, dict) else None
    x, y = points_from_canvas(objects, (CANVAS_PX, CANVAS_PX), CANVAS_EXTENT, colors)
    st.caption("{n} points placed (at most {limit:,} are used); the canvas spans -6..6 on both axes. "
               "Undo with the canvas toolbar.".format(n=len(x), limit=MAX_ROWS))
    if st.button("Use these points", key=keys.CLICK_USE, disabled=len(x) == 0):
        try:
            ss[keys.USER] = clicked_data(x, y, version=_new_version())
            ss[keys.CLICK_ERROR] = None
        except UserDataError as err:
            ss[keys.CLICK_ERROR] = str(err)
    if ss.get(keys.CLICK_ERROR):
        st.error(ss[keys.CLICK_ERROR])
