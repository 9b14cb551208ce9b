"""``python -m playground.export --query 'ds=spiral&hidden=8,8' --epochs 100``: print the
experiment of a playground link as a standalone NumPy script.

The query is read as the page reads its URL (``Config.from_query``): malformed values are
ignored and out-of-range ones clamped, each with the page's own notice on stderr. Nothing in
the query is executed; the settings go into the script as literals.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playground.twod.config import Config

from .script import MAX_EPOCHS, ExportError, export_script

DEFAULT_EPOCHS = 100
NOT_WHOLE = "{raw!r} is not a whole number of epochs."
OUT_OF_RANGE = "Epochs must be from 1 to {most}, got {value}."
EPOCHS_HELP = "epochs the script trains (default: {n})"
NOTE = "Note: {notice}"
CANNOT = "Cannot export: {reason}"
WROTE = "Wrote {path}: run it with `python {path}`."


def query_params(text: str) -> dict[str, list[str]]:
    """The parameters of a query (``ds=spiral&hidden=8,8``, with or without a leading ``?``) or
    of a whole playground link (``http://host/?ds=spiral``)."""
    text = text.strip()
    if "?" in text:
        text = urlsplit(text).query if "://" in text else text.split("?", 1)[1]
    return parse_qs(text, keep_blank_values=True)


def epochs_count(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(NOT_WHOLE.format(raw=raw)) from None
    if not 1 <= value <= MAX_EPOCHS:
        raise argparse.ArgumentTypeError(OUT_OF_RANGE.format(most=MAX_EPOCHS, value=value))
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m playground.export",
        description="Print a playground experiment (the settings of a 2D-page link) as a standalone NumPy script "
                    "that reproduces the page's losses after the same number of epochs.",
    )
    parser.add_argument("--query", default="", help="the link's settings, e.g. 'ds=spiral&hidden=8,8' "
                        "(or the whole link); empty: the default setup")
    parser.add_argument("--epochs", type=epochs_count, default=DEFAULT_EPOCHS,
                        help=EPOCHS_HELP.format(n=DEFAULT_EPOCHS))
    parser.add_argument("--output", type=Path, help="write the script to this file instead of printing it")
    args = parser.parse_args(argv)
    config, notices = Config.from_query(query_params(args.query))
    for notice in notices:
        print(NOTE.format(notice=notice), file=sys.stderr)
    try:
        script = export_script(config, args.epochs)
    except ExportError as err:
        print(CANNOT.format(reason=err), file=sys.stderr)
        return 2
    if args.output is None:
        sys.stdout.write(script)
    else:
        args.output.write_text(script, encoding="utf-8")
        print(WROTE.format(path=args.output), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
