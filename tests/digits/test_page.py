"""The /digits page under Streamlit's AppTest (no browser).

The ready model comes from a temporary cache holding a quickly trained real model (see
tests/digits/helpers.py), so nothing here waits for the full ready-model training. The canvas is an
UnknownElement under AppTest: a drawing is injected through its session-state value.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core import mlp, model_bytes
from core.mnist import build_digit_net
from playground.digits import keys as digits_keys
from playground.digits import run_queue
from playground.digits import state as digits_state
from playground.digits.models import read_digit
from playground.digits.run import LOST_PLACE
from playground.digits.run_queue import RunQueue
from tests import APP
from tests.digits.helpers import (
    canvas_state,
    drawing,
    hostile_model_file,
    model_file_with_layer_type,
    png_bytes,
    ready_model_cache,
)
from tests.markdown import markdown_risks

DRAW_PROMPT = "Draw a digit on the canvas"


@pytest.fixture(scope="module", autouse=True)
def quick_ready_model():
    """Point the app's cache at the quick ready model, and forget resources cached before."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NN_PLAYGROUND_CACHE", str(ready_model_cache()))
        digits_state.ready_model.clear()
        digits_state._training_data.clear()
        yield
        digits_state.ready_model.clear()
        digits_state._training_data.clear()


@pytest.fixture(autouse=True)
def queue(monkeypatch) -> RunQueue:
    """The server's queue of runs, fresh for each test (AppTest sessions never go away, so runs
    a test leaves behind would keep their places until they lapse)."""
    fresh = RunQueue()
    monkeypatch.setattr(run_queue, "QUEUE", fresh)
    return fresh


