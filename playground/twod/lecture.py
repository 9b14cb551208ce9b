"""The lecture view (``?present=1``): for a projector, no sidebar and no Streamlit toolbar, one
compact bar (preset, Play/Pause, Step, Reset, Speed, back to the full controls, the language), then the live map
large with the network beside it and the numbers big. It keeps every other URL setting, so a
lecturer can prepare one link per slide.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from playground.i18n.session import _, language_selector, translated

from . import keys
from .config import kind_of
from .controls import load_preset, pace_label
from .model import Model
from .presets import PRESETS
from .transport import divergence_notice, set_lecture_view, transport_buttons

STYLE = Path(__file__).with_name("lecture.css")


def lecture_bar(model: Model | None) -> None:
    """The one row of controls the lecture view keeps."""
    st.html(STYLE)  # no sidebar, no toolbar, less padding (style only: takes no room)
    with st.container(horizontal=True, vertical_alignment="bottom", key=keys.LECTURE_BAR):
        st.selectbox(_("Lecture preset"), range(len(PRESETS)), index=None, format_func=translated(_preset_title),
                     placeholder=_("Load a lecture preset…"), key=keys.PRESET_CHOICE, on_change=_load_chosen_preset,
                     label_visibility="collapsed", width=340)
        transport_buttons(model)
        st.select_slider(_("Speed"), kind_of("pace").steps, key=keys.setting("pace"), width=240,
                         format_func=translated(pace_label), label_visibility="collapsed",
                         help=_("Epochs per second while playing ('max': as fast as the server allows)."))
        st.button(_("Full controls"), key=keys.LEAVE_LECTURE, on_click=set_lecture_view, args=(False,),
                  icon=":material/tune:", help=_("Back to the sidebar and every setting (the link keeps them)."))
        with st.container(width=150):
            language_selector(label_visibility="collapsed")
    divergence_notice(model)


def _preset_title(index: int) -> str:
    return PRESETS[index].title


def _load_chosen_preset() -> None:
    index = st.session_state.get(keys.PRESET_CHOICE)
    if index is not None:
        load_preset(index, present=True)
        st.session_state[keys.PRESET_CHOICE] = None
