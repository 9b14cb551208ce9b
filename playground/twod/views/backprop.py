"""The backprop inspector's drawings, from a ``core.BackpropTrace`` (one point through the net
and back, then one step): the steps in order, each step's table of quantities written as the
chain-rule products with their numbers, and the network diagram with values on the nodes and
the links coloured by weight (forward) or by gradient (backward, update).

The notation is the lesson's: ``z_l = w_l a_(l-1) + b_l`` (``a_0 = x``), ``a_l = alpha(z_l)``,
the loss ``L`` (written ℒ), the learning rate eta (η); ``w₂[1,2]`` is the weight into neuron 1 of
layer 2 from neuron 2 of layer 1 (row 1, column 2 of w₂). Stepping is a paused activity, so the
inspector has no live (Pillow) drawing: while training plays, the page shows the usual frame.
Trace in, rows or a figure out; no Streamlit here. The words come from the catalogue in the
``lang`` the caller passes (the formulas and numbers are the same in every language).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from core import BackpropTrace, LayerTrace
from playground.i18n import N_, translate

from . import colors
from .encoding import make_figure, typed

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
LOSS = "ℒ"
TERMS_SHOWN = 4  # a sum of more terms shows the first three and says how many it leaves out
LABELLED_LINKS = 24  # nets with more links show no values on them (hover and the table have them)
ROOMY_COLUMN = 4  # columns of at most this many neurons show two values per node inside it
LABELLED_COLUMN = 8  # up to this many, one value beside each node; beyond, colour only (and the hover)
MAX_HOVER_LINKS = 600


@dataclass(frozen=True)
class Step:
    """One step of the inspector: "forward" or "backward" through Linear layer ``layer``
    (1-based), "loss" or "update" (layer 0)."""

    kind: str
    layer: int = 0


def inspector_steps(n_layers: int) -> list[Step]:
    """Forward through every layer, the loss, backward through every layer, the update: 2L + 2 steps."""
    return ([Step("forward", i) for i in range(1, n_layers + 1)] + [Step("loss")]
            + [Step("backward", i) for i in range(n_layers, 0, -1)] + [Step("update")])


def sub(number: int) -> str:
    """A layer's number as a subscript: 2 -> "₂"."""
    return str(number).translate(SUBSCRIPTS)


def num(value: float) -> str:
    """A value as the inspector writes it: 9 significant digits (the worked example's)."""
    return f"{float(value):.9g}"


def factor(value: float) -> str:
    """A number inside a product: negative ones in parentheses."""
    text = num(value)
    return f"({text})" if text.startswith("-") else text


def layer_role(layer: int, n_layers: int, lang: str = "en") -> str:
    return translate("output layer", lang) if layer == n_layers else translate("hidden layer {layer}", lang, layer=layer)


def step_title(step: Step, n_layers: int, lang: str = "en") -> str:
    """A step's heading, e.g. "Backward through layer 2 (the output layer)"."""
    if step.kind == "forward":
        return translate("Forward through layer {layer} ({role})", lang, layer=step.layer,
                         role=layer_role(step.layer, n_layers, lang))
    if step.kind == "backward":
        return translate("Backward through layer {layer} ({role})", lang, layer=step.layer,
                         role=layer_role(step.layer, n_layers, lang))
    if step.kind == "loss":
        return translate("The loss on this point", lang)
    return translate("The update: every weight and bias against its gradient", lang)


def step_text(step: Step, trace: BackpropTrace, lang: str = "en") -> str:
    """What the step computes, in the lesson's notation (Markdown-free plain text)."""
    n = len(trace.layers)
    if step.kind == "forward":
        t = trace.layers[step.layer - 1]
        ln, prev = sub(step.layer), ("x" if step.layer == 1 else f"a{sub(step.layer - 1)}")
        # TRANSLATORS: the backprop inspector's explanations; {ln} is a layer's number as a subscript (₁), the
        # formulas stay as they are.
        text = translate("z{ln} = w{ln}·{prev} + b{ln}: each neuron sums its weighted inputs and its bias.", lang,
                         ln=ln, prev=prev)
        if t.activation:
            text += " " + translate("Then a{ln} = α(z{ln}) with α = {activation}.", lang, ln=ln, activation=t.activation)
        else:
            text += " " + translate("No activation follows: a{ln} = z{ln}, the raw output the loss takes.", lang, ln=ln)
        return text
    if step.kind == "loss":
        return _loss_text(trace, lang)
    if step.kind == "backward":
        ln = step.layer
        t = trace.layers[ln - 1]
        came = (translate("from the loss", lang) if ln == n else
                translate("from the layer above: ∂ℒ/∂a{ln} = w{up}ᵀ·∂ℒ/∂z{up}", lang, ln=sub(ln), up=sub(ln + 1)))
        deriv = "α′(z{ln})".format(ln=sub(ln)) if t.activation else translate("1 (no activation)", lang)
        prev = "x" if ln == 1 else f"a{sub(ln - 1)}"
        # TRANSLATORS: {came} is "from the loss" or "from the layer above: ..." (translated separately).
        return translate("∂ℒ/∂a{ln} comes {came}; the chain rule gives ∂ℒ/∂z{ln} = ∂ℒ/∂a{ln} · {deriv}, then ∂ℒ/∂w{ln} = "
                         "∂ℒ/∂z{ln} · {prev}ᵀ (one product per link) and ∂ℒ/∂b{ln} = ∂ℒ/∂z{ln}.", lang,
                         ln=sub(ln), came=came, deriv=deriv, prev=prev)
    return translate("Gradient descent, the lesson's step: w ← w − η·∂ℒ/∂w and b ← b − η·∂ℒ/∂b with η = {lr}. "
                     "Loss on this point before: {before}, after: {after}.", lang,
                     lr=num(trace.lr), before=num(trace.loss), after=num(trace.loss_after))


