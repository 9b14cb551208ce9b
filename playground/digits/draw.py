"""The Draw tab: pick a model, draw a digit (or upload a picture of one) and see what the
network reads.

The only module that imports ``streamlit_drawable_canvas`` (importing it outside a running
app raises). The picture goes through ``core.mnist.preprocess_digit`` (via
``models.read_digit``) like every other digit; this module only lays things out.
"""

from __future__ import annotations

import logging
from functools import partial

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from core import ModelFileError, Net, model_bytes
from core.mnist import load_image_file
from playground.guard import never_a_traceback
from playground.i18n import N_, Message
from playground.i18n.session import _, current_language, translated
from playground.safe_markdown import code

from . import keys, state
from .charts import probability_bars_figure
from .insides import drawing_insides, forget_drawing
from .models import MAX_IMAGE_MB, MAX_MODEL_MB, Reading, check_digit_model, read_digit

LOG = logging.getLogger(__name__)
CANVAS_PX = 280
DETAIL_LIMIT = 300  # characters of an English detail (an error from core) shown in a code span


def canvas_key() -> str:
    """The canvas's current widget key (its state holds the drawing)."""
    return keys.canvas(st.session_state.get(keys.CANVAS_COUNT, 0))


def clear_canvas() -> None:
    st.session_state[keys.CANVAS_COUNT] = st.session_state.get(keys.CANVAS_COUNT, 0) + 1
    forget_drawing()


def take_uploaded_model() -> None:
    """Callback of the model uploader: validate the file and switch to it, or say why not.

    A callback runs outside the tab's guard, so every failure becomes a message here (a Message,
    translated when shown)."""
    upload = st.session_state.get(keys.MODEL_FILE)
    st.session_state[keys.MODEL_ERROR] = None
    if upload is None:
        return
    name = code(upload.name)
    try:
        net = check_digit_model(upload.getvalue())
    except ModelFileError as exc:
        reason = model_refusal(exc)
    except MemoryError:
        reason = Message("it needs more memory than the server has free. A digit model made here or by the command "
                         "line fits easily.")
    except Exception as exc:  # a file that makes the loader fail in a way nobody foresaw: one line, details in the log
        LOG.exception("loading an uploaded model failed")
        reason = Message("it could not be read (an unexpected {error}).", error=type(exc).__name__)
    else:
        st.session_state[keys.UPLOADED_MODEL] = (upload.name, net)
        st.session_state[keys.MODEL_CHOICE] = state.UPLOADED
        return
    # TRANSLATORS: {name} is the uploaded file's name, {reason} says why (translated separately).
    st.session_state[keys.MODEL_ERROR] = Message("{name} was not loaded: {reason}", name=name, reason=reason)


# TRANSLATORS: the lead-in before a model file's refusal from the framework, which stays in English: {detail}.
MODEL_REFUSED = N_("the file is not a model this page can read. The reason, from the model loader: {detail}")


def model_refusal(exc: ModelFileError) -> Message:
    """Why an uploaded model file was refused: the page's own checks (784 inputs, 10 outputs, its
    size) come as Messages; the framework's (core.modelfile, English only) get a translated lead-in
    and their English text in a code span (it may quote the file: never shown as Markdown)."""
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
    return Message(MODEL_REFUSED, detail=code(exc, DETAIL_LIMIT))


def model_picker() -> Net:
    """Choose, download or upload the model; returns the chosen network."""
    options = state.model_choices()
    if st.session_state.get(keys.MODEL_CHOICE) not in options:
        st.session_state[keys.MODEL_CHOICE] = state.READY
    st.radio(_("Model"), list(options), format_func=translated(options), key=keys.MODEL_CHOICE, horizontal=True)
    label, net = state.model_for(st.session_state[keys.MODEL_CHOICE])
    c1, c2 = st.columns([1, 2])
    c1.download_button(
        _("Download this model"), data=partial(model_bytes, net, extra={"task": "mnist-digits", "source": str(label)}),
        file_name="digit-model.npz", mime="application/octet-stream", key=keys.DOWNLOAD, on_click="ignore",
        help=_("An .npz model file: use it with `python -m core.mnist predict --model digit-model.npz IMAGE`."),
    )
    c2.file_uploader(
        _("Use your own model (.npz from this app or `python -m core.mnist train`)"), type=["npz"],
        key=keys.MODEL_FILE, max_upload_size=MAX_MODEL_MB, on_change=take_uploaded_model,
    )
    if st.session_state.get(keys.MODEL_ERROR):
        st.error(_(st.session_state[keys.MODEL_ERROR]))
    return net


