"""The live 2D playground (the app's root page): a thin script that lays out the pieces.

Controls (sidebar) -> one Config (kept in the URL) -> the session's Model (rebuilt when the
data or architecture changes) -> the live fragment that trains and draws.
"""

import streamlit as st

from playground import charts
from playground.controls import (
    NOTICES,
    PLAYING,
    data_controls,
    init_from_url,
    network_controls,
    presets_panel,
    read_config,
    sync_url,
    training_controls,
    your_data_controls,
)
from playground.live import live_panel, sync_model, transport_buttons
from playground.state import CUSTOM, REGRESSION

st.session_state.setdefault(PLAYING, False)
init_from_url()

with st.sidebar:
    presets_panel()
    st.subheader("Data")
    data_controls()
    if st.session_state["pg_dataset"] == CUSTOM:
        st.caption("Bring your points in the **Your data** panel on the right.")
    st.subheader("Network")
    network_controls()
    st.subheader("Training")
    user = st.session_state.get("pg_user")
    dataset = st.session_state["pg_dataset"]
    training_controls(dataset in REGRESSION or (dataset == CUSTOM and user is not None and user.task == "regression"))

config = read_config()
sync_url(config)

st.title("Neural-network playground")
st.caption("Pick a dataset and a network on the left, press Play, and watch it learn. "
           "Orange and blue are the classes (more colours for more classes); the shade is the network's confidence.")
if config.dataset == CUSTOM:
    with st.expander("Your data", expanded=st.session_state.get("pg_user") is None):
        your_data_controls(charts.class_colors)
model = sync_model(config)
for notice in st.session_state.pop(NOTICES, []):
    st.info(notice)
transport_buttons(model)
if model is not None:
    live_panel()
