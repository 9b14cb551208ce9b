"""The 1-D curve fit."""

from __future__ import annotations

import numpy as np

from core import make_dataset
from playground.twod.views import fit
from playground.twod.views.encoding import untyped
from tests.twod.views.helpers import assert_valid


def test_curve_fit_draws_points_and_a_sorted_curve():
    ds = make_dataset("curve", 100, 0.1, 0.7, seed=0)
    xg = np.linspace(4, -4, 50)  # unsorted on purpose
    fig = fit.fit_figure(ds.x_train, ds.y_train, xg, np.sin(xg), ds.x_test, ds.y_test)
    assert_valid(fig)
    assert [t.name for t in fig.data] == ["train", "test", "network"]
    line = fig.data[2]
    assert line.mode == "lines"
    assert np.all(np.diff(untyped(line.x)) > 0)
    np.testing.assert_allclose(untyped(line.y), np.sin(untyped(line.x)), atol=1e-5)
    assert len(untyped(fig.data[0].x)) == len(ds.x_train)
    assert fig.data[1].marker.color == "rgba(0,0,0,0)"  # test points outlined only
    empty = fit.fit_figure(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
    assert [t.name for t in empty.data] == ["network"]
