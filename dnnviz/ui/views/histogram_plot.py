"""One layer's histogram: a filled step outline of the counts, or for a small layer a tick
per value; the count axis held over the run; 0 marked."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtGui import QFontMetricsF

from dnnviz.ui import look as looks
from dnnviz.ui.views.layer_plot import LayerPlot
from dnnviz.ui.views.ranges import HeldRange

MIN_PLOT_PX = 170  # a histogram narrower than this crowds its value axis
STRIP_HEIGHT = 1.0  # the ticks of a strip run from 0 to this
STATS_TEMPLATE = "mean −0.00012, sd 0.00034"  # about the widest stats_line


def stats_line(hist) -> str:
    """ "mean 0.012, sd 0.34" (two significant digits), and the zeros a log histogram
    leaves out."""
    if not math.isfinite(hist.mean):
        return "no finite values"
    text = f"mean {hist.mean:.2g}, sd {hist.std:.2g}"
    if hist.zeros:
        text += f", {hist.zeros:,} zeros"
    return text


def min_plot_width(look: looks.Look) -> float:
    """A plot as wide as its widest title line: a layout never pushes a plot off the view."""
    title = QFontMetricsF(look.font(looks.TITLE_PT)).horizontalAdvance(STATS_TEMPLATE)
    return max(MIN_PLOT_PX * look.font_scale, title + 16)


def strip_xy(values: np.ndarray, log: bool):
    """x and y of a strip of ticks, one per value (pairs of points: connect="pairs"); in
    the log mode log10|value|, zeros left out."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    if log:
        values = values[values != 0]
        values = np.log10(np.abs(values))
    x = np.repeat(values, 2)
    y = np.tile([0.0, STRIP_HEIGHT], values.size)
    return x, y

class HistogramPlot(LayerPlot):
    """One layer's plot: a histogram (a filled step outline), a strip of ticks, 0 marked."""

    def __init__(self, plot: pg.PlotItem, tip: str = ""):
        super().__init__(plot)
        plot.getAxis("left").setStyle(maxTickLevel=0)
        plot.getAxis("bottom").setStyle(maxTickLevel=0)
        # no antialiasing: a filled step outline is all axis-aligned, and smoothing its fill
        # cost several ms a frame
        self.curve = plot.plot(stepMode="center", fillLevel=0, antialias=False)
        self.strip = pg.PlotCurveItem(connect="pairs", antialias=False)
        plot.addItem(self.strip)
        self.zero = pg.InfiniteLine(0.0, angle=90, movable=False)
        plot.addItem(self.zero, ignoreBounds=True)
        plot.setToolTip(tip)
        self.counts = HeldRange("zero")
        self.is_strip = None

    def restyle(self, look: looks.Look) -> None:
        look.style_plot(self.plot, title=self.title)
        self.curve.setPen(look.pen("hist"))
        self.curve.setBrush(look.brush("hist", looks.HIST_FILL_ALPHA))
        self.strip.setPen(look.pen("hist", 2))
        self.zero.setPen(look.pen("zero", dash=True))

    def show(self, hist, log: bool) -> None:
        strip = hist.values is not None
        if strip != self.is_strip:
            self.is_strip = strip
            self.plot.getAxis("left").setStyle(showValues=not strip)
            self.counts.reset()
            if strip:
                self.plot.setYRange(0.0, STRIP_HEIGHT * 1.1, padding=0.0)
        if strip:
            self.curve.clear()
            self.strip.setData(*strip_xy(hist.values, log))
        else:
            self.strip.setData([], [])
            self.curve.setData(hist.edges, hist.counts, skipFiniteCheck=True)
            if self.counts.take(hist.counts):
                self.plot.setYRange(0.0, self.counts.high, padding=0.0)
        self.zero.setVisible(not log)

    def clear(self) -> None:
        self.curve.clear()
        self.strip.setData([], [])
        self.counts.reset()
        self.is_strip = None
        self.plot.getAxis("left").setStyle(showValues=True)

    def set_axis_label(self, text: str) -> None:
        if text != self.plot.getAxis("bottom").labelText:
            self.plot.setLabel("bottom", text or None, color=looks.current().hex("text"))
