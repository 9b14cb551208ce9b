"""Optimizers: SGD (with optional momentum), Adam; L1/L2 regularisation; lr decay.

An optimizer holds only its settings and per-parameter state; ``step(params)`` updates
the values of ``params`` (a list of :class:`core.layers.Param`) in place from their
gradients. Settings (``lr``, ``momentum``, ``l2``...) can change between steps without
touching the network; state is matched to parameters by position and shape, so a fresh
network simply starts fresh state.
"""

from __future__ import annotations

import numpy as np


def _check_rate(name: str, value: float, upper: float | None = None) -> float:
    value = float(value)
    if not np.isfinite(value) or value < 0 or (upper is not None and value >= upper):
        bound = f" and below {upper}" if upper is not None else ""
        raise ValueError(f"{name} must be a finite number >= 0{bound}, got {value}.")
    return value


class Optimizer:
    """Shared settings: learning rate, L1/L2 rates on weights, 1/(1 + decay·t) decay."""

    def __init__(self, lr: float = 0.01, l1: float = 0.0, l2: float = 0.0, decay: float = 0.0):
        self.lr = lr
        self.l1 = l1
        self.l2 = l2
        self.decay = decay
        self.t = 0  # steps taken
        self.state: list = []

    def __setattr__(self, name, value):
        if name in ("lr", "l1", "l2", "decay"):
            value = _check_rate(name, value)
            if name == "lr" and value == 0:
                raise ValueError("lr (the learning rate) must be above 0, e.g. 0.01.")
        elif name in ("momentum", "beta1", "beta2"):
            value = _check_rate(name, value, upper=1.0)
        object.__setattr__(self, name, value)

    @property
    def current_lr(self) -> float:
        return self.lr / (1.0 + self.decay * self.t)

    def regularised_grad(self, p) -> np.ndarray:
        """The parameter's gradient plus the L1/L2 penalty's gradient (weights only)."""
        g = p.grad
        if p.is_weight and (self.l1 or self.l2):
            w = p.value
            g = g.copy()
            if self.l2:
                g += self.l2 * w
            if self.l1:
                g += self.l1 * np.sign(w)
        return g

    def penalty(self, params) -> float:
        """The regularisation term added to the loss: l1·Σ|w| + l2/2·Σw² over weights."""
        total = 0.0
        for p in params:
            if p.is_weight:
                if self.l1:
                    total += self.l1 * float(np.abs(p.value).sum())
                if self.l2:
                    total += 0.5 * self.l2 * float(np.square(p.value).sum())
        return total

    def _state_for(self, params, make):
        if len(self.state) != len(params) or any(
            s[0].shape != p.value.shape for s, p in zip(self.state, params)
        ):
            self.state = [make(p.value) for p in params]
        return self.state

    def step(self, params) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent; with ``momentum`` > 0, heavy-ball momentum v = μv - lr·g; w += v."""

    def __init__(self, lr: float = 0.01, momentum: float = 0.0, **kwargs):
        super().__init__(lr, **kwargs)
        self.momentum = momentum

    def step(self, params) -> None:
        lr = self.current_lr
        if self.momentum:
            state = self._state_for(params, lambda w: (np.zeros_like(w),))
            for (v,), p in zip(state, params):
                v *= self.momentum
                v -= lr * self.regularised_grad(p)
                p.value += v
        elif not (self.l1 or self.l2):
            for p in params:
                w = p.value
                w -= lr * p.grad
        else:
            for p in params:
                w = p.value
                w -= lr * self.regularised_grad(p)
        self.t += 1


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias correction."""

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, **kwargs):
        super().__init__(lr, **kwargs)
        self.beta1, self.beta2, self.eps = beta1, beta2, float(eps)

    def step(self, params) -> None:
        state = self._state_for(params, lambda w: (np.zeros_like(w), np.zeros_like(w)))
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        # Fold both bias corrections into one step size.
        lr = self.lr / (1.0 + self.decay * (self.t - 1))
        step_size = lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for (m, v), p in zip(state, params):
            g = self.regularised_grad(p)
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            p.value -= step_size * m / (np.sqrt(v) + self.eps)


# The optimizers by name: name -> factory(lr, **settings).
OPTIMIZERS = {
    "sgd": SGD,
    "momentum": lambda lr, momentum=0.9, **kwargs: SGD(lr, momentum=momentum, **kwargs),
    "adam": Adam,
}


def make_optimizer(name: str, lr: float, **kwargs) -> Optimizer:
    """An optimizer by name: one of ``OPTIMIZERS`` (sgd, momentum: SGD with momentum 0.9, adam).

    kwargs: l1, l2, decay, and the optimizer's own settings (momentum, beta1, beta2, eps).
    """
    try:
        factory = OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"Unknown optimizer {name!r}: choose one of {', '.join(OPTIMIZERS)}.") from None
    return factory(lr, **kwargs)