def _loss_text(trace: BackpropTrace, lang: str = "en") -> str:
    name = trace.loss_name
    k = len(trace.output)
    if name == "SoftmaxCrossEntropy":
        return translate("Cross-entropy: the softmax σ turns the outputs into probabilities p = σ(z{L}), and ℒ = −log p[y] "
                         "for the point's class y.", lang, L=sub(len(trace.layers)))
    if name == "BinaryLogistic":
        return translate("Logistic loss: p = sigmoid(z), ℒ = −[y·log p + (1 − y)·log(1 − p)].", lang)
    if name == "MSELoss":
        return (translate("Squared error: ℒ = the mean over the {count} outputs of (a − t)² for targets t.", lang, count=k)
                if k > 1 else translate("Squared error: ℒ = (a − t)² for the target t.", lang))
    if name == "MAELoss":
        return translate("Absolute error: ℒ = the mean over the outputs of |a − t| for targets t.", lang)
    if name == "CrossEntropyLoss":
        return translate("The lesson's cross-entropy on probabilities: ℒ = −log a[y] for the point's class y.", lang)
    return translate("The loss {name} on this point.", lang, name=name)


# ---- the table --------------------------------------------------------------------------------------
def _in_names(layer: int, width: int, input_names: Sequence[str]) -> list[str]:
    if layer == 1:
        return [input_names[i] if i < len(input_names) else f"x{i + 1}" for i in range(width)]
    return [f"a{sub(layer - 1)}[{i + 1}]" for i in range(width)]


def _sum_text(terms: list[str], last: str | None = None, lang: str = "en") -> str:
    """terms joined by " + ", shortened to the first three and a count when long."""
    if len(terms) > TERMS_SHOWN:
        terms = [*terms[: TERMS_SHOWN - 1], translate("… ({count} more terms)", lang, count=len(terms) - TERMS_SHOWN + 1)]
    return " + ".join(terms + ([last] if last else []))


def _derivative(t: LayerTrace, j: int, lang: str = "en") -> str:
    """α′(z[j]) in symbols, for the product ∂ℒ/∂z = ∂ℒ/∂a × α′(z)."""
    a = f"a{sub(t.index)}[{j + 1}]"
    z = f"z{sub(t.index)}[{j + 1}]"
    if t.activation in ("relu", "leaky_relu"):
        # TRANSLATORS: the derivative of relu (otherwise 0) and leaky relu (otherwise its slope α) at {z}.
        return translate("(1 if {z} > 0 else {otherwise})", lang, z=z, otherwise="0" if t.activation == "relu" else "α")
    return {
        "tanh": f"(1 − {a}²)",
        "sigmoid": f"{a}(1 − {a})",
        "linear": "1",
    }.get(t.activation, f"α′({z})")


# TRANSLATORS: the inspector table's column headings ("Mazur" is a name: his names of the quantities).
COLUMNS = {"quantity": N_("quantity"), "Mazur": "Mazur", "computation": N_("computation"), "value": N_("value")}


def columns(lang: str) -> dict[str, str]:
    """The table's column headings in ``lang``, by their English names."""
    return {key: translate(name, lang) for key, name in COLUMNS.items()}


def _row(quantity: str, computation: str, value: float, names: Mapping[str, str] | None) -> dict:
    row = {"quantity": quantity}
    if names is not None:
        row["Mazur"] = _his(quantity, names)
    row["computation"] = computation
    row["value"] = num(value)
    return row


def _his(quantity: str, names: Mapping[str, str]) -> str:
    """The worked example's own name of a quantity (∂ℒ/∂w₂[1,1] -> ∂E/∂w5), or ""."""
    if quantity.startswith("∂ℒ/∂"):
        inner = names.get(quantity[4:])
        return f"∂E/∂{inner}" if inner else ""
    return names.get(quantity, "")


