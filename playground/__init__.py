"""The Streamlit app's pieces: controls, per-session state, the live loop, charts, pages."""
