"""The inspector's table: for one step, one row per quantity, written as the chain-rule product
with its numbers (``w₂[1,2]`` is the weight into neuron 1 of layer 2 from neuron 2 of layer 1),
and Mazur's name for it where his worked example has one.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from core import BackpropTrace, LayerTrace
from playground.i18n import N_, translate

from .steps import LOSS, Step, derivative_text, factor, input_labels, num, sub, sum_text

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
    ins = input_labels(t.index, len(t.a_in), input_names)
    for j in range(len(t.z)):
        symbols = sum_text([f"w{ln}[{j + 1},{i + 1}]·{ins[i]}" for i in range(len(ins))], f"b{ln}[{j + 1}]", lang)
        numbers = sum_text([f"{factor(t.W[j, i])} × {factor(t.a_in[i])}" for i in range(len(ins))], factor(t.b[j]),
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
    numbers = sum_text(terms, lang=lang)
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
            symbols = sum_text([f"w{u}[{k + 1},{j + 1}]·∂ℒ/∂z{u}[{k + 1}]" for k in range(len(up.z))], lang=lang)
            numbers = sum_text([f"{factor(up.W[k, j])} × {factor(up.dL_dz[k])}" for k in range(len(up.z))], lang=lang)
            grad_a = f"{symbols} = {numbers}"
        rows.append(_row(f"∂ℒ/∂a{ln}[{j + 1}]", grad_a, t.dL_da[j], names))
        if t.da_dz is None:
            jacobian = translate("{activation}'s Jacobian", lang, activation=t.activation)
            grad_z = f"{jacobian}: a{ln}[{j + 1}] × (∂ℒ/∂a{ln}[{j + 1}] − Σₖ a{ln}[k]·∂ℒ/∂a{ln}[k])"
        elif not t.activation:
            plain = translate("(no activation: a{ln} = z{ln})", lang, ln=ln)
            grad_z = f"∂ℒ/∂a{ln}[{j + 1}] × 1 {plain} = {num(t.dL_da[j])}"
        else:
            grad_z = f"∂ℒ/∂a{ln}[{j + 1}] × {derivative_text(t, j, lang)} = {factor(t.dL_da[j])} × {factor(t.da_dz[j])}"
        rows.append(_row(f"∂ℒ/∂z{ln}[{j + 1}]", grad_z, t.dL_dz[j], names))
    ins = input_labels(layer, len(t.a_in), input_names)
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