def step_rows(trace: BackpropTrace, step: Step, input_names: Sequence[str] = (),
              names: Mapping[str, str] | None = None, lang: str = "en") -> list[dict]:
    """The step's table: one row per quantity with columns "quantity", ("Mazur": the worked
    example's name, when ``names`` are given), "computation" (the chain-rule product with its
    numbers) and "value" (9 significant digits). In another ``lang`` than English the
    columns carry their headings in that language (``columns(lang)``) and the words in the
    computations are translated."""
    if step.kind == "forward":
        rows = _forward_rows(trace.layers[step.layer - 1], input_names, names, lang)
    elif step.kind == "loss":
        rows = _loss_rows(trace, names, lang)
    elif step.kind == "backward":
        rows = _backward_rows(trace, step.layer, input_names, names, lang)
    else:
        rows = _update_rows(trace, names, lang)
    if lang == "en":
        return rows
    headings = columns(lang)
    return [{headings[key]: value for key, value in row.items()} for row in rows]


def _forward_rows(t: LayerTrace, input_names, names, lang: str = "en") -> list[dict]:
    ln, rows = sub(t.index), []
    ins = _in_names(t.index, len(t.a_in), input_names)
    for j in range(len(t.z)):
        symbols = _sum_text([f"w{ln}[{j + 1},{i + 1}]·{ins[i]}" for i in range(len(ins))], f"b{ln}[{j + 1}]", lang)
        numbers = _sum_text([f"{factor(t.W[j, i])} × {factor(t.a_in[i])}" for i in range(len(ins))], factor(t.b[j]),
                            lang)
        rows.append(_row(f"z{ln}[{j + 1}]", f"{symbols} = {numbers}", t.z[j], names))
        if t.activation:
            rows.append(_row(f"a{ln}[{j + 1}]", f"{t.activation}(z{ln}[{j + 1}]) = {t.activation}({num(t.z[j])})",
                             t.a[j], names))
    return rows


def _loss_rows(trace: BackpropTrace, names, lang: str = "en") -> list[dict]:
    out, L = trace.output, sub(len(trace.layers))
    name, rows = trace.loss_name, []
    if name in ("SoftmaxCrossEntropy", "BinaryLogistic") and trace.probabilities is not None:
        probs = trace.probabilities
        label = int(trace.target)
        if name == "SoftmaxCrossEntropy":
            for j, p in enumerate(probs):
                of_class = translate("(class {label})", lang, label=j)
                rows.append(_row(f"p[{j + 1}]", f"exp(z{L}[{j + 1}]) / Σ exp(z{L}) {of_class}", p, names))
            rows.append(_row(LOSS, "−log p[{k}] = −log({p}) {why}".format(
                k=label + 1, p=num(probs[label]), why=translate("(the point's class is {label})", lang, label=label)),
                trace.loss, names))
        else:
            rows.append(_row("p", f"sigmoid(z{L}[1]) = sigmoid({num(out[0])})", probs[1], names))
            rows.append(_row(LOSS, "−[y·log p + (1 − y)·log(1 − p)] " + translate("with y = {label}", lang, label=label),
                             trace.loss, names))
        return rows
    if name == "CrossEntropyLoss":
        label = int(trace.target)
        rows.append(_row(LOSS, "−log a{L}[{k}] = −log({p})".format(L=L, k=label + 1, p=num(out[label])), trace.loss, names))
        return rows
    targets = np.asarray(trace.target, dtype=np.float64).ravel()
    k = len(out)
    if name == "MAELoss":
        terms = [f"|{num(a)} − {factor(t)}|" for a, t in zip(out, targets)]
        symbol = translate("mean over the outputs of {term}", lang, term=f"|a{L} − t|")
    else:
        terms = [f"({num(a)} − {factor(t)})²" for a, t in zip(out, targets)]
        symbol = translate("mean over the outputs of {term}", lang, term=f"(a{L} − t)²") if k > 1 else f"(a{L} − t)²"
    numbers = _sum_text(terms, lang=lang)
    numbers = f"({numbers}) / {k}" if k > 1 else numbers
    rows.append(_row(LOSS, f"{symbol} = {numbers}", trace.loss, names))
    return rows


