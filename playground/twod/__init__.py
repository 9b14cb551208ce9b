"""The live 2D page: pick data and a network, press Play, watch it learn (``page.py`` lays it out)."""
