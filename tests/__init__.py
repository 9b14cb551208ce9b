"""The test suite; its folders mirror the project's tree (core/, twod/, digits/, browser/)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository
APP = str(ROOT / "app.py")
