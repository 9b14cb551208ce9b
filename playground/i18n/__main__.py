"""Catalogue upkeep for developers and translators (run from the project's root):

    python -m playground.i18n extract    # the code's messages -> locales/messages.pot
    python -m playground.i18n update     # merge messages.pot into every language's messages.po
    python -m playground.i18n check      # untranslated, fuzzy and placeholder problems; exit 1 if any

``extract`` and ``update`` are pybabel's commands with this project's options filled in, so
nobody needs to remember them (see README.md next to this file).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playground.i18n import DOMAIN, LANGUAGES, LOCALES, SOURCE_LANGUAGE, catalogue_path, placeholders

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
MAPPING = Path(__file__).resolve().parent / "babel.cfg"
# Message(text, **args) carries a message to code that knows the language: extract it like _();
# NC_(context, text) marks a message with a context (msgctxt); translate(text, lang, ...) is the
# call of code without a session.
KEYWORDS = ("Message", "NC_:1c,2", "translate")


def _pybabel(*args: str) -> int:
    from babel.messages.frontend import CommandLineInterface

    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    except SystemExit as stop:  # pybabel exits on bad options
        return int(stop.code or 0)
    return 0


def extract() -> int:
    """Write the template from the messages in the code (``babel.cfg`` says which files)."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    os.chdir(ROOT)  # file references in the template relative to the project's root
    return _pybabel("extract", "-F", str(MAPPING), *keywords, "-c", "TRANSLATORS:", "--sort-by-file",
                    "--project", "nn-playground", "--copyright-holder", "the nn-playground authors",
                    "-o", str(TEMPLATE.relative_to(ROOT)), ".")


def update() -> int:
    """Merge the template into each language's .po: new messages appear untranslated, changed
    ones are marked fuzzy (shown in English until a translator reviews them)."""
    status = 0
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        command = "update" if catalogue_path(lang).exists() else "init"
        status |= _pybabel(command, "-D", DOMAIN, "-i", str(TEMPLATE), "-d", str(LOCALES), "-l", lang)
    return status


def problems(lang: str) -> list[str]:
    """What a translator still has to do in ``lang``'s catalogue, one line each."""
    from babel.messages.pofile import read_po

    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    with catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if entry is None or not entry.string:
            found.append(f"untranslated: {message.id!r}" + (f" (context {message.context!r})" if message.context else ""))
        elif entry.fuzzy:
            found.append(f"fuzzy (needs review): {message.id!r}")
        elif placeholders(entry.string) != placeholders(message.id):
            found.append(f"placeholders differ: {message.id!r} -> {entry.string!r}")
    return found


def check() -> int:
    status = 0
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        found = problems(lang)
        for line in found:
            print(f"{lang}: {line}")
        print(f"{lang}: {len(found)} problem(s)")
        status |= bool(found)
    return status


COMMANDS = {"extract": extract, "update": update, "check": check}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
