"""`./run serve`: HAProxy with cookie-sticky sessions in front of Streamlit replicas (``python -m serve``)."""
