"""The last line of defence of both pages: an unexpected error becomes one short message.

Errors a user can cause (bad settings, files, pictures, a diverging run) are caught where they
happen and explained there. Anything else would show a traceback (with the server's paths);
:func:`never_a_traceback` shows one line instead, in the session's language, and logs the
details for the developers. Streamlit's rerun and stop signals are BaseExceptions and pass
through untouched.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

from playground.i18n import N_
from playground.i18n.session import _

LOG = logging.getLogger(__name__)
# Tests look for this phrase (``translate(FAILED, lang)`` in another language): it must never show.
# TRANSLATORS: the words of the message below that say a view failed; its translation must appear in it as it is.
FAILED = N_("could not be drawn")
# TRANSLATORS: {what} is the part of the page (translated separately, e.g. "the decision map"), {error} a Python
# error's name, left in English.
MESSAGE = N_("{what} could not be drawn (an unexpected {error}). Press Reset or reload the page; the server's log has "
             "the details.")


def never_a_traceback(what: str):
    """Decorate a function that draws ``what`` (a message marked with ``N_``, e.g. "the decision
    map") on a page."""

    def wrap(draw):
        @functools.wraps(draw)
        def guarded(*args, **kwargs):
            try:
                return draw(*args, **kwargs)
            except Exception as err:
                LOG.exception("%s failed", what)
                part = _(what)
                st.error(_(MESSAGE, what=part[:1].upper() + part[1:], error=type(err).__name__))
                return None

        return guarded

    return wrap
