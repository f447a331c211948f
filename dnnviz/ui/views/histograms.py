"""HistogramGrid: one small histogram per layer, of the weights W[l] or their gradients dW[l].

The counts and bin edges come ready-made in the Snapshot (binned in the worker thread);
this widget only calls setData. Plots are rebuilt only when the number of layers changes.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from dnnviz.ui import look as looks
from dnnviz.ui.views.axes import ReadableAxis
from dnnviz.ui.views.ranges import HeldRange

MAX_COLUMNS = 3
MIN_PLOT_PX = 170  # a histogram narrower than this crowds its value axis
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


def grid_columns(count: int, width: float | None = None, min_width: float = MIN_PLOT_PX) -> int:
    """Columns for count plots: at most MAX_COLUMNS, each at least min_width px when the
    width is known, rows filled evenly (4 -> 2x2, 5 -> 3+2)."""
    most = MAX_COLUMNS if width is None else max(1, min(MAX_COLUMNS, int(width // min_width)))
    rows = max(1, math.ceil(count / most))
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
        self._zeros: list[pg.InfiniteLine] = []
        self._built_columns = 0
        self._last = None  # the last snapshot drawn, to draw again after a relayout
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
        self.restyle(looks.current())

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
        if count != len(self._plots) or self._columns() != self._built_columns:
            self._rebuild(count)
        self._dims = dims
        self._last = None
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
        self._last = snap
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
        self._plots, self._curves, self._titles, self._zeros = [], [], [], []
        columns = self._built_columns = self._columns(count)
        for i in range(count):
            plot = self.graphics.addPlot(row=i // columns, col=i % columns,
                                         axisItems={"bottom": ReadableAxis("bottom"),
                                                    "left": ReadableAxis("left")})
            self._plots.append(plot)
            plot.disableAutoRange()
            self._curves.append(self._add_histogram(plot))
            self._titles.append("")
        self.restyle(looks.current())
        for col in range(columns):
            self.graphics.ci.layout.setColumnStretchFactor(col, 1)
        for row in range(math.ceil(count / columns)):
            self.graphics.ci.layout.setRowStretchFactor(row, 1)

    def _add_histogram(self, plot: pg.PlotItem) -> pg.PlotDataItem:
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.getAxis("left").setStyle(maxTickLevel=0)
        plot.getAxis("bottom").setStyle(maxTickLevel=0)
        # no antialiasing: a filled step outline is all axis-aligned, and smoothing its fill
        # cost several ms a frame
        curve = plot.plot(stepMode="center", fillLevel=0, antialias=False)
        zero = pg.InfiniteLine(0.0, angle=90, movable=False)
        plot.addItem(zero, ignoreBounds=True)
        self._zeros.append(zero)
        plot.setToolTip(GRID_TIP)
        return curve

    def restyle(self, look: looks.Look) -> None:
        look.style_graphics(self.graphics)
        for plot, curve, zero, title in zip(self._plots, self._curves, self._zeros,
                                            self._titles):
            look.style_plot(plot, title=title)
            curve.setPen(look.pen("hist"))
            curve.setBrush(look.brush("hist", looks.HIST_FILL_ALPHA))
            zero.setPen(look.pen("zero", dash=True))
        self.message_label.setStyleSheet(f"color: {look.hex('warning')};")
        self.message_label.setFont(look.font(looks.TITLE_PT))

    def _columns(self, count: int | None = None) -> int:
        count = len(self._plots) if count is None else count
        return grid_columns(count, self.width(), MIN_PLOT_PX * looks.current().font_scale)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._plots and self._columns() != self._built_columns:
            snap = self._last
            self._rebuild(len(self._plots))
            self._show_empty("")
            if snap is not None:
                self.show_snapshot(snap)

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
                looks.current().set_title(plot, title)
                self._titles[i] = title

    def _set_message(self, text: str) -> None:
        self._message = text
        self.message_label.setText(text)
