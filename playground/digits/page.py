"""The MNIST page (/digits): read a hand-drawn digit, train your own network, look inside it.

A thin script: each tab's content lives in its own module (draw.py, train.py, inspection.py).
Errors a user can cause are caught there and explained; anything else becomes a short message
too (``playground.guard``), never a traceback.
"""

import streamlit as st

from playground.digits import keys
from playground.digits.draw import draw_tab
from playground.digits.inspection import inspect_tab
from playground.digits.train import train_tab

st.title("Digits (MNIST)")
st.caption(
    "Draw a digit and see what a network reads; train the lab's 1-, 2- and 3-layer networks on MNIST "
    "and compare them; look inside a trained network."
)

draw, train, inspect = st.tabs(["Draw a digit", "Train", "Inspect"], key=keys.TABS)
for tab, render in ((draw, draw_tab), (train, train_tab), (inspect, inspect_tab)):
    with tab:
        render()
