"""The 2D page's "Copy as Python" button: this setup as a standalone NumPy script (see
``playground.export``), to download or copy, that reproduces the page's numbers.

A popover under the Play/Step/Reset row: the epochs the script trains (they follow the
network's epochs, and can be changed), a download button and the script with a copy icon.
"""

from __future__ import annotations

import streamlit as st

from playground.export import MAX_EPOCHS, ExportError, export_script
from playground.i18n import N_
from playground.i18n.session import _

from . import keys
from .config import CUSTOM
from .model import Model
from .userdata import UserData

FILE_NAME = "experiment.py"
DEFAULT_EPOCHS = 100
SHOW_LIMIT = 60_000  # characters of script shown on the page; longer ones (many points of your own) only download

LABEL = N_("Copy as Python")
HELP = N_("This experiment as one NumPy script: the same data, start weights and training as here.")
EPOCHS_LABEL = N_("Epochs the script trains")
EPOCHS_HELP = N_("They follow this network's epochs; change them for a longer or shorter run.")
DOWNLOAD_LABEL = N_("Download {file}")
CAPTION = N_("Run it with `python {file}` (it needs only NumPy). It trains {epochs} epochs and prints the losses this "
             "page shows at epoch {epochs} for a network trained with these settings from the start (Reset, then "
             "Step or Play). Copy it with the icon at the top right of the code.")
TOO_LONG = N_("The script holds your {count} points and is too long to show here: download it.")


def export_button(model: Model) -> None:
    """The popover with the script of ``model``'s setup (with the user's points for a "custom" dataset)."""
    user: UserData | None = st.session_state.get(keys.USER)
    if model.config.dataset != CUSTOM or user is None or user.version != model.user_version:
        user = None  # only the points this network was built on
    with st.popover(_(LABEL), icon=":material/code:", help=_(HELP), key=keys.EXPORT):
        epochs = st.number_input(_(EPOCHS_LABEL), 1, MAX_EPOCHS, step=10, key=_epochs_key(model), help=_(EPOCHS_HELP))
        config = model.config
        try:
            script = export_script(config, int(epochs), user)
        except ExportError as err:
            st.warning(_(err))
            return
        st.download_button(_(DOWNLOAD_LABEL, file=FILE_NAME), data=script, file_name=FILE_NAME, mime="text/x-python",
                           key=keys.EXPORT_DOWNLOAD, on_click="ignore", type="primary", icon=":material/download:")
        st.caption(_(CAPTION, file=FILE_NAME, epochs=int(epochs)))
        if len(script) <= SHOW_LIMIT:
            st.code(script, language="python", height=420)
        else:
            st.caption(_(TOO_LONG, count=len(user.x) if user is not None else 0))


def _epochs_key(model: Model) -> str:
    """The epochs widget's key, its value moved to the network's epochs whenever those changed
    (a value typed since stays until the network trains again)."""
    ss = st.session_state
    if ss.get(keys.EXPORT_EPOCHS_SEEN) != model.epoch or keys.EXPORT_EPOCHS not in ss:
        ss[keys.EXPORT_EPOCHS_SEEN] = model.epoch
        ss[keys.EXPORT_EPOCHS] = min(model.epoch, MAX_EPOCHS) or DEFAULT_EPOCHS
    return keys.EXPORT_EPOCHS
