"""Speed of the core framework against a hand-fused NumPy loop, PyTorch CPU and scikit-learn.

One epoch of 60,000 MNIST-shaped rows (784 features, 10 classes), 784-128-10 tanh, softmax
cross-entropy, batch 64, plain SGD, float32. Two paths through the framework: the ``Trainer``
(fused softmax cross-entropy on logits) and the lesson's own loop, exactly as the lesson
writes it (``Net`` of ``Linear``, ``Tanh``, ``Linear``, ``Softmax``; ``CrossEntropyLoss``;
``forward``/``backward``/``update`` per minibatch). Every contender is timed in this same run
(best of --repeats), so the ratios hold even though absolute times on a shared machine are noisy.
It also reports minibatch steps per second for the playground's tiny net (2-8-8-2, batch 10).

    python benchmarks/bench_core.py [--rows 60000] [--repeats 3]

Targets: the Trainer within 1.15x of the fused loop (issue #2) and the lesson's loop within
1.25x (issue #8); both faster than PyTorch and scikit-learn at these settings.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import SGD, CrossEntropyLoss, Linear, Net, Softmax, SoftmaxCrossEntropy, Tanh, Trainer, grid_inputs, make_dataset, mlp

BATCH, HIDDEN, LR = 64, 128, 0.01


def mnist_shaped(rows: int, seed: int = 0):
    """Random pixels in [0, 1] and labels 0..9: the timing does not depend on the values."""
    rng = np.random.default_rng(seed)
    return rng.random((rows, 784), dtype=np.float32), rng.integers(0, 10, rows)


def best_of(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_framework(x, y):
    net = mlp(784, [HIDDEN], 10, "tanh", init="lesson", seed=0)
    trainer = Trainer(net, SoftmaxCrossEntropy(), SGD(LR), x, y, batch_size=BATCH, seed=0)
    return lambda: trainer.run_epochs(1)


def bench_lesson(x, y):
    """The lesson's code, unchanged: its Net, layers, loss and training loop (shuffled batches)."""
    net = Net()
    net.add(Linear(784, HIDDEN, seed=0))
    net.add(Tanh())
    net.add(Linear(HIDDEN, 10, seed=1))
    net.add(Softmax())
    loss = CrossEntropyLoss()
    rng = np.random.default_rng(0)

    def epoch():
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start : start + BATCH]
            xb, yb = x[idx], y[idx]
            p = net.forward(xb)
            lv = loss.forward(p, yb)
            dp = loss.backward(lv)
            net.backward(dp)
            net.update(LR)

    return epoch


def bench_fused(x, y):
    """The same maths written out by hand in one function: the practical speed limit."""
    rng = np.random.default_rng(0)
    w1 = rng.normal(0, 1 / np.sqrt(784), (HIDDEN, 784)).astype(np.float32)
    b1 = np.zeros(HIDDEN, np.float32)
    w2 = rng.normal(0, 1 / np.sqrt(HIDDEN), (10, HIDDEN)).astype(np.float32)
    b2 = np.zeros(10, np.float32)
    n = len(x)

    def epoch():
        nonlocal w1, b1, w2, b2
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            idx = order[start : start + BATCH]
            xb, yb = x.take(idx, axis=0), y.take(idx)
            m = len(idx)
            h = np.tanh(xb @ w1.T + b1)
            z = h @ w2.T + b2
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(m), yb] -= 1
            p /= m
            dh = (p @ w2) * (1 - h * h)
            w2 -= LR * (p.T @ h)
            b2 -= LR * p.sum(0)
            w1 -= LR * (dh.T @ xb)
            b1 -= LR * dh.sum(0)

    return epoch


def bench_torch(x, y):
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, HIDDEN), torch.nn.Tanh(), torch.nn.Linear(HIDDEN, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    gen = torch.Generator().manual_seed(0)

    def epoch():
        order = torch.randperm(len(xt), generator=gen)
        for start in range(0, len(xt), BATCH):
            idx = order[start : start + BATCH]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()

    return epoch


def bench_sklearn(x, y):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    def epoch():
        clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), activation="tanh", solver="sgd", batch_size=BATCH,
                            learning_rate_init=LR, momentum=0.0, max_iter=1, alpha=0.0, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(x, y)

    return epoch


def tiny_steps_per_second(repeats: int) -> float:
    ds = make_dataset("spiral", 500, noise=0.0, train_fraction=0.5, seed=0)
    net = mlp(2, [8, 8], 2, "tanh", seed=0)
    trainer = Trainer(net, SoftmaxCrossEntropy(), SGD(0.03), ds.x_train, ds.y_train, batch_size=10, seed=0)
    steps = 2000
    return steps / best_of(repeats, lambda: trainer.step(steps))


def grid_maps_per_second(repeats: int) -> float:
    """100x100 decision maps per second for a 2-8-8-2 net: the playground's redraw cost."""
    net = mlp(2, [8, 8], 2, "tanh", seed=0)
    grid = grid_inputs((-6, 6, -6, 6), 100)
    maps = 50
    return maps / best_of(repeats, lambda: [SoftmaxCrossEntropy.probabilities(net.predict(grid)) for _ in range(maps)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    x, y = mnist_shaped(args.rows)
    print(f"One epoch: {args.rows} x 784, 784-{HIDDEN}-10 tanh, softmax cross-entropy, batch {BATCH}, SGD, float32")
    results = {}
    for name, make in [("framework (core)", bench_framework), ("lesson's loop", bench_lesson), ("fused NumPy loop", bench_fused),
                       ("PyTorch CPU", bench_torch), ("scikit-learn MLP", bench_sklearn)]:
        try:
            fn = make(x, y)
        except ImportError as exc:
            print(f"  {name:18s} skipped: {exc.name} is not installed (pip install -r requirements-bench.txt)")
            continue
        fn()  # warm up: first-call allocations, BLAS threads, imports
        results[name] = best_of(args.repeats, fn)
        print(f"  {name:18s} {results[name]:7.3f} s/epoch")

    for path in ("framework (core)", "lesson's loop"):
        ours = results[path]
        print(f"Ratios for the {path} (its time / other time; < 1 means it is faster):")
        for name, t in results.items():
            if name not in ("framework (core)", "lesson's loop"):
                print(f"  vs {name:18s} {ours / t:5.2f}x")
    print(f"Tiny net 2-8-8-2, batch 10: {tiny_steps_per_second(args.repeats):,.0f} minibatch steps/s "
          f"(spiral, 250 training points = 25 steps per epoch)")
    print(f"Decision map 100x100 for 2-8-8-2: {grid_maps_per_second(args.repeats):,.0f} maps/s")


if __name__ == "__main__":
    main()
