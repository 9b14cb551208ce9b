"""Colours shared by the paused and live drawings."""

from __future__ import annotations

import numpy as np

from playground.twod.views import colors
from playground.twod.views.colors import hex_to_rgb


def test_two_classes_are_tf_orange_and_blue_and_eight_are_distinct():
    assert colors.class_colors(2) == ["#f59322", "#0877bd"]
    eight = colors.class_colors(8)
    assert len(set(eight)) == 8
    # Distinct to the eye: every pair differs clearly in RGB.
    arr = np.array([hex_to_rgb(c) for c in eight])
    dists = np.linalg.norm(arr[:, None] - arr[None], axis=-1)[np.triu_indices(8, 1)]
    assert dists.min() > 60
    assert colors.class_colors(0) == []
    assert colors.class_colors(10)[8:] == eight[:2]
