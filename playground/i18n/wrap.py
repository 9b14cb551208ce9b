"""Line breaking for text drawn into images, English and Thai.

Thai writes no spaces between the words of a phrase (spaces separate phrases and sentences),
so a line may break at a space or between two Thai words. Word boundaries come from
PyThaiNLP's dictionary tokenizer (``word_tokenize``, engine "newmm"; it only breaks between
Thai character clusters, so a vowel or tone mark never leaves its consonant), imported on the
first Thai phrase that does not fit its line; the project's transliterated terms, which its
dictionary lacks (กราดิเอนต์ would come out as ก|รา|ดิ|เอนต์), are kept whole first.
Without PyThaiNLP a line breaks at spaces only. A unit wider than a whole line (a very long
word, a narrow width) is cut between character clusters as a last resort.

Costs (measured, see the i18n README): PyThaiNLP's import ~60 ms; its first tokenization
~0.3 s and ~70 MB of memory (the dictionary); later calls ~0.05 ms. Results are cached.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Transliterated terms of the glossary and the catalogue that the tokenizer's dictionary lacks
# or splits: they never break inside (docs/glossary-th.md).
KEEP_WHOLE = (
    "กราดิเอนต์", "ออปติไมเซอร์", "เรกูลาไรเซชัน", "ไบแอส", "เซสชัน", "เมทาดาทา", "เอกซ์คลูซีฟออร์",
    "แอป", "แคนวาส", "นิวรอน", "อินพุต", "เอาต์พุต", "ฟีเจอร์", "แบตช์", "นอร์ม", "ฟังก์ชัน", "โมเมนตัม",
    "เกาส์เซียน", "พารามิเตอร์", "อาร์เรย์", "ออบเจกต์", "โปรเจกต์", "เมทริกซ์", "พิกเซล", "รีเซ็ต",
)
_KEEP = re.compile("|".join(sorted(map(re.escape, KEEP_WHOLE), key=len, reverse=True)))
_THAI = re.compile("[\u0e00-\u0e7f]")
_SPACES = re.compile(r"(\s+)")
NO_LINE_START = frozenset(")]}”’»:;,.!?%ๆฯ")  # these stay with what comes before them
NO_LINE_END = frozenset("([{“‘«")  # ... and these with what comes after
_PREPOSED = frozenset("เแโใไ")  # Thai vowels written before their consonant


@functools.cache
def _tokenizer():
    """PyThaiNLP's word_tokenize, or None when it is not installed."""
    try:
        from pythainlp.tokenize import word_tokenize
    except ImportError:
        return None
    return functools.partial(word_tokenize, engine="newmm", keep_whitespace=False)


def thai_words(phrase: str) -> list[str]:
    """A phrase without spaces -> its words (the project's terms kept whole); the phrase
    itself when PyThaiNLP is not installed."""
    tokenize = _tokenizer()
    if tokenize is None:
        return [phrase]
    words, start = [], 0
    for match in _KEEP.finditer(phrase):
        if match.start() > start:
            words += tokenize(phrase[start:match.start()])
        words.append(match.group())
        start = match.end()
    if start < len(phrase):
        words += tokenize(phrase[start:])
    return [w for w in words if w]


def break_units(text: str) -> list[str]:
    """``text`` cut where a line may break: ``"".join(units) == text``. A space stays at the
    end of the unit before it; punctuation stays with its word."""
    units: list[str] = []
    for part in _SPACES.split(text):
        if not part:
            continue
        if part.isspace():
            if units:
                units[-1] += part
            else:
                units.append(part)
            continue
        pieces = thai_words(part) if _THAI.search(part) else [part]
        for piece in pieces:
            # ๆ and closing punctuation never start a line, even after a space ("ชั้นแรก ๆ").
            joins = units and (piece[0] in NO_LINE_START or units[-1][-1] in NO_LINE_END)
            if joins:
                units[-1] += piece
            else:
                units.append(piece)
    return units


def clusters(text: str) -> list[str]:
    """``text`` as character clusters: a character with its combining marks (Thai vowels
    above/below and tone marks, sara am), a preposed vowel with what follows it."""
    out: list[str] = []
    for ch in text:
        attach = out and (unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch == "\u0e33" or out[-1][-1] in _PREPOSED)
        if attach:
            out[-1] += ch
        else:
            out.append(ch)
    return out


@functools.lru_cache(maxsize=1024)
def wrap(text: str, font, width_px: float) -> tuple[str, ...]:
    """``text`` in lines no wider than ``width_px`` when drawn in ``font`` (a Pillow font:
    anything with ``getlength``), breaking at spaces and between Thai words; explicit
    newlines are kept. Lines carry no leading or trailing spaces. Only a single character
    cluster wider than ``width_px`` can make a line wider."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_paragraph(paragraph, font, width_px)
    return tuple(lines)


def _wrap_paragraph(text: str, font, width_px: float) -> list[str]:
    if not text.strip():
        return [""]
    if font.getlength(text.strip()) <= width_px:
        return [text.strip()]  # fits: no tokenizing at all (the common case)
    lines: list[str] = []
    line = ""
    for unit in break_units(text.strip()):
        candidate = line + unit
        if not line or font.getlength(candidate.rstrip()) <= width_px:
            line = candidate
        else:
            lines.append(line.rstrip())
            line = unit
        if font.getlength(line.rstrip()) > width_px:  # one unit wider than a line: cut it
            pieces = _cut(line.rstrip(), font, width_px)
            lines += pieces[:-1]
            line = pieces[-1] + line[len(line.rstrip()):]
    if line.strip():
        lines.append(line.rstrip())
    return [line.lstrip() for line in lines]


def _cut(word: str, font, width_px: float) -> list[str]:
    """A unit wider than the line, cut between character clusters (the last resort). A space
    stays at the end of a piece (it is stripped there); ๆ or closing punctuation takes the
    cluster before it along to the next piece."""
    pieces, piece = [], ""
    for cluster in clusters(word):
        if not piece or cluster.isspace() or font.getlength((piece + cluster).rstrip()) <= width_px:
            piece += cluster
            continue
        if cluster[0] in NO_LINE_START:
            body = piece.rstrip()
            tail = clusters(body)[-1] if body else ""
            if body[: len(body) - len(tail)].strip():
                pieces.append(body[: len(body) - len(tail)])
                piece = tail + piece[len(body):] + cluster
            else:  # nothing to carry along: the line runs over
                piece += cluster
            continue
        pieces.append(piece)
        piece = cluster
    return [*pieces, piece]
