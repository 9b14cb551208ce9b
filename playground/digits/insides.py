"""Beside the Draw tab's answer: what the drawing lights up inside the network.

How the ten probabilities moved while drawing (the canvas reruns the tab after each stroke;
the history lives in session state, one per drawing and model, and Clear starts a new one), each
hidden layer's activations with the most active units ringed, and the first-layer units the
drawing pushes most, as weight images with their weight·input contribution. The computations are
``models.py``'s, the figures ``lights.py``'s; this module lays them out.
"""

from __future__ import annotations

import streamlit as st

from core import Net
from playground.i18n import N_
from playground.i18n.session import _, current_language

from . import keys
from .lights import activations_figure, probability_history_figure, top_units_figure
from .models import TOP_UNITS, ProbabilityHistory, Reading, look_inside, most_active

# Messages (translated where shown); the headings are bold Markdown.
HISTORY_HEADING = N_("**How the probabilities moved while you drew**")
HISTORY_CAPTION = N_("One point per update of the drawing ({count} so far); the thick line is the digit read now. "
                     "Clear starts a new drawing.")
LAYERS_HEADING = N_("**What lights up in the hidden layers**")
LAYERS_CAPTION = N_("Each cell is one unit's activation for this drawing (hover for its number); the {count} most active "
                    "units of each layer are ringed and named above it, the most active first.")
NO_HIDDEN = N_("This network has no hidden layer: its first layer's units are the ten digits themselves.")
UNITS_HEADING = N_("**The first-layer units your drawing pushes most**")
UNITS_CAPTION = N_("Top: a unit's weights as a 28×28 image, titled with its contribution weight·input (the sum "
                   "of the row below). Bottom: weight × your drawing, pixel by pixel. Red pushes the unit up, blue down.")


def record_reading(reading: Reading, drawing: str, model: str) -> ProbabilityHistory:
    """Count ``reading`` in the session's history of ``drawing`` read by ``model`` (one assignment)."""
    history = st.session_state.get(keys.PROBABILITY_HISTORY, ProbabilityHistory()).after(drawing, model, reading)
    st.session_state[keys.PROBABILITY_HISTORY] = history
    return history


def forget_drawing() -> None:
    """Clear: the next drawing starts a new history."""
    st.session_state.pop(keys.PROBABILITY_HISTORY, None)


def drawing_insides(net: Net, reading: Reading, drawing: str, model: str) -> None:
    """The history, the hidden activations and the top first-layer units for ``reading`` (nothing
    for a blank canvas). drawing: the canvas's key; model: which network reads it."""
    history = record_reading(reading, drawing, model)
    if reading.digit is None:
        return
    lang = current_language()
    with st.container(key=keys.INSIDES):
        st.markdown(_(HISTORY_HEADING))
        numbers, table = history.table()
        st.plotly_chart(probability_history_figure(numbers, table, lang=lang), key=keys.HISTORY_CHART)
        st.caption(_(HISTORY_CAPTION, count=history.updates))

        insides = look_inside(net, reading.image)
        st.markdown(_(LAYERS_HEADING))
        if insides.hidden:
            top = [most_active(layer) for layer in insides.hidden]
            st.plotly_chart(activations_figure(insides.hidden, top, lang=lang), key=keys.ACTIVATIONS_CHART)
            st.caption(_(LAYERS_CAPTION, count=TOP_UNITS))
        else:
            st.caption(_(NO_HIDDEN))

        st.markdown(_(UNITS_HEADING))
        units = insides.top_contributors()
        figure = top_units_figure(insides.weights[units], insides.pixel_contributions(units), units,
                                  insides.contributions[units], name="unit" if insides.hidden else "digit",
                                  lang=lang)
        st.plotly_chart(figure, key=keys.TOP_UNITS_CHART)
        st.caption(_(UNITS_CAPTION))
