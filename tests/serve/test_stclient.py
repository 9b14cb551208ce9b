"""The load bench's protocol client reads pages as intended: live frames and their epoch, busy
messages, errors, the ForwardMsg cache, and rates over a time window."""

from __future__ import annotations

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.stclient import Frame, Session, SessionLog


def frame_msg(epoch: int, extra: str = "", fragment: str = "f1") -> bytes:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend([0, 5])
    msg.delta.fragment_id = fragment
    msg.delta.new_element.html.body = (
        '<div data-testid="pg-metric"><div>Epoch</div><div data-testid="pg-metric-value" style="x">'
        f'{epoch:,}</div></div><img src="data:image/png;base64,QUEUEbusy">{extra}')
    return msg.SerializeToString()


def alert_msg(text: str, fmt=Alert.INFO) -> bytes:
    msg = ForwardMsg()
    msg.delta.new_element.alert.body = text
    msg.delta.new_element.alert.format = fmt
    return msg.SerializeToString()


def test_frames_count_once_with_their_epoch():
    s = Session("http://127.0.0.1:1")
    for data in (frame_msg(1200), frame_msg(1200), frame_msg(1350)):
        s._handle(data)
    assert [f.epoch for f in s.log.frames] == [1200, 1350]  # the same frame again is no refresh
    assert s.log.busy == []  # "busy"/"queue" inside image data does not count
    assert s.log.errors == []


def test_busy_and_errors_are_noticed():
    s = Session("http://127.0.0.1:1")
    s._handle(alert_msg("The server is busy: you are number 3 in the queue."))
    s._handle(alert_msg("Busy, busy", fmt=Alert.ERROR))  # an error alert is not the busy notice
    s._handle(frame_msg(5, extra="<p>Waiting in the queue</p>"))
    s._handle(alert_msg("This view could not be drawn (ValueError: x).", fmt=Alert.ERROR))
    exc = ForwardMsg()
    exc.delta.new_element.exception.type = "KeyError"
    s._handle(exc.SerializeToString())
    assert [text for _, text in s.log.busy] == ["The server is busy: you are number 3 in the queue.", "frame html"]
    assert len(s.log.errors) == 2 and "could not be drawn" in s.log.errors[0] and "KeyError" in s.log.errors[1]


def test_cached_messages_are_resolved_by_reference():
    s = Session("http://127.0.0.1:1")
    full = ForwardMsg()
    full.ParseFromString(frame_msg(7))
    full.hash = "abc"
    full.metadata.cacheable = True
    s._handle(full.SerializeToString())
    s._handle(frame_msg(8))
    ref = ForwardMsg()
    ref.ref_hash = "abc"
    ref.metadata.delta_path.extend([0, 5])
    s._handle(ref.SerializeToString())
    assert [f.epoch for f in s.log.frames] == [7, 8, 7]
    assert "abc" in s._cache and s.log.errors == []


def test_rates_over_a_window():
    log = SessionLog("s", frames=[Frame(t, 100 * t) for t in range(11)], played_at=-0.5)
    refreshes, epochs = log.window(2.0, 7.0)
    assert refreshes == 1.0  # frames at 2, 3, 4, 5, 6
    assert epochs == (600 - 100) / 5.0  # shown at the end of the window minus before it
    assert log.first_frame() == 0.5
    assert SessionLog("empty").window(0, 1) == (0.0, None)
