"""Entry point: `streamlit run app.py`. Wires the pages together and nothing else."""

import streamlit as st
from threadpoolctl import threadpool_limits

from playground.i18n.session import _, init_language

# One server process trains every session's network next to the browser on a small machine;
# two BLAS threads per matrix product then fight each other and run small products 10-30x
# slower (measured on 2 cores), so the app keeps BLAS to one thread.
threadpool_limits(limits=1, user_api="blas")

init_language()  # ?lang=, else the browser's language, else English: the titles below are in it
# TRANSLATORS: the browser tab's title and the playground page's heading.
st.set_page_config(page_title=_("Neural-network playground"), page_icon=":material/neurology:", layout="wide")

pages = [
    # TRANSLATORS: page names in the navigation.
    st.Page("playground/twod/page.py", title=_("Playground"), icon=":material/scatter_plot:", url_path="playground",
            default=True),
    st.Page("playground/digits/page.py", title=_("Digits (MNIST)"), icon=":material/draw:", url_path="digits"),
]
st.navigation(pages).run()
