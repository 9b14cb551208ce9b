"""The hidden layer's space: where one hidden layer puts the input plane and the data
(``space.py``), in which plane of it (``plane.py``) and where the decision boundary crosses
that plane (``boundary.py``). Drawn by ``views/space.py``; no Streamlit here.
"""

from .boundary import clip_line
from .space import GRID_NODES, IMAGE_MESSAGES, HiddenSpace, SpaceUnavailable, hidden_space, space_png, unavailable

__all__ = ["GRID_NODES", "IMAGE_MESSAGES", "HiddenSpace", "SpaceUnavailable", "clip_line", "hidden_space", "space_png",
           "unavailable"]
