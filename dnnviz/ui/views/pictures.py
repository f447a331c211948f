"""Helpers for views made of pictures: grids of units, mosaics, colour scales, image plots."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtGui import QFontMetricsF

from dnnviz.ui import look as looks


def grid_shape(n: int) -> tuple[int, int]:
    """(rows, cols) of a near-square grid holding n cells, filled row by row."""
    cols = max(1, math.ceil(math.sqrt(n)))
    return math.ceil(n / cols), cols


def unit_grid(values: np.ndarray) -> np.ndarray:
    """n values as a near-square (rows, cols) grid, row by row; empty cells are NaN."""
    rows, cols = grid_shape(values.size)
    grid = np.full(rows * cols, np.nan)
    grid[: values.size] = values
    return grid.reshape(rows, cols)


def symmetric_unit(weights: np.ndarray) -> np.ndarray:
    """Each picture of (n, h, w, c) scaled to [0, 1] with 0 at 0.5, by its own largest |w|."""
    peak = np.abs(weights).reshape(len(weights), -1).max(axis=1)
    peak = np.maximum(peak, 1e-12)[:, None, None, None]
    return weights / (2 * peak) + 0.5


def mosaic(images: np.ndarray, cols: int, gap: int, fill: float = 1.0) -> np.ndarray:
    """(n, h, w, c) pictures as one (rows*(h+gap)-gap, cols*(w+gap)-gap, c) picture."""
    n, h, w, c = images.shape
    rows = math.ceil(n / cols)
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap, c), fill)
    for k in range(n):
        r, q = divmod(k, cols)
        out[r * (h + gap): r * (h + gap) + h, q * (w + gap): q * (w + gap) + w] = images[k]
    return out


def finite_peak(values: np.ndarray, floor: float = 1e-6) -> float:
    """The largest finite value, at least `floor` (a colour scale needs some width)."""
    peak = float(values.max(initial=0.0))
    if not math.isfinite(peak):  # rare (a diverging net): the slow, careful way
        peak = float(values[np.isfinite(values)].max(initial=0.0))
    return max(peak, floor)


def finite_low(values: np.ndarray) -> float:
    """0, or the smallest finite value when it is below 0 (tanh and leaky ReLU units)."""
    low = float(values.min(initial=0.0))
    if not math.isfinite(low):
        low = float(values[np.isfinite(values)].min(initial=0.0))
    return min(low, 0.0)


NICE = (1.0, 1.2, 1.5, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0)  # steps <= 1.25x


def nice_ceil(value: float) -> float:
    """The smallest of NICE times a power of ten that is at least value (> 0): at most a
    quarter above it."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(n * power for n in NICE if n * power >= value * (1 - 1e-12))


def nice_scale(peak: float, low: float = 0.0) -> tuple[float, float]:
    """A colour scale's (top, bottom) for values up to peak (down to low <= 0), on round
    values: between frames it moves only when a value crosses one. The colours and the
    bar's labels then hold still while training, and the bar's axis is not laid out anew
    at every frame (a third of the activations view's drawing, in the cat run)."""
    return nice_ceil(peak), (-nice_ceil(-low) if low < 0 else 0.0)


HOLD_FRAMES = 30  # frames a colour scale stays up after its values fell (about a second)
FALL = 0.5  # ... below this share of it


class HeldScale:
    """A colour scale that follows its values as a level meter does: up at once, so the
    brightest colour always covers the brightest value; down only when every value has
    stayed under half of it for HOLD_FRAMES frames, then to what those frames needed. Early
    in the cat run a layer's peak jumped between 0.07 and 1.5 from one frame to the next:
    its colours flickered, and its bar's axis was laid out anew at almost every frame
    (a third of the activations view's drawing)."""

    def __init__(self):
        self.scale: tuple[float, float] | None = None
        self._low_frames = 0
        self._needed = (0.0, 0.0)  # the nice scale of the highest values while low

    def update(self, peak: float, low: float = 0.0) -> tuple[float, float] | None:
        """The scale for this frame's values; None when it is the last frame's."""
        wanted = nice_scale(peak, low)
        if self.scale is None:
            return self._set(wanted)
        top, bottom = self.scale
        if wanted[0] > top or wanted[1] < bottom:
            return self._set((max(wanted[0], top), min(wanted[1], bottom)))
        if wanted[0] <= FALL * top and wanted[1] >= FALL * bottom:
            self._needed = (max(self._needed[0], wanted[0]), min(self._needed[1], wanted[1]))
            self._low_frames += 1
            if self._low_frames >= HOLD_FRAMES:
                return self._set(self._needed)
        else:
            self._low_frames, self._needed = 0, (0.0, 0.0)
        return None

    def _set(self, scale: tuple[float, float]) -> tuple[float, float] | None:
        self._low_frames, self._needed = 0, (0.0, 0.0)
        if scale == self.scale:
            return None
        self.scale = scale
        return scale


