"""Text from outside (a URL, a file name, a cell of an upload, an error about a file) shown in
Streamlit's Markdown (messages, captions, radio labels) as the text it is.

Streamlit renders messages as Markdown: a shared link or an uploaded file's name could
otherwise put a link, an image or a coloured directive on the page. Two ways to show such
text: :func:`code` puts a short value in a code span (where nothing renders), :func:`literal`
escapes a longer text so every character shows as itself. No Streamlit here.
"""

from __future__ import annotations

import string

ECHO_LIMIT = 40  # characters of an outside value repeated back in a message
TEXT_LIMIT = 600  # characters of an outside text (an error about a file) shown at most
_PUNCTUATION = frozenset(string.punctuation)  # CommonMark lets a backslash escape each of these
JOINER = "\u2060"  # WORD JOINER: invisible, no line break; splits patterns that would become autolinks


def echo(raw, limit: int = ECHO_LIMIT) -> str:
    """``raw`` as it may stand inside a code span: printable characters only, backticks (which
    would close the span) turned into quotes, shortened to ``limit`` characters with "…"."""
    text = "".join(c for c in str(raw) if c.isprintable()).replace("`", "'")
    return text[:limit] + "…" if len(text) > limit else text


def code(raw, limit: int = ECHO_LIMIT) -> str:
    """``raw`` as a Markdown code span (shortened, see :func:`echo`): shows as typed, never as
    a link, an image or formatting."""
    return f"`{echo(raw, limit)}`"


def literal(text, limit: int = TEXT_LIMIT) -> str:
    """``text`` escaped so Markdown shows every character as itself: each ASCII punctuation mark
    gets a backslash (links, images, emphasis, code spans, HTML, directives and maths cannot
    start), line breaks become spaces, and it is shortened to ``limit`` characters.

    Escapes do not stop GitHub-flavoured autolinks (checked in Streamlit 1.67: "http\\://a.b",
    "www\\.a.b" and "x\\@a.b" still became links), so an invisible word joiner follows every
    colon and comes before every "@" and the dot of "www.": the text reads the same (a copy holds
    the invisible joiners), but no bare URL or address turns into a link."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())
    if len(text) > limit:
        text = text[:limit] + "…"
    out = []
    for i, c in enumerate(text):
        if c == "@" or (c == "." and text[max(0, i - 3):i].lower() == "www"):
            out.append(JOINER)
        out.append("\\" + c if c in _PUNCTUATION else c)
        if c == ":":
            out.append(JOINER)
    return "".join(out)
