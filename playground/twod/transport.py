"""Play/Pause, Step and Reset: the buttons, their callbacks, and the session's model kept in
line with the widgets.

The network in session state is never changed in place: every callback computes a new
snapshot and assigns it in one statement, so a click that interrupts a tick
(``runner.fastReruns``) cannot leave half-updated weights behind.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from playground.i18n import Message
from playground.i18n.session import _

from . import keys
from .config import LEARNING_RATES, Config
from .controls import read_config, request
from .model import Model
from .userdata import UserData


def sync_model(config: Config) -> Model | None:
    """Bring the session's model in line with the widgets: rebuild it when the data or the
    architecture changed (and say so), else apply training settings to the same network.
    Returns None (after showing why) when the config cannot be built."""
    ss = st.session_state
    user: UserData | None = ss.get(keys.USER)
    model: Model | None = ss.get(keys.MODEL)
    quiet = ss.pop(keys.QUIET_RESET, False)
    try:
        if model is None:
            ss[keys.MODEL] = Model.build(config, user)
        elif reason := model.needs_rebuild(config, user):
            ss[keys.MODEL] = Model.build(config, user)
            if not quiet:
                # TRANSLATORS: {reason} is "the data changed" or "the architecture changed".
                ss[keys.NOTICES] = [*ss.get(keys.NOTICES, []), Message("Network reset: {reason}.", reason=Message(reason))]
        elif model.config != config:
            ss[keys.MODEL] = model.with_settings(config)
    except ValueError as err:
        ss[keys.PLAYING] = False
        st.warning(_(err))
        return None
    return ss[keys.MODEL]


def _first_call(nonce: int) -> bool:
    """True once per rendered button press. Streamlit 1.67 can run a button's callback twice
    when the click is coalesced with the live fragment's timer reruns (seen in the browser:
    Pause toggled off and straight back on), so every transport button carries the nonce of
    the run that drew it, and a second call with the same nonce does nothing."""
    ss = st.session_state
    if ss.get(keys.USED_NONCE) == nonce:
        return False
    ss[keys.USED_NONCE] = nonce
    return True


def set_playing(playing: bool, nonce: int = -1) -> None:
    """Play (True) or Pause (False): the button passes the state it asks for, so a repeated
    call cannot flip it back."""
    ss = st.session_state
    if not _first_call(nonce):
        return
    model: Model | None = ss.get(keys.MODEL)
    if playing and model is not None and model.diverged:
        ss[keys.NOTICES] = [Message("Training diverged: reset the network (or lower the learning rate) before playing "
                                    "again.")]
        return
    ss[keys.PLAYING] = playing
    ss[keys.SPEED] = ()


def step_once(nonce: int = -1) -> None:
    """One epoch, one atomic swap."""
    model: Model | None = st.session_state.get(keys.MODEL)
    if model is not None and _first_call(nonce):
        st.session_state[keys.PLAYING] = False
        st.session_state[keys.MODEL] = model.trained(epochs=1)


def reset_network(nonce: int = -1) -> None:
    ss = st.session_state
    if not _first_call(nonce):
        return
    ss[keys.PLAYING] = False
    try:
        ss[keys.MODEL] = Model.build(read_config(), ss.get(keys.USER))
    except ValueError as err:
        ss[keys.NOTICES] = [err.args[0] if err.args and isinstance(err.args[0], Message) else str(err)]
    ss[keys.SPEED] = ()


def reset_lower_rate() -> None:
    """After a divergence: three steps down the learning-rate ladder, then a fresh network."""
    ss = st.session_state
    config = read_config()
    lr = LEARNING_RATES[max(0, LEARNING_RATES.index(config.lr) - 3)]
    config = replace(config, lr=lr)
    request(config)
    ss[keys.PLAYING] = False
    ss[keys.MODEL] = Model.build(config, ss.get(keys.USER))
    ss[keys.SPEED] = ()
    ss[keys.NOTICES] = [Message("Learning rate lowered to {lr} and the network reset.", lr=f"{lr:g}")]


def transport_buttons(model: Model | None) -> None:
    """Play/Pause (one button whose label flips), Step, Reset, in the current container (one row
    even on a phone: each takes the width of its label)."""
    ss = st.session_state
    playing = bool(ss.get(keys.PLAYING))
    nonce = ss[keys.NONCE] = ss.get(keys.NONCE, 0) + 1
    # TRANSLATORS: the transport buttons.
    st.button(_("Pause") if playing else _("Play"), key=keys.PLAY, on_click=set_playing, args=(not playing, nonce),
              type="primary", disabled=model is None)
    st.button(_("Step"), key=keys.STEP, on_click=step_once, args=(nonce,), disabled=model is None,
              help=_("Train one epoch."))
    st.button(_("Reset"), key=keys.RESET, on_click=reset_network, args=(nonce,), help=_("New start weights, epoch 0."))


def divergence_notice(model: Model | None) -> None:
    """After a divergence: why, and a one-click fix."""
    if model is not None and model.diverged:
        # TRANSLATORS: {reason} is the explanation of a divergence (translated separately).
        st.error(_("Training stopped. {reason}", reason=model.diverged), icon="⚠️")
        st.button(_("Reset and lower the learning rate"), key=keys.FIX, on_click=reset_lower_rate, type="primary")


def set_lecture_view(on: bool) -> None:
    """Into the lecture view (big map, no sidebar) or back to the full controls: one URL setting,
    so a lecturer can prepare one link per slide."""
    request(replace(read_config(), present=on))
