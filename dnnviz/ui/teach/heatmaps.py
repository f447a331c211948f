"""Heatmaps: a wrong result as pictures: what the lesson expects, what the student's function
gave, and their difference, one coloured cell per number.

Expected and yours share one colour scale (the same colour is the same number in both);
the difference has its own, so a small error still shows. Both scales are symmetric
around 0 (the look's diverging colours: 0 is the middle colour). A value that is nan or
inf is left blank and crossed out.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from dnnviz.ui import look as looks
from dnnviz.ui.views.pictures import finite_peak, image_plot, new_image

TITLES = ("expected", "yours", "yours − expected")
BAR_WIDTH = 14
MAX_CROSSES = 4000  # non-finite cells marked one by one up to this many


def as_picture(values) -> np.ndarray | None:
    """An array as rows x columns of finite numbers and nan; None for a single number
    (a message says it better than one cell) or for something that is not numbers."""
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if array.ndim == 0 or array.size == 0:
        return None
    array = array.reshape(1, -1) if array.ndim == 1 else array.reshape(array.shape[0], -1)
    array[~np.isfinite(array)] = np.nan
    return array


class Heatmaps(pg.GraphicsLayoutWidget):
    """Three pictures side by side, with a colour bar for each scale."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plots = [image_plot() for _ in TITLES]
        self.images = [new_image() for _ in TITLES]
        self.crosses = [pg.ScatterPlotItem(symbol="x", pxMode=False) for _ in TITLES]
        self.shown: tuple | None = None  # the pictures drawn: (expected, yours, difference)
        for plot, image, cross in zip(self.plots, self.images, self.crosses):
            plot.addItem(image)
            plot.addItem(cross)
        self.value_bar = pg.ColorBarItem(values=(-1, 1), width=BAR_WIDTH, interactive=False,
                                         colorMapMenu=False)
        self.difference_bar = pg.ColorBarItem(values=(-1, 1), width=BAR_WIDTH,
                                              interactive=False, colorMapMenu=False)
        self.value_bar.setImageItem(self.images[:2])
        self.difference_bar.setImageItem(self.images[2])
        for col, item in enumerate((self.plots[0], self.plots[1], self.value_bar,
                                    self.plots[2], self.difference_bar)):
            self.ci.addItem(item, row=0, col=col)
        self.restyle(looks.current())

    def show_arrays(self, expected, got) -> bool:
        """Draw expected, got and got - expected; False (nothing drawn) when they are not
        arrays of one shape."""
        pictures = as_picture(expected), as_picture(got)
        if any(p is None for p in pictures) or pictures[0].shape != pictures[1].shape:
            self.shown = None
            return False
        expected, got = pictures
        with np.errstate(all="ignore"):
            difference = got - expected
        self.shown = (expected, got, difference)
        values = finite_peak(np.abs(np.concatenate([expected.ravel(), got.ravel()])), 1e-12)
        spread = finite_peak(np.abs(difference.ravel()), 1e-12)
        for image, cross, picture in zip(self.images, self.crosses, self.shown):
            image.setImage(picture, autoLevels=False)
            self._cross_out(cross, picture)
        self.value_bar.setLevels((-values, values))
        self.difference_bar.setLevels((-spread, spread))
        return True

    def _cross_out(self, cross: pg.ScatterPlotItem, picture: np.ndarray) -> None:
        rows, cols = np.nonzero(np.isnan(picture))
        if len(rows) > MAX_CROSSES:
            rows, cols = rows[:MAX_CROSSES], cols[:MAX_CROSSES]
        cross.setData(cols + 0.5, rows + 0.5, size=0.8)

    def restyle(self, look: looks.Look) -> None:
        look.style_graphics(self)
        colormap = look.colormap(looks.DIVERGING)
        for plot, title in zip(self.plots, TITLES):
            look.set_title(plot, title)
        for cross in self.crosses:
            cross.setPen(look.pen("wrong", 2.0))
            cross.setBrush(None)
        for bar in (self.value_bar, self.difference_bar):
            bar.setColorMap(colormap)
            for side in ("left", "right", "top", "bottom"):  # the bar's frame and scale
                bar.getAxis(side).setPen(look.pen("axis"))
            bar.axis.setTextPen(look.pen("text"))
            bar.axis.setTickFont(look.font(looks.AXIS_PT))
            bar.axis.setWidth(round(52 * look.font_scale))
