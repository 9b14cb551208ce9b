"""The live view's pictures as small images: the decision map with its data points, the
curve fit for 1-D data, and the loss/accuracy and gradient/weight-norm curves.

While training plays they are redrawn for every refresh (by the training process, see
``live_frame``): the browser swaps an image in a few milliseconds, where re-mounting a plotly
figure cost it ~150 ms of main thread (Chromium CPU profile). The colours come from the
chart builders (``charts.decision_map_rgb``), so these images and the plotly figures (used
when paused, with axes and hover) look the same. Arrays in, image bytes out; the data
points' layer is drawn once per data set and kept (a small cache shared by sessions).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from playground import charts
from playground.charts_render import BLUE, ORANGE, hex_to_rgb

TRAIN_OUTLINE = (255, 255, 255)
TEST_OUTLINE = (17, 17, 17)


def map_jpeg(values, extent, task: str, n_classes: int, x_train, y_train, x_test=None, y_test=None,
            discretize: bool = False, show_test: bool = True, size: int = 400, radius: float = 3.5) -> bytes:
    """values: (res, res, k) probabilities or (res, res) predictions, rows along y from ymin;
    extent: (xmin, xmax, ymin, ymax); x_*: (n, 2) points, y_*: (n,) labels or targets.
    Returns a size×size JPEG: the map smoothly upscaled, train points with a white rim, test
    points (when ``show_test``) with a black one."""
    regression = task == "regression"
    scale = charts.value_scale(values, y_train) if regression else None
    rgb = charts.decision_map_rgb(values, task, n_classes, discretize, scale)
    image = Image.fromarray(np.ascontiguousarray(rgb)).resize((size, size), Image.BILINEAR)
    arrays = [np.ascontiguousarray(a) for a in (x_train, y_train)]
    if show_test and x_test is not None and len(x_test):
        arrays += [np.ascontiguousarray(a) for a in (x_test, y_test)]
    key = (tuple((a.dtype.str, a.shape, a.tobytes()) for a in arrays), tuple(float(v) for v in extent), regression,
           scale, n_classes, size, radius)
    overlay = _points_overlay(key, *arrays)
    image.paste(overlay, (0, 0), overlay)
    buffer = io.BytesIO()
    # JPEG: ~25 KB at 400 px in ~1 ms; PNG of the smooth shading is twice the size and 30× slower.
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


_OVERLAYS: dict = {}  # points layers by data set (a few; a dict shared by the sessions' threads)


def _points_overlay(key, *arrays) -> Image.Image:
    """The data points as a transparent layer, drawn once per data set: they do not move while
    training plays, only the map under them changes. The key holds the arrays' bytes."""
    overlay = _OVERLAYS.get(key)
    if overlay is None:
        overlay = _draw_points(key[1:], *arrays)
        if len(_OVERLAYS) >= 16:
            _OVERLAYS.clear()
        _OVERLAYS[key] = overlay
    return overlay


def _draw_points(settings, *arrays) -> Image.Image:
    extent, regression, scale, n_classes, size, radius = settings
    overlay = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    sets = [(arrays[0], arrays[1], TRAIN_OUTLINE)]
    if len(arrays) > 2:
        sets.append((arrays[2], arrays[3], TEST_OUTLINE))
    palette = [_rgb(c) for c in charts.class_colors(max(n_classes, 2))]
    xmin, xmax, ymin, ymax = extent
    for x, y, outline in sets:
        x = np.asarray(x, dtype=np.float64)
        px = (x[:, 0] - xmin) / (xmax - xmin) * (size - 1)
        py = (ymax - x[:, 1]) / (ymax - ymin) * (size - 1)
        if regression:
            fills = charts.values_to_rgb(np.asarray(y, dtype=np.float32), scale)
            fills = [tuple(int(c) for c in f) for f in np.asarray(fills).reshape(-1, 3)]
        else:
            fills = [palette[int(label) % len(palette)] for label in y]
        for cx, cy, fill in zip(px.tolist(), py.tolist(), fills):
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(*fill, 255), outline=(*outline, 255))
    return overlay


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


# ---- curves as one image, for the live view ----------------------------------------------------
CURVE_COLORS = ((68, 68, 68), (228, 87, 46))
LAYER_COLORS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
                (227, 119, 194), (23, 190, 207))
GRID = (235, 235, 235)
# Pillow's bitmap font: labels in a live image every frame, ~20x faster than its FreeType default.
LABEL_FONT = ImageFont.load_default_imagefont()
INK = (60, 60, 60)


