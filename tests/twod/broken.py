"""A network whose training fails with an unexpected error (not a divergence), for the pool's
tests. It lives in a module of its own so that the worker process can unpickle it."""

from dataclasses import replace

from core import SGD
from playground.twod.config import Config
from playground.twod.model import Model


class Broken(SGD):
    """An optimizer whose step fails: the stand-in for any bug inside a worker's training."""

    def step(self, params) -> None:
        raise RuntimeError("boom")


def broken_model() -> Model:
    model = Model.build(Config(dataset="xor", hidden=(4,), activations=("tanh",)))
    trainer = model.trainer
    trainer.optimizer = Broken(0.03)
    return replace(model, trainer=trainer)
