"""One layer's distribution over the run: percentile bands and the median over iterations,
or histograms stacked by iteration (TensorBoard's two pictures)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from dnnviz.training.distributions import BANDS, MEDIAN
from dnnviz.ui import look as looks
from dnnviz.ui.views.layer_plot import LayerPlot
from dnnviz.ui.views.ranges import HeldRange

BAND_ALPHAS = (45, 75, 105, 140)  # outer to inner
RIDGE_OVERLAP = 2.5  # a ridge is this many times the spacing between two ridges high


def span_x(plot: pg.PlotItem, shown, x, target: int):
    """x from 0 to the run's target or the newest iteration if later (as the cost plot);
    set only on a change. Returns the top now shown."""
    top = float(max(target, x[-1] if len(x) else 0.0, 1.0))
    if top != shown:
        plot.setXRange(0.0, top, padding=0.02)
    return top


def ridges(iterations, counts, ranges):
    """x and y of stacked histograms as one line broken by NaN: ridge r is drawn at the
    height of its iteration, counts scaled so the tallest ridge rises RIDGE_OVERLAP
    spacings above its base. iterations (h,); counts (h, bins); ranges (h, 2)."""
    h, bins = counts.shape
    if h == 0:
        return np.empty(0), np.empty(0)
    span = float(iterations[-1] - iterations[0]) if h > 1 else 1.0
    height = RIDGE_OVERLAP * max(span, 1.0) / max(h - 1, 1)
    peak = counts.max(axis=1, keepdims=True)
    scaled = np.divide(counts, peak, out=np.zeros_like(counts), where=peak > 0)
    t = (np.arange(bins) + 0.5) / bins
    xs = ranges[:, :1] + (ranges[:, 1:] - ranges[:, :1]) * t
    ys = iterations[:, None] + height * scaled
    gap = np.full((h, 1), np.nan)
    return np.hstack([xs, gap]).ravel(), np.hstack([ys, gap]).ravel()


class BandsPlot(LayerPlot):
    """One layer: percentile bands and a median, or stacked histograms."""

    def __init__(self, plot: pg.PlotItem):
        super().__init__(plot)
        self.edges = [pg.PlotCurveItem() for _ in range(2 * len(BANDS))]
        self.fills = [pg.FillBetweenItem(self.edges[2 * i], self.edges[2 * i + 1])
                      for i in range(len(BANDS))]
        for item in self.fills:
            plot.addItem(item)
        self.median = pg.PlotCurveItem()
        self.ridges = pg.PlotCurveItem(connect="finite")
        self.newest = pg.PlotCurveItem()
        for item in (self.median, self.ridges, self.newest):
            plot.addItem(item)
        self.values = HeldRange("symmetric")
        self.steps = HeldRange("zero")  # the stacked histograms' iterations, up the page
        self.x_top = None  # the bands' iterations: 0 to the run's target
        self.stacked = None

    def restyle(self, look: looks.Look) -> None:
        look.style_plot(self.plot, title=self.title)
        for edge in self.edges:
            edge.setPen(None)
        for fill, alpha in zip(self.fills, BAND_ALPHAS):
            fill.setBrush(look.brush("hist", alpha))
        self.median.setPen(look.pen("hist", 2))
        self.ridges.setPen(look.pen("muted", 1))
        self.newest.setPen(look.pen("accent", 2))

    def set_mode(self, stacked: bool) -> None:
        if stacked == self.stacked:
            return
        self.stacked = stacked
        for item in (*self.fills, self.median):
            item.setVisible(not stacked)
        for item in (self.ridges, self.newest):
            item.setVisible(stacked)
        self.values.reset()
        self.steps.reset()
        self.x_top = None
        # no axis names: the title names the matrix, the ratio plot below names the iterations
        # (a narrow pane keeps two columns of plots)

    def show_bands(self, x: np.ndarray, pct: np.ndarray, target: float) -> None:
        """pct (k, 9): the percentiles at the iterations x."""
        ok = np.isfinite(pct).all(axis=1)
        x, pct = x[ok], pct[ok]
        for i, (low, high) in enumerate(BANDS):
            self.edges[2 * i].setData(x, pct[:, low])
            self.edges[2 * i + 1].setData(x, pct[:, high])
        self.median.setData(x, pct[:, MEDIAN])
        if self.values.take(pct[:, [0, -1]]):
            self.plot.setYRange(self.values.low, self.values.high, padding=0.0)
        self.x_top = span_x(self.plot, self.x_top, x, target)

    def show_stacked(self, iterations, counts, ranges) -> None:
        ok = np.isfinite(ranges).all(axis=1)
        iterations, counts, ranges = iterations[ok], counts[ok], ranges[ok]
        x, y = ridges(iterations, counts, ranges)
        self.ridges.setData(x, y)
        cut = max(0, len(x) - counts.shape[1] - 1)
        self.newest.setData(x[cut:-1], y[cut:-1]) if len(x) else self.newest.setData([], [])
        if self.values.take(ranges):
            self.plot.setXRange(self.values.low, self.values.high, padding=0.0)
        if len(y) and self.steps.take(np.nanmax(y)):
            self.plot.setYRange(0.0, self.steps.high, padding=0.0)
