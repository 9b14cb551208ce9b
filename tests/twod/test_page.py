"""The playground page under Streamlit's AppTest (no browser): buttons, presets, the URL,
user data, divergence. Runs the real app (app.py), whose default page is the playground."""


import pytest
from streamlit.testing.v1 import AppTest

from playground.guard import FAILED as VIEW_FAILED
from playground.twod import keys
from playground.twod.live import RUN_EVERY, tick_interval
from playground.twod.presets import PRESETS
from playground.twod.training import pool as pool_module
from tests import APP


def start(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert_healthy(at)
    return at


def assert_healthy(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not any(VIEW_FAILED in e.value for e in at.error)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def infos(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def test_step_advances_and_reset_resets_the_epoch():
    at = start()
    assert [b.label for b in at.button][:3] == ["Play", "Step", "Reset"]
    assert metric(at, "Epoch") == "0"
    first_loss = metric(at, "Train loss")
    at.button(key=keys.STEP).click().run()
    at.button(key=keys.STEP).click().run()
    assert_healthy(at)
    assert metric(at, "Epoch") == "2"
    assert metric(at, "Train loss") != first_loss
    assert {m.label for m in at.metric} >= {"Epoch", "Train loss", "Test loss", "Test accuracy"}
    at.button(key=keys.RESET).click().run()
    assert metric(at, "Epoch") == "0" and metric(at, "Train loss") == first_loss


def test_play_button_flips_to_pause_and_back():
    at = start()
    at.button(key=keys.PLAY).click().run()
    assert at.button(key=keys.PLAY).label == "Pause"
    at.button(key=keys.PLAY).click().run()
    assert at.button(key=keys.PLAY).label == "Play"


@pytest.fixture
def server_pool(monkeypatch):
    """Give the app a pool of its own for one test: ``server_pool(workers=..., capacity=...)``."""
    made = []

    def make(**kwargs):
        made.append(pool_module.Pool(**kwargs))
        monkeypatch.setattr(pool_module, "_shared", made[-1])
        return made[-1]

    yield make
    for pool in made:
        pool.close()


def test_without_a_worker_the_tick_trains_itself(server_pool):
    server_pool(workers=0)  # e.g. a host where processes cannot start
    at = start(ds="xor", hidden="4")
    at.button(key=keys.PLAY).click().run()
    assert_healthy(at)
    assert at.session_state[keys.MODEL].epoch > 0  # trained within the tick's budget
    frame = next(h.proto.body for h in at.get("html") if "pg-live-map" in h.proto.body)
    assert "Epoch" in frame and "Train loss" in frame and 'data-testid="pg-live-curves"' in frame
    at.button(key=keys.PLAY).click().run()
    assert at.button(key=keys.PLAY).label == "Play" and metric(at, "Epoch") != "0"


def test_beyond_the_capacity_a_session_is_told_it_waits_and_where(server_pool):
    pool = server_pool(workers=1, capacity=1)
    other = pool.job()
    assert pool.place(other) == 0  # someone else has the only place
    at = start(ds="xor", hidden="4")
    at.button(key=keys.PLAY).click().run()
    assert_healthy(at)
    assert any("server is busy" in i.value and "number 1 in the queue" in i.value for i in at.info), infos(at)
    assert at.session_state[keys.MODEL].epoch == 0 and at.button(key=keys.PLAY).label == "Pause"
    other.pause()  # the place frees: the next tick starts training
    at.run()
    assert not any("server is busy" in i.value for i in at.info)


def test_url_parameters_apply_and_bad_ones_are_reported():
    at = start(ds="spiral", hidden="8,8", act="relu", lr="0.1", bs="abc", n="99999", seed="4")
    assert at.selectbox(key=keys.setting("dataset")).value == "spiral"
    assert at.slider(key=keys.LAYERS).value == 2
    assert at.slider(key=keys.units(1)).value == 8 and at.selectbox(key=keys.ALL_ACTIVATION).value == "relu"
    assert at.select_slider(key=keys.setting("lr")).value == 0.1 and at.number_input(key=keys.setting("seed")).value == 4
    assert at.slider(key=keys.setting("n_points")).value == 2000 and at.slider(key=keys.setting("batch")).value == 10
    text = infos(at)
    assert "bs=abc" in text and "n=99999" in text
    # The URL now holds the cleaned config, and changing a widget rewrites it.
    assert at.query_params["ds"] == "spiral" and at.query_params["n"] == "2000" and "bs" not in at.query_params
    at.slider(key=keys.setting("batch")).set_value(25).run()
    assert at.query_params["bs"] == "25"


def test_presets_load_in_one_click():
    at = start()
    for i, preset in enumerate(PRESETS):
        at.button(key=keys.preset(i)).click().run()
        assert_healthy(at)
        assert at.selectbox(key=keys.setting("dataset")).value == preset.config.dataset
        assert at.slider(key=keys.LAYERS).value == len(preset.config.hidden)
        assert preset.title in infos(at)
        assert metric(at, "Epoch") == "0"
    assert at.query_params["ds"] == PRESETS[-1].config.dataset


def test_data_change_resets_the_network_and_says_so_but_a_new_rate_does_not():
    at = start()
    at.button(key=keys.STEP).click().run()
    at.select_slider(key=keys.setting("lr")).set_value(0.1).run()
    assert metric(at, "Epoch") == "1" and "reset" not in infos(at)
    at.slider(key=keys.setting("noise")).set_value(20).run()
    assert metric(at, "Epoch") == "0" and "Network reset: the data changed." in infos(at)
    at.button(key=keys.STEP).click().run()
    at.slider(key=keys.LAYERS).set_value(3).run()
    assert_healthy(at)
    assert metric(at, "Epoch") == "0" and "the architecture changed" in infos(at)


def test_divergence_stops_explains_and_resets_in_one_click():
    at = start()
    at.button(key=keys.preset(next(i for i, p in enumerate(PRESETS) if "diverges" in p.title))).click().run()
    at.button(key=keys.STEP).click().run()
    assert_healthy(at)
    assert any("learning rate" in e.value for e in at.error)
    at.button(key=keys.PLAY).click().run()
    assert at.button(key=keys.PLAY).label == "Play"  # refuses to play a diverged network
    at.button(key=keys.FIX).click().run()
    assert_healthy(at)
    assert not at.error and at.select_slider(key=keys.setting("lr")).value == 0.1 and metric(at, "Epoch") == "0"
    at.button(key=keys.STEP).click().run()
    assert metric(at, "Epoch") == "1" and not at.error


@pytest.mark.parametrize("dataset", ["curve", "blobs", "multi_gaussian"])
def test_other_kinds_of_data_draw(dataset):
    at = start(ds=dataset, hidden="3")
    at.button(key=keys.STEP).click().run()
    assert_healthy(at)
    assert metric(at, "Epoch") == "1"


def test_own_csv_data_bad_file_refused_good_file_used():
    at = start()
    at.selectbox(key=keys.setting("dataset")).set_value("custom").run()
    assert_healthy(at)
    assert any("upload a CSV" in w.value for w in at.warning)
    at.file_uploader(key=keys.CSV_UPLOAD).upload("bad.csv", b"x1,x2,label\n0,0,0\n1,zz,1\n", "text/csv").run()
    assert any("Line 3" in e.value and "not a number" in e.value for e in at.error)
    rows = b"".join(b"%d,%d,%d\n" % (i % 7, i // 7, (i % 7) > 3) for i in range(40))
    at.file_uploader(key=keys.CSV_UPLOAD).clear().upload("good.csv", b"x1,x2,label\n" + rows, "text/csv").run()
    assert_healthy(at)
    assert not at.error and metric(at, "Epoch") == "0"
    at.button(key=keys.STEP).click().run()
    assert metric(at, "Epoch") == "1"


def test_slow_paces_tick_less_often():
    assert tick_interval(0) == RUN_EVERY == tick_interval(60)  # max and fast paces: every RUN_EVERY
    assert tick_interval(1) == 0.5 and tick_interval(3) > tick_interval(10) >= RUN_EVERY


def test_the_reported_csv_is_refused_with_a_message_every_time_it_is_uploaded():
    at = start(ds="custom")
    field = b"x1,x2,label\n0,0,0\n1,1,1\n" + b"9" * 200_000 + b",0,0\n"
    for _ in range(2):  # the first upload showed a traceback, the same file again showed nothing
        at.file_uploader(key=keys.CSV_UPLOAD).clear().upload("huge field.csv", field, "text/csv").run()
        assert_healthy(at)
        assert [e.value for e in at.error] == [
            "`huge field.csv` was refused. Line 4: one value is longer than 131,072 characters; a number takes a "
            "few dozen at most. Check that this is a CSV file of numbers."]
    at.file_uploader(key=keys.CSV_UPLOAD).clear().upload("big.csv", b"0,0,0\n1e39,1,1\n2,2,0\n3,3,1\n", "text/csv").run()
    assert_healthy(at)
    assert "Line 2: x1 is `1e39`, too large" in at.error[0].value
    at.file_uploader(key=keys.CSV_UPLOAD).clear().run()
    assert not at.error  # the message went with the file


def test_the_lecture_view_keeps_a_compact_bar_and_every_setting():
    at = start(ds="spiral", hidden="8,8", present="1", seed="3")
    assert not at.sidebar.selectbox and not at.sidebar.button  # no sidebar
    assert [b.key for b in at.button][:4] == [keys.PLAY, keys.STEP, keys.RESET, keys.LEAVE_LECTURE]
    assert at.select_slider(key=keys.setting("pace")).value == 0
    assert at.session_state[keys.MODEL].config.hidden == (8, 8) and at.session_state[keys.MODEL].config.seed == 3
    at.selectbox(key=keys.PRESET_CHOICE).set_value(next(i for i, p in enumerate(PRESETS) if "XOR" in p.title)).run()
    assert_healthy(at)
    assert at.session_state[keys.MODEL].config.dataset == "xor" and at.query_params["present"] == "1"  # still lecturing
    at.button(key=keys.LEAVE_LECTURE).click().run()
    assert_healthy(at)
    assert at.sidebar.selectbox(key=keys.setting("dataset")).value == "xor"  # the full controls, same setup
    assert "present" not in at.query_params
    at.button(key=keys.ENTER_LECTURE).click().run()
    assert at.query_params["present"] == "1" and not at.sidebar.button
