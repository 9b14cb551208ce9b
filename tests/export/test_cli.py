"""``python -m playground.export``: the query is read as the page reads its URL, bad values get
the page's notices on stderr, and nothing from the query reaches the script but literals."""

from __future__ import annotations

import subprocess
import sys

import pytest

from playground.export import ExportError, export_script, literal
from playground.export.__main__ import main, query_params
from playground.twod.config import Config
from tests import ROOT
from tests.export.helpers import config_of, run_script


def test_it_prints_the_script_of_a_query(capsys):
    assert main(["--query", "ds=spiral&hidden=8,8", "--epochs", "30"]) == 0
    out, err = capsys.readouterr()
    assert out == export_script(config_of("ds=spiral&hidden=8,8"), 30)
    assert err == ""


def test_a_whole_link_works_too():
    assert query_params("http://localhost:8501/?ds=xor&lr=0.1") == {"ds": ["xor"], "lr": ["0.1"]}
    assert query_params("?ds=xor") == {"ds": ["xor"]}


def test_bad_values_get_the_pages_notices_and_are_never_pasted(capsys, tmp_path):
    query = ("ds=__import__('os').system('touch pwned')&hidden=8);import os;os.system('x')#"
             "&lr=1e999&act=tanh\"\"\"evil&seed=1;import sys&feat=x1');print('owned")
    assert main(["--query", query, "--epochs", "2"]) == 0
    out, err = capsys.readouterr()
    _, notices = Config.from_query(query_params(query))
    assert len(notices) >= 5
    assert err.splitlines() == [f"Note: {n}" for n in notices]
    for fragment in ("__import__", "os.system", "import os", "import sys;", "1e999", "owned", "evil"):
        assert fragment not in out
    result, _ = run_script(out, tmp_path)  # the default setup, still runnable
    assert result["epoch"] == 2
    assert not (tmp_path / "pwned").exists()


def test_out_of_range_values_are_clamped_with_a_notice(capsys):
    assert main(["--query", "hidden=99,3&bs=500"]) == 0
    out, err = capsys.readouterr()
    assert "HIDDEN = (16, 3)" in out and "BATCH_SIZE = 64" in out
    assert "`hidden=99,3` is out of range" in err and "`bs=500` is out of range" in err


def test_custom_data_cannot_come_from_a_link(capsys):
    assert main(["--query", "ds=custom"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Cannot export: Your own data is not part of a link" in err


@pytest.mark.parametrize("epochs", ["0", "-3", "ten", "1000001"])
def test_bad_epochs_are_refused(epochs, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--epochs", epochs])
    assert exit_.value.code == 2
    assert "epochs" in capsys.readouterr().err.lower()


def test_output_file(tmp_path, capsys):
    target = tmp_path / "spiral.py"
    assert main(["--query", "ds=spiral", "--epochs", "4", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == export_script(config_of("ds=spiral"), 4)
    assert "Wrote" in capsys.readouterr().err


def test_it_runs_as_a_module_without_streamlit():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, runpy; sys.argv = ['x', '--query', 'ds=gauss', '--epochs', '3']; "
         "runpy.run_module('playground.export', run_name='__main__', alter_sys=True)"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "def gauss(" in done.stdout
    done = subprocess.run([sys.executable, "-c", "import sys, playground.export; print('streamlit' in sys.modules)"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_literals_refuse_anything_but_plain_values():
    assert literal((1, 2.5, "x1^2", True, None)) == "(1, 2.5, 'x1^2', True, None)"
    assert literal((3,)) == "(3,)"
    assert eval(literal("a'\"\n")) == "a'\"\n"  # a string is quoted, never pasted
    for bad in (float("nan"), float("inf"), [1, 2], {"a": 1}, object()):
        with pytest.raises(ExportError):
            literal(bad)


def test_epochs_out_of_range_are_refused_by_the_function():
    for epochs in (0, -1, 2.5, True, 10**9):
        with pytest.raises(ExportError):
            export_script(Config(), epochs)
