"""Mazur's worked example as a dataset of the 2D page: "A Step by Step Backpropagation Example"
(Matt Mazur, 2015), the one most backprop implementations test against.

His data is one point, inputs i1 = 0.05 and i2 = 0.10, with two targets 0.01 and 0.99. His
network is 2-2-2 with a sigmoid on the hidden AND the output layer, weights w1..w4 into the
hidden neurons h1, h2 and w5..w8 into the outputs o1, o2, one bias b1 = 0.35 on both hidden
neurons and b2 = 0.60 on both outputs. His error E = sum of 1/2 (t - o)^2 equals the mean over
the two outputs of (t - o)^2: core's MSELoss. He trains with plain gradient descent at 0.5.

On the page: the dataset "worked" is his point; the network is the sidebar's with a sigmoid
added after the output layer (as his), starting from his weights when it has his shape (inputs
x1, x2; one hidden layer of 2 sigmoid neurons), from seeded random ones otherwise; training is
his (squared error, plain gradient descent, learning rate 0.5, one point per step), whatever
the sidebar's training settings say. The net computes in float64, so the inspector shows his
figures. His text keeps the biases fixed; here they learn like the weights (the inspector shows
both losses after the step). No Streamlit here.
"""

from __future__ import annotations

import numpy as np

from core import SGD, Dataset, MSELoss, Sigmoid, Trainer, make_features, mlp, usable_features
from playground.i18n import N_

from .config import WORKED, Config

X = np.array([[0.05, 0.10]])
TARGETS = np.array([[0.01, 0.99]])
HIDDEN_W, HIDDEN_B = np.array([[0.15, 0.20], [0.25, 0.30]]), 0.35  # rows: h1 (w1, w2), h2 (w3, w4)
OUTPUT_W, OUTPUT_B = np.array([[0.40, 0.45], [0.50, 0.55]]), 0.60  # rows: o1 (w5, w6), o2 (w7, w8)
LEARNING_RATE = 0.5
EXTENT = (-1.0, 1.0, -1.0, 1.0)  # the map around his point
# His name of each parameter and neuron value, keyed as the inspector's table names them.
MAZUR_NAMES = {
    "w₁[1,1]": "w1", "w₁[1,2]": "w2", "w₁[2,1]": "w3", "w₁[2,2]": "w4",
    "w₂[1,1]": "w5", "w₂[1,2]": "w6", "w₂[2,1]": "w7", "w₂[2,2]": "w8",
    "b₁[1]": "b1", "b₁[2]": "b1", "b₂[1]": "b2", "b₂[2]": "b2",
    "z₁[1]": "net_h1", "z₁[2]": "net_h2", "a₁[1]": "out_h1", "a₁[2]": "out_h2",
    "z₂[1]": "net_o1", "z₂[2]": "net_o2", "a₂[1]": "out_o1", "a₂[2]": "out_o2",
    "ℒ": "E_total",
}
CAPTION = N_("Mazur's worked example: one point (x1 = 0.05, x2 = 0.10) with targets 0.01 and 0.99, his 2-2-2 sigmoid "
              "network and weights, squared error, plain gradient descent at learning rate 0.5 (the sidebar's training "
              "settings do not apply to it).")
NAMES_CAPTION = N_("His names: w1…w4 are w₁[1,1], w₁[1,2], w₁[2,1], w₁[2,2]; w5…w8 are w₂[1,1], w₂[1,2], w₂[2,1], "
                    "w₂[2,2]; his net is z, his out is a; his E = Σ ½(t − o)² is our ℒ, the mean of (t − o)² over the two "
                    "outputs.")
BIASES_NOTE = N_("His text keeps the biases fixed (b1 = 0.35, b2 = 0.60); here they learn like the weights, as training "
                  "on this page does. Loss on the point after the step with his fixed biases: {fixed}; with the biases "
                  "updated too: {both}. (His text gives 0.291027924 for the first, from rounded intermediate values.)")


def has_his_shape(config: Config) -> bool:
    """True when the sidebar's network is his: inputs x1, x2 and one hidden layer of 2 sigmoid neurons."""
    return (usable_features(config.features, 2) == ("x1", "x2") and tuple(config.hidden) == (2,)
            and tuple(config.activations) == ("sigmoid",))


def worked_parts(config: Config) -> tuple[Dataset, tuple[float, float, float, float], Trainer]:
    """(his data, the map's extent, a trainer with his network, loss and training) for ``config``."""
    features = usable_features(config.features, 2)
    net = mlp(len(features), list(config.hidden), 2, activations=list(config.activations) or "tanh", seed=config.seed,
              dtype=np.float64)
    net.add(Sigmoid())
    if has_his_shape(config):
        hidden, output = net.linear_layers()
        hidden.W, hidden.b = HIDDEN_W.copy(), np.full((1, 2), HIDDEN_B)
        output.W, output.b = OUTPUT_W.copy(), np.full((1, 2), OUTPUT_B)
    data = Dataset(WORKED, "regression", X.copy(), TARGETS.copy(), np.zeros((0, 2)), np.zeros((0, 2)), 0)
    trainer = Trainer(net, MSELoss(), SGD(LEARNING_RATE), make_features(X, features), TARGETS, batch_size=1,
                      seed=config.seed)
    return data, EXTENT, trainer
