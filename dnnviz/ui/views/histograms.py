"""HistogramGrid: one small histogram per layer, of the weights W[l] or their gradients dW[l].

The counts, edges, mean and standard deviation come ready-made in the Snapshot (computed in
the training process, about sqrt(n) bins); this widget only calls setData. The x range is
held over the run (widened when the values leave it, never shrunk frame by frame), per
layer or shared by every layer, so a shrinking histogram looks smaller; log10|value| shows
values of very different sizes side by side. A layer of at most STRIP_VALUES values is
drawn value by value, as a strip of ticks. Plots are rebuilt only when the number of layers
changes.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import QCheckBox, QWidget

from dnnviz.ui import look as looks
from dnnviz.ui.views.axes import ReadableAxis
from dnnviz.ui.views.histogram_plot import HistogramPlot, min_plot_width, stats_line, strip_xy
from dnnviz.ui.views.layer_plot import LayerView, grid_columns, layer_title
from dnnviz.ui.views.ranges import HeldRange

NO_GRADIENTS = "no gradients yet: take a step"
NO_WEIGHTS = "no weights yet"

GRID_TIP = (
    "Distribution of the values of each layer's matrix: the weights W[l] or, after a step, "
    "their gradients dW[l] = dJ/dW[l]. With zeros initialisation the weights stay a single "
    "spike (every unit learns the same thing: symmetry is never broken). Too large an "
    "initialisation shows as wide weight histograms; vanishing gradients show as dW "
    "histograms shrinking toward 0 in the early layers (W1, W2), exploding ones as very "
    "wide dW histograms. The x range is held over the run, so a histogram that shrinks looks "
    "smaller; 'shared x range' puts every layer on the same scale. A small layer is drawn "
    "as one tick per value. The grey line marks 0."
)
SHARED_TIP = ("One x range for every layer (held over the run): a layer whose values are "
              "100 times smaller looks 100 times narrower")
LOG_TIP = ("Histograms of log10|value|: -2 is 0.01, -7 is 0.0000001. Values of very "
           "different sizes (the small start's gradients beside He's) fit on one axis")


class HistogramGrid(LayerView):
    """Per-layer histograms in a grid of up to MAX_COLUMNS columns, with a W / dW toggle,
    a per-layer or shared x range and a log10|value| mode."""

    name = "histograms"
    parts = frozenset({"hists"})

    sigLogChanged = pyqtSignal(bool)  # True: histograms of log10|value|

    def __init__(self, parent: QWidget | None = None):
        self.shared_box = QCheckBox("shared x range")
        self.shared_box.setToolTip(SHARED_TIP)
        self.log_box = QCheckBox("log10|value|")
        self.log_box.setToolTip(LOG_TIP)
        super().__init__(GRID_TIP, (self.shared_box, self.log_box), parent)
        self.shared_box.toggled.connect(self.set_shared)
        self.log_box.toggled.connect(self._on_log_toggled)
        self._shared = False
        self._log = False
        self._dims: tuple[int, ...] = ()
        self._layers: list[HistogramPlot] = []
        self._built_columns = 0
        self._last = None  # the last snapshot drawn, to draw again after a relayout
        self._message = ""
        self._empty = True
        self._kind = None
        self._x_ranges: list[HeldRange] = []  # per layer, or one shared
        self.restyle(looks.current())

    # --- public API -----------------------------------------------------------------------
    def set_layers(self, layer_dims) -> None:
        """A new network (n_x, n_1, ..., n_L): one plot per W1..WL, rebuilt only if L changes."""
        dims = tuple(int(n) for n in layer_dims)
        count = max(len(dims) - 1, 0)
        if count != len(self._layers) or self._columns() != self._built_columns:
            self._rebuild(count)
        self._dims = dims
        self._last = None
        self._show_empty(NO_GRADIENTS if self.gradients() else "")

    def show_snapshot(self, snap) -> None:
        """Draw a Snapshot's histograms (setData only; the binning was done in the worker)."""
        if snap.hists is None:
            return  # not computed for this frame (the view was hidden when it was asked for)
        if tuple(snap.layer_dims) != self._dims:
            self.set_layers(snap.layer_dims)
        # Before the first step there are no dW: the worker then sends W histograms
        # (kind "W"); showing them under a checked "Gradients" would mislead.
        no_grads = self.gradients() and snap.hist_kind != "dW" and snap.iteration == 0
        if not snap.hists or no_grads:
            self._show_empty(NO_GRADIENTS if self.gradients() else NO_WEIGHTS)
            return
        if (snap.hist_kind, snap.hist_log) != self._kind:
            self._kind = (snap.hist_kind, snap.hist_log)
            self._reset_ranges()
        for layer, hist in zip(self._layers, snap.hists):
            layer.show(hist, snap.hist_log)
        self._hold_x(snap.hists, snap.hist_log)
        self._empty = False
        self._last = snap
        self._set_titles(snap.hist_kind, snap.hists, snap.hist_log)
        self._set_message("")

    def set_shared(self, on: bool) -> None:
        """One x range for every layer (True) or one per layer; held over the run either way."""
        on = bool(on)
        self.shared_box.setChecked(on)
        if on != self._shared:
            self._shared = on
            self._reset_ranges()
            if self._last is not None:
                self.show_snapshot(self._last)

    def shared(self) -> bool:
        return self._shared

    def set_log(self, on: bool) -> None:
        """Histograms of log10|value|; emits sigLogChanged if it changes (the training
        process bins them)."""
        self.log_box.setChecked(bool(on))

    def log(self) -> bool:
        return self._log

    def message(self) -> str:
        """The note shown instead of data ("" while histograms are shown)."""
        return self._message

    def plot_count(self) -> int:
        return len(self._layers)

    def titles(self) -> list[str]:
        return [layer.title for layer in self._layers]

    def x_range(self, i: int) -> tuple[float, float]:
        """The x range of layer i's plot (0-based) as drawn."""
        low, high = self._layers[i].plot.viewRange()[0]
        return float(low), float(high)

    def strip_values(self, i: int) -> np.ndarray | None:
        """The x of each tick of layer i's strip (None when it is drawn as a histogram)."""
        layer = self._layers[i]
        if not layer.is_strip:
            return None
        x, _ = layer.strip.getData()
        return np.asarray(x)[::2]

    @property
    def _curves(self) -> list:
        return [layer.curve for layer in self._layers]

    # --- slots ----------------------------------------------------------------------------
    def _on_log_toggled(self, on: bool) -> None:
        if on != self._log:
            self._log = on
            self.sigLogChanged.emit(on)

    # --- helpers --------------------------------------------------------------------------
    def _rebuild(self, count: int) -> None:
        self.graphics.clear()
        columns = self._built_columns = self._columns(count)
        self._layers = []
        for i in range(count):
            plot = self.graphics.addPlot(row=i // columns, col=i % columns,
                                         axisItems={"bottom": ReadableAxis("bottom"),
                                                    "left": ReadableAxis("left")})
            self._layers.append(HistogramPlot(plot, GRID_TIP))
        self._reset_ranges()
        self.restyle(looks.current())
        for col in range(columns):
            self.graphics.ci.layout.setColumnStretchFactor(col, 1)
        for row in range(math.ceil(count / columns)):
            self.graphics.ci.layout.setRowStretchFactor(row, 1)

    def restyle(self, look: looks.Look) -> None:
        look.style_graphics(self.graphics)
        for layer in self._layers:
            layer.restyle(look)
        self.style_message(look)

    def _columns(self, count: int | None = None) -> int:
        count = len(self._layers) if count is None else count
        return grid_columns(count, self.width(), min_plot_width(looks.current()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._layers and self._columns() != self._built_columns:
            snap = self._last
            self._rebuild(len(self._layers))
            self._show_empty("")
            if snap is not None:
                self.show_snapshot(snap)

    def _reset_ranges(self) -> None:
        """Forget the held x ranges: a new network, W and dW swapped, a new mode."""
        mode = "log" if self._kind is not None and self._kind[1] else "symmetric"
        count = 1 if self._shared else len(self._layers)
        self._x_ranges = [HeldRange(mode) for _ in range(count)]
        self._x_shown = [None] * len(self._layers)

    def _hold_x(self, hists, log: bool) -> None:
        """Widen the held x ranges to the new values; set a plot's range only on a change."""
        for i, hist in enumerate(hists):
            held = self._x_ranges[0 if self._shared else i]
            ends = hist.edges[[0, -1]] if hist.values is None else strip_xy(hist.values, log)[0]
            held.take(10.0 ** np.asarray(ends) if log else ends)
        for layer, i in zip(self._layers, range(len(hists))):
            held = self._x_ranges[0 if self._shared else i]
            if held.empty or (held.low, held.high) == self._x_shown[i]:
                continue
            self._x_shown[i] = (held.low, held.high)
            layer.plot.setXRange(held.low, held.high, padding=0.0)

    def _show_empty(self, text: str) -> None:
        for layer in self._layers:
            layer.clear()
        self._kind = None
        self._reset_ranges()
        if not self._empty:
            self._empty = True
            for layer in self._layers:  # an empty frame, not the old data's axes
                layer.plot.setRange(xRange=(-1.0, 1.0), yRange=(0.0, 1.0), padding=0.0)
        self._set_titles("dW" if self.gradients() else "W")
        self._set_message(text)

    def _set_titles(self, kind: str, hists=None, log: bool = False) -> None:
        for i, layer in enumerate(self._layers):
            title = layer_title(kind, i + 1, self._dims) if len(self._dims) > i + 1 else ""
            if title and hists is not None:
                title += "<br>" + stats_line(hists[i])
            layer.set_title(title)
            layer.set_axis_label(f"log10|{kind}|" if log else "")

    def _set_message(self, text: str) -> None:
        self._message = text
        self.message_label.setText(text)
