"""The backprop trace of one row: against a published worked example, finite differences, the
chain rule's identities and core's own training step."""

import numpy as np
import pytest

from core import (
    CrossEntropyLoss,
    Linear,
    MSELoss,
    Net,
    Sigmoid,
    Softmax,
    Standardize,
    make_loss,
    mlp,
    trace_backprop,
)
from tests.core.gradcheck import numeric_grad, rel_error

# Matt Mazur, "A Step by Step Backpropagation Example" (2015): his published figures.
MAZUR_X, MAZUR_T, MAZUR_LR = [0.05, 0.10], [0.01, 0.99], 0.5
MAZUR_ERROR = 0.298371109
MAZUR_AFTER = {"w5": 0.35891648, "w6": 0.408666186, "w7": 0.511301270, "w8": 0.561370121, "w1": 0.149780716}


def mazur_net() -> Net:
    """His 2-2-2 sigmoid network: w1..w4 into the hidden layer, w5..w8 into the outputs, as
    rows (one per receiving neuron) of each layer's W; b1 = 0.35 and b2 = 0.60 on every neuron."""
    net = Net([Linear(2, 2, dtype=np.float64), Sigmoid(), Linear(2, 2, dtype=np.float64), Sigmoid()])
    hidden, output = net.linear_layers()
    hidden.W[:] = [[0.15, 0.20], [0.25, 0.30]]
    hidden.b[:] = 0.35
    output.W[:] = [[0.40, 0.45], [0.50, 0.55]]
    output.b[:] = 0.60
    return net


def test_mazurs_worked_example_to_8_digits():
    # His E = sum of 1/2 (t - o)^2 over 2 outputs is the mean of (t - o)^2: core's MSELoss.
    trace = trace_backprop(mazur_net(), MSELoss(), MAZUR_X, MAZUR_T, MAZUR_LR)
    hidden, output = trace.layers
    got = {"w5": output.W_new[0, 0], "w6": output.W_new[0, 1], "w7": output.W_new[1, 0], "w8": output.W_new[1, 1],
           "w1": hidden.W_new[0, 0]}
    assert trace.loss == pytest.approx(MAZUR_ERROR, abs=5e-9)
    for name, value in MAZUR_AFTER.items():
        assert got[name] == pytest.approx(value, abs=5e-9), name
    # His intermediate figures on the way.
    assert output.a == pytest.approx([0.75136507, 0.772928465], abs=5e-9)
    assert output.dL_da[0] == pytest.approx(0.74136507, abs=5e-9)
    assert output.da_dz[0] == pytest.approx(0.186815602, abs=5e-9)
    assert output.dL_dW[0, 0] == pytest.approx(0.082167041, abs=5e-9)
    assert hidden.dL_da[0] == pytest.approx(0.036350306, abs=5e-9)
    assert hidden.dL_dW[0, 0] == pytest.approx(0.000438568, abs=5e-9)
    # He keeps the biases; in full precision his network's error is then 0.2910277737 (his text
    # says 0.291027924, from rounded intermediate values), and lower still when they learn too.
    assert trace.loss_after_weights_only == pytest.approx(0.2910277737, abs=1e-9)
    assert trace.loss_after < trace.loss_after_weights_only < trace.loss


NETS = {
    "tanh, cross-entropy": (lambda: mlp(3, [4, 3], 3, "tanh", seed=1, dtype=np.float64), "cross_entropy", 2),
    "relu and sigmoid, mse": (lambda: mlp(3, [5, 4], 2, ["relu", "sigmoid"], seed=2, dtype=np.float64), "mse",
                              np.array([0.3, -1.2])),
    "leaky relu, logistic": (lambda: mlp(3, [4], 1, "leaky_relu", seed=3, dtype=np.float64), "logistic", 1),
    "linear, mae": (lambda: mlp(3, [3], 1, "linear", seed=4, dtype=np.float64), "mae", np.array([0.7])),
    "no hidden layer": (lambda: mlp(3, [], 2, seed=5, dtype=np.float64), "cross_entropy", 0),
    "the lesson's softmax + cross-entropy, standardized input": (
        lambda: Net([Standardize([1.0, -1.0, 0.5], [0.5, 2.0, 1.0], dtype=np.float64),
                     Linear(3, 4, seed=6, dtype=np.float64), Sigmoid(), Linear(4, 3, seed=7, dtype=np.float64),
                     Softmax()]), "lesson", 1),
}


def _loss(name):
    return CrossEntropyLoss() if name == "lesson" else make_loss(name)


