"""Model files: round trip, and refusal of every kind of bad file."""

import io
import json
import zipfile

import numpy as np
import pytest

from core import Linear, Net, Softmax, Standardize, Tanh, mlp
from core.layers import Dropout, LeakyReLU
from core.modelfile import ModelFileError, load_model, model_bytes, save_model


def sample_net():
    net = Net([Standardize([1.0, 2.0], [0.5, 0.25])])
    for layer in mlp(2, [5, 4], 3, ["relu", "leaky_relu"], seed=0, dropout=0.1).layers:
        net.add(layer)
    return net


def test_round_trip_gives_identical_predictions(tmp_path):
    net = sample_net()
    x = np.random.default_rng(0).normal(0, 3, (50, 2))
    path = tmp_path / "m.npz"
    save_model(path, net, extra={"classes": ["a", "b", "c"], "features": ["x1", "x2"]})
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.net.predict(x), net.predict(x))
    assert loaded.extra == {"classes": ["a", "b", "c"], "features": ["x1", "x2"]}
    kinds = [type(layer).__name__ for layer in loaded.net.layers]
    assert kinds == [type(layer).__name__ for layer in net.layers]
    assert isinstance(loaded.net.layers[5], LeakyReLU) and isinstance(loaded.net.layers[3], Dropout)


def test_lesson_net_round_trip_from_bytes():
    net = Net([Linear(2, 10, seed=0, dtype=np.float64), Tanh(), Linear(10, 2, seed=1, dtype=np.float64), Softmax()])
    loaded = load_model(model_bytes(net))
    x = np.ones((3, 2))
    np.testing.assert_array_equal(loaded.net.forward(x), net.forward(x))
    assert loaded.net.dtype == np.float64


def rewrite(data: bytes, change) -> bytes:
    """Load the npz members, let change() edit the dict, write it back."""
    with np.load(io.BytesIO(data)) as z:
        arrays = {k: z[k] for k in z.files}
    change(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def meta_edit(edit):
    def change(arrays):
        meta = json.loads(arrays["meta"].tobytes())
        edit(meta)
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    return change


GOOD = model_bytes(mlp(2, [3], 2, seed=0))


@pytest.mark.parametrize(
    "data,match",
    [
        (b"", "empty"),
        (b"hello, not a zip", "truncated or corrupt"),
        (GOOD[: len(GOOD) // 2], "truncated or corrupt"),
        (rewrite(GOOD, lambda a: a.pop("meta")), "no 'meta'"),
        (rewrite(GOOD, lambda a: a.update(meta=np.frombuffer(b"{not json", np.uint8))), "not valid JSON"),
        (rewrite(GOOD, meta_edit(lambda m: m.update(format="other"))), "format"),
        (rewrite(GOOD, meta_edit(lambda m: m.update(version=99))), "version 99"),
        (rewrite(GOOD, meta_edit(lambda m: m["layers"].append({"type": "Exec"}))), "unknown type 'Exec'"),
        (rewrite(GOOD, lambda a: a.update({"layer0.W": np.zeros((3, 5), np.float32)})), r"expected \(3, 2\)"),
        (rewrite(GOOD, lambda a: a.update({"layer0.W": np.full((3, 2), np.nan, np.float32)})), "NaN"),
        (rewrite(GOOD, lambda a: a.update({"layer0.W": np.zeros((3, 2), np.int64)})), "dtype int64"),
        (rewrite(GOOD, lambda a: a.pop("layer2.b")), "no 'b' array"),
        (rewrite(GOOD, lambda a: a.update(extra=np.zeros(3))), "no layer uses: extra"),
        (rewrite(GOOD, meta_edit(lambda m: m["layers"][2].update(nin=4))), "takes 4 inputs but the layer before gives 3"),
    ],
    ids=["empty", "not-zip", "truncated", "no-meta", "bad-json", "format", "version", "unknown-layer",
         "shape", "nan", "int-dtype", "missing-array", "stray-array", "chain"],
)
def test_bad_files_are_refused_with_a_reason(data, match):
    with pytest.raises(ModelFileError, match=match):
        load_model(data)


def test_pickle_bearing_file_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        with io.BytesIO(GOOD) as src, zipfile.ZipFile(src) as good:
            for name in good.namelist():
                if name != "layer0.W.npy":
                        zf.writestr(name, good.read(name))
        obj = io.BytesIO()
        np.save(obj, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
        zf.writestr("layer0.W.npy", obj.getvalue())
    with pytest.raises(ModelFileError, match="pickled"):
        load_model(buf.getvalue())


def test_size_limit_and_missing_path(tmp_path):
    with pytest.raises(ModelFileError, match="larger than"):
        load_model(GOOD, max_bytes=100)
    with pytest.raises(ModelFileError, match="No model file"):
        load_model(tmp_path / "nope.npz")
