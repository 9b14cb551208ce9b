"""The MNIST page (/digits): read a hand-drawn digit, train your own network, look inside it.

A thin script: each tab's content lives in its own module (digits_draw, digits_train,
digits_inspect). Errors a user can cause are caught there and explained; anything else
becomes a short message too (digits_errors.friendly_errors), never a traceback.
"""

import streamlit as st

from playground.digits_draw import draw_tab
from playground.digits_inspect import inspect_tab
from playground.digits_train import train_tab

st.title("Digits (MNIST)")
st.caption(
    "Draw a digit and see what a network reads; train the lab's 1-, 2- and 3-layer networks on MNIST "
    "and compare them; look inside a trained network."
)

draw, train, inspect = st.tabs(["Draw a digit", "Train", "Inspect"], key="digits_tab")
for tab, render in ((draw, draw_tab), (train, train_tab), (inspect, inspect_tab)):
    with tab:
        render()
