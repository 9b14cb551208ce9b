"""The live 2D page (the app's root): a thin script that lays out the pieces.

Controls (sidebar) -> one Config (kept in the URL) -> the session's Model (rebuilt when the
data or architecture changes) -> the live fragments that train and draw. With ``?present=1``
the lecture view replaces the sidebar and the page's head with one compact bar.
"""

from pathlib import Path

import streamlit as st

from playground.i18n.session import _, language_selector
from playground.twod import keys
from playground.twod.config import CUSTOM, WORKED, Config
from playground.twod.controls import (
    data_controls,
    init_widgets,
    network_controls,
    presets_panel,
    read_config,
    sync_url,
    training_controls,
)
from playground.twod.export_panel import export_button
from playground.twod.inside import view_bar
from playground.twod.lecture import lecture_bar
from playground.twod.live import live_panel
from playground.twod.transport import divergence_notice, set_lecture_view, sync_model, transport_buttons
from playground.twod.your_data import your_data_panel

st.html(Path(__file__).with_name("page.css"))  # phones: the map and Play on the first screen
st.session_state.setdefault(keys.PLAYING, False)
init_widgets()
user = st.session_state.get(keys.USER)
lecture = bool(st.session_state.get(keys.setting("present")))  # a setting without a widget of its own

if not lecture:
    with st.sidebar:
        language_selector()
        presets_panel()
        # TRANSLATORS: sidebar section headings.
        st.subheader(_("Data"))
        data_controls()
        dataset = st.session_state[keys.setting("dataset")]
        if dataset == CUSTOM:
            st.caption(_("Bring your points in the **Your data** panel on the right."))
        st.subheader(_("Network"))
        network_controls()
        st.subheader(_("Training"))
        custom_regression = dataset == CUSTOM and user is not None and user.task == "regression"
        if dataset == WORKED:  # the worked example trains as Mazur does (worked.py)
            st.caption(_("Squared error, plain gradient descent at learning rate 0.5, one point per step: Mazur's."))
        else:
            training_controls(Config(dataset=dataset).task == "regression" or custom_regression)

config = read_config()
sync_url(config)

if lecture:
    model = sync_model(config)
    lecture_bar(model)
else:
    # TRANSLATORS: the browser tab's title and the playground page's heading.
    st.title(_("Neural-network playground"))
    with st.container(key=keys.INTRO):
        st.caption(_("Pick a dataset and a network on the left, press Play, and watch it learn. Orange and blue are "
                     "the classes (more colours for more classes); the shade is the network's confidence."))
    if config.dataset == CUSTOM:
        with st.expander(_("Your data"), expanded=user is None):
            your_data_panel()
    model = sync_model(config)
    with st.container(horizontal=True, vertical_alignment="center", key=keys.TRANSPORT):
        transport_buttons(model)
        st.button(_("Lecture view"), key=keys.ENTER_LECTURE, on_click=set_lecture_view, args=(True,),
                  icon=":material/co_present:", help=_("Big map and numbers for a projector; the link keeps the setup."))
        if model is not None:
            export_button(model)
        st.caption(_("The address bar holds every setting: copy it to share this exact setup."))
    divergence_notice(model)
    view_bar(model)  # decision map, backprop inspector or hidden space, and that view's controls
for notice in st.session_state.pop(keys.NOTICES, []):
    st.info(_(notice))
live_panel(lecture)
