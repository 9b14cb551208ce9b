"""preprocess_digit: LeCun's recipe for drawn and uploaded digits (core/mnist/preprocess.py)."""

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy import ndimage

from core.mnist import load_image_file, preprocess_digit, sample_split


def drawn_zero(size=280, box=(30, 40, 80, 110), width=9, ink=255, paper=0, mode="L"):
    """An ellipse 'digit' drawn with a thick pen on a size x size canvas."""
    img = Image.new(mode, (size, size), paper)
    ImageDraw.Draw(img).ellipse(box, outline=ink, width=width)
    return np.asarray(img)


def ink_box(digit, level=0.05):
    rows, cols = np.nonzero(digit > level)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


def assert_mnist_like(digit):
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.min() >= 0.0 and digit.max() <= 1.0 and digit.max() > 0.9
    h, w = ink_box(digit)
    assert max(h, w) in (19, 20, 21), f"ink box {h}x{w}, expected the longer side ~20 px"
    cy, cx = ndimage.center_of_mass(digit)
    assert abs(cy - 14.0) <= 0.75 and abs(cx - 14.0) <= 0.75, f"centre of mass at {cy:.2f}, {cx:.2f}"
    # nothing touches the frame: the 20-px box sits inside the 28x28 image
    assert digit[0].max() == 0 and digit[-1].max() == 0 and digit[:, 0].max() == 0 and digit[:, -1].max() == 0


def test_small_off_centre_drawing_is_scaled_up_and_centred():
    digit = preprocess_digit(drawn_zero(box=(10, 150, 50, 210), width=6))
    assert_mnist_like(digit)


def test_large_drawing_is_scaled_down_and_centred():
    digit = preprocess_digit(drawn_zero(box=(5, 2, 270, 276), width=25))
    assert_mnist_like(digit)


def test_small_and_large_versions_of_one_shape_agree():
    small = preprocess_digit(drawn_zero(box=(200, 10, 240, 70), width=4))
    large = preprocess_digit(drawn_zero(box=(20, 20, 180, 260), width=16))
    assert np.corrcoef(small.ravel(), large.ravel())[0, 1] > 0.8


@pytest.mark.parametrize("image", [np.zeros((280, 280), np.uint8), np.full((280, 280, 3), 255, np.uint8),
                                   np.zeros((280, 280, 4), np.uint8), np.full((50, 70), 0.5, np.float32),
                                   np.zeros((28, 28), np.uint8)])
def test_blank_stays_blank(image):
    assert preprocess_digit(image) is None


def test_faint_noise_counts_as_blank():
    rng = np.random.default_rng(0)
    noise = (128 + rng.integers(-8, 9, (200, 200))).astype(np.uint8)
    assert preprocess_digit(noise) is None


def test_dark_on_light_is_inverted():
    light_on_dark = preprocess_digit(drawn_zero(ink=255, paper=0))
    dark_on_light = preprocess_digit(drawn_zero(ink=0, paper=255))
    assert dark_on_light[0, 0] == 0.0  # the white paper became background
    np.testing.assert_allclose(dark_on_light, light_on_dark, atol=1e-6)


def test_grey_paper_and_rgb_pen():
    rgb = np.asarray(Image.fromarray(drawn_zero(ink=40, paper=200)).convert("RGB"))
    reference = preprocess_digit(drawn_zero())
    digit = preprocess_digit(rgb)
    assert_mnist_like(digit)
    assert np.corrcoef(digit.ravel(), reference.ravel())[0, 1] > 0.95


def test_rgba_with_ink_in_alpha_only():
    """A transparent canvas with black ink: RGB is all zero, the strokes live in alpha."""
    alpha = drawn_zero()
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[:, :, 3] = alpha
    digit = preprocess_digit(rgba)
    assert_mnist_like(digit)
    np.testing.assert_allclose(digit, preprocess_digit(alpha), atol=1e-6)


def test_rgba_white_ink_on_transparent_background():
    alpha = drawn_zero()
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[:, :, :3] = 255
    rgba[:, :, 3] = alpha
    np.testing.assert_allclose(preprocess_digit(rgba), preprocess_digit(alpha), atol=1e-6)


def test_float_input_in_unit_range():
    as_float = drawn_zero().astype(np.float64) / 255.0
    np.testing.assert_allclose(preprocess_digit(as_float), preprocess_digit(drawn_zero()), atol=1e-6)


def test_28x28_input_is_taken_as_mnist_format():
    x_train, _, _, _ = sample_split()
    digit = preprocess_digit(x_train[0])
    np.testing.assert_allclose(digit, x_train[0] / 255.0, atol=1e-6)
    inverted = preprocess_digit(255 - x_train[0])  # dark on light: inverted back
    np.testing.assert_allclose(inverted, x_train[0] / 255.0, atol=1e-6)


def test_enlarged_mnist_digit_comes_back_close_to_the_original():
    """A real digit blown up 10x onto white paper and moved off-centre reads back as itself."""
    _, _, x_test, _ = sample_split()
    original = x_test[3]
    big = np.asarray(Image.fromarray(255 - original).resize((280, 280), Image.Resampling.BILINEAR))
    big = np.roll(big, (-40, -35), axis=(0, 1))  # white paper rolls in; the digit moves up and left
    digit = preprocess_digit(big)
    assert np.corrcoef(digit.ravel(), original.ravel() / 255.0)[0, 1] > 0.85


@pytest.mark.parametrize("bad", [np.zeros((0, 10)), np.zeros((5, 5, 2)), np.array([["a"]]), np.full((9, 9), np.nan)])
def test_bad_arrays_get_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"image|Image"):
        preprocess_digit(bad)


def png_bytes(array, mode=None):
    buf = io.BytesIO()
    Image.fromarray(array, mode).save(buf, format="PNG")
    buf.seek(0)
    return buf


def test_load_image_file_reads_png_and_refuses_absurd_sizes(tmp_path):
    assert load_image_file(png_bytes(drawn_zero())).shape == (280, 280)
    huge = tmp_path / "huge.png"
    Image.new("L", (5000, 10)).save(huge)
    with pytest.raises(ValueError, match="4096"):
        load_image_file(huge)
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image at all")
    with pytest.raises(ValueError, match="Not a readable image"):
        load_image_file(junk)


def test_16_bit_png_is_scaled_not_clipped(tmp_path):
    deep = (drawn_zero().astype(np.uint16) * 257)  # 0..65535
    path = tmp_path / "deep.png"
    Image.fromarray(deep).save(path)
    picture = load_image_file(path)
    assert picture.max() == 1.0
    np.testing.assert_allclose(preprocess_digit(picture), preprocess_digit(drawn_zero()), atol=1e-5)