def curves_png(epochs, train_loss, test_loss, train_acc, test_acc, grad_norms, weight_norms, layer_names,
               width: int = 560, height: int = 520) -> bytes:
    """Loss (thick) and accuracy (thin, 0 to 100 %) over epochs, then per-layer gradient and
    weight norms on log scales, as one small PNG drawn with Pillow in a few milliseconds.
    While training plays this stands in for the plotly charts: re-mounting them was the
    browser's heaviest work per second (measured, see benchmarks/bench_ui.py)."""
    # A palette image: a dozen flat colours encode as PNG ~5x faster than RGB (and smaller);
    # text in the bitmap font needs no anti-aliasing.
    image = Image.new("P", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    draw.font = LABEL_FONT
    epochs = np.asarray(epochs, dtype=np.float64).ravel()
    panel_h = (height - 20) // 3
    loss = [(name, np.asarray(v, dtype=np.float64).ravel(), color)
            for name, v, color in (("train loss", train_loss, CURVE_COLORS[0]), ("test loss", test_loss, CURVE_COLORS[1]))
            if v is not None and len(v)]
    acc = [(name, np.asarray(v, dtype=np.float64).ravel(), color)
           for name, v, color in (("train acc", train_acc, CURVE_COLORS[0]), ("test acc", test_acc, CURVE_COLORS[1]))
           if v is not None and len(v)]
    top = 0
    _panel(draw, (0, top, width, top + panel_h), epochs, loss, log=False, title="loss", thin=acc)
    names = list(layer_names or [])
    for rows, title in ((grad_norms, "gradient |dW| (log)"), (weight_norms, "weights |W| (log)")):
        top += panel_h + 10
        data = _matrix(rows)
        series = [(names[j] if j < len(names) else f"layer {j + 1}", data[:, j], LAYER_COLORS[j % len(LAYER_COLORS)])
                  for j in range(data.shape[1])]
        _panel(draw, (0, top, width, top + panel_h), epochs, series, log=True, title=title)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _matrix(rows) -> np.ndarray:
    try:
        data = np.asarray(rows if rows is not None else [], dtype=np.float64)
    except ValueError:  # ragged: the architecture changed mid-history; keep the latest rows
        rows = list(rows)
        data = np.asarray([r for r in rows if len(r) == len(rows[-1])], dtype=np.float64)
    if data.ndim == 1:
        data = data.reshape(-1, 1) if data.size else data.reshape(0, 0)
    return data


def _panel(draw, box, epochs, series, log: bool, title: str, thin=()) -> None:
    """One chart: title and legend on top, a grid, y range at the left, epochs underneath."""
    x0, y0, x1, y1 = box
    left, right, top, bottom = x0 + 62, x1 - 10, y0 + 16, y1 - 14
    draw.text((x0 + 4, y0 + 2), title, fill=INK)
    legend_x = x0 + 150
    for name, _, color in [*series, *thin]:
        draw.text((legend_x, y0 + 2), name, fill=color)
        legend_x += 8 + int(draw.textlength(name))
    draw.rectangle((left, top, right, bottom), outline=GRID)
    ys = [np.asarray(v, dtype=np.float64) for _, v, _ in series if len(v)]
    if not ys:
        draw.text((left + 10, (top + bottom) // 2), "No training yet: press Play or Step.", fill=INK)
        return
    values = np.concatenate(ys)
    values = values[np.isfinite(values)]
    if log:
        positive = values[values > 0]
        floor = positive.min() / 10 if positive.size else 1e-12
        lo = np.log10(positive.min() if positive.size else floor)
        hi = np.log10(max(values.max(), floor) if values.size else 1.0)
    else:
        lo, hi = 0.0, float(values.max()) if values.size else 1.0
    hi = hi if hi > lo else lo + 1
    n = max(len(v) for v in ys)
    e_first, e_last = (float(epochs[-n]), float(epochs[-1])) if len(epochs) >= n else (1.0, float(n))
    span = max(e_last - e_first, 1.0)
    for frac in (0.25, 0.5, 0.75):
        y = bottom - frac * (bottom - top)
        draw.line((left, y, right, y), fill=GRID)

    def label(v):
        return f"{10 ** v:.2g}" if log else f"{v:.3g}"
    draw.text((x0 + 4, top - 2), label(hi), fill=INK)
    draw.text((x0 + 4, bottom - 10), label(lo), fill=INK)
    draw.text((left, bottom + 2), f"{e_first:.0f}", fill=INK)
    last = f"epoch {e_last:.0f}"
    draw.text((right - draw.textlength(last), bottom + 2), last, fill=INK)

    def points(v, lo, hi):
        v = np.asarray(v, dtype=np.float64)
        x = epochs[-len(v):] if len(epochs) >= len(v) else np.arange(1, len(v) + 1, dtype=np.float64)
        if len(v) > 2 * (right - left):
            keep = np.linspace(0, len(v) - 1, 2 * (right - left)).round().astype(int)
            x, v = x[keep], v[keep]
        if log:
            v = np.log10(np.maximum(v, 10 ** lo))
        px = left + (x - e_first) / span * (right - left)
        py = bottom - (np.clip(v, lo, hi) - lo) / (hi - lo) * (bottom - top)
        return list(zip(px.tolist(), py.tolist()))

    for _, v, color in series:
        pts = points(v, lo, hi)
        if len(pts) > 1:
            draw.line(pts, fill=color, width=2)
    for _, v, color in thin:  # accuracy: 0 to 1 over the panel's height, a thin line
        pts = points(v, 0.0, 1.0)
        if len(pts) > 1:
            draw.line(pts, fill=color, width=1)
    if thin:
        draw.text((right - 30, top + 2), "100%", fill=INK)


def curve_fit_png(x_train, y_train, x_grid, y_pred, x_test=None, y_test=None, size: int = 400) -> bytes:
    """1-D regression as one small image (the live stand-in for ``charts.curve_fit_figure``):
    x_*: (n,) inputs, y_*: (n,) targets; x_grid: (m,) sorted inputs, y_pred: (m,) the network's
    predictions there. Train points filled, test points outlined, the fit as a dark line."""
    image = Image.new("P", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    draw.font = LABEL_FONT
    left, right, top, bottom = 40, size - 8, 8, size - 20
    x_train, y_train = np.ravel(x_train).astype(np.float64), np.ravel(y_train).astype(np.float64)
    xg, yp = np.ravel(x_grid).astype(np.float64), np.nan_to_num(np.ravel(y_pred).astype(np.float64))
    tests = x_test is not None and y_test is not None and len(np.ravel(x_test))
    xs = [x_train, xg, *([np.ravel(x_test).astype(np.float64)] if tests else [])]
    ys = [y_train, *([np.ravel(y_test).astype(np.float64)] if tests else [])]
    x_lo, x_hi = min(float(v.min()) for v in xs if v.size), max(float(v.max()) for v in xs if v.size)
    y_data = np.concatenate(ys)
    # The data set the vertical range (with a margin); a wild fit is clipped at the edges, not rescaled.
    y_lo, y_hi = float(y_data.min()), float(y_data.max())
    pad = max(y_hi - y_lo, 1e-6) * 0.15
    y_lo, y_hi = y_lo - pad, y_hi + pad
    x_hi = x_hi if x_hi > x_lo else x_lo + 1

    def px(x, y):
        return (left + (np.asarray(x) - x_lo) / (x_hi - x_lo) * (right - left),
                bottom - (np.clip(y, y_lo, y_hi) - y_lo) / (y_hi - y_lo) * (bottom - top))

    draw.rectangle((left, top, right, bottom), outline=GRID)
    for frac in (0.25, 0.5, 0.75):
        y = bottom - frac * (bottom - top)
        draw.line((left, y, right, y), fill=GRID)
    draw.text((2, top), f"{y_hi:.2g}", fill=INK)
    draw.text((2, bottom - 10), f"{y_lo:.2g}", fill=INK)
    draw.text((left, bottom + 4), f"{x_lo:.2g}", fill=INK)
    draw.text((right - 30, bottom + 4), f"{x_hi:.2g}", fill=INK)
    blue, orange = (tuple(int(c) for c in hex_to_rgb(color)) for color in (BLUE, ORANGE))
    for x, y in zip(*px(x_train, y_train)):
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=blue)
    if tests:
        for x, y in zip(*px(np.ravel(x_test), np.ravel(y_test))):
            draw.ellipse((x - 3, y - 3, x + 3, y + 3), outline=orange)
    order = np.argsort(xg, kind="stable")
    gx, gy = px(xg[order], yp[order])
    draw.line(list(zip(gx.tolist(), gy.tolist())), fill=(34, 34, 34), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
