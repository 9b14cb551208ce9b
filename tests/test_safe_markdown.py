"""playground/safe_markdown.py: text from outside shows as itself in Markdown, and stays short."""

from hypothesis import given
from hypothesis import strategies as st

from playground.safe_markdown import ECHO_LIMIT, TEXT_LIMIT, code, echo, literal
from tests.markdown import markdown_risks
from tests.properties import bounded

HOSTILE = [
    "http://evil.example", "see www.evil.example now", "x@evil.example", "mailto:x@evil.example", "HTTPS://E.EX",
    "[click](http://evil.example)", "![x](http://evil.example/x.png)", "<img src=x onerror=alert(1)>",
    "`code` [link](http://e)", "``` fenced", ":red[red] :material/home:", "$x^2$", "www.evil.example",
    "https://evil.example/path", "line\nbreak\r\n# heading", "\\[escaped]", "a" * 10_000,
]


def test_code_spans_hold_hostile_values_as_typed():
    for raw in HOSTILE:
        shown = code(raw)
        assert markdown_risks(shown) == [], (raw, shown)
        assert shown.startswith("`") and shown.endswith("`") and shown.count("`") == 2
        assert len(shown) <= ECHO_LIMIT + 3
    assert echo("a`b") == "a'b" and echo("x" * 50).endswith("…") and len(echo("x" * 50)) == ECHO_LIMIT + 1


def test_literal_text_renders_as_itself():
    for raw in HOSTILE:
        shown = literal(raw)
        assert markdown_risks(shown) == [], (raw, shown)
        assert len(shown) <= 2 * (TEXT_LIMIT + 1)
    joiner = "\u2060"
    assert literal("Layer 0 has unknown type '[a](http://e)'.") == (
        r"Layer 0 has unknown type \'\[a\]\(http\:" + joiner + r"\/\/e\)\'\.")
    assert literal("www.a.b x@y.z") == "www" + joiner + r"\.a\.b x" + joiner + r"\@y\.z"
    assert literal("two\nlines") == "two lines"


@bounded(300)
@given(st.text(max_size=800))
def test_any_text_is_safe_in_a_code_span_or_literally(raw):
    assert markdown_risks(code(raw)) == []
    assert markdown_risks(literal(raw)) == []
    # Escapes only add backslashes: removing them gives the text back (spaces for line breaks).
    shown = literal(raw)
    unescaped, i = [], 0
    shown = shown.replace("\u2060", "")  # the invisible joiners that break autolinks
    while i < len(shown):
        if shown[i] == "\\":
            i += 1
        unescaped.append(shown[i])
        i += 1
    expected = " ".join("".join(c if c.isprintable() else " " for c in raw).split())
    if len(expected) > TEXT_LIMIT:
        expected = expected[:TEXT_LIMIT] + "…"
    assert "".join(unescaped) == expected
