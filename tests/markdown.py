"""A check the tests share: could a message that Streamlit shows as Markdown render anything
but plain text (a link, an image, HTML, maths, a directive, a new block)?"""

from __future__ import annotations

import string

# What text outside code spans must not hold, unescaped: "[" starts links, images and Streamlit's
# directives (:red[...]), "<" HTML and autolinks, "$" maths, the rest GitHub-flavoured autolinks.
RISKY = ("[", "<", "$", "http:", "https:", "www.", "mailto:", "\n", "\r")


def markdown_risks(text: str) -> list[str]:
    """The risky constructs found outside code spans (backslash escapes honoured); [] when safe."""
    outside, in_code, i = [], False, 0
    while i < len(text):
        c = text[i]
        if c == "`":
            in_code = not in_code
            outside.append(" ")
        elif in_code:
            if c in "\n\r":
                return ["a line break inside a code span"]
        elif c == "\\" and i + 1 < len(text) and text[i + 1] in string.punctuation:
            outside.append("\x00")  # an escaped character shows as itself and joins nothing
            i += 1
        else:
            outside.append(c)
        i += 1
    if in_code:
        return ["an unclosed code span"]
    plain = "".join(outside).lower()
    return [r for r in RISKY if r in plain]
