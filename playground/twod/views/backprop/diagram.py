"""The inspector's network diagram: values on the nodes, links coloured by weight on the way
forward, by gradient on the way back and by the change at the update. Small nets carry every
number; big ones leave some out (``compact_note`` says which) and keep them in the hover.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from core import BackpropTrace, LayerTrace
from playground.i18n import translate

from .. import colors
from ..encoding import make_figure, typed
from .steps import Step, num, sub

LABELLED_LINKS = 24  # nets with more links show no values on them (hover and the table have them)
ROOMY_COLUMN = 4  # columns of at most this many neurons show two values per node inside it
LABELLED_COLUMN = 8  # up to this many, one value beside each node; beyond, colour only (and the hover)
MAX_HOVER_LINKS = 600


COLUMN_GAP = 2.4  # between columns, in node pitches


def compact_note(trace: BackpropTrace, lang: str = "en") -> str | None:
    """What the diagram leaves out for a big net (None when it shows everything)."""
    links = sum(t.W.size for t in trace.layers)
    tallest = max(len(trace.layers[0].a_in), *(len(t.z) for t in trace.layers))
    left_out = []
    if links > LABELLED_LINKS:
        left_out.append(translate("the numbers on its {count} links (their colour and width still show them)", lang,
                                  count=links))
    if tallest > LABELLED_COLUMN:
        left_out.append(translate("the numbers on its neurons (their colour still shows them)", lang))
    elif tallest > ROOMY_COLUMN:
        left_out.append(translate("all but one number per neuron", lang))
    if not left_out:
        return None
    hover = translate("hover a neuron or a link", lang) if links <= MAX_HOVER_LINKS else translate("hover a neuron", lang)
    what = left_out[0] if len(left_out) == 1 else translate("{first} and {second}", lang, first=left_out[0],
                                                               second=left_out[1])
    # TRANSLATORS: {what} is one or two of the parts above, {hover} one of the two "hover ..." phrases.
    return translate("Compact diagram: it leaves out {what}; {hover} for its values, and the table lists every number.",
                     lang, what=what, hover=hover)


def _node_values(trace: BackpropTrace, step: Step, c: int) -> tuple[np.ndarray | None, list[str], bool]:
    """Column c's (colour values, text lines per node, computed yet?) at this step (c = 0: inputs)."""
    layers, n = trace.layers, len(trace.layers)
    if c == 0:
        x = layers[0].a_in
        return x, [num4(v) for v in x], True
    t = layers[c - 1]
    backward_from = step.layer if step.kind == "backward" else (n + 1 if step.kind != "update" else 1)
    if step.kind == "forward" and c > step.layer:
        return None, ["?"] * len(t.z), False
    if c >= backward_from:
        return t.dL_dz, [f"∂ℒ/∂z|{num4(g)}" for g in t.dL_dz], True
    if step.kind == "forward" and c == step.layer and t.activation:
        return t.a, [f"z {num4(z)}|a {num4(a)}" for z, a in zip(t.z, t.a)], True
    return t.a, [num4(a) for a in t.a], True


def num4(value: float) -> str:
    return f"{float(value):.4g}"


def _link_state(trace: BackpropTrace, step: Step, layer: int) -> tuple[str, np.ndarray]:
    """How layer ``layer``'s links are coloured at this step: ("weight", W), ("gradient", dL/dW),
    ("change", -η dL/dW) or ("idle", W)."""
    t = trace.layers[layer - 1]
    if step.kind == "update":
        return "change", t.W_new - t.W
    if step.kind == "backward" and layer >= step.layer:
        return "gradient", t.dL_dW
    if step.kind == "forward" and layer > step.layer:
        return "idle", t.W
    return "weight", t.W