@pytest.mark.parametrize("case", NETS)
def test_gradients_match_finite_differences(case):
    make, loss_name, target = NETS[case]
    net = make()
    x = np.array([0.4, -0.9, 1.3])
    trace = trace_backprop(net, _loss(loss_name), x, target, lr=0.1)
    batch_target = np.asarray(target).reshape(1) if np.ndim(target) == 0 else np.reshape(target, (1, -1))

    def loss_now():
        return _loss(loss_name).forward(net.forward(x.reshape(1, -1)), batch_target)

    assert trace.loss == pytest.approx(loss_now(), rel=1e-12)
    for layer, linear in zip(trace.layers, net.linear_layers()):
        assert rel_error(layer.dL_dW, numeric_grad(loss_now, linear.W)) < 1e-6
        assert rel_error(layer.dL_db, numeric_grad(loss_now, linear.b).ravel()) < 1e-6
    # dL/da of each hidden layer: perturb what the layer hands on and run the rest of the net.
    for layer in trace.layers[:-1]:
        a = layer.a.reshape(1, -1).copy()
        numeric = numeric_grad(lambda a=a, i=layer.index: _loss(loss_name).forward(net.output_from(a, i), batch_target),
                               a)
        assert rel_error(layer.dL_da, numeric.ravel()) < 1e-6


@pytest.mark.parametrize("case", NETS)
def test_the_chain_rule_identities_hold_in_the_record(case):
    make, loss_name, target = NETS[case]
    trace = trace_backprop(make(), _loss(loss_name), [0.4, -0.9, 1.3], target, lr=0.1)
    for layer in trace.layers:
        assert layer.z == pytest.approx(layer.W @ layer.a_in + layer.b, rel=1e-12)
        assert layer.dL_dW == pytest.approx(np.outer(layer.dL_dz, layer.a_in), rel=1e-12)
        assert layer.dL_db == pytest.approx(layer.dL_dz, rel=1e-12)
        if layer.da_dz is not None:
            assert layer.dL_dz == pytest.approx(layer.dL_da * layer.da_dz, rel=1e-12, abs=1e-15)
        assert layer.W_new == pytest.approx(layer.W - 0.1 * layer.dL_dW, rel=1e-12)
    for prev, nxt in zip(trace.layers, trace.layers[1:]):
        assert prev.a == pytest.approx(nxt.a_in)
        assert prev.dL_da == pytest.approx(nxt.dL_da_in, rel=1e-12, abs=1e-15)
    assert trace.output.shape == trace.layers[-1].z.shape


def test_the_step_is_cores_own_step_and_the_net_is_left_alone():
    net = mlp(2, [4, 3], 2, "tanh", seed=9)  # float32, as the playground's
    before = [w.copy() for layer in net.linear_layers() for w in (layer.W, layer.b)]
    x, label = np.array([0.3, -2.0], np.float32), 1
    trace = trace_backprop(net, make_loss("cross_entropy"), x, label, lr=0.3)
    after = [w for layer in net.linear_layers() for w in (layer.W, layer.b)]
    assert all(np.array_equal(a, b) and a.dtype == np.float32 for a, b in zip(after, before))
    assert trace.layers[0].W.dtype == np.float64  # computed in float64 from the float32 values
    assert trace.probabilities == pytest.approx(np.exp(trace.output) / np.exp(trace.output).sum())
    # core's training step on the same row, in float64, lands on the same weights and loss.
    ref = net.copy()
    for layer in ref.linear_layers():
        layer.W, layer.b = layer.W.astype(np.float64), layer.b.astype(np.float64)
    loss = make_loss("cross_entropy")
    loss.forward(ref.forward(x.reshape(1, -1).astype(np.float64)), np.array([label]))
    ref.backward(loss.backward())
    ref.update(0.3)
    for layer, linear in zip(trace.layers, ref.linear_layers()):
        assert layer.W_new == pytest.approx(linear.W, rel=1e-12) and layer.b_new == pytest.approx(linear.b.ravel())
    assert trace.loss_after == pytest.approx(make_loss("cross_entropy").forward(ref.forward(x.reshape(1, -1)), [label]))


def test_bad_input_is_refused_with_a_message():
    with pytest.raises(ValueError, match="features per row"):
        trace_backprop(mazur_net(), MSELoss(), [1.0, 2.0, 3.0], MAZUR_T, 0.5)
    with pytest.raises(ValueError, match="Linear"):
        trace_backprop(Net([Sigmoid()]), MSELoss(), [1.0], [0.0], 0.5)
