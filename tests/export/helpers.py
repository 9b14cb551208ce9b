"""Shared by the export tests: turn a query into a config, run an exported script, load one as a module."""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs

from playground.twod.config import Config

_names = itertools.count()


def config_of(query: str) -> Config:
    """The config the page makes of ``query`` (it must be clean: no notices)."""
    config, notices = Config.from_query(parse_qs(query, keep_blank_values=True))
    assert notices == [], notices
    return config


def run_script(text: str, folder: Path) -> tuple[dict, list[str]]:
    """Run an exported script with ``python -I`` in ``folder`` (empty but for the script); return
    its final JSON line and the lines printed before it."""
    path = folder / "experiment.py"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", path.name], cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]), lines[:-1]


def load_script(text: str, folder: Path):
    """An exported script imported as a module (its training only runs as __main__)."""
    name = f"exported_{next(_names)}"
    path = folder / (name + ".py")
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
