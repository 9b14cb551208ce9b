"""English left in a text meant to be Thai: the words a Thai reader would have to read in English.

Kept on purpose (docs/glossary-th.md): epoch and loss, proper names, code and commands, units,
file formats and the names of functions a user picks (tanh, relu, ...). Code spans, quoted
titles of papers, URLs, numbers and plotly's template codes are not words.
"""

from __future__ import annotations

import re

KEPT = {
    # the glossary's terms kept in English
    "epoch", "epochs", "loss", "backprop", "backpropagation",
    # proper names and products
    "tensorflow", "playground", "mnist", "mazur", "olah", "numpy", "python", "english",
    # functions, optimizers and methods a user picks by name
    "tanh", "relu", "sigmoid", "softmax", "linear", "leaky", "leaky_relu", "cross", "entropy", "sgd", "adam", "momentum",
    "pca", "xor", "mse", "mae", "exp", "log", "sin", "sign", "jacobian",
    # formats, units and symbols
    "csv", "png", "jpeg", "utf", "npz", "url", "kb", "mb", "mib", "nan", "inf", "float", "max", "net", "out", "total",
    "net_h", "out_h", "net_o", "out_o", "e_total",
    # the CSV's column names and the inspector's notation (x1, w5, a, z, t, y, p, ...)
    "label", "target", "lang",
}
_CODE = re.compile(r"`[^`]*`|\"[^\"]*\"")  # code spans, and titles of papers in straight quotes
_URL = re.compile(r"https?://\S+|www\.\S+")
_PLOTLY = re.compile(r"%\{[^}]*\}|<[^>]+>")
_WORD = re.compile(r"[A-Za-z][A-Za-z_']*[A-Za-z]|[A-Za-z]")


def english_words(text: str) -> list[str]:
    """The English words of ``text`` a Thai reader would meet (kept terms and notation left out)."""
    text = _PLOTLY.sub(" ", _URL.sub(" ", _CODE.sub(" ", str(text))))
    words = []
    for word in _WORD.findall(text):
        base = word.lower().strip("'").removesuffix("'s")
        if len(base) <= 2 or base in KEPT:  # notation (x, w, z₁, ...) and abbreviations of two letters
            continue
        words.append(word)
    return words


def thai_share(text: str) -> float:
    """The share of letters in the Thai block among the letters of ``text`` (Latin and Thai;
    digits, punctuation and symbols do not count)."""
    thai = len(re.findall("[\u0e00-\u0e7f]", text))
    latin = len(re.findall("[A-Za-z]", text))
    return thai / (thai + latin) if thai + latin else 0.0