def scale_ticks(peak: float, low: float = 0.0) -> list[tuple[float, str]]:
    """The two ends of a colour bar from low (0 unless below) to peak: [(0, "0"), (peak,
    "peak")], with two significant digits (a bar says what its brightest colour means)."""
    return [(float(low), f"{low:.2g}"), (float(peak), f"{peak:.2g}")]


def set_scale(bar: pg.ColorBarItem, peak: float, low: float = 0.0) -> None:
    """Colour bar (and its images) from low to peak, both ends labelled."""
    bar.setLevels((low, peak))
    bar.axis.setTicks([scale_ticks(peak, low)])
    # keep the end labels at the bar's ends, also when they fill a short bar (pyqtgraph drops
    # two labels that take more than 60% of the axis: a presentation-size font did)
    bar.axis.setStyle(hideOverlappingLabels=False, textFillLimits=[(0, 1.0), (2, 1.0)])


WIDEST_SCALE_LABEL = "-0.00042"  # scale_ticks' widest: two significant digits, a sign


def style_scale(bar: pg.ColorBarItem, look: looks.Look, points: float) -> None:
    """A colour bar's scale in the look, as wide as its widest label needs: pyqtgraph drops
    a label that does not fit the axis (0.042 beside a small layer's bar, in presentation
    mode's larger type)."""
    font = look.font(points)
    for side in ("left", "bottom", "right", "top"):  # the bar's frame is drawn by axes too
        looks.cache_axis(bar.getAxis(side))
    bar.axis.setPen(look.pen("axis"))
    bar.axis.setTextPen(look.pen("text"))
    bar.axis.setTickFont(font)
    room = QFontMetricsF(font).horizontalAdvance(WIDEST_SCALE_LABEL)
    bar.axis.setWidth(math.ceil(room + bar.axis.style["tickTextOffset"][0] + 6))


def unit_ticks(n: int) -> list[tuple[float, str]]:
    """Ticks at the centres of rows 0..n-1, numbered from 1, about ten of them at most."""
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10**9) if n / s <= 10)
    return [(k - 0.5, str(k)) for k in range(step, n + 1, step)]


def image_plot(invert: bool = True) -> pg.PlotItem:
    """A PlotItem for pictures: no axes, square pixels, row 0 at the top."""
    plot = pg.PlotItem()
    for side in ("left", "bottom"):
        plot.hideAxis(side)
    plot.setAspectLocked(True)
    plot.invertY(invert)
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot


def new_image() -> pg.ImageItem:
    return pg.ImageItem(axisOrder="row-major")


def class_regions(probs: np.ndarray, look, tint: float) -> np.ndarray:
    """(ny, nx, 3) uint8: each grid point in its likeliest class's colour, mixed into the
    background by how sure the network is (1/K: background, 1: `tint` of the colour)."""
    k = probs.shape[0]
    best = np.argmax(probs, axis=0)
    sure = np.clip((np.max(probs, axis=0) - 1 / k) / (1 - 1 / k), 0, 1)[..., None]
    colors = np.array([look.class_color(c).getRgb()[:3] for c in range(k)], dtype=np.float64)
    background = np.array(look.color("background").getRgb()[:3], dtype=np.float64)
    tint = tint * sure
    return ((1 - tint) * background + tint * colors[best]).astype(np.uint8)