def _loss_gradient(trace: BackpropTrace, j: int, lang: str = "en") -> str:
    """∂ℒ/∂a_L[j] from the loss, in symbols and numbers."""
    out, L, k = trace.output, sub(len(trace.layers)), len(trace.output)
    a = f"a{L}[{j + 1}]"
    if trace.loss_name == "SoftmaxCrossEntropy":
        hit = int(j == int(trace.target))
        which = translate("(1 for the point's class, else 0)", lang)
        return f"p[{j + 1}] − {hit} {which} = {num(trace.probabilities[j])} − {hit}"
    if trace.loss_name == "BinaryLogistic":
        return f"p − y = {num(trace.probabilities[1])} − {int(trace.target)}"
    if trace.loss_name == "CrossEntropyLoss":
        label = int(trace.target)
        return f"−1 / {a} = −1 / {num(out[j])}" if j == label else translate("0 (not the point's class)", lang)
    t = float(np.asarray(trace.target, dtype=np.float64).ravel()[j])
    if trace.loss_name == "MAELoss":
        return f"sign({a} − t[{j + 1}]) / {k} = sign({num(out[j])} − {factor(t)}) / {k}"
    return f"2 × ({a} − t[{j + 1}]) / {k} = 2 × ({num(out[j])} − {factor(t)}) / {k}"


def _backward_rows(trace: BackpropTrace, layer: int, input_names, names, lang: str = "en") -> list[dict]:
    t, n = trace.layers[layer - 1], len(trace.layers)
    ln, rows = sub(layer), []
    for j in range(len(t.z)):
        if layer == n:
            grad_a = _loss_gradient(trace, j, lang)
        else:
            up = trace.layers[layer]
            u = sub(layer + 1)
            symbols = _sum_text([f"w{u}[{k + 1},{j + 1}]·∂ℒ/∂z{u}[{k + 1}]" for k in range(len(up.z))], lang=lang)
            numbers = _sum_text([f"{factor(up.W[k, j])} × {factor(up.dL_dz[k])}" for k in range(len(up.z))], lang=lang)
            grad_a = f"{symbols} = {numbers}"
        rows.append(_row(f"∂ℒ/∂a{ln}[{j + 1}]", grad_a, t.dL_da[j], names))
        if t.da_dz is None:
            jacobian = translate("{activation}'s Jacobian", lang, activation=t.activation)
            grad_z = f"{jacobian}: a{ln}[{j + 1}] × (∂ℒ/∂a{ln}[{j + 1}] − Σₖ a{ln}[k]·∂ℒ/∂a{ln}[k])"
        elif not t.activation:
            plain = translate("(no activation: a{ln} = z{ln})", lang, ln=ln)
            grad_z = f"∂ℒ/∂a{ln}[{j + 1}] × 1 {plain} = {num(t.dL_da[j])}"
        else:
            grad_z = f"∂ℒ/∂a{ln}[{j + 1}] × {_derivative(t, j, lang)} = {factor(t.dL_da[j])} × {factor(t.da_dz[j])}"
        rows.append(_row(f"∂ℒ/∂z{ln}[{j + 1}]", grad_z, t.dL_dz[j], names))
    ins = _in_names(layer, len(t.a_in), input_names)
    for j in range(len(t.z)):
        for i in range(len(t.a_in)):
            rows.append(_row(f"∂ℒ/∂w{ln}[{j + 1},{i + 1}]", f"∂ℒ/∂z{ln}[{j + 1}] × {ins[i]} = {factor(t.dL_dz[j])} × "
                             f"{factor(t.a_in[i])}", t.dL_dW[j, i], names))
        rows.append(_row(f"∂ℒ/∂b{ln}[{j + 1}]", f"∂ℒ/∂z{ln}[{j + 1}]", t.dL_db[j], names))
    return rows


def _update_rows(trace: BackpropTrace, names, lang: str = "en") -> list[dict]:
    rows, eta = [], num(trace.lr)
    for t in trace.layers:
        ln = sub(t.index)
        for j in range(len(t.z)):
            for i in range(len(t.a_in)):
                rows.append(_row(f"w{ln}[{j + 1},{i + 1}]", "{old} − {eta} × {g}: {old} → {new}".format(
                    old=num(t.W[j, i]), eta=eta, g=factor(t.dL_dW[j, i]), new=num(t.W_new[j, i])), t.W_new[j, i], names))
            rows.append(_row(f"b{ln}[{j + 1}]", "{old} − {eta} × {g}: {old} → {new}".format(
                old=num(t.b[j]), eta=eta, g=factor(t.dL_db[j]), new=num(t.b_new[j])), t.b_new[j], names))
    rows.append(_row(f"{LOSS} before", translate("the loss on this point with the old weights", lang), trace.loss, names))
    rows.append(_row(f"{LOSS} after", translate("the loss on this point after the step", lang), trace.loss_after, names))
    if lang != "en":  # the quantity's name: the words only
        rows[-2]["quantity"] = translate("{loss} before", lang, loss=LOSS)
        rows[-1]["quantity"] = translate("{loss} after", lang, loss=LOSS)
    return rows


# ---- the diagram -------------------------------------------------------------------------------------
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
