"""The Inspect tab: how a model does on the held-out digits and what its weights look like.

A fragment, so choosing another model reruns only this tab.
"""

from __future__ import annotations

import streamlit as st

from playground.guard import never_a_traceback
from playground.i18n import N_
from playground.i18n.session import _, current_language, translated

from . import keys, state
from .charts import (
    confusion_matrix,
    confusion_matrix_figure,
    first_layer_weights_figure,
    max_weight_figure,
    misclassified_gallery_figure,
    per_class_accuracy,
    per_class_accuracy_figure,
)
from .models import as_unit_images, evaluate_digits


@st.fragment
@never_a_traceback(N_("the Inspect tab"))
def inspect_tab() -> None:
    """Everything on the Inspect tab."""
    lang = current_language()
    options = state.model_choices()
    runs_first = sorted(options, key=lambda c: not isinstance(c, int))  # latest run, ..., ready, uploaded
    if st.session_state.get(keys.INSPECT_CHOICE) not in options:
        st.session_state[keys.INSPECT_CHOICE] = runs_first[0]
    choice = st.selectbox(_("Model to inspect"), runs_first, format_func=translated(options), key=keys.INSPECT_CHOICE)
    net = state.model_for(choice)[1]
    run = state.find_run(choice) if isinstance(choice, int) else None
    data = state.training_data()
    result = evaluate_digits(net, data.x_test, data.y_test)
    cm = confusion_matrix(result.labels, result.predicted)
    # TRANSLATORS: {count} is a number of digits, e.g. "10,000"; {accuracy} a percentage.
    st.markdown(_("Accuracy on the {count} held-out digits: **{accuracy}**", count=f"{len(result.labels):,}",
                  accuracy=f"{result.accuracy:.2%}"))

    left, right = st.columns(2)
    with left:
        st.subheader(_("Confusion matrix"))
        st.plotly_chart(confusion_matrix_figure(cm, lang=lang), key=keys.CONFUSION)
    with right:
        st.subheader(_("Accuracy per digit"))
        st.plotly_chart(per_class_accuracy_figure(per_class_accuracy(cm), lang=lang), key=keys.PER_CLASS)

    st.subheader(_("Misclassified held-out digits"))
    worst = result.worst_mistakes(24)
    st.caption(_("The most confident mistakes first: the title says what the network read and what the digit is."))
    st.plotly_chart(misclassified_gallery_figure(
        as_unit_images(data.x_test[worst]), result.labels[worst], result.predicted[worst], lang=lang), key=keys.GALLERY)

    st.subheader(_("First-layer weights"))
    first = net.linear_layers()[0]
    st.caption(_("What each first-layer neuron looks for in the 28×28 input: red pixels push it up, blue pull it down."))
    st.plotly_chart(first_layer_weights_figure(first.W, lang=lang), key=keys.WEIGHTS)

    st.subheader(_("Largest absolute weight per epoch"))
    if run is None or not run.history:
        st.caption(_("Train a run to see how the largest weight of each layer grows epoch by epoch."))
    else:
        st.plotly_chart(max_weight_figure([h.epoch for h in run.history], [h.max_abs_weights for h in run.history],
                                          lang=lang), key=keys.MAX_WEIGHT)
