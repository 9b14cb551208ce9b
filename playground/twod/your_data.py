"""The "Your data" panel: upload a CSV, or click points onto a canvas, then train on them.

The parsing and checks live in ``userdata.py`` (no Streamlit); this module only lays out the
uploader and the canvas and keeps the result in session state.
"""

from __future__ import annotations

import streamlit as st

from core.datasets import MAX_CLASSES
from playground.i18n import Message
from playground.i18n.session import _, translated
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
        kind = _("{count} classes", count=user.n_classes) if user.task == "classification" else _("regression targets")
        # TRANSLATORS: {kind} is "{count} classes" or "regression targets".
        if user.source == "upload":
            st.caption(_("Using {count} points of your own ({kind}, from a CSV).", count=len(user.x), kind=kind))
        else:
            st.caption(_("Using {count} points of your own ({kind}, from clicks).", count=len(user.x), kind=kind))
    upload, click = st.tabs([_("Upload CSV"), _("Click points")])
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
    st.caption(_("Columns `x1,x2,label` (classes) or `x1,x2,target` (regression), a header row optional; "
                 "at most {max} rows.", max=f"{MAX_ROWS:,}"))
    file = st.file_uploader(_("CSV file"), type=["csv", "txt"], key=keys.CSV_UPLOAD,
                            max_upload_size=max(1, MAX_BYTES // 2**20))
    if file is None:
        ss[keys.CSV_FILE_ID] = ss[keys.CSV_ERROR] = None  # the message was about a file no longer there
    elif ss.get(keys.CSV_FILE_ID) != file.file_id:
        # Parse each upload once (reruns keep the file); the outcome, data or message, stays until the next one.
        ss[keys.CSV_FILE_ID] = file.file_id
        try:
            ss[keys.USER] = parse_csv(file.getvalue(), version=_new_version())
            ss[keys.CSV_ERROR] = None
        except UserDataError as err:
            # TRANSLATORS: {name} is the uploaded file's name, {reason} says why it was refused.
            ss[keys.CSV_ERROR] = Message("{name} was refused. {reason}", name=code(file.name), reason=_reason(err))
    if ss.get(keys.CSV_ERROR):
        st.error(_(ss[keys.CSV_ERROR]))


def _click_canvas() -> None:
    ss = st.session_state
    n = st.slider(_("Classes to place"), 2, MAX_CLASSES, 2, key=keys.CLICK_CLASSES)
    colors = class_colors(n)
    label = st.radio(_("Class of the next point"), list(range(n)), horizontal=True, key=keys.CLICK_CLASS,
                     format_func=translated(_class_label))
    from streamlit_drawable_canvas import st_canvas  # only inside a running app (it raises elsewhere)

    result = st_canvas(fill_color=colors[label], stroke_color=colors[label], stroke_width=2,
                       background_color="#e8eaeb", drawing_mode="point", point_display_radius=5,
                       width=CANVAS_PX, height=CANVAS_PX, key=keys.CANVAS, update_streamlit=True)
    drawing = result.json_data if result is not None else None  # from the browser: checked point by point
    objects = drawing.get("objects") if isinstance(drawing, dict) else None
    x, y = points_from_canvas(objects, (CANVAS_PX, CANVAS_PX), CANVAS_EXTENT, colors)
    st.caption(_("{count} points placed (at most {max} are used); the canvas spans -6..6 on both axes. "
                 "Undo with the canvas toolbar.", count=len(x), max=f"{MAX_ROWS:,}"))
    if st.button(_("Use these points"), key=keys.CLICK_USE, disabled=len(x) == 0):
        try:
            ss[keys.USER] = clicked_data(x, y, version=_new_version())
            ss[keys.CLICK_ERROR] = None
        except UserDataError as err:
            ss[keys.CLICK_ERROR] = _reason(err)
    if ss.get(keys.CLICK_ERROR):
        st.error(_(ss[keys.CLICK_ERROR]))


def _class_label(label: int) -> Message:
    return Message("class {label}", label=label)


def _reason(err: UserDataError) -> Message | str:
    """The refusal's message, kept untranslated so it shows in the language of the moment."""
    return err.args[0] if err.args and isinstance(err.args[0], Message) else str(err)
