"""The p = 0.5 line of the decision boundary, by marching squares: pure NumPy.

Computed in the training process with the plane's probabilities, so the window only draws
the segments it is handed.
"""

from __future__ import annotations

import numpy as np


def contour_segments(grid: np.ndarray, level: float, xs: np.ndarray, ys: np.ndarray):
    """Marching squares on grid (len(ys), len(xs)), rows along y: (x, y) of line pairs."""
    above = grid >= level
    H = _crossings(grid, above, level, xs, axis=1) + 1j * ys[:, None]  # (ny, nx-1)
    V = xs[None, :] + 1j * _crossings(grid, above, level, ys, axis=0)  # (ny-1, nx)
    edges = np.stack([H[:-1], V[:, 1:], H[1:], V[:, :-1]], axis=-1).reshape(-1, 4)
    valid = ~np.isnan(edges)
    count = valid.sum(axis=1)
    order = np.argsort(~valid, axis=1, kind="stable")
    two = np.take_along_axis(edges[count == 2], order[count == 2][:, :2], axis=1)
    saddles = edges[count == 4]  # bottom, right, top, left
    corner = above[:-1, :-1].ravel()[count == 4]
    centre = (grid[:-1, :-1] + grid[1:, 1:] + grid[:-1, 1:] + grid[1:, :-1]).ravel()[count == 4]
    keep = (centre / 4 >= level) == corner  # cut off the two corners unlike the centre
    first = np.where(keep[:, None], saddles[:, [0, 1]], saddles[:, [0, 3]])
    second = np.where(keep[:, None], saddles[:, [2, 3]], saddles[:, [2, 1]])
    points = np.concatenate([two, first, second]).ravel()
    return points.real.copy(), points.imag.copy()


def _crossings(grid, above, level, coords, axis):
    """Where the level crosses each edge along `axis` (interpolated coordinate), else NaN."""
    a = grid[:, :-1] if axis == 1 else grid[:-1]
    b = grid[:, 1:] if axis == 1 else grid[1:]
    mask = (above[:, :-1] != above[:, 1:]) if axis == 1 else (above[:-1] != above[1:])
    mask &= np.isfinite(a) & np.isfinite(b)
    c0 = coords[:-1][None, :] if axis == 1 else coords[:-1][:, None]
    c1 = coords[1:][None, :] if axis == 1 else coords[1:][:, None]
    c0, c1 = np.broadcast_to(c0, mask.shape)[mask], np.broadcast_to(c1, mask.shape)[mask]
    out = np.full(mask.shape, np.nan)
    t = (level - a[mask]) / (b[mask] - a[mask])
    out[mask] = c0 + t * (c1 - c0)
    return out
