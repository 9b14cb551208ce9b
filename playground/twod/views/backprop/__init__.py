"""The backprop inspector's drawings, from a ``core.BackpropTrace`` (one point through the net
and back, then one step): the steps in order, each step's table of quantities written as the
chain-rule products with their numbers, and the network diagram with values on the nodes and
the links coloured by weight (forward) or by gradient (backward, update).

The notation is the lesson's: ``z_l = w_l a_(l-1) + b_l`` (``a_0 = x``), ``a_l = alpha(z_l)``,
the loss ``L`` (written ℒ), the learning rate eta (η); ``w₂[1,2]`` is the weight into neuron 1 of
layer 2 from neuron 2 of layer 1 (row 1, column 2 of w₂). Stepping is a paused activity, so the
inspector has no live (Pillow) drawing: while training plays, the page shows the usual frame.
Trace in, rows or a figure out; no Streamlit here. The words come from the catalogue in the
``lang`` the caller passes (the formulas and numbers are the same in every language).
"""

from .diagram import backprop_figure, compact_note
from .steps import Step, inspector_steps, num, step_text, step_title
from .table import columns, step_rows

__all__ = ["Step", "backprop_figure", "columns", "compact_note", "inspector_steps", "num", "step_rows", "step_text",
           "step_title"]
