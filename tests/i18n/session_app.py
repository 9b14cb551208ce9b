"""A tiny app for tests/i18n/test_session.py: the selector, a button, a caption, a fragment, and
a page that writes the whole query string itself (as the playground's URL sync does)."""

import streamlit as st

from playground.i18n.session import _, language_selector, pgettext, url_params

with st.sidebar:
    language_selector()
st.button(_("Play"), key="play")
st.caption(_("Learning rate lowered to {lr} and the network reset.", lr="0.01"))
st.caption(pgettext("run status", "training"))
if st.session_state.get("write_query"):
    st.query_params.from_dict({"ds": "xor", **url_params()})


@st.fragment
def live():
    st.caption("fragment: " + _("Step"))


live()
