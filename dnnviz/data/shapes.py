"""A generated picture set: a circle (label 1) or another shape (label 0) on a noisy background.

Drawn with coordinate grids and signed distances, all images of a kind at once, so a few
hundred 64x64 pictures take a fraction of a second. Edges are anti-aliased over one pixel.
"""

from __future__ import annotations

import numpy as np

SIZE = 64
CLASSES = ("other", "circle")
CIRCLE, SQUARE, TRIANGLE = 0, 1, 2
JITTER = 5.0          # pixels the centre may move each way
RADIUS = (14.0, 24.0)  # pixels


def draw_shapes(rng: np.random.Generator, n0: int, n1: int, noise: float) -> np.ndarray:
    """n0 squares/triangles then n1 circles: (n0 + n1, SIZE, SIZE, 3) float64 in [0, 1].

    noise: the standard deviation of the per-pixel Gaussian noise on the whole picture.
    """
    m = n0 + n1
    kind = np.concatenate([rng.integers(SQUARE, TRIANGLE + 1, n0), np.full(n1, CIRCLE)])
    cx, cy = (SIZE - 1) / 2 + rng.uniform(-JITTER, JITTER, (2, m))
    r = rng.uniform(*RADIUS, m)
    bg = rng.uniform(0.0, 0.35, (m, 3))      # dark backgrounds, bright shapes: strong contrast
    fg = rng.uniform(0.55, 1.0, (m, 3))
    inside = _coverage(kind, cx, cy, r)                                  # (m, S, S)
    images = bg[:, None, None, :] + _shading(rng, m)[..., None]
    images += inside[..., None] * (fg - bg)[:, None, None, :]
    images += rng.standard_normal((m, SIZE, SIZE, 3), dtype=np.float32) * np.float32(noise)
    return np.clip(images, 0.0, 1.0, out=images)


def _coverage(kind: np.ndarray, cx: np.ndarray, cy: np.ndarray, r: np.ndarray) -> np.ndarray:
    """How much of each pixel the shape covers, 0..1: (m, SIZE, SIZE) float32.

    kind: (m,) CIRCLE, SQUARE or TRIANGLE; centre (cx, cy) and size r in pixels, each (m,).
    """
    sdf = np.empty((kind.size, SIZE, SIZE), dtype=np.float32)
    grid = np.arange(SIZE, dtype=np.float32)
    for k, signed_distance in ((CIRCLE, _circle), (SQUARE, _square), (TRIANGLE, _triangle)):
        sel = kind == k
        if sel.any():
            dx = grid[None, None, :] - cx[sel, None, None].astype(np.float32)
            dy = grid[None, :, None] - cy[sel, None, None].astype(np.float32)
            sdf[sel] = signed_distance(dx, dy, r[sel, None, None].astype(np.float32))
    return np.clip(sdf + 0.5, 0.0, 1.0, out=sdf)


def _circle(dx: np.ndarray, dy: np.ndarray, r: np.ndarray) -> np.ndarray:
    return r - np.sqrt(dx * dx + dy * dy)


def _square(dx: np.ndarray, dy: np.ndarray, r: np.ndarray) -> np.ndarray:
    return 0.85 * r - np.maximum(np.abs(dx), np.abs(dy))


def _triangle(dx: np.ndarray, dy: np.ndarray, r: np.ndarray) -> np.ndarray:
    """An upright equilateral triangle, apex r above the centre, height 1.6 r."""
    h = 1.6 * r
    w = h / np.sqrt(3.0)
    side = (w * (dy + r) - h * np.abs(dx)) / np.sqrt(w * w + h * h)
    return np.minimum(0.6 * r - dy, side)


def _shading(rng: np.random.Generator, m: int) -> np.ndarray:
    """A gentle linear light gradient across each picture: (m, SIZE, SIZE), about +-0.08."""
    angle = rng.uniform(0.0, 2 * np.pi, m)
    grid = np.linspace(-1.0, 1.0, SIZE)
    ramp = (np.cos(angle)[:, None, None] * grid[None, None, :]
            + np.sin(angle)[:, None, None] * grid[None, :, None])
    return 0.08 * ramp
