"""A training run that diverged, explained in the reader's language.

``core.TrainingDiverged`` keeps its English text and carries the facts as fields (the epoch, the
cause, the learning rate); :func:`divergence_message` makes a :class:`~playground.i18n.Message`
of them, which the page translates where it shows it (both pages, and the 2D page's training
worker, which sends it). No Streamlit here.
"""

from __future__ import annotations

from core import TrainingDiverged
from playground.i18n import N_, Message

CAUSES = {
    "loss": N_("the loss became infinite or NaN"),
    "weights": N_("a gradient or a weight became infinite or NaN"),
}
# TRANSLATORS: {layer} is a layer's name in code, e.g. "Linear(2, 4)".
IN_LAYER = N_("a weight in {layer} became NaN or infinite")
# TRANSLATORS: {what} is one of the causes above, {lr} the learning rate.
EXPLAINED = N_("Training diverged in epoch {epoch}: {what}. The learning rate ({lr}) is probably too high for this "
               "network: reset the network and lower the learning rate.")
# TRANSLATORS: a number overflowed without the trainer's checks seeing it first; {error} is technical, in English.
OVERFLOW = N_("Training diverged: a number overflowed ({error}). Lower the learning rate and reset the network.")


def divergence_message(err: BaseException) -> Message:
    """Why training stopped: ``err`` is a TrainingDiverged (or another floating-point error)."""
    if not isinstance(err, TrainingDiverged):
        return Message(OVERFLOW, error=f"{type(err).__name__}: {err}")
    if err.cause == "weights" and err.layer:
        what = Message(IN_LAYER, layer=err.layer)
    else:
        what = Message(CAUSES.get(err.cause, CAUSES["loss"]))
    return Message(EXPLAINED, epoch=err.epoch, what=what, lr=f"{err.lr:g}")
