"""The arrows point one way: core/ never imports Streamlit or the app (playground/)."""

import ast
import subprocess
import sys

from tests import ROOT

FORBIDDEN = ("streamlit", "playground")


def imported_modules(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_streamlit_or_playground():
    files = sorted((ROOT / "core").rglob("*.py"))
    assert len(files) > 10
    offenders = {str(f.relative_to(ROOT)): sorted(m for m in imported_modules(f) if m.split(".")[0] in FORBIDDEN)
                 for f in files}
    assert {f: m for f, m in offenders.items() if m} == {}


def test_importing_all_of_core_loads_neither():
    """Also at run time, through every import chain (the command line included)."""
    code = ("import sys, core, core.mnist, core.mnist.cli, core.mnist.download; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
