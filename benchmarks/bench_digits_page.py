"""What the digits page's live training costs over training alone, and how long its figures take.

The page trains in ticks (``playground.digits_run.advance``): each tick trains for a time
budget in chunks of minibatches, stops at every epoch boundary to measure training and
validation accuracy and the largest weights, and copies the network into an immutable
snapshot. The reference, measured in the same run on the same data, is the same network
trained by ``core.Trainer.run_epochs`` with nothing else. The ratio is the page's overhead
(without Streamlit and the browser, which add their own per-tick cost).

Then the Inspect tab's figures are built from a trained run, timed one by one.

    .venv/bin/python benchmarks/bench_digits_page.py             # ~20 s
    .venv/bin/python benchmarks/bench_digits_page.py --epochs 3 --repeats 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.mnist import build_digit_net, digit_trainer, sample_split  # noqa: E402
from playground.digits.charts import (  # noqa: E402
    confusion_matrix,
    confusion_matrix_figure,
    first_layer_weights_figure,
    max_weight_figure,
    misclassified_gallery_figure,
    per_class_accuracy,
    per_class_accuracy_figure,
    training_curves_figure,
)
from playground.digits.models import as_unit_images, evaluate_digits  # noqa: E402
from playground.digits.run import TrainConfig, advance, start_run  # noqa: E402

BUDGET = 0.5  # seconds per tick, as on the page (playground/digits/train.py, BUDGET_SECONDS)


def plain(config: TrainConfig, data) -> float:
    """Seconds to train config.epochs epochs with the Trainer alone."""
    x_train, y_train, x_test, y_test = data
    net = build_digit_net(config.hidden, config.activation, seed=config.seed)
    trainer = digit_trainer(net, x_train, y_train, x_test, y_test, lr=config.lr, batch_size=config.batch_size,
                            optimizer=config.optimizer, seed=config.seed)
    start = time.perf_counter()
    trainer.run_epochs(config.epochs)
    return time.perf_counter() - start


def page(config: TrainConfig, data):
    """Seconds to train the same epochs tick by tick as the page does; returns (seconds, ticks, snapshot)."""
    engine, snapshot = start_run(1, config, data)
    start, ticks = time.perf_counter(), 0
    while snapshot.status == "training":
        snapshot = advance(engine, snapshot, BUDGET)
        ticks += 1
    return time.perf_counter() - start, ticks, snapshot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = sample_split()
    print(f"data: embedded sample, {len(data[0])} training / {len(data[2])} held-out digits; tick budget {BUDGET} s")
    print(f"{'network':<16}{'plain s':>9}{'page s':>9}{'ticks':>7}{'page/plain':>12}")
    snapshot = None
    for hidden in ((), (100,), (100, 50)):
        config = TrainConfig(hidden=hidden, epochs=args.epochs)
        plains, pages = [], []
        for _ in range(args.repeats):
            plains.append(plain(config, data))
            seconds, ticks, snapshot = page(config, data)
            pages.append(seconds)
        p, q = statistics.median(plains), statistics.median(pages)
        print(f"{config.architecture:<16}{p:>9.2f}{q:>9.2f}{ticks:>7}{q / p:>12.2f}")

    print("\nInspect figures for the last run (median of 5 builds, ms):")
    x_test, y_test = data[2], data[3]
    result = evaluate_digits(snapshot.net, x_test, y_test)
    cm = confusion_matrix(result.labels, result.predicted)
    worst = result.worst_mistakes(24)
    history = snapshot.history
    builders = {
        "evaluate 1,000 digits": lambda: evaluate_digits(snapshot.net, x_test, y_test),
        "confusion matrix": lambda: confusion_matrix_figure(cm),
        "per-class accuracy": lambda: per_class_accuracy_figure(per_class_accuracy(cm)),
        "misclassified gallery (24)": lambda: misclassified_gallery_figure(
            as_unit_images(x_test[worst]), result.labels[worst], result.predicted[worst]),
        "first-layer weights (32)": lambda: first_layer_weights_figure(snapshot.net.linear_layers()[0].W),
        "largest weight per epoch": lambda: max_weight_figure([h.epoch for h in history],
                                                              [h.max_abs_weights for h in history]),
        "training curves": lambda: training_curves_figure([h.epoch for h in history], [h.train_accuracy for h in history],
                                                          [h.val_accuracy for h in history], [h.train_loss for h in history],
                                                          [h.val_loss for h in history]),
    }
    for name, build in builders.items():
        build()  # warm-up
        times = []
        for _ in range(5):
            start = time.perf_counter()
            build()
            times.append(time.perf_counter() - start)
        print(f"  {name:<28}{statistics.median(times) * 1000:>8.1f}")


if __name__ == "__main__":
    main()
