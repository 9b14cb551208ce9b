import streamlit as st

st.title("Digits (MNIST)")
st.info("The digits page is being built.")
