"""HistogramGrid: one small histogram per layer, of the weights W[l] or their gradients dW[l].

The counts and bin edges come ready-made in the Snapshot (binned in the worker thread);
this widget only calls setData. Plots are rebuilt only when the number of layers changes.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from dnnviz.ui import style
from dnnviz.ui.views.ranges import HeldRange

MAX_COLUMNS = 3
LABEL_PX = 70  # room for one tick label such as "-0.0004" on a small plot's value axis
NO_GRADIENTS = "no gradients yet: take a step"
NO_WEIGHTS = "no weights yet"

GRID_TIP = (
    "Distribution of the values of each layer's matrix: the weights W[l] or, after a step, "
    "their gradients dW[l] = dJ/dW[l]. With zeros initialisation the weights stay a single "
    "spike (every unit learns the same thing: symmetry is never broken). Too large an "
    "initialisation shows as wide weight histograms; vanishing gradients show as dW "
    "histograms shrinking toward 0 in the early layers (W1, W2), exploding ones as very "
    "wide dW histograms. The grey line marks 0."
)
WEIGHTS_TIP = "Histograms of the weights W[l]: what the network has learned so far."
GRADIENTS_TIP = (
    "Histograms of the gradients dW[l] of the last step: how strongly, and in which "
    "direction, gradient descent is pushing each weight (W[l] -= learning rate * dW[l])."
)


def layer_title(kind: str, layer: int, layer_dims) -> str:
    """E.g. "W1 (20×12288)": the matrix of layer l has shape (n_l, n_{l-1})."""
    return f"{kind}{layer} ({layer_dims[layer]}×{layer_dims[layer - 1]})"


class ValueAxis(pg.AxisItem):
    """The value axis of a small histogram: major ticks no closer than LABEL_PX.

    pyqtgraph always asks for at least ~2 intervals; on a narrow plot the labels of
    weights near zero (-0.0004 -0.0002 0 ...) then overlap.
    """

    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or size <= 0:
            return levels
        major, span = levels[0][0], abs(maxVal - minVal)
        if span / major * LABEL_PX <= size:
            return levels
        while span / major * LABEL_PX > size and major < span:
            major *= 2.5 if _mantissa(major) == 2 else 2.0  # 1, 2, 5, 10, 20, ...
        return [(major, 0.0), (major / (5.0 if _mantissa(major) == 5 else 2.0), 0.0)]


def _mantissa(step: float) -> int:
    """1, 2 or 5: the leading digit of a tick step."""
    digit = round(step / 10.0 ** math.floor(math.log10(step) + 1e-9))
    return 1 if digit >= 10 else digit


def grid_columns(count: int) -> int:
    """Columns for count plots: at most MAX_COLUMNS, rows filled evenly (4 -> 2x2, 5 -> 3+2)."""
    rows = max(1, math.ceil(count / MAX_COLUMNS))
    return max(1, math.ceil(count / rows))


class HistogramGrid(QWidget):
    """Per-layer histograms in a grid of up to MAX_COLUMNS columns, with a W / dW toggle."""

    name = "histograms"
    parts = frozenset({"hists"})

    sigKindChanged = pyqtSignal(bool)  # True: show gradients dW, False: weights W

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._gradients = False
        self._dims: tuple[int, ...] = ()
        self._plots: list[pg.PlotItem] = []
        self._curves: list[pg.PlotDataItem] = []
        self._titles: list[str] = []
        self._message = ""
        self._empty = True
        self._kind = None
        self._ranges: list[tuple[HeldRange, HeldRange]] = []  # per layer: values, counts
        self.graphics = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._build_header())
        layout.addWidget(self.graphics, stretch=1)
        self.setToolTip(GRID_TIP)

    def _build_header(self) -> QHBoxLayout:
        self.weights_radio = QRadioButton("Weights W")
        self.gradients_radio = QRadioButton("Gradients dW")
        self.weights_radio.setToolTip(WEIGHTS_TIP)
        self.gradients_radio.setToolTip(GRADIENTS_TIP)
        self.weights_radio.setChecked(True)
        self._kind_group = QButtonGroup(self)
        self._kind_group.addButton(self.weights_radio)
        self._kind_group.addButton(self.gradients_radio)
        self.gradients_radio.toggled.connect(self._on_kind_toggled)
        self.message_label = QLabel("")
        self.message_label.setStyleSheet(f"font-size: {style.TITLE_SIZE}; color: #a04000;")
        self.message_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 6, 0)
        header.addWidget(self.weights_radio)
        header.addWidget(self.gradients_radio)
        header.addStretch(1)
        header.addWidget(self.message_label)
        return header

    # --- public API -----------------------------------------------------------------------
    def set_layers(self, layer_dims) -> None:
        """A new network (n_x, n_1, ..., n_L): one plot per W1..WL, rebuilt only if L changes."""
        dims = tuple(int(n) for n in layer_dims)
        count = max(len(dims) - 1, 0)
        if count != len(self._plots):
            self._rebuild(count)
        self._dims = dims
        self._show_empty(NO_GRADIENTS if self._gradients else "")

    def show_snapshot(self, snap) -> None:
        """Draw a Snapshot's histograms (setData only; the binning was done in the worker)."""
        if snap.hists is None:
            return  # not computed for this frame (the view was hidden when it was asked for)
        if tuple(snap.layer_dims) != self._dims:
            self.set_layers(snap.layer_dims)
        # Before the first step there are no dW: the worker then sends W histograms
        # (kind "W"); showing them under a checked "Gradients" would mislead.
        no_grads = self._gradients and snap.hist_kind != "dW" and snap.iteration == 0
        if not snap.hists or no_grads:
            self._show_empty(NO_GRADIENTS if self._gradients else NO_WEIGHTS)
            return
        if snap.hist_kind != self._kind:
            self._kind = snap.hist_kind
            self._reset_ranges()
        for plot, curve, ranges, (counts, edges) in zip(self._plots, self._curves,
                                                         self._ranges, snap.hists):
            curve.setData(edges, counts, skipFiniteCheck=True)
            x, y = ranges
            if x.take(edges[0], edges[-1]):
                plot.setXRange(x.low, x.high, padding=0.0)
            if y.take(counts):
                plot.setYRange(0.0, y.high, padding=0.0)
        self._empty = False
        self._set_titles(snap.hist_kind)
        self._set_message("")

    def set_gradients(self, on: bool) -> None:
        """Show gradients dW (True) or weights W; emits sigKindChanged if it changes."""
        (self.gradients_radio if on else self.weights_radio).setChecked(True)

    def gradients(self) -> bool:
        return self._gradients

    def message(self) -> str:
        """The note shown instead of data ("" while histograms are shown)."""
        return self._message

    def plot_count(self) -> int:
        return len(self._plots)

    def titles(self) -> list[str]:
        return list(self._titles)

    # --- slots ----------------------------------------------------------------------------
    def _on_kind_toggled(self, gradients: bool) -> None:
        if gradients == self._gradients:
            return
        self._gradients = gradients
        self.sigKindChanged.emit(gradients)

    # --- helpers --------------------------------------------------------------------------
    def _rebuild(self, count: int) -> None:
        self.graphics.clear()
        self._plots, self._curves, self._titles = [], [], []
        columns = grid_columns(count)
        for i in range(count):
            plot = self.graphics.addPlot(row=i // columns, col=i % columns,
                                         axisItems={"bottom": ValueAxis("bottom")})
            self._plots.append(plot)
            plot.disableAutoRange()
            self._curves.append(self._add_histogram(plot))
            self._titles.append("")
        for col in range(columns):
            self.graphics.ci.layout.setColumnStretchFactor(col, 1)
        for row in range(math.ceil(count / columns)):
            self.graphics.ci.layout.setRowStretchFactor(row, 1)

    @staticmethod
    def _add_histogram(plot: pg.PlotItem) -> pg.PlotDataItem:
        style.style_plot(plot)
        plot.hideAxis("left")  # the shape matters, not the counts (long layers are sampled)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.getAxis("bottom").setStyle(maxTickLevel=1)
        fill = QColor(style.HIST_COLOR)
        fill.setAlpha(style.HIST_FILL_ALPHA)
        # no antialiasing: a filled step outline is all axis-aligned, and smoothing its fill
        # cost several ms a frame
        curve = plot.plot(stepMode="center", fillLevel=0, brush=fill, antialias=False,
                          pen=pg.mkPen(style.HIST_COLOR, width=1))
        zero = pg.InfiniteLine(0.0, angle=90, movable=False,
                               pen=pg.mkPen(style.CROSSHAIR_COLOR, style=Qt.PenStyle.DashLine))
        plot.addItem(zero, ignoreBounds=True)
        plot.setToolTip(GRID_TIP)
        return curve

    def _reset_ranges(self) -> None:
        """Forget the held ranges: a new network, or W and dW swapped."""
        self._ranges = [(HeldRange("symmetric"), HeldRange("zero")) for _ in self._plots]

    def _show_empty(self, text: str) -> None:
        for curve in self._curves:
            curve.clear()
        self._kind = None
        self._reset_ranges()
        if not self._empty:
            self._empty = True
            for plot in self._plots:  # an empty frame, not the old data's axes
                plot.setRange(xRange=(-1.0, 1.0), yRange=(0.0, 1.0), padding=0.0)
        self._set_titles("dW" if self._gradients else "W")
        self._set_message(text)

    def _set_titles(self, kind: str) -> None:
        for i, plot in enumerate(self._plots):
            title = layer_title(kind, i + 1, self._dims) if len(self._dims) > i + 1 else ""
            if title != self._titles[i]:
                plot.setTitle(title, size=style.TITLE_SIZE)
                self._titles[i] = title

    def _set_message(self, text: str) -> None:
        self._message = text
        self.message_label.setText(text)
