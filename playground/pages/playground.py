import streamlit as st

st.title("Neural-network playground")
st.info("The live playground is being built.")
