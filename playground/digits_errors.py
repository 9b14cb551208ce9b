"""The last line of defence of the digits page: an unexpected error becomes a message.

Errors a user can cause (bad settings, files, pictures, a diverging run) are caught where
they happen and explained there. Anything else would show a traceback; this decorator shows
a short message instead and logs the traceback for the developers.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

log = logging.getLogger(__name__)


def friendly_errors(section: str):
    """Decorate a function that draws ``section`` of the page (put it under ``st.fragment``)."""

    def wrap(render):
        @functools.wraps(render)
        def guarded(*args, **kwargs):
            try:
                return render(*args, **kwargs)
            except Exception as exc:  # Streamlit's rerun/stop signals are BaseExceptions and pass through
                log.exception("Unexpected error in the digits page's %s", section)
                st.error(
                    f"Something went wrong in {section} ({type(exc).__name__}: {exc}). "
                    "Reload the page to start again; if it happens again, please report it."
                )
                return None

        return guarded

    return wrap
