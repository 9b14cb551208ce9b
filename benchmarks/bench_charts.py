"""Build time and payload of the playground's views: the interactive figures (paused) and
the live frame (playing).

Run: ``.venv/bin/python benchmarks/bench_charts.py [--repeat 30]``

For each network it builds every plotly figure the page draws when paused (decision map,
loss curves, gradient norms, network diagram with per-neuron maps) and prints the build time
(median and best of ``--repeat`` runs: the best is the figure on a busy machine), the
serialisation time (``plotly.io.to_json(fig, validate=False)``, what ``st.plotly_chart``
does) and the payload size. References measured in the same run: the same figures built
through plotly's validating constructor, and the straightforward decision map (a float64
``go.Heatmap`` in a validated ``go.Figure``); the ratios are printed. Then the live views of
one refresh while playing: the frame (metrics, decision map PNG at the grid's resolution, curves PNG,
drawn by the training worker) and the network image (about once a second, also by the worker), with
their size as sent (base64).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import SoftmaxCrossEntropy, Trainer, grid_inputs, make_dataset, make_features, make_optimizer, mlp
from playground.twod.config import Config
from playground.twod.frame import frame_html, render_frame
from playground.twod.model import Model
from playground.twod.views.curves import gradient_figure, loss_figure
from playground.twod.views.map import map_figure
from playground.twod.views.network import network_figure, network_png
from playground.twod.views.neurons import neuron_maps


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median and best wall time of fn() in ms over ``repeat`` calls (after one warm-up), and its result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, min(times) * 1e3, result


def naive_decision_map(probs, extent, ds):
    """The reference: a float64 heatmap of P(class 1) and points, through plotly's validation."""
    xmin, xmax, ymin, ymax = extent
    res = probs.shape[0]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(z=probs[..., 1].astype(np.float64), x=np.linspace(xmin, xmax, res),
                             y=np.linspace(ymin, ymax, res), colorscale="RdBu", zmin=0, zmax=1))
    for c in range(ds.n_classes):
        sel = ds.y_train == c
        fig.add_trace(go.Scatter(x=ds.x_train[sel, 0], y=ds.x_train[sel, 1], mode="markers"))
    return fig


