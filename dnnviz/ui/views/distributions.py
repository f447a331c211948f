"""DistributionsView: how each layer's weights or gradients spread, over the whole run.

Two pictures of the same summaries (computed in the training process, every few
iterations, training/distributions.py), as TensorBoard draws them:
  - percentile bands: per layer, the 0-100, 7-93, 16-84 and 31-69th percentiles of W[l]
    (or dW[l]) as bands over iterations, darker inward, and the median as a line;
  - stacked histograms: per layer, a histogram every few iterations, stacked up the page
    from the first (bottom) to the newest (top, in the accent colour).
Below them, one plot of ||dW[l]|| / ||W[l]|| for every layer over iterations on a log axis:
vanishing gradients sit orders of magnitude below healthy ones.
Items are made once per network (set_layers); a frame only calls setData, and only when a
new record came.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtGui import QFontMetricsF
from PyQt6.QtWidgets import QButtonGroup, QRadioButton

from dnnviz.training.distributions import BANDS
from dnnviz.ui import look as looks
from dnnviz.ui.views.axes import ReadableAxis
from dnnviz.ui.views.band_plot import BandsPlot, span_x
from dnnviz.ui.views.layer_plot import LayerView, grid_columns, layer_title
from dnnviz.ui.views.ranges import HeldRange

MIN_PLOT_PX = 150  # two columns of plots even in a narrow pane
RATIO_ROW_STRETCH = 2  # the ratio plot is as tall as this many rows of layer plots / 2
RATIO_DECADES = (-6, 0)  # the ratio's axis spans at least 1e-6 to 1 (log10): a run's lines
# sit where their size puts them, so two runs compare at a glance
LABEL_GAP_LINES = 1.1  # labels at the lines' ends are at least this many lines apart

VIEW_TIP = (
    "How the values of each layer's matrix spread over the run, as TensorBoard shows it. "
    "Bands: the shaded bands hold the middle 38%, 68%, 86% and all of the values (the "
    "31-69th, 16-84th, 7-93rd and 0-100th percentiles), the line is the median. Stacked: "
    "a histogram every few iterations, the newest on top.\nBelow: ||dW|| / ||W||, how big "
    "each layer's gradient is beside its weights, on a log scale from 1e-6 up: with He's "
    "start the layers of the circles net stay near 0.001-0.05; with the small start they sit "
    "near 0.00001, orders of magnitude lower: vanishing gradients, a network that barely "
    "learns."
)
RATIO_TITLE = "‖dW‖ / ‖W‖ (log scale)"
TITLE_TEMPLATE = "dW10 (100×100)"  # about the widest layer title
AXIS_ROOM_PX = 60  # a value axis's labels
RATIO_FRAME_PX = 70  # the ratio plot's title and x axis, at the desk's font


class DistributionsView(LayerView):
    """Percentile bands or stacked histograms per layer, and ||dW|| / ||W|| below."""

    name = "distributions"
    parts = frozenset({"distributions"})

    def __init__(self, parent=None):
        self.bands_radio = QRadioButton("percentiles")
        self.stacked_radio = QRadioButton("stacked histograms")
        self.bands_radio.setToolTip("Bands of the 0-100, 7-93, 16-84 and 31-69th percentiles "
                                    "over iterations, and the median")
        self.stacked_radio.setToolTip("A histogram every few iterations, the newest on top")
        self.bands_radio.setChecked(True)
        super().__init__(VIEW_TIP, (self.bands_radio, self.stacked_radio), parent)
        modes = QButtonGroup(self)
        for button in (self.bands_radio, self.stacked_radio):
            modes.addButton(button)
        self.stacked_radio.toggled.connect(self.set_stacked)
        self._stacked = False
        self._dims: tuple[int, ...] = ()
        self._layers: list[BandsPlot] = []
        self._ratio_plot = None
        self._ratio_curves: list[pg.PlotCurveItem] = []
        self._ratio_labels: list[pg.TextItem] = []
        self._ends: dict = {}  # layer: (x, log10 y) of the ratio line's end
        self._ratio_range = HeldRange("log")
        self._ratio_top = None
        self._drawn = None  # (kind, records, newest iteration, mode) last drawn
        self._last = None
        self.graphics.setToolTip(VIEW_TIP)
        self.restyle(looks.current())

    # --- public API -----------------------------------------------------------------------
    def set_layers(self, layer_dims) -> None:
        """A new network: one plot per layer and one ratio line per layer."""
        dims = tuple(int(n) for n in layer_dims)
        if dims != self._dims:
            self._dims = dims
            self._rebuild(len(dims) - 1)
        self._drawn = self._last = None
        self._reset_ranges()

    def show_snapshot(self, snap) -> None:
        frame = snap.distributions
        if frame is None:
            return
        if tuple(snap.layer_dims) != self._dims:
            self.set_layers(snap.layer_dims)
        if frame.layers != len(self._layers):
            return
        key = (frame.kind, len(frame.iterations), frame.iterations[-1] if len(
            frame.iterations) else -1, self._stacked, snap.target_iterations)
        self._last = snap
        if key == self._drawn:
            return  # no new record since the last frame: nothing moved
        if self._drawn is None or self._drawn[0] != frame.kind:
            self._reset_ranges()
        self._drawn = key
        self._draw(frame, snap.target_iterations)

    def set_stacked(self, on: bool) -> None:
        """Stacked histograms (True) or percentile bands."""
        on = bool(on)
        (self.stacked_radio if on else self.bands_radio).setChecked(True)
        if on != self._stacked:
            self._stacked = on
            if self._last is not None:
                self.show_snapshot(self._last)

    def stacked(self) -> bool:
        return self._stacked

    def plot_count(self) -> int:
        return len(self._layers)

    def band_data(self, layer: int):
        """(x, [(low, high) of each band, outer first], median) of layer (1-based) as drawn."""
        plot = self._layers[layer - 1]
        edges = [plot.edges[i].getData() for i in range(len(plot.edges))]
        bands = [(edges[2 * i][1], edges[2 * i + 1][1]) for i in range(len(BANDS))]
        x, median = plot.median.getData()
        return x, bands, median

    def ratio_data(self, layer: int):
        """(iterations, ||dW|| / ||W||) of layer (1-based) as given to its line."""
        return self._ratio_curves[layer - 1].getOriginalDataset()

    def ridge_data(self, layer: int):
        return self._layers[layer - 1].ridges.getData()

    # --- drawing --------------------------------------------------------------------------
    def _draw(self, frame, target: int) -> None:
        kind = frame.kind
        self._set_message("" if kind == "W" or len(frame.iterations) > 1 else
                          "no gradients yet: take a step")
        for l, plot in enumerate(self._layers, start=1):
            plot.set_mode(self._stacked)
            plot.set_title(layer_title(kind, l, self._dims))
            if self._stacked:
                plot.show_stacked(frame.stacked_iterations, frame.stacked[:, l - 1],
                                  frame.stacked_ranges[:, l - 1])
            else:
                plot.show_bands(frame.iterations, frame.percentiles[:, l - 1], target)
        self._draw_ratio(frame.iterations, frame.ratio, target)

    def _draw_ratio(self, x, ratio, target: int) -> None:
        ends = {}
        for l, (curve, label) in enumerate(zip(self._ratio_curves, self._ratio_labels)):
            y = ratio[:, l]
            ok = np.isfinite(y) & (y > 0)
            curve.setData(x[ok], y[ok])
            label.setVisible(bool(ok.any()))
            if ok.any():
                ends[l] = (x[ok][-1], math.log10(y[ok][-1]))
        finite = ratio[np.isfinite(ratio) & (ratio > 0)]
        plot = self._ratio_plot
        floor = 10.0 ** np.array(RATIO_DECADES, dtype=np.float64)
        if self._ratio_range.take(floor, finite):
            plot.setYRange(self._ratio_range.low, self._ratio_range.high, padding=0.0)
        self._ratio_top = span_x(plot, self._ratio_top, x, target)
        self._ends = ends
        self._place_labels()

    def _place_labels(self, *_) -> None:
        """Each layer's name at its line's end, pushed apart so that none covers another and
        none leaves the plot; again whenever the plot's size or range changes."""
        ends = self._ends
        pixel = self._ratio_plot.vb.viewPixelSize()[1]
        gap = pixel * self._label_gap_px() if pixel > 0 else 0.0
        order = sorted(ends, key=lambda k: ends[k][1])
        placed = []
        for l in order:  # bottom up, each at least a gap above the one below
            y = ends[l][1]
            placed.append(max(y, placed[-1] + gap) if placed else y)
        top = self._ratio_plot.vb.viewRange()[1][1] - gap / 2
        for i in reversed(range(len(placed))):  # then top down: none above the plot's top
            top = placed[i] = min(placed[i], top)
            top -= gap
        for l, y in zip(order, placed):
            self._ratio_labels[l].setPos(ends[l][0], y)

    def _label_gap_px(self) -> float:
        """Pixels between two layer names of the ratio plot: a line of their own font."""
        labels = self._ratio_labels
        line = QFontMetricsF(labels[0].textItem.font()).height() if labels else 0.0
        return line * LABEL_GAP_LINES

    # --- building -------------------------------------------------------------------------
    def _rebuild(self, count: int) -> None:
        self.graphics.clear()
        columns = self._columns(count)
        self._layers = []
        for i in range(count):
            plot = self.graphics.addPlot(row=i // columns, col=i % columns,
                                         axisItems={"bottom": ReadableAxis("bottom"),
                                                    "left": ReadableAxis("left")})
            self._layers.append(BandsPlot(plot))
        rows = math.ceil(count / columns) if count else 0
        self._ratio_plot = self.graphics.addPlot(
            row=rows, col=0, colspan=max(columns, 1),
            axisItems={"bottom": ReadableAxis("bottom"), "left": ReadableAxis("left")})
        plot = self._ratio_plot
        plot.hideButtons()
        self._ends = {}
        plot.vb.sigResized.connect(self._place_labels)
        plot.vb.sigRangeChanged.connect(self._place_labels)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.disableAutoRange()
        plot.setLogMode(y=True)
        self._ratio_curves = [plot.plot() for _ in range(count)]
        self._ratio_labels = [pg.TextItem(f"W{l}", anchor=(0, 0.5)) for l in range(1, count + 1)]
        for label in self._ratio_labels:
            plot.addItem(label, ignoreBounds=True)
        grid = self.graphics.ci.layout
        for row in range(rows):
            grid.setRowStretchFactor(row, 2)
        grid.setRowStretchFactor(rows, max(RATIO_ROW_STRETCH, rows))
        for col in range(columns):
            grid.setColumnStretchFactor(col, 1)
        self.restyle(looks.current())

    def _reset_ranges(self) -> None:
        for plot in self._layers:
            plot.values.reset()
            plot.steps.reset()
            plot.x_top = None
        self._ratio_range.reset()
        self._ratio_top = None

    def restyle(self, look: looks.Look) -> None:
        look.style_graphics(self.graphics)
        for plot in self._layers:
            plot.restyle(look)
        if self._ratio_plot is not None:
            # the title names it: the side says "ratio", short enough for a short plot
            # (a squashed one on a projector cut "‖dW‖ / ‖W‖" to "W")
            look.style_plot(self._ratio_plot, title=RATIO_TITLE, left="ratio",
                            bottom="iteration")
            count = len(self._ratio_curves)
            for l, (curve, label) in enumerate(zip(self._ratio_curves, self._ratio_labels), 1):
                color = look.layer_color(l, count)
                curve.setPen(pg.mkPen(color, width=2 * look.line_scale))
                label.setColor(color)
                label.setFont(look.font(looks.SMALL_PT, bold=True))
            # room for every layer's name, one above the other, whatever the screen
            self._ratio_plot.setMinimumHeight(count * self._label_gap_px()
                                              + RATIO_FRAME_PX * look.font_scale)
        self.style_message(look)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        count = len(self._layers)
        if count and self._columns(count) != self._columns_built():
            self._rebuild(count)
            self._drawn = None
            self._reset_ranges()
            if self._last is not None:
                self.show_snapshot(self._last)

    def _columns(self, count: int) -> int:
        """As many columns as plots as wide as their title and value axis fit."""
        look = looks.current()
        title = QFontMetricsF(look.font(looks.TITLE_PT)).horizontalAdvance(TITLE_TEMPLATE)
        need = max(MIN_PLOT_PX * look.font_scale, title + AXIS_ROOM_PX * look.font_scale)
        return grid_columns(count, self.width(), need)

    def _columns_built(self) -> int:
        layout = self.graphics.ci.layout
        return max(1, layout.columnCount())

    # --- slots ----------------------------------------------------------------------------
    def _set_message(self, text: str) -> None:
        self.message_label.setText(text)
