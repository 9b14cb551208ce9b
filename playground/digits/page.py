"""The MNIST page (/digits): read a hand-drawn digit, train your own network, look inside it.

A thin script: each tab's content lives in its own module (draw.py, train.py, inspection.py).
Errors a user can cause are caught there and explained; anything else becomes a short message
too (``playground.guard``), never a traceback. Every text is in the session's language (the
selector at the top of the sidebar, ``?lang=``, or the browser's).
"""

import streamlit as st

from playground.digits import keys
from playground.digits.draw import draw_tab
from playground.digits.inspection import inspect_tab
from playground.digits.train import train_tab
from playground.i18n.session import _, language_selector

with st.sidebar:
    language_selector()

st.title(_("Digits (MNIST)"))
st.caption(_(
    "Draw a digit and see what a network reads; train the lab's 1-, 2- and 3-layer networks on MNIST "
    "and compare them; look inside a trained network."
))

# TRANSLATORS: the digits page's tabs.
draw, train, inspect = st.tabs([_("Draw a digit"), _("Train"), _("Inspect")], key=keys.TABS)
for tab, render in ((draw, draw_tab), (train, train_tab), (inspect, inspect_tab)):
    with tab:
        render()
