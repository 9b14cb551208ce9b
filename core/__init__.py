"""A small, fast neural-network framework in NumPy.

The lesson's names come first and work unchanged::

    net = Net(); net.add(Linear(2, 10)); net.add(Tanh()); net.add(Linear(10, 2)); net.add(Softmax())
    p = net.forward(x); l = loss.forward(p, y); dp = loss.backward(l); net.backward(dp); net.update(lr)
"""

from .layers import Linear, Softmax, Tanh
from .losses import CrossEntropyLoss
from .net import Net

from .datasets import FEATURES, Dataset, make_dataset, make_features
from .layers import ACTIVATIONS, Dropout, Identity, LeakyReLU, Param, ReLU, Sigmoid, Standardize, activation
from .losses import BinaryLogistic, MAELoss, MSELoss, SoftmaxCrossEntropy, accuracy, loss_by_name, r2_score
from .modelfile import LoadedModel, ModelFileError, load_model, model_bytes, save_model
from .net import mlp
from .optim import SGD, Adam, Optimizer, make_optimizer
from .trainer import StepMetrics, Trainer, TrainingDiverged, grid_inputs

__all__ = [
    "Linear", "Tanh", "Softmax", "CrossEntropyLoss", "Net",
    "ACTIVATIONS", "Adam", "BinaryLogistic", "Dataset", "Dropout", "FEATURES", "Identity",
    "LeakyReLU", "LoadedModel", "MAELoss", "MSELoss", "ModelFileError", "Optimizer", "Param",
    "ReLU", "SGD", "Sigmoid", "SoftmaxCrossEntropy", "Standardize", "StepMetrics", "Trainer",
    "TrainingDiverged", "accuracy", "activation", "grid_inputs", "load_model", "loss_by_name",
    "make_dataset", "make_features", "make_optimizer", "mlp", "model_bytes", "r2_score", "save_model",
]
