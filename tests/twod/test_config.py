"""The 2D page's settings table without a browser: config <-> URL, ranges, notices."""

from dataclasses import fields

import pytest

from core import ACTIVATIONS, DATASETS, FEATURES, OPTIMIZERS
from playground.twod import controls
from playground.twod.config import CUSTOM, LEARNING_RATES, SETTINGS, WORKED, Config, Kind, kind_of
from playground.twod.model import Model
from playground.twod.presets import PRESETS

ODD = Config(dataset="blobs", n_classes=5, hidden=(3, 16, 1), activations=("relu", "tanh", "sigmoid"),
             features=("x1", "sin(x2)", "x1*x2"), lr=0.00001, reg="l1", reg_rate=10.0, optimizer="momentum",
             show_test=True, discretize=True, train_pct=90, seed=123456, pace=3)


@pytest.mark.parametrize("config", [Config(), *[p.config for p in PRESETS], ODD])
def test_config_round_trips_through_the_url(config):
    query = config.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    back, notices = Config.from_query(query)
    assert notices == []
    assert back == config.normalised()


def test_default_config_gives_a_clean_url():
    assert Config().to_query() == {}
    assert Config.from_query({}) == (Config(), [])


def test_malformed_url_values_are_ignored_with_a_notice():
    config, notices = Config.from_query({"ds": "moon", "n": "lots", "hidden": "8,x", "act": "swish", "test": "maybe",
                                         "lr": "nan", "seed": "7"})
    assert config == Config(seed=7)
    text = " ".join(map(str, notices))  # the English text (the page shows translate(notice, lang))
    for key in ("ds=moon", "n=lots", "hidden=8,x", "act=swish", "test=maybe", "lr=nan"):
        assert key in text
    assert len(notices) == 6


def test_out_of_range_url_values_are_clamped_with_a_notice():
    config, notices = Config.from_query({"n": "99999", "noise": "-5", "bs": "0", "hidden": "40,2,3,4,5,6,7,8,9,10",
                                         "lr": "0.05", "k": "12", "ds": "spiral"})
    assert config.n_points == 2000 and config.noise == 0 and config.batch == 1 and config.n_classes == 8
    assert config.hidden == (16, 2, 3, 4, 5, 6, 7, 8)  # at most 8 layers of at most 16
    assert config.lr in LEARNING_RATES and config.lr == 0.03  # snapped to the nearest rung on a log scale
    assert len(notices) == 6 and all("used" in str(n) for n in notices)


def test_the_pace_snaps_to_its_steps_and_max_is_the_default():
    assert Config.from_query({"pace": "10"}) == (Config(pace=10), [])
    config, notices = Config.from_query({"pace": "7"})
    assert config.pace == 10 and len(notices) == 1  # nearest step on a log scale
    for raw in ("500", "-3"):
        config, notices = Config.from_query({"pace": raw})
        assert config.pace == 0 and len(notices) == 1  # beyond the steps: as fast as possible
    config, notices = Config.from_query({"pace": "slow"})
    assert config.pace == 0 and "pace=slow" in str(notices[0])
    model = Model.build(Config(dataset="xor", hidden=(4,), activations=("tanh",))).trained(epochs=2)
    assert model.needs_rebuild(Config(**{**model.config.__dict__, "pace": 1})) is None  # a setting, no reset


def test_per_layer_activations_and_a_mismatch():
    config, notices = Config.from_query({"hidden": "4,4,4", "act": "relu,tanh,sigmoid"})
    assert config.activations == ("relu", "tanh", "sigmoid") and notices == []
    config, notices = Config.from_query({"hidden": "4,4,4", "act": "relu,tanh"})
    assert config.activations == ("relu",) * 3 and len(notices) == 1
    config, _ = Config.from_query({"hidden": "none"})
    assert config.hidden == () and config.activations == ()


def test_every_setting_is_described_once_in_the_table():
    urls = [s.metadata["url"] for s in SETTINGS]
    assert len(urls) == len(set(urls)) == len(fields(Config))
    assert all(isinstance(s.metadata["kind"], Kind) for s in SETTINGS)
    default = Config()
    for s in SETTINGS:  # each default is a valid value of its own kind
        assert s.metadata["kind"].clamp(getattr(default, s.name), None) == getattr(default, s.name), s.name


def test_choice_lists_come_from_the_core_tables():
    assert kind_of("dataset").options == (*DATASETS, CUSTOM, WORKED)  # the page's own: the user's, Mazur's
    assert kind_of("activations").options == tuple(ACTIVATIONS)
    assert kind_of("optimizer").options == tuple(OPTIMIZERS)
    assert kind_of("features").options == tuple(FEATURES)


@pytest.mark.parametrize("config", [Config(), ODD, *[p.config for p in PRESETS],
                                    Config(hidden=(3, 5), activations=("relu", "sigmoid"))])
def test_widgets_show_a_config_and_read_it_back(config, monkeypatch):
    """widget_values -> the widgets' state -> read_config gives the same config back."""
    monkeypatch.setattr(controls.st, "session_state", dict(controls.widget_values(config.normalised())))
    assert controls.read_config() == config.normalised()


def test_a_url_cannot_put_markdown_on_the_page():
    """Notices echo bad URL values inside a code span: no backtick may close it, and long values are cut."""
    attack = "x` [Session expired - log in](https://evil.example) ![i](https://evil.example/i.png) `" + "y" * 100
    _, notices = Config.from_query({"ds": attack})
    (notice,) = map(str, notices)
    # All of it inside the first code span (the second lists the choices).
    assert notice.count("`") == 4 and notice.index("`") < notice.index("[Session") < notice.index("`", notice.index("`") + 1)
    assert "y" * 50 not in notice and "…" in notice


def test_no_activation_for_hidden_layers_takes_the_default():
    # Found by the property test over query strings: "act=none" raised IndexError.
    config, notices = Config.from_query({"act": "none"})
    assert config.activations == (Config.activations[0],) * len(config.hidden) and notices == []
    config, _ = Config.from_query({"act": "none", "hidden": "3,3,3"})
    assert config.activations == (Config.activations[0],) * 3


def test_the_view_and_the_space_settings_live_in_the_url():
    query = {"view": "space", "sl": "2", "sz": "1", "sa": "3,5", "sf": "1"}
    config, notices = Config.from_query(query)
    assert notices == [] and config.to_query() == query
    assert (config.view, config.space_layer, config.space_pre, config.space_axes, config.space_fixed) == (
        "space", 2, True, "3,5", True)
    config, notices = Config.from_query({"view": "inside", "sa": "5,3"})  # pairs are written smaller neuron first
    assert config.view == "map" and config.space_axes == "pca" and len(notices) == 2
    assert Config.from_query({"view": "backprop", "ds": "worked"})[0].task == "regression"  # Mazur's two targets