def one_config(name: str, hidden: list[int], n_classes: int, repeat: int, history: int) -> dict:
    ds = make_dataset("spiral", 500, 0.1, 0.5, seed=0, n_classes=n_classes)
    features = ["x1", "x2"]
    net = mlp(2, hidden, ds.n_classes, "tanh", seed=0)
    trainer = Trainer(net, SoftmaxCrossEntropy(), make_optimizer("adam", 0.01), ds.x_train, ds.y_train,
                      batch_size=10, seed=0, x_test=ds.x_test, y_test=ds.y_test)
    rng = np.random.default_rng(0)
    epochs = np.arange(1, history + 1)
    loss = np.exp(-epochs / 80) + 0.05 * rng.random(history)
    grads = np.exp(rng.normal(-3, 1, (history, len(hidden) + 1)))
    wnorms = 1 + rng.random((history, len(hidden) + 1))
    trainer.run_epochs(3)
    extent = ds.extent
    grid = grid_inputs(extent, 100)
    layers = net.linear_layers()
    sizes = [2, *hidden, ds.n_classes]

    def predict_probs():
        return SoftmaxCrossEntropy.probabilities(net.predict(grid)).reshape(100, 100, -1)

    t_pred, best_pred, probs = timed(predict_probs, repeat)
    builders = {
        "decision map": lambda: map_figure(probs, extent, "classification", ds.n_classes, ds.x_train,
                                                           ds.y_train, ds.x_test, ds.y_test),
        "loss curves": lambda: loss_figure(epochs, loss, loss * 1.1, 1 - loss / 2, 1 - loss / 1.8),
        "gradients": lambda: gradient_figure(epochs, grads, wnorms, [f"W{i + 1}" for i in range(len(sizes) - 1)]),
        "neuron maps": lambda: neuron_maps(net, lambda p: make_features(p, features), extent, res=30),
    }
    maps = builders["neuron maps"]()
    builders["network"] = lambda: network_figure(sizes, [lay.W for lay in layers], features, maps,
                                                        biases=[lay.b for lay in layers])
    print(f"\n{name}: spiral, {ds.n_classes} classes, hidden {hidden}, history {history} epochs")
    print(f"  {'figure':<16}{'build ms':>10}{'(best)':>8}{'to_json ms':>12}{'payload KB':>12}{'validated ms':>14}")
    print(f"  {'(core predict)':<16}{t_pred:>10.2f}{best_pred:>8.2f}")
    row = {"config": name, "build": 0.0, "best": 0.0, "json": 0.0, "kb": 0.0, "validated": 0.0}
    for label, fn in builders.items():
        t_build, best, fig = timed(fn, repeat)
        row["build"] += t_build
        row["best"] += best
        if not isinstance(fig, go.Figure):
            print(f"  {label:<16}{t_build:>10.2f}{best:>8.2f}")
            continue
        t_json, _, js = timed(lambda f=fig: pio.to_json(f, validate=False), repeat)
        spec = fig.to_dict()
        t_valid, _, _ = timed(lambda d=spec: go.Figure(d), max(3, repeat // 3))
        kb = len(js) / 1024
        print(f"  {label:<16}{t_build:>10.2f}{best:>8.2f}{t_json:>12.2f}{kb:>12.1f}{t_valid:>14.2f}")
        row["json"] += t_json
        row["kb"] += kb
        row["validated"] += t_valid
    print(f"  {'total':<16}{row['build']:>10.2f}{row['best']:>8.2f}{row['json']:>12.2f}{row['kb']:>12.1f}"
          f"{row['validated']:>14.2f}")
    t_ref, _, ref = timed(lambda: naive_decision_map(probs, extent, ds), max(3, repeat // 3))
    t_ref_json, _, ref_js = timed(lambda: pio.to_json(ref, validate=False), max(3, repeat // 3))
    ours = map_figure(probs, extent, "classification", ds.n_classes, ds.x_train, ds.y_train)
    t_ours, _, _ = timed(lambda: map_figure(probs, extent, "classification", ds.n_classes, ds.x_train,
                                                            ds.y_train), repeat)
    ours_kb = len(pio.to_json(ours, validate=False)) / 1024
    print(f"  reference decision map (float64 heatmap + per-class scatter, validated), train points only: "
          f"build {t_ref:.2f} ms, to_json {t_ref_json:.2f} ms, {len(ref_js) / 1024:.1f} KB; ours {t_ours:.2f} ms, "
          f"{ours_kb:.1f} KB: x{t_ref / t_ours:.1f} faster to build, x{len(ref_js) / 1024 / ours_kb:.1f} smaller")
    model = Model.build(Config(dataset="spiral", noise=10, n_classes=n_classes, hidden=tuple(hidden),
                               activations=("tanh",) * len(hidden))).trained(epochs=3)
    t_frame, best_frame, frame = timed(lambda: render_frame(model), repeat)
    frame_kb = len(frame_html(frame, "refresh #1")) / 1024
    t_net, best_net, png = timed(lambda: network_png(sizes, [lay.W for lay in layers], features, maps), repeat)
    print(f"  live frame (map + curves + metrics): {t_frame:.2f} ms (best {best_frame:.2f}), {frame_kb:.1f} KB as sent; "
          f"network image: {t_net:.2f} ms (best {best_net:.2f}), {len(png) * 4 / 3 / 1024:.1f} KB as sent")
    row.update(frame=t_frame, frame_kb=frame_kb, net=t_net, net_kb=len(png) * 4 / 3 / 1024)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed builds per figure (median reported)")
    parser.add_argument("--history", type=int, default=300, help="epochs of loss/gradient history")
    args = parser.parse_args()
    rows = [
        one_config("2-8-8-2", [8, 8], 2, args.repeat, args.history),
        one_config("2-(6x8)-2", [8] * 6, 2, args.repeat, args.history),
        one_config("2-(6x16)-2", [16] * 6, 2, args.repeat, args.history),
        one_config("2-8-8-8 (8 classes)", [8, 8], 8, args.repeat, args.history),
    ]
    print("\nsummary: every figure of the paused view (build = figures + neuron maps; to_json as st.plotly_chart does)")
    for r in rows:
        print(f"  {r['config']:<22} build {r['build']:6.2f} ms (best {r['best']:5.2f}) + to_json {r['json']:5.2f} ms, "
              f"payload {r['kb']:6.1f} KB; the same figures validated by plotly: {r['validated']:6.2f} ms "
              f"(x{r['validated'] / r['build']:.1f})")
    print("\nlive views while playing: the frame of every refresh (drawn in the training process) and the network")
    print("image (about once a second, also by the worker), as sent over the websocket")
    for r in rows:
        print(f"  {r['config']:<22} frame {r['frame']:6.2f} ms, {r['frame_kb']:5.1f} KB; network {r['net']:6.2f} ms, "
              f"{r['net_kb']:5.1f} KB")


if __name__ == "__main__":
    main()