def magnified(image: np.ndarray, scale: int = 8) -> np.ndarray:
    """A (28, 28) input in [0, 1] as a (28*scale, 28*scale) uint8 picture with square pixels."""
    return np.kron((np.clip(image, 0, 1) * 255).astype(np.uint8), np.ones((scale, scale), dtype=np.uint8))


def show_reading(reading: Reading, key: str, empty_message: str) -> None:
    """The network's input, its answer and the ten probabilities, or ``empty_message``."""
    with st.container(key=key):
        if reading.digit is None:
            st.info(empty_message)
            return
        confidence = float(reading.probabilities[reading.digit])
        c1, c2 = st.columns([1, 2])
        with c1:
            st.metric(_("Predicted digit"), reading.digit, help=_("The digit with the highest probability."))
            # TRANSLATORS: {confidence} is a percentage, e.g. "97%".
            st.caption(_("{confidence} sure", confidence=f"{confidence:.0%}"))
            st.image(magnified(reading.image), caption=_("What the network sees (28×28)"), width=168)
        with c2:
            st.plotly_chart(probability_bars_figure(reading.probabilities, lang=current_language()), key=f"{key}_bars")


@st.fragment
@never_a_traceback(N_("the Draw tab"))
def draw_tab() -> None:
    """Everything on the Draw tab (a fragment: drawing reruns only this tab). The canvas and its
    answer come first (on a phone they stack, and fill the first screen), the model's choice after."""
    left, right = st.columns([1, 2])
    with left:
        st.caption(_("Draw one digit with the mouse, any size, anywhere on the square."))
        with st.container(key=keys.CANVAS_BOX):
            result = st_canvas(
                stroke_width=18, stroke_color="#FFFFFF", background_color="#000000", height=CANVAS_PX, width=CANVAS_PX,
                drawing_mode="freedraw", return_image_data=True, key=canvas_key(),
            )
        st.button(_("Clear"), key=keys.CLEAR, on_click=clear_canvas)
    net = model_picker()  # drawn under the canvas and its answer, chosen before the answer is read
    with right:
        reading = read_digit(net, result.image_data)
        show_reading(reading, keys.CANVAS_READING,
                     _("Draw a digit on the canvas: the network reads it when you lift the mouse."))
        drawing_insides(net, reading, canvas_key(), f"{st.session_state[keys.MODEL_CHOICE]}:{id(net)}")

    st.subheader(_("Or upload a picture of a digit"))
    upload = st.file_uploader(
        _("PNG or JPEG, light ink on dark or dark on light, any size up to 4096×4096"),
        type=["png", "jpg", "jpeg", "bmp", "gif", "webp"], key=keys.IMAGE_FILE, max_upload_size=MAX_IMAGE_MB,
    )
    if upload is not None:
        name = code(upload.name)
        try:
            picture = load_image_file(upload)
        except (ValueError, Image.DecompressionBombError) as exc:
            # TRANSLATORS: {reason} is the image reader's reason, in English (a code span).
            st.error(_("{name} cannot be read as a digit picture. The reason, from the image reader: {reason}", name=name,
                       reason=code(exc, DETAIL_LIMIT)))
            return
        except MemoryError:
            st.error(_("{name} needs more memory than the server has free: upload a smaller picture.", name=name))
            return
        show_reading(read_digit(net, picture), keys.UPLOAD_READING,
                     _("{name} looks blank: no ink stands out from the background. Upload a picture of one digit.",
                       name=name))
