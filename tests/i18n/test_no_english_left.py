"""No user-visible English text outside the catalogue: the text that the app's Streamlit code
hands to Streamlit (labels, help, captions, messages, tab names, format_func texts) is
in the message template, and it goes through ``_()``. (What the figure builders and the pages' elements
show is checked in Thai by tests/i18n/test_figures.py and test_pages.py, the live frames by
tests/twod/test_frame.py, and the screen by tests/browser/test_thai.py.)

The scan reads the source (``ast``) of every module that imports Streamlit: app.py,
playground/pages/ and the playground modules (a new page or module is picked up by itself).
Literals and f-strings handed straight to a Streamlit element are checked; an f-string
matches a message when its literal parts match the message's text around the placeholders.
Values computed elsewhere (a variable, a constant) are the catalogue's business through the
code that makes them: the template test covers those once they are marked with ``N_``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from playground.i18n.__main__ import ROOT, TEMPLATE

# Streamlit calls that show their first argument, and the keywords that show text.
SHOWS_FIRST_ARG = {
    "title", "header", "subheader", "caption", "markdown", "text", "write", "info", "warning", "error", "success",
    "toast", "button", "download_button", "link_button", "page_link", "checkbox", "toggle", "radio", "selectbox",
    "multiselect", "slider", "select_slider", "number_input", "text_input", "text_area", "file_uploader",
    "camera_input", "color_picker", "date_input", "time_input", "segmented_control", "pills", "metric",
    "expander", "tabs", "popover", "form_submit_button", "spinner", "status", "progress", "feedback",
}
TEXT_KEYWORDS = {"label", "help", "caption", "text", "placeholder", "title", "page_title", "body", "value_label"}
TRANSLATING = {"_", "pgettext", "translate", "N_", "NC_", "Message"}
# Text that is the same in every language: language names in their own script (the selector),
# code names and units.
SAME_EVERYWHERE = {"Language / ภาษา", "SGD", "Adam", "L1", "L2", "MNIST"}


def streamlit_modules() -> list[Path]:
    paths = [ROOT / "app.py", *sorted((ROOT / "playground").rglob("*.py"))]
    return [p for p in paths if re.search(r"^\s*import streamlit|^\s*from streamlit", p.read_text(encoding="utf-8"), re.M)]


def template_ids() -> list[str]:
    with TEMPLATE.open("rb") as handle:
        return [m.id for m in read_po(handle) if m.id]


def needs_translation(text: str) -> bool:
    """Does this literal text hold words a reader would need translated?"""
    words = re.sub(r"`[^`]*`|:material/\w+:|\{[^}]*\}", " ", text)
    return bool(re.search(r"[A-Za-z]{2,}", words)) and text.strip() not in SAME_EVERYWHERE


def fstring_pattern(node: ast.JoinedStr) -> re.Pattern:
    """An f-string as a pattern over msgids: its literal parts, any placeholder between them.
    Two values joined by a colon ("{type(err).__name__}: {err}") may be one placeholder."""
    values = node.values
    parts, i = [], 0
    while i < len(values):
        value = values[i]
        if isinstance(value, ast.Constant):
            parts.append(re.escape(value.value))
            i += 1
            continue
        while (i + 2 < len(values) and isinstance(values[i + 1], ast.Constant)
               and re.fullmatch(r":\s*", values[i + 1].value) and not isinstance(values[i + 2], ast.Constant)):
            i += 2  # "{a}: {b}" -> one placeholder
        parts.append(r"(?:\{\w+\}|[^{}]*)")  # a named placeholder, or text the code adds
        i += 1
    return re.compile(r"\s*(?:\*\*)?" + "".join(parts).strip() + r"(?:\*\*)?\s*")


def shown_texts(tree: ast.AST):
    """(line, node, wrapped) for every text argument of a Streamlit display call."""
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            continue
        name = call.func.attr
        args = []
        if name in SHOWS_FIRST_ARG and call.args:
            args.append(call.args[0])
        args += [kw.value for kw in call.keywords if kw.arg in TEXT_KEYWORDS]
        if name == "Page":
            args += [kw.value for kw in call.keywords if kw.arg == "title"]
        for kw in call.keywords:  # texts inside format_func (a lambda or a dict's .get)
            if kw.arg == "format_func":
                inside_fstrings = {id(part) for n in ast.walk(kw.value) if isinstance(n, ast.JoinedStr) for part in n.values}
                args += [n for n in ast.walk(kw.value) if isinstance(n, (ast.Constant, ast.JoinedStr))
                         and not _is_dict_key(kw.value, n) and id(n) not in inside_fstrings]
        for arg in args:
            yield from _texts(arg, wrapped=False)


def _is_dict_key(root: ast.AST, node: ast.AST) -> bool:
    return any(isinstance(d, ast.Dict) and node in d.keys for d in ast.walk(root))


def _texts(node: ast.AST, wrapped: bool):
    if (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr):
        yield node.lineno, node, wrapped
        if isinstance(node, ast.JoinedStr):  # f"**{_('Lecture presets')}**": the message inside
            for part in node.values:
                if isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Call):
                    yield from _texts(part.value, wrapped)
    elif isinstance(node, (ast.List, ast.Tuple)):  # st.tabs([...])
        for item in node.elts:
            yield from _texts(item, wrapped)
    elif isinstance(node, ast.IfExp):  # "Pause" if playing else "Play"
        yield from _texts(node.body, wrapped)
        yield from _texts(node.orelse, wrapped)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # CAPTION + " more text"
        yield from _texts(node.left, wrapped)
        yield from _texts(node.right, wrapped)
    elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in TRANSLATING:
        for arg in node.args[:2]:
            yield from _texts(arg, True)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        yield from _texts(node.func.value, wrapped)  # _("...").format(...)
        for arg in [*node.args, *(kw.value for kw in node.keywords)]:  # "**{}**".format(_("..."))
            if isinstance(arg, ast.Call):
                yield from _texts(arg, wrapped)


def found_texts():
    for path in streamlit_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, node, wrapped in shown_texts(tree):
            where = f"{path.relative_to(ROOT)}:{line}"
            if isinstance(node, ast.Constant):
                if needs_translation(node.value):
                    yield where, node.value, None, wrapped
            else:
                literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if needs_translation(literal):
                    yield where, ast.unparse(node), fstring_pattern(node), wrapped


def test_the_scan_finds_the_pages_texts():
    """The scan itself works: it sees the texts the pages show today."""
    texts = {plain(text) for _, text, _, _ in found_texts()}
    assert {"Play", "Pause", "Learning rate", "Draw a digit", "Lecture presets"} <= texts
    assert len(streamlit_modules()) >= 8


def plain(text: str) -> str:
    """The message inside the markup the code adds around a whole label: ``**Lecture presets**``."""
    text = text.strip()
    return text[2:-2] if text.startswith("**") and text.endswith("**") and text.count("**") == 2 else text


def test_every_text_shown_by_streamlit_code_is_in_the_catalogue():
    ids = template_ids()
    missing = []
    for where, text, pattern, _ in found_texts():
        known = plain(text) in ids if pattern is None else any(pattern.fullmatch(msgid) for msgid in ids)
        if not known:
            missing.append((where, text))
    assert missing == [], "add these to the catalogue (and translate them)"


def test_every_text_shown_by_streamlit_code_goes_through_the_catalogue():
    unwrapped = [(where, text) for where, text, _, wrapped in found_texts() if not wrapped]
    assert unwrapped == []


def test_the_scan_sees_literals_f_strings_lists_and_wrapped_calls():
    source = '''
import streamlit as st
st.button("A brand-new label", help=f"Shows {n} things")
tabs = st.tabs(["One", _("Two")])
col.metric(_("Epoch {epoch}").format(epoch=3), value)
st.radio("x", opts, format_func={"a": "Alpha choice"}.get)
st.caption(f"{value:.2f}")
st.markdown("**{}**".format(_("Bold label")))
st.markdown(f"**{_('Other label')}**")
'''
    found = [(ast.unparse(node) if isinstance(node, ast.JoinedStr) else node.value, wrapped)
             for _, node, wrapped in shown_texts(ast.parse(source))]
    assert ("A brand-new label", False) in found
    assert ("f'Shows {n} things'", False) in found
    assert ("One", False) in found and ("Two", True) in found
    assert ("Epoch {epoch}", True) in found
    assert ("Alpha choice", False) in found and ("a", False) not in found
    assert ("Bold label", True) in found and ("Other label", True) in found
    assert not needs_translation("–") and not needs_translation("Language / ภาษา")
    assert not needs_translation("{value:.2f}") and needs_translation("Shows {n} things")
    assert fstring_pattern(ast.parse('f"Shows {n} things"').body[0].value).fullmatch("Shows {count} things")
