"""Look inside a network: every layer's outputs for a batch, without touching its state.

The playground draws a small map per hidden neuron (as TensorFlow Playground does); one
batched forward pass over a grid of input points gives all of them at once.
"""

from __future__ import annotations

import copy

import numpy as np

from .layers import Dropout, Linear
from .net import Net, check_inputs


def layer_outputs(net: Net, x: np.ndarray) -> list[np.ndarray]:
    """The values each neuron column produces for x: (batch, features).

    Returns ``[x, h1, ..., hL, out]``: the input, the output of every hidden layer (the
    input of each Linear after the first, i.e. after its activation) and the net's raw
    output, each (batch, width). Runs in evaluation mode (dropout off) on shallow copies
    of the non-Linear layers, so the net's cached forward state, its training flags and
    any training in progress are left alone.
    """
    x = check_inputs(x, net.n_inputs)
    dtype = net.dtype
    if dtype is not None and x.dtype != dtype:
        x = x.astype(dtype)
    outputs = [x]
    seen_linear = False
    for layer in net.layers:
        if isinstance(layer, Linear):
            if seen_linear:
                outputs.append(x)
            seen_linear = True
            x = x @ layer.W.T + layer.b
        elif isinstance(layer, Dropout):
            continue  # the identity outside training
        else:
            # A shallow copy keeps whatever forward caches (y, mask) off the real layer.
            x = copy.copy(layer).forward(x)
    outputs.append(x)
    return outputs
