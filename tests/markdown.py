"""A check the tests share: could a message that Streamlit shows as Markdown render anything but
plain text (a link, an image, HTML, maths, a directive, a new block)?"""

from __future__ import annotations

import re
import string

# Outside code spans, unescaped: "[" starts links, images and Streamlit's directives (:red[...]),
# "<" HTML and autolinks, "$" maths, a line break a new block.
RISKY = ("[", "<", "$", "\n", "\r")
# GitHub-flavoured autolinks, which backslash escapes do NOT stop (seen in Streamlit 1.67):
# only a character between the pieces (playground.safe_markdown.literal puts a word joiner) does.
AUTOLINKS = re.compile(r"https?://|www\.|[\w.+-]@[\w-]+\.\w", re.IGNORECASE)  # URLs and e-mail addresses


def markdown_risks(text: str) -> list[str]:
    """The risky constructs found outside code spans; [] when the text renders as plain text."""
    escaped_away, shown, in_code, i = [], [], False, 0
    while i < len(text):
        c = text[i]
        if c == "`":
            in_code = not in_code
            escaped_away.append(" ")
            shown.append(" ")
        elif in_code:
            if c in "\n\r":
                return ["a line break inside a code span"]
        elif c == "\\" and i + 1 < len(text) and text[i + 1] in string.punctuation:
            escaped_away.append("\x00")  # an escaped character cannot start a construct...
            shown.append(text[i + 1])  # ...but still shows, and counts for autolinks
            i += 1
        else:
            escaped_away.append(c)
            shown.append(c)
        i += 1
    if in_code:
        return ["an unclosed code span"]
    plain = "".join(escaped_away)
    return [r for r in RISKY if r in plain] + AUTOLINKS.findall("".join(shown))