def backprop_figure(trace: BackpropTrace, step: Step, input_names: Sequence[str] = (), height: int | None = None,
                    lang: str = "en") -> go.Figure:
    """The network at this step of the inspector.

    Nodes show their values (inputs; a on the way forward, z and a on the current layer;
    ∂ℒ/∂z on the way back), coloured orange (negative) to blue (positive). Links: grey by |w|
    on the way forward, coloured by the sign of ∂ℒ/∂w (and thicker for larger |∂ℒ/∂w|) on the
    way back, by the change −η·∂ℒ/∂w at the update. Small nets carry the numbers on the links
    too; big ones leave them out (``compact_note`` says what) and keep them in the hover.
    """
    layers = trace.layers
    sizes = [len(layers[0].a_in), *(len(t.z) for t in layers)]
    tallest = max(sizes)
    roomy = tallest <= ROOMY_COLUMN
    labelled = tallest <= LABELLED_COLUMN
    xs = np.arange(len(sizes)) * COLUMN_GAP * (1.25 if roomy else 0.8)
    ys = [((n - 1) / 2 - np.arange(n)) * 1.0 for n in sizes]
    total_links = sum(t.W.size for t in layers)
    traces: list[dict] = []
    after_step = translate("after the step:", lang)

    # Links, grouped by (colour, width) into a few traces.
    groups: dict[tuple[str, float], tuple[list, list]] = {}
    hover_x, hover_y, hover_text = [], [], []
    label_x, label_y, label_text = [], [], []
    states = [_link_state(trace, step, layer) for layer in range(1, len(sizes))]
    for layer, (state, values) in enumerate(states, start=1):
        # One scale for every layer coloured alike, so widths compare across layers.
        scale = max(float(np.abs(v).max()) for s, v in states if s == state) or 1.0
        t = layers[layer - 1]
        for j in range(values.shape[0]):
            for i in range(values.shape[1]):
                v = float(values[j, i])
                level = round(4 * min(abs(v) / scale, 1.0)) if state != "idle" else 0  # five strengths: a few traces
                width = 0.6 + 1.1 * level
                if state in ("weight", "idle"):
                    color = "rgba(110,110,110,{a:.2f})".format(a=0.25 if state == "idle" else 0.35 + 0.125 * level)
                else:
                    color = colors.BLUE if v >= 0 else colors.ORANGE
                xs_, ys_ = groups.setdefault((color, width), ([], []))
                x0, y0, x1, y1 = xs[layer - 1], ys[layer - 1][i], xs[layer], ys[layer][j]
                xs_ += [x0, x1, np.nan]
                ys_ += [y0, y1, np.nan]
                if total_links <= MAX_HOVER_LINKS:
                    hover_x.append(x0 + 0.5 * (x1 - x0))
                    hover_y.append(y0 + 0.5 * (y1 - y0))
                    hover_text.append(f"w{sub(layer)}[{j + 1},{i + 1}] = {num(t.W[j, i])}<br>"
                                      f"∂ℒ/∂w = {num(t.dL_dW[j, i])}<br>{after_step} {num(t.W_new[j, i])}")
                if total_links <= LABELLED_LINKS and state != "idle":
                    # Staggered along the link by its source, so crossing links keep their labels apart.
                    frac = 0.3 + 0.4 * (i / max(values.shape[1] - 1, 1))
                    label_x.append(x0 + frac * (x1 - x0))
                    label_y.append(y0 + frac * (y1 - y0))
                    label_text.append(_link_label(state, t, j, i))
    for (color, width), (gx, gy) in groups.items():
        traces.append({"type": "scatter", "mode": "lines", "x": typed(gx), "y": typed(gy), "hoverinfo": "skip",
                       "line": {"color": color, "width": width}, "name": "links"})
    if hover_x:
        traces.append({"type": "scatter", "mode": "markers", "x": typed(hover_x), "y": typed(hover_y), "text": hover_text,
                       "marker": {"size": 10, "color": "rgba(0,0,0,0)"}, "hovertemplate": "%{text}<extra></extra>",
                       "name": "link values"})
    # The links' numbers as annotations: each on a white patch, readable over the lines.
    annotations: list[dict] = [
        {"x": x, "y": y, "text": text, "showarrow": False, "font": {"size": 9, "color": "#222"},
         "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 1}
        for x, y, text in zip(label_x, label_y, label_text)]

    # Nodes: a square per neuron, coloured by the value it shows, its numbers inside (small nets) or beside.
    node_x, node_y, node_c, node_text, node_hover, node_line = [], [], [], [], [], []
    for c, n in enumerate(sizes):
        values, texts, known = _node_values(trace, step, c)
        scale = max(float(np.abs(values).max()), 1e-12) if values is not None else 1.0
        for j in range(n):
            node_x.append(xs[c])
            node_y.append(ys[c][j])
            node_c.append(float(values[j]) / scale if known else 0.0)
            node_text.append(texts[j].replace("|", "<br>") if roomy else texts[j].split("|")[-1] if labelled else "")
            node_hover.append(_node_hover(trace, c, j, input_names))
            current = (step.kind in ("forward", "backward") and c == step.layer) or (step.kind == "loss" and c == len(sizes) - 1)
            node_line.append(colors.INK if current else "#999")
    marker = {"symbol": "square", "size": 52 if roomy else 18, "color": node_c, "cmin": -1, "cmax": 1,
              "colorscale": colors.diverging_colorscale(), "line": {"color": node_line, "width": 2}}
    traces.append({"type": "scatter", "mode": "markers+text", "x": typed(node_x), "y": typed(node_y), "marker": marker,
                   "text": node_text, "textposition": "middle center" if roomy else "middle right",
                   "textfont": {"size": 10 if roomy else 9, "color": "#111"}, "customdata": node_hover,
                   "hovertemplate": "%{customdata}<extra></extra>", "name": "neurons"})
    # Column titles and the inputs' names.
    names = [input_names[i] if i < len(input_names) else f"x{i + 1}" for i in range(sizes[0])]
    top = (tallest - 1) / 2 + 0.9
    for c in range(len(sizes)):
        hidden = translate("hidden {layer}", lang, layer=c) if len(sizes) <= 6 else f"h{c}"
        title = translate("input", lang) if c == 0 else (translate("output", lang) if c == len(sizes) - 1 else hidden)
        annotations.append({"x": xs[c], "y": top, "text": f"<b>{title}</b>", "showarrow": False, "font": {"size": 12}})
    for i, name in enumerate(names):
        annotations.append({"x": xs[0] - (0.45 if roomy else 0.3), "y": ys[0][i], "text": name, "showarrow": False,
                            "xanchor": "right", "font": {"size": 11}})
    bottom = -(tallest - 1) / 2 - 0.7
    if step.kind in ("loss", "update"):
        text = (f"ℒ = {num(trace.loss)}" if step.kind == "loss" else
                translate("ℒ on this point: {before} before, {after} after the step", lang, before=num(trace.loss),
                          after=num(trace.loss_after)))
        annotations.append({"x": xs[-1], "y": bottom - 0.2, "text": text, "showarrow": False, "xanchor": "right",
                            "font": {"size": 12, "color": colors.INK}})
    if height is None:
        height = int(np.clip(110 + (70 if roomy else 24) * tallest, 260, 720))
    hidden_axis = {"visible": False, "fixedrange": True}
    layout = {
        "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10, "pad": 0}, "paper_bgcolor": "white",
        "plot_bgcolor": "white", "showlegend": False, "hovermode": "closest", "annotations": annotations,
        "font": {"family": "Helvetica, Arial, sans-serif", "size": 12, "color": "#333"},
        "xaxis": {**hidden_axis, "range": [xs[0] - 1.3, xs[-1] + 1.0]},
        "yaxis": {**hidden_axis, "range": [bottom - 0.6, top + 0.4]},
    }
    return make_figure(traces, layout)


def _link_label(state: str, t: LayerTrace, j: int, i: int) -> str:
    if state == "gradient":
        return num4(t.dL_dW[j, i])
    if state == "change":
        return f"{num4(t.W[j, i])}→{num4(t.W_new[j, i])}"
    return num4(t.W[j, i])


def _node_hover(trace: BackpropTrace, c: int, j: int, input_names: Sequence[str]) -> str:
    if c == 0:
        name = input_names[j] if j < len(input_names) else f"x{j + 1}"
        return f"{name} = {num(trace.layers[0].a_in[j])}"
    t = trace.layers[c - 1]
    ln, k = sub(c), j + 1
    lines = [f"z{ln}[{k}] = {num(t.z[j])}", f"a{ln}[{k}] = {num(t.a[j])}", f"∂ℒ/∂a{ln}[{k}] = {num(t.dL_da[j])}",
             f"∂ℒ/∂z{ln}[{k}] = {num(t.dL_dz[j])}", f"b{ln}[{k}]: {num(t.b[j])} → {num(t.b_new[j])}"]
    return "<br>".join(lines)
