"""The 2D page's experiment as code: a standalone NumPy script that reproduces the page's numbers.

``export_script(config, epochs)`` writes it (``script.py``, from the templates in
``templates.py``); ``python -m playground.export --query 'ds=spiral&hidden=8,8' --epochs 100``
prints it. No Streamlit here: the page's "Copy as Python" button imports this.
"""

from .script import MAX_EPOCHS, ExportError, export_script, literal

__all__ = ["MAX_EPOCHS", "ExportError", "export_script", "literal"]
