"""2D datasets: TF Playground's definitions, multi-class sets, seeds, split, features."""

import numpy as np
import pytest

from core.datasets import DATASETS, make_dataset, make_features, train_test_split, usable_features


@pytest.mark.parametrize("name", DATASETS)
def test_every_set_has_sizes_split_and_seeded_determinism(name):
    a = make_dataset(name, 200, noise=0.2, train_fraction=0.7, seed=4)
    b = make_dataset(name, 200, noise=0.2, train_fraction=0.7, seed=4)
    c = make_dataset(name, 200, noise=0.2, train_fraction=0.7, seed=5)
    assert len(a.x_train) == 140 and len(a.x_test) == 60
    assert len(a.y_train) == 140 and len(a.y_test) == 60
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert not np.array_equal(a.x_train, c.x_train)
    assert np.isfinite(a.x_train).all()
    assert a.x_train.shape[1] == DATASETS[name].input_dims == (1 if name == "curve" else 2)
    if DATASETS[name].task == "classification":
        assert a.task == "classification" and a.y_train.dtype.kind == "i"
        assert set(np.unique(np.concatenate([a.y_train, a.y_test]))) == set(range(a.n_classes))
    else:
        assert a.task == "regression" and a.y_train.dtype.kind == "f"


def test_circle_labels_follow_the_radius_without_noise():
    ds = make_dataset("circle", 500, noise=0.0, train_fraction=1.0, seed=0)
    r = np.hypot(ds.x_train[:, 0], ds.x_train[:, 1])
    assert np.all(r[ds.y_train == 1] <= 2.5) and np.all(r[ds.y_train == 0] >= 3.5)
    assert np.all(r <= 5)


def test_xor_labels_are_the_sign_of_the_product_and_off_the_axes():
    ds = make_dataset("xor", 500, noise=0.0, train_fraction=1.0, seed=0)
    x = ds.x_train
    np.testing.assert_array_equal(ds.y_train, (x[:, 0] * x[:, 1] >= 0).astype(int))
    assert np.abs(x).min() >= 0.3 and np.abs(x).max() <= 5.3


def test_noise_flips_some_xor_labels():
    ds = make_dataset("xor", 2000, noise=0.5, train_fraction=1.0, seed=0)
    x = ds.x_train
    disagree = np.mean(ds.y_train != (x[:, 0] * x[:, 1] >= 0))
    assert 0.1 < disagree < 0.5


@pytest.mark.parametrize("k", [2, 3, 6, 8])
def test_multiclass_spiral_and_blobs(k):
    for name in ("spiral", "blobs"):
        ds = make_dataset(name, 60 * k, noise=0.0, train_fraction=1.0, seed=0, n_classes=k)
        assert ds.n_classes == k
        counts = np.bincount(ds.y_train, minlength=k)
        assert counts.min() >= 59 and counts.max() <= 61


def test_spiral_arm_radius_grows_along_the_arm():
    ds = make_dataset("spiral", 200, noise=0.0, train_fraction=1.0, seed=0)
    r = np.hypot(ds.x_train[:, 0], ds.x_train[:, 1])
    assert r.min() == pytest.approx(0.0, abs=1e-9) and r.max() < 5


def test_plane_and_multi_gaussian_targets():
    ds = make_dataset("plane", 300, noise=0.0, train_fraction=1.0, seed=0)
    np.testing.assert_allclose(ds.y_train, ds.x_train.sum(axis=1) / 10)
    mg = make_dataset("multi_gaussian", 300, noise=0.0, train_fraction=1.0, seed=0)
    assert mg.y_train.min() >= -1 and mg.y_train.max() <= 1 and (mg.y_train > 0.5).any() and (mg.y_train < -0.5).any()


def test_features():
    pts = np.array([[1.0, 2.0], [-3.0, 0.5]])
    f = make_features(pts, ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"])
    np.testing.assert_allclose(f[0], [1, 2, 1, 4, 2, np.sin(1), np.sin(2)])
    with pytest.raises(ValueError, match="second input column"):
        make_features(pts[:, :1], ["x2"])
    with pytest.raises(ValueError, match="Unknown feature"):
        make_features(pts, ["cos(x1)"])


@pytest.mark.parametrize(
    "kwargs,match",
    [({"name": "moon"}, "Unknown dataset"), ({"name": "xor", "n_points": 2}, "at least 4"),
     ({"name": "xor", "noise": 2}, "Noise"), ({"name": "spiral", "n_classes": 9}, "2 to 8"),
     ({"name": "xor", "train_fraction": 0}, "train share")],
)
def test_bad_dataset_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_dataset(**kwargs)


def test_split_is_a_partition():
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    xtr, ytr, _, yte = train_test_split(x, y, 0.6, np.random.default_rng(0))
    assert sorted(np.concatenate([ytr, yte])) == list(range(10)) and len(ytr) == 6
    np.testing.assert_array_equal(xtr[:, 0] // 2, ytr)


def test_usable_features_keep_the_table_order_and_drop_x2_for_one_column():
    assert usable_features(["sin(x1)", "x1", "x2"]) == ("x1", "x2", "sin(x1)")
    assert usable_features(["x2", "x1^2", "x1*x2"], input_dims=1) == ("x1^2",)
    assert usable_features(["x2"], input_dims=1) == ("x1",)


def test_unknown_dataset_names_the_choices():
    with pytest.raises(ValueError, match="choose one of circle, xor"):
        make_dataset("swirl")
