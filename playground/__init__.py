"""The Streamlit app's pieces, one package per page: ``twod`` (the live 2D page, the app's
root) and ``digits`` (the MNIST page); ``guard`` is shared by both. ``app.py`` wires them."""
