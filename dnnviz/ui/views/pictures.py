"""Helpers for views made of pictures: grids of units, mosaics, colour scales, image plots."""

from __future__ import annotations

import math
import re

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QEvent, QRectF, QTimer
from PyQt6.QtGui import QFont, QFontMetricsF
from PyQt6.QtWidgets import QApplication

from dnnviz.ui import style

_PT = re.compile(r"([0-9]*\.?[0-9]+)\s*pt")


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


def scale_ticks(peak: float) -> list[tuple[float, str]]:
    """Two ticks: 0 and a round value (1, 2 or 5 times a power of ten) at most 80% of peak,
    or peak itself when round (the output's 1).

    Two labels, apart and inside the bar's ends, never crowd a narrow colour bar nor its
    neighbour's, even in presentation mode's 1.5x text.
    """
    power = 10.0 ** math.floor(math.log10(peak))
    rounds = [m * power for m in (0.5, 1, 2, 5)]
    exact = [v for v in rounds if math.isclose(v, peak, rel_tol=1e-9)]
    top = exact[0] if exact else max(v for v in rounds if v <= 0.8 * peak)
    return [(0.0, "0"), (float(top), f"{top:g}")]


def set_scale(bar: pg.ColorBarItem, peak: float) -> None:
    """Colour bar (and its images) from 0 to peak, with round ticks."""
    bar.setLevels((0.0, peak))
    bar.axis.setTicks([scale_ticks(peak)])
    bar.axis.setStyle(hideOverlappingLabels=False)  # keep the "0" at the bar's very end


def unit_ticks(n: int) -> list[tuple[float, str]]:
    """Ticks at the centres of rows 0..n-1, numbered from 1, about ten of them at most."""
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10**9) if n / s <= 10)
    return [(k - 0.5, str(k)) for k in range(step, n + 1, step)]


def text_width(html: str, font: QFont) -> float:
    """Width of the widest line of a stacked title in font."""
    metrics = QFontMetricsF(font)
    return max(metrics.horizontalAdvance(line.replace("&nbsp;", " "))
               for line in html.split("<br>"))


def label_font(label: pg.LabelItem, default: str = style.TITLE_SIZE) -> QFont:
    """The font a LabelItem draws in: the application's, at its size option (points)."""
    font = QFont(QApplication.font())
    m = _PT.search(str(label.opts.get("size") or default))
    if m:
        font.setPointSizeF(float(m.group(1)))
    return font


def set_title(plot: pg.PlotItem, text: str) -> None:
    """Retitle only on a change: a new title text re-lays out the whole scene."""
    if plot.titleLabel.text != text:
        plot.setTitle(text, size=style.TITLE_SIZE)


def refit_view(view: pg.GraphicsView) -> None:
    """Lay view's items out at its size again, once the layout has taken in their new
    minimum sizes: a layout keeps the minimum it had at the last resize (shorter titles
    or a narrower legend would otherwise still push items past the right edge)."""
    def refit():
        try:
            if not view.closed and view.centralWidget is not None:
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
                view.centralWidget.setGeometry(QRectF(0, 0, view.width(), view.height()))
        except RuntimeError:  # deleted meanwhile
            pass
    QTimer.singleShot(0, refit)


def image_plot(title: str = "", invert: bool = True) -> pg.PlotItem:
    """A PlotItem for pictures: no axes, square pixels, row 0 at the top."""
    plot = pg.PlotItem()
    for side in ("left", "bottom"):
        plot.hideAxis(side)
    plot.setAspectLocked(True)
    plot.invertY(invert)
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    if title:
        plot.setTitle(title, size=style.TITLE_SIZE)
    return plot


def new_image() -> pg.ImageItem:
    return pg.ImageItem(axisOrder="row-major")
