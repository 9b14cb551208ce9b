"""The 2D page's "Copy as Python" under AppTest: the script shown is this setup's, its epochs
follow the network's, and run, it prints the numbers the page shows."""

from __future__ import annotations

from playground.export import export_script
from playground.twod import keys
from tests.export.helpers import config_of, run_script
from tests.twod.test_page import assert_healthy, metric, start


def shown_script(at) -> str:
    blocks = [c.value for c in at.code if "def make_data" in c.value]
    assert len(blocks) == 1
    return blocks[0]


def test_the_script_of_the_setup_follows_the_networks_epochs(tmp_path):
    at = start(ds="spiral", hidden="8,8", test="1")
    assert at.number_input(key=keys.EXPORT_EPOCHS).value == 100  # a fresh network: a default run
    assert shown_script(at) == export_script(config_of("ds=spiral&hidden=8,8&test=1"), 100).rstrip("\n")
    for _ in range(3):
        at.button(key=keys.STEP).click().run()
    assert_healthy(at)
    assert at.number_input(key=keys.EXPORT_EPOCHS).value == 3
    script = shown_script(at)
    assert "EPOCHS = 3" in script
    result, _ = run_script(script, tmp_path)
    assert f"{result['train_loss']:.4f}" == metric(at, "Train loss")
    assert f"{result['test_loss']:.4f}" == metric(at, "Test loss")
    assert f"{result['test_accuracy']:.1%}" == metric(at, "Test accuracy")
    # A number typed stays until the network trains again.
    at.number_input(key=keys.EXPORT_EPOCHS).set_value(40).run()
    assert "EPOCHS = 40" in shown_script(at)
    at.button(key=keys.STEP).click().run()
    assert at.number_input(key=keys.EXPORT_EPOCHS).value == 4


def test_your_own_points_go_into_the_script(tmp_path):
    at = start()
    at.selectbox(key=keys.setting("dataset")).set_value("custom").run()
    assert not [c for c in at.code if "def make_data" in c.value]  # no data yet: nothing to export
    rows = b"".join(b"%d,%d,%d\n" % (i % 7, i // 7, (i % 7) > 3) for i in range(40))
    at.file_uploader(key=keys.CSV_UPLOAD).upload("good.csv", b"x1,x2,label\n" + rows, "text/csv").run()
    at.button(key=keys.STEP).click().run()
    assert_healthy(at)
    script = shown_script(at)
    assert "POINTS = np.array(" in script and "[6.0, 4.0]" in script
    result, _ = run_script(script, tmp_path)
    assert f"{result['train_loss']:.4f}" == metric(at, "Train loss")
