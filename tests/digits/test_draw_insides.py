"""The Draw tab's look inside under AppTest: a drawing shows its history, hidden activations and
top first-layer units; each new stroke adds to the history, a rerun without one does not, and
Clear starts a new one. The drawing is injected through the canvas's session-state value."""

from __future__ import annotations

from playground.digits import keys
from playground.digits.insides import HISTORY_HEADING, LAYERS_HEADING, UNITS_HEADING
from tests.digits.helpers import canvas_state, drawing
from tests.digits.test_page import open_page, predicted, quick_ready_model  # noqa: F401 (the fixture applies here too)


def headings(at) -> list[str]:
    return [m.value for m in at.markdown if m.value in (HISTORY_HEADING, LAYERS_HEADING, UNITS_HEADING)]


def test_a_drawing_shows_what_it_lights_up_and_clear_starts_over():
    at = open_page()
    assert headings(at) == []  # an empty canvas: nothing to look inside
    at.session_state[keys.canvas(0)] = canvas_state(drawing(1))
    at.run()
    assert not at.exception and not at.error
    assert headings(at) == [HISTORY_HEADING, LAYERS_HEADING, UNITS_HEADING]
    assert at.session_state[keys.PROBABILITY_HISTORY].updates == 1

    at.session_state[keys.canvas(0)] = canvas_state(drawing(7))  # the drawing changed: a new update
    at.run()
    history = at.session_state[keys.PROBABILITY_HISTORY]
    assert history.updates == 2 and predicted(at) == ["7"]
    assert history.probabilities[-1].argmax() == 7
    at.run()  # a rerun without a new stroke
    assert at.session_state[keys.PROBABILITY_HISTORY].updates == 2
    assert any("2 so far" in c.value for c in at.caption)

    at.button(key=keys.CLEAR).click().run()
    assert headings(at) == []
    at.session_state[keys.canvas(1)] = canvas_state(drawing(7))
    at.run()
    history = at.session_state[keys.PROBABILITY_HISTORY]
    assert (history.updates, history.drawing) == (1, keys.canvas(1))
