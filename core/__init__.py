"""A small, fast neural-network framework in NumPy.

The lesson's names come first and work unchanged::

    net = Net(); net.add(Linear(2, 10)); net.add(Tanh()); net.add(Linear(10, 2)); net.add(Softmax())
    p = net.forward(x); l = loss.forward(p, y); dp = loss.backward(l); net.backward(dp); net.update(lr)

Beyond the lesson, the tables a UI lists its choices from (``ACTIVATIONS``, ``LOSSES``,
``OPTIMIZERS``, ``DATASETS``, ``FEATURES``) each come with a factory named alike
(``make_activation``, ``make_loss``, ``make_optimizer``, ``make_dataset``, ``make_features``).
"""

from .layers import Linear, Softmax, Tanh
from .losses import CrossEntropyLoss
from .net import Net

from .backprop import BackpropTrace, LayerTrace, trace_backprop
from .datasets import DATASETS, FEATURES, Dataset, DatasetKind, make_dataset, make_features, usable_features
from .layers import ACTIVATIONS, Dropout, Identity, LeakyReLU, Param, ReLU, Sigmoid, Standardize, make_activation
from .losses import LOSSES, BinaryLogistic, MAELoss, MSELoss, SoftmaxCrossEntropy, accuracy, make_loss, r2_score
from .modelfile import LoadedModel, ModelFileError, load_model, model_bytes, save_model
from .net import mlp
from .optim import OPTIMIZERS, SGD, Adam, Optimizer, make_optimizer
from .trainer import Measurement, StepMetrics, Trainer, TrainingDiverged, grid_inputs

__all__ = [
    "Linear", "Tanh", "Softmax", "CrossEntropyLoss", "Net",
    "ACTIVATIONS", "DATASETS", "FEATURES", "LOSSES", "OPTIMIZERS",
    "make_activation", "make_dataset", "make_features", "make_loss", "make_optimizer",
    "Adam", "BackpropTrace", "BinaryLogistic", "Dataset", "DatasetKind", "Dropout", "Identity", "LayerTrace", "LeakyReLU",
    "LoadedModel",
    "MAELoss", "MSELoss", "Measurement", "ModelFileError", "Optimizer", "Param", "ReLU", "SGD", "Sigmoid",
    "SoftmaxCrossEntropy", "Standardize", "StepMetrics", "Trainer", "TrainingDiverged", "accuracy",
    "grid_inputs", "load_model", "mlp", "model_bytes", "r2_score", "save_model", "trace_backprop", "usable_features",
]
