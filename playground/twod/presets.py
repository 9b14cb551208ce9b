"""One-click lecture presets: a config plus what to watch for (English messages, translated where shown)."""

from __future__ import annotations

from dataclasses import dataclass

from playground.i18n import N_

from .config import WORKED, Config


@dataclass(frozen=True)
class Preset:
    title: str  # a message: shown as _(preset.title)
    config: Config
    lesson: str  # what the hall should see when pressing Play (a message too)


PRESETS = (
    Preset(
        N_("A line can't do XOR"),
        Config(dataset="xor", hidden=(), activations=(), lr=0.03, seed=1),
        N_("No hidden layer: the network can only draw one straight line, so the test accuracy stays near 50 %. "
           "Add a hidden layer of 4 neurons and press Play again."),
    ),
    Preset(
        N_("One hidden layer bends the boundary"),
        Config(dataset="xor", hidden=(4,), activations=("tanh",), lr=0.03, seed=1),
        N_("Four tanh neurons each draw a line; the output combines them into a bent boundary that solves XOR."),
    ),
    Preset(
        N_("The spiral needs depth"),
        Config(dataset="spiral", noise=0, hidden=(8, 8), activations=("tanh", "tanh"), lr=0.03, batch=10, seed=2),
        N_("Two hidden layers of 8 follow the arms of the spiral; with a single layer of 8 (try it) the boundary "
           "stays too simple."),
    ),
    Preset(
        N_("Too high a learning rate diverges"),
        Config(dataset="plane", hidden=(4, 4), activations=("tanh", "tanh"), lr=3.0, batch=10, seed=3),
        N_("With learning rate 3 each step overshoots the minimum by more than it gains: within one epoch the loss "
           "explodes and training stops with an explanation. Press 'Reset and lower the learning rate'."),
    ),
    Preset(
        N_("Sigmoid layers make gradients vanish"),
        Config(dataset="circle", hidden=(8,) * 6, activations=("sigmoid",) * 6, lr=0.03, batch=10, seed=4),
        N_("Watch the gradient chart: each sigmoid layer shrinks the gradient, so the first layers barely learn. "
           "Switch the activation to relu or tanh to compare."),
    ),
    Preset(
        N_("A multi-class spiral"),
        Config(dataset="spiral", n_classes=3, n_points=600, hidden=(12, 12), activations=("tanh", "tanh"),
               lr=0.01, optimizer="adam", batch=10, seed=5),
        N_("Three arms, three softmax outputs, cross-entropy loss: one colour per class."),
    ),
    Preset(
        N_("Regression fits a curve"),
        Config(dataset="curve", n_points=200, noise=10, features=("x1",), hidden=(8, 8),
               activations=("tanh", "tanh"), lr=0.01, optimizer="adam", batch=10, seed=6),
        N_("One input, one output, squared error: the network's curve bends towards the noisy sine."),
    ),
    Preset(  # inside-network
        N_("Two neurons cannot untangle a circle"),
        Config(dataset="circle", hidden=(2,), activations=("tanh",), lr=0.03, seed=0, view="space", space_axes="boundary"),
        N_("After Olah's \"Neural Networks, Manifolds, and Topology\": a hidden layer of 2 tanh neurons can only bend the "
           "plane, never tear it, so the disc stays inside the ring and no straight line in the hidden space splits them: "
           "test accuracy stalls near 80 %. Give hidden layer 1 three neurons and press Play again: in three dimensions "
           "the disc lifts out of the ring and accuracy passes 95 %."),
    ),
    Preset(  # inside-network
        N_("Backprop by hand"),
        Config(dataset=WORKED, features=("x1", "x2"), hidden=(2,), activations=("sigmoid",), view="backprop"),
        N_("Mazur's worked example, \"A Step by Step Backpropagation Example\": one point, his 2-2-2 sigmoid network and "
           "weights. Press Next to go forward layer by layer, to the loss (0.298371109), back layer by layer and to the "
           "update: after one step at learning rate 0.5, w5 is 0.35891648, as in his text."),
    ),
)
