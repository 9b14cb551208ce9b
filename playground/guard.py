"""The last line of defence of both pages: an unexpected error becomes one short message.

Errors a user can cause (bad settings, files, pictures, a diverging run) are caught where they
happen and explained there. Anything else would show a traceback (with the server's paths);
:func:`never_a_traceback` shows one line instead and logs the details for the developers.
Streamlit's rerun and stop signals are BaseExceptions and pass through untouched.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

LOG = logging.getLogger(__name__)
FAILED = "could not be drawn"  # tests look for this phrase: it must never show


def never_a_traceback(what: str):
    """Decorate a function that draws ``what`` (e.g. "the decision map") on a page."""

    def wrap(draw):
        @functools.wraps(draw)
        def guarded(*args, **kwargs):
            try:
                return draw(*args, **kwargs)
            except Exception as err:
                LOG.exception("%s failed", what)
                st.error(f"{what[:1].upper()}{what[1:]} {FAILED} (an unexpected {type(err).__name__}). "
                         "Press Reset or reload the page; the server's log has the details.")
                return None

        return guarded

    return wrap
