"""The inspector's steps and their words: which steps there are, their headings, what each computes in
the lesson's notation, and the small number formats the table and the diagram share.

The notation is the lesson's: ``z_l = w_l a_(l-1) + b_l`` (``a_0 = x``), ``a_l = alpha(z_l)``, the loss
``L`` (written ℒ), the learning rate eta (η). The words come from the catalogue in the ``lang`` the
caller passes; the formulas and numbers are the same in every language.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core import BackpropTrace, LayerTrace
from playground.i18n import translate

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
LOSS = "ℒ"
TERMS_SHOWN = 4  # a sum of more terms shows the first three and says how many it leaves out


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


def input_labels(layer: int, width: int, input_names: Sequence[str]) -> list[str]:
    if layer == 1:
        return [input_names[i] if i < len(input_names) else f"x{i + 1}" for i in range(width)]
    return [f"a{sub(layer - 1)}[{i + 1}]" for i in range(width)]


def sum_text(terms: list[str], last: str | None = None, lang: str = "en") -> str:
    """terms joined by " + ", shortened to the first three and a count when long."""
    if len(terms) > TERMS_SHOWN:
        terms = [*terms[: TERMS_SHOWN - 1], translate("… ({count} more terms)", lang, count=len(terms) - TERMS_SHOWN + 1)]
    return " + ".join(terms + ([last] if last else []))


def derivative_text(t: LayerTrace, j: int, lang: str = "en") -> str:
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
