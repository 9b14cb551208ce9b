"""Entry point: `streamlit run app.py`. Wires the pages together and nothing else."""

import streamlit as st

st.set_page_config(page_title="Neural-network playground", page_icon=":material/neurology:", layout="wide")

pages = [
    st.Page("playground/pages/playground.py", title="Playground", icon=":material/scatter_plot:", url_path="playground", default=True),
    st.Page("playground/pages/digits.py", title="Digits (MNIST)", icon=":material/draw:", url_path="digits"),
]
st.navigation(pages).run()
