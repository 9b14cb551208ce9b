"""Training digit networks through core.Trainer, prediction and the cached default model (core/mnist/train.py)."""

import numpy as np
import pytest

import core.mnist.train as train_module
from core import Trainer, load_model
from core.mnist import Recipe, build_digit_net, default_digit_model, digit_trainer, predict_digits, sample_split, train_digits


@pytest.fixture(scope="module")
def split():
    return sample_split()


def test_training_on_part_of_the_sample_beats_85_percent(split):
    x_train, y_train, x_test, y_test = split
    net = build_digit_net((64,), "relu", seed=0)
    trainer = digit_trainer(net, x_train[:2000], y_train[:2000], x_test, y_test, lr=2e-3, batch_size=64, seed=0)
    assert isinstance(trainer, Trainer) and trainer.x.shape == (2000, 784)
    trainer.run_epochs(8)
    result = trainer.evaluate()
    assert result["accuracy"] > 0.85, result
    probs = predict_digits(net, x_test[:5] / 255.0)
    assert probs.shape == (5, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_augmented_trainer_holds_the_copies_up_front(split):
    x_train, y_train, x_test, y_test = split
    trainer = digit_trainer(build_digit_net((16,)), x_train[:100], y_train[:100], x_test[:50], y_test[:50],
                            optimizer="momentum", lr=0.05, batch_size=32, augment=True, seed=1, copies=3)
    assert trainer.x.shape == (400, 784) and trainer.x.dtype == np.float32
    assert trainer.x.min() >= 0.0 and trainer.x.max() <= 1.0
    trainer.step(3)


def test_recipe_trains_and_reports(split):
    x_train, y_train, x_test, y_test = split
    seen = []
    result = train_digits(x_train[:1000], y_train[:1000], x_test, y_test,
                          Recipe(hidden=(64,), rounds=3, copies=1, batch_size=32),
                          progress=lambda done, total, m: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert result.test_accuracy > 0.8 and result.train_accuracy > result.test_accuracy - 0.05
    assert result.rounds == 3 and result.seconds > 0


def test_default_model_is_trained_once_then_loaded_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_PLAYGROUND_CACHE", str(tmp_path))
    monkeypatch.setattr(train_module, "default_model_recipe", lambda: Recipe(hidden=(32,), rounds=1, copies=1))
    first = default_digit_model()
    path = tmp_path / train_module.DEFAULT_MODEL_FILE
    assert path.is_file() and load_model(path).extra["tag"] == train_module.DEFAULT_MODEL_TAG
    monkeypatch.setattr(train_module, "train_digits", lambda *a, **k: pytest.fail("should load from the cache"))
    second = default_digit_model()
    np.testing.assert_array_equal(first.linear_layers()[0].W, second.linear_layers()[0].W)


def test_a_damaged_default_model_cache_is_retrained(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_PLAYGROUND_CACHE", str(tmp_path))
    monkeypatch.setattr(train_module, "default_model_recipe", lambda: Recipe(hidden=(8,), rounds=1, copies=1))
    (tmp_path / train_module.DEFAULT_MODEL_FILE).write_bytes(b"not a model")
    net = default_digit_model()
    assert net.n_inputs == 784 and net.n_outputs == 10
    load_model(tmp_path / train_module.DEFAULT_MODEL_FILE)  # replaced by a valid file


def test_training_can_limit_blas_threads():
    import threadpoolctl  # in requirements.txt

    with train_module.blas_threads(1):
        assert all(pool["num_threads"] == 1 for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas")
    with train_module.blas_threads(None):
        pass


# Pen strokes on a 280x280 canvas, as (x, y) points: how a person draws these digits.
STROKES = {
    0: [(140, 50), (80, 100), (80, 200), (140, 240), (200, 200), (200, 100), (140, 50)],
    1: [(150, 50), (140, 230)],
    2: [(80, 90), (140, 50), (200, 90), (80, 230), (210, 230)],
    3: [(80, 60), (200, 60), (130, 130), (200, 180), (140, 230), (80, 210)],
    4: [(180, 230), (180, 50), (70, 170), (220, 170)],
    7: [(80, 60), (200, 60), (120, 230)],
}


def draw(points, style):
    """A drawing as the page or an upload delivers it, in one of three styles."""
    from PIL import Image, ImageDraw

    if style == "transparent canvas, small and off-centre":  # black ink: RGB all zero, strokes in alpha only
        img, ink, width = Image.new("RGBA", (280, 280), (0, 0, 0, 0)), (0, 0, 0, 255), 8
        points = [(x * 0.5 + 20, y * 0.5 + 120) for x, y in points]
    elif style == "white on black canvas":
        img, ink, width = Image.new("RGBA", (280, 280), (0, 0, 0, 255)), (255, 255, 255, 255), 18
    else:  # dark ink on white paper, a thick pen, RGB
        img, ink, width = Image.new("RGB", (280, 280), (250, 250, 245)), (20, 20, 60), 30
    ImageDraw.Draw(img).line(points, fill=ink, width=width, joint="curve")
    return np.asarray(img)


def test_drawn_digits_are_read_right_end_to_end(split):
    """Preprocessing plus a small net trained in about a second read hand-drawn digits in every style."""
    from core.mnist import preprocess_digit

    x_train, y_train, _, _ = split
    net = train_digits(x_train, y_train, None, None, Recipe(hidden=(128,), rounds=3, copies=1, batch_size=64)).net
    styles = ["transparent canvas, small and off-centre", "white on black canvas", "dark on white paper"]
    read = {(digit, style): int(predict_digits(net, preprocess_digit(draw(points, style))[None])[0].argmax())
            for digit, points in STROKES.items() for style in styles}
    assert read == {(digit, style): digit for digit in STROKES for style in styles}