def open_page() -> AppTest:
    """The app, switched to /digits. AppTest finds a page by its file only once the app has run
    (before that it guesses from the file name, and the file is page.py, the page /digits)."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("playground/digits/page.py")
    return at.run()


def texts(elements) -> list[str]:
    return [str(e.value) for e in elements]


def training(at: AppTest) -> bool:
    return digits_keys.ENGINE in at.session_state and at.session_state[digits_keys.ENGINE] is not None


def predicted(at: AppTest) -> list[str]:
    return [m.value for m in at.metric if m.label == "Predicted digit"]


def test_page_loads_without_errors_and_asks_for_a_drawing():
    at = open_page()
    assert not at.exception
    assert not at.error
    assert any(DRAW_PROMPT in t for t in texts(at.info)), texts(at.info)
    assert predicted(at) == []  # an empty canvas is not guessed at
    assert [b.label for b in at.button if b.label in ("Start", "Stop")] == ["Start", "Stop"]
    assert any("held-out digits" in t for t in texts(at.markdown))  # Inspect scores the ready model


def test_a_drawing_in_the_canvas_gets_read():
    at = open_page()
    at.session_state[digits_keys.canvas(0)] = canvas_state(drawing(7))
    at.run()
    assert not at.exception
    assert predicted(at) == ["7"]
    assert not any(DRAW_PROMPT in t for t in texts(at.info))
    # Clear gives a fresh, empty canvas, and the page asks for a drawing again.
    at.button(key=digits_keys.CLEAR).click().run()
    assert predicted(at) == []
    assert any(DRAW_PROMPT in t for t in texts(at.info))


def test_training_a_tiny_run_adds_rows_to_the_comparison_table():
    at = open_page()
    at.selectbox(key=digits_keys.ARCHITECTURE).set_value("1 layer (784-10)")
    at.number_input(key=digits_keys.EPOCHS).set_value(1)
    at.button(key=digits_keys.START).click().run()
    for _ in range(30):  # each run of the script is one training tick; AppTest has no timer
        if not training(at):
            break
        at.run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["network"], row["status"], row["epochs"]) == ("784-10", "finished", 1)
    assert 0.5 < row["val acc"] <= 1.0  # one epoch of a 1-layer net is far above chance (0.1)

    # The run just trained can read the drawing instead of the ready model.
    expected = read_digit(at.session_state[digits_keys.RUNS][0].net, drawing(1))
    at.radio(key=digits_keys.MODEL_CHOICE).set_value(1)
    at.session_state[digits_keys.canvas(0)] = canvas_state(drawing(1))
    at.run()
    assert predicted(at) == [str(expected.digit)]
    assert f"{expected.probabilities[expected.digit]:.0%} sure" in texts(at.caption)

    at.selectbox(key=digits_keys.ARCHITECTURE).set_value("Custom widths")
    at.run()
    at.text_input(key=digits_keys.WIDTHS).set_value("32")
    at.button(key=digits_keys.START).click().run()
    for _ in range(30):
        if not training(at):
            break
        at.run()
    table = at.dataframe[0].value
    assert table["network"].tolist() == ["784-10", "784-32-10"]
    # The newest run is the one Inspect shows, with its largest-weight curve.
    assert at.selectbox(key=digits_keys.INSPECT_CHOICE).value == 2


def test_stop_halts_a_run_and_keeps_it():
    at = open_page()
    at.number_input(key=digits_keys.EPOCHS).set_value(200)
    at.button(key=digits_keys.START).click().run()
    assert training(at)
    assert at.button(key=digits_keys.STOP).disabled is False
    at.button(key=digits_keys.STOP).click().run()
    assert not training(at)
    row = at.dataframe[0].value.iloc[0]
    assert row["status"] == "stopped" and row["epochs"] < 200
    assert at.button(key=digits_keys.START).disabled is False


def test_bad_custom_widths_are_explained():
    at = open_page()
    at.selectbox(key=digits_keys.ARCHITECTURE).set_value("Custom widths")
    at.run()
    at.text_input(key=digits_keys.WIDTHS).set_value("256,lots")
    at.button(key=digits_keys.START).click().run()
    assert not at.exception
    assert any("`lots`" in t for t in texts(at.error)), texts(at.error)
    assert not training(at)


def test_bad_image_upload_is_refused_and_a_good_one_is_read():
    at = open_page()
    at.file_uploader(key=digits_keys.IMAGE_FILE).upload("digit.png", b"\x89PNG\r\n\x1a\n not really a png", "image/png")
    at.run()
    assert not at.exception
    assert any("`digit.png` cannot be read" in t for t in texts(at.error)), texts(at.error)

    at.file_uploader(key=digits_keys.IMAGE_FILE).set_value(("one.png", png_bytes(drawing(1)), "image/png")).run()
    assert not at.error
    assert "1" in predicted(at)


def test_model_uploads_are_checked():
    at = open_page()
    at.file_uploader(key=digits_keys.MODEL_FILE).upload("points.npz", model_bytes(mlp(2, [4], 2)))
    at.run()
    assert not at.exception
    assert any("`points.npz` was not loaded" in t and "784 inputs" in t for t in texts(at.error)), texts(at.error)

    at.file_uploader(key=digits_keys.MODEL_FILE).set_value(("junk.npz", b"PK junk", "application/octet-stream")).run()
    assert any("`junk.npz` was not loaded" in t for t in texts(at.error)), texts(at.error)

    at.file_uploader(key=digits_keys.MODEL_FILE).set_value(("mine.npz", model_bytes(build_digit_net((16,))),
                                                         "application/octet-stream")).run()
    assert not at.error
    assert at.radio(key=digits_keys.MODEL_CHOICE).value == "uploaded"


def test_an_unexpected_error_becomes_a_message_not_a_traceback(monkeypatch):
    import playground.digits.models as models  # (draw.py itself cannot be imported outside a running app)

    def broken(picture):
        raise RuntimeError("boom")

    monkeypatch.setattr(models, "preprocess_digit", broken)
    at = open_page()
    at.session_state[digits_keys.canvas(0)] = canvas_state(drawing(7))
    at.run()
    assert not at.exception
    assert any("The Draw tab could not be drawn (an unexpected RuntimeError)" in t for t in texts(at.error)), texts(at.error)
    assert not any("boom" in t for t in texts(at.error))  # the details go to the log, not the page
    assert at.button(key=digits_keys.START).label == "Start"  # the other tabs still work


def waiting(at: AppTest) -> bool:
    return digits_keys.WAITING in at.session_state and at.session_state[digits_keys.WAITING] is not None


def test_runs_beyond_the_servers_places_wait_in_line_and_start_by_themselves(queue):
    queue.max_running = 1
    other = queue.join(1)  # another session's run holds the only place
    at = open_page()
    at.selectbox(key=digits_keys.ARCHITECTURE).set_value("1 layer (784-10)")
    at.number_input(key=digits_keys.EPOCHS).set_value(1)
    at.button(key=digits_keys.START).click().run()
    assert not at.exception and not at.error
    assert waiting(at) and not training(at)
    message = " ".join(texts(at.info))
    assert "The server trains 1 runs at once" in message and "1 are training now" in message
    assert "number 1 in the queue and starts by itself" in message
    assert at.button(key=digits_keys.START).disabled and not at.button(key=digits_keys.STOP).disabled
    at.run()  # a tick of the timer: still waiting
    assert waiting(at) and queue.counts() == (1, 1)

    queue.leave(other)  # the other run finished: on its next tick this one starts by itself
    at.run()
    assert not waiting(at) and training(at) and queue.counts() == (1, 0)
    for _ in range(30):
        if not training(at):
            break
        at.run()
    assert not at.exception and not at.error
    row = at.dataframe[0].value.iloc[0]
    assert (row["network"], row["status"], row["epochs"]) == ("784-10", "finished", 1)
    assert queue.counts() == (0, 0)  # its place was given back


def test_stop_takes_a_waiting_run_out_of_the_queue(queue):
    queue.max_running = 1
    queue.join(1)
    at = open_page()
    at.button(key=digits_keys.START).click().run()
    assert waiting(at) and queue.counts() == (1, 1)
    at.button(key=digits_keys.STOP).click().run()
    assert not waiting(at) and not training(at) and queue.counts() == (1, 0)
    assert not at.button(key=digits_keys.START).disabled


def test_a_run_whose_page_stopped_checking_in_loses_its_place_and_says_why(monkeypatch):
    clock = [0.0]
    queue = RunQueue(lease_seconds=30, clock=lambda: clock[0])
    monkeypatch.setattr(run_queue, "QUEUE", queue)
    at = open_page()
    at.number_input(key=digits_keys.EPOCHS).set_value(200)
    at.button(key=digits_keys.START).click().run()
    at.run()
    assert training(at)
    engine = at.session_state[digits_keys.ENGINE]
    clock[0] += 31  # the tab was closed: no ticks for 31 s; another session's check-in notices
    queue.join(1)
    assert engine.trainer is None  # the run's data and trainer are freed at once, not at session end
    at.run()
    assert not at.exception and not training(at)
    assert any(LOST_PLACE[:40] in t for t in texts(at.warning)), texts(at.warning)
    assert at.dataframe[0].value.iloc[0]["status"] == "stopped"


def test_hostile_uploads_get_plain_messages_never_markdown():
    at = open_page()
    evil_name = "[x](http://evil.example) ![i](http://evil.example/i.png) `tick`.npz"
    at.file_uploader(key=digits_keys.MODEL_FILE).upload(
        evil_name, model_file_with_layer_type("[a](http://evil.example) <b>bold</b> $x$"), "application/octet-stream")
    at.run()
    assert not at.exception
    errors = texts(at.error)
    assert len(errors) == 1 and "was not loaded" in errors[0], errors
    assert markdown_risks(errors[0]) == [], errors[0]

    at.file_uploader(key=digits_keys.MODEL_FILE).set_value(("huge.npz", hostile_model_file(), "application/octet-stream"))
    at.run()
    assert not at.exception
    assert any(t.startswith("`huge.npz` was not loaded: ") for t in texts(at.error)), texts(at.error)

    at.file_uploader(key=digits_keys.IMAGE_FILE).upload("<img src=x onerror=alert(1)>.png", b"\x89PNG\r\n\x1a\n", "image/png")
    at.run()
    assert not at.exception
    image_errors = [t for t in texts(at.error) if "cannot be read as a digit picture" in t]
    assert len(image_errors) == 1 and markdown_risks(image_errors[0]) == [], image_errors
