"""The p = 0.5 line of the plane, computed in the training process (marching squares)."""

import numpy as np

from dnnviz.training.contour import contour_segments


def test_contour_of_a_ramp_is_a_straight_line():
    xs, ys = np.linspace(0, 1, 11), np.linspace(-1, 1, 21)
    grid = np.broadcast_to(xs, (21, 11)).copy()  # p = x
    x, y = contour_segments(grid, 0.45, xs, ys)
    assert len(x) == 2 * 20  # one segment per row of cells
    np.testing.assert_allclose(x, 0.45)
    assert y.min() == -1 and y.max() == 1


def test_contour_of_a_bump_is_a_circle():
    xs = ys = np.linspace(-1, 1, 81)
    gx, gy = np.meshgrid(xs, ys)
    x, y = contour_segments(np.hypot(gx, gy), 0.5, xs, ys)
    assert len(x) > 50 and len(x) % 2 == 0
    np.testing.assert_allclose(np.hypot(x, y), 0.5, atol=0.01)


def test_contour_skips_nan_and_saddles_give_two_segments():
    xs = ys = np.arange(2.0)
    x, _ = contour_segments(np.array([[1.0, 0.0], [0.0, 1.0]]), 0.5, xs, ys)
    assert len(x) == 4
    x, _ = contour_segments(np.array([[np.nan, 0.0], [0.0, 1.0]]), 0.5, xs, ys)
    assert np.isfinite(x).all()
