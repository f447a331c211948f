"""CostPlot: the cost of every iteration, the test cost, and train/test accuracy, live.

Items are made once; show_snapshot only calls setData, and the axes move only when the data
leaves them (ranges.HeldRange): x spans the run's target, so the curve grows into it.
The legend sits outside the plots (legend.Legend), with the earlier runs kept for
comparison; train is one colour and test another, in both plots.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QFontMetricsF
from PyQt6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from dnnviz.training.session import EVAL_FIELDS, eval_column
from dnnviz.ui import look as looks
from dnnviz.ui.views.axes import CostAxis, ReadableAxis
from dnnviz.ui.views.cost_hover import HOVER_HINT, CostHover
from dnnviz.ui.views.legend import Legend
from dnnviz.ui.views.ranges import HeldRange
from dnnviz.ui.views.reference import ReferenceCurve
from dnnviz.ui.views.text import ElidedLabel
from dnnviz.window_model.runs import RunRecord

LOG_FLOOR = 1e-12  # log10 of a nonpositive cost is NaN (and warns): floor it on a log axis
MAX_MARKERS = 20  # evaluations drawn with markers up to this many; beyond, a line reads better
ACCURACY_TICKS = [[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]]
RUN_WIDTH = 1.5  # earlier runs: thinner than the live curves ...
RUN_ALPHA = 190  # ... and see-through, below them
AXIS_WIDTH = 56  # px of a left axis at the desk, fixed so the two plots line up

COST_TIP = (
    "The cost J after every iteration of gradient descent on the training set (solid), "
    "and the cost on the test set, measured every few iterations (dashed). A learning rate "
    "that is too large makes J jump up and down; a test cost that rises while the training "
    "cost falls means the network is overfitting. Earlier runs you kept are drawn thin, in "
    "other colours, for comparison."
)
ACCURACY_TIP = (
    "The fraction of examples classified correctly (prediction 1 when the output "
    "probability > 0.5), on the training set and on the test set. The gap between the two "
    "is the variance of the model."
)


def _empty() -> np.ndarray:
    return np.empty(0, dtype=np.float64)


def _no_evals() -> np.ndarray:
    return np.empty((0, len(EVAL_FIELDS)), dtype=np.float64)


def _set(item: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> None:
    # The finite check on a few thousand points costs microseconds; NaN with
    # skipFiniteCheck=True would draw garbage, so only skip when it is true.
    item.setData(x, y, skipFiniteCheck=bool(np.isfinite(y).all()))


class CostPlot(CostHover, QWidget):
    """Training and test cost (top, optional log axis) and accuracy (bottom, x-linked)."""

    name = "cost"
    parts = frozenset()

    sigLogScaleChanged = pyqtSignal(bool)  # the "Log scale" box changed (e.g. to sync a menu)
    sigRunVisibilityChanged = pyqtSignal(int, bool)  # an earlier run shown or hidden

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._cost_x, self._cost_y, self._evals = _empty(), _empty(), _no_evals()
        self._log = False
        self._markers = None
        self._hover = ""
        self._runs: list[tuple[RunRecord, pg.PlotDataItem]] = []
        self._y_range = HeldRange("zero")
        self._x_top: float | None = None
        self._target = 0
        self._build_header()
        self._build_plots()
        self._build_crosshair()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._header)
        layout.addWidget(self.legend)
        layout.addWidget(self.graphics, stretch=1)
        self.restyle(looks.current())
        self.clear()

    # --- construction ---------------------------------------------------------------------
    def _build_header(self) -> None:
        self.log_check = QCheckBox("Log scale")
        self.log_check.setToolTip("Show the cost on a logarithmic axis: late, slow progress "
                                  "stays visible when the cost is already small.")
        self.log_check.toggled.connect(self._on_log_toggled)
        self.hover_label = ElidedLabel(HOVER_HINT)
        self.hover_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._header = QHBoxLayout()
        self._header.setContentsMargins(6, 2, 6, 0)
        self._header.addWidget(self.log_check)
        self._header.addWidget(self.hover_label, stretch=1)
        self.legend = Legend()
        self.legend.sigToggled.connect(self._on_legend_toggled)

    def _build_plots(self) -> None:
        self.graphics = pg.GraphicsLayoutWidget()
        self.cost_plot = self.graphics.addPlot(row=0, col=0, axisItems={
            "left": CostAxis("left"), "bottom": ReadableAxis("bottom")})
        self.acc_plot = self.graphics.addPlot(row=1, col=0, axisItems={
            "bottom": ReadableAxis("bottom")})
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.acc_plot.setXLink(self.cost_plot)
        self.acc_plot.getAxis("left").setTicks(ACCURACY_TICKS)
        self.acc_plot.vb.sigResized.connect(self._fit_accuracy_range)
        self.acc_plot.getAxis("left").setStyle(hideOverlappingLabels=False)
        for plot in (self.cost_plot, self.acc_plot):
            plot.hideButtons()
            plot.disableAutoRange()
            plot.showGrid(x=True, y=True, alpha=0.25)
            # Grid lines for the finest tick level cost more to paint than the curves.
            plot.getAxis("bottom").setStyle(maxTickLevel=0)
        self.cost_plot.getAxis("left").setStyle(maxTickLevel=1)
        self.train_curve = self.cost_plot.plot(name="training cost")
        # Draw about one min/max pair per pixel column: same envelope, fewer AA segments.
        self.train_curve.setDownsampling(auto=True, method="peak")
        self.train_curve.opts["autoDownsampleFactor"] = 1.0
        self.test_curve = self.cost_plot.plot(name="test cost")
        self.train_acc_curve = self.acc_plot.plot(name="train accuracy")
        self.test_acc_curve = self.acc_plot.plot(name="test accuracy")
        self.cost_plot.setToolTip(COST_TIP)
        self.acc_plot.setToolTip(ACCURACY_TIP)
        self.reference = ReferenceCurve(self.cost_plot)  # beside a student's run only

    def restyle(self, look: looks.Look) -> None:
        """Every colour, width and font from the look."""
        look.style_graphics(self.graphics)
        look.style_plot(self.cost_plot, left="cost")
        look.style_plot(self.acc_plot, left="accuracy", bottom="iteration")
        self.quiet_hint(look.presentation)
        for plot in (self.cost_plot, self.acc_plot):
            plot.getAxis("left").setWidth(round(AXIS_WIDTH * look.font_scale))
        width = looks.CURVE_WIDTH
        self.train_curve.setPen(look.pen("train", width))
        self.test_curve.setPen(look.pen("test", width, dash=True))
        self.train_acc_curve.setPen(look.pen("train", width))
        self.test_acc_curve.setPen(look.pen("test", width, dash=True))
        for curve, role in ((self.test_curve, "test"), (self.train_acc_curve, "train"),
                            (self.test_acc_curve, "test")):
            curve.setSymbolBrush(look.brush(role))
            curve.setSymbolPen(None)
        self.train_curve.setSymbolBrush(look.brush("train"))
        self.train_curve.setSymbolPen(None)
        for line in (self.cost_vline, self.acc_vline):
            line.setPen(look.pen("crosshair", dash=True))
        self.marker.setSymbolPen(look.pen("text", 1.5))
        for record, curve in self._runs:
            self._style_run(curve, record, look)
        self.reference.restyle(look)
        self.hover_label.setFont(look.font(looks.TITLE_PT))
        self.legend.setFont(look.font(looks.LEGEND_PT))
        self._look = look
        self._fit_accuracy_range()
        self._fill_legend()

    def _style_run(self, curves, record: RunRecord, look: looks.Look) -> None:
        color = look.run_color(record.color)
        color.setAlpha(RUN_ALPHA)
        for curve, dash in ((curves.train, False), (curves.test, True),
                            (curves.test_acc, True)):
            pen = look.pen("text", RUN_WIDTH, dash=dash)
            pen.setColor(color)
            curve.setPen(pen)

    def _fill_legend(self) -> None:
        look = self._look
        width = looks.CURVE_WIDTH
        entries = [("train", look.pen("train", width), None),
                   ("test", look.pen("test", width, dash=True), None)]
        for record, _ in self._runs:
            pen = look.pen("text", RUN_WIDTH * 1.5)
            pen.setColor(look.run_color(record.color))
            entries.append((record.label, pen, record.visible))
        self.legend.set_entries(entries + self.reference.legend_entries(look))

    # --- public API -----------------------------------------------------------------------
    def clear(self) -> None:
        """A new session: empty every curve and the value under the mouse."""
        self._cost_x, self._cost_y, self._evals = _empty(), _empty(), _no_evals()
        for item in (self.train_curve, self.test_curve, self.train_acc_curve,
                     self.test_acc_curve):
            item.setData(_empty(), _empty())
        self._reset_hover()
        self.reference.clear()
        self._x_top = None
        self._y_range.reset()
        self.cost_plot.setRange(xRange=(0.0, 1.0), yRange=(0.0, 1.0), padding=0.0)
        self._hold_ranges()

    def show_snapshot(self, snap) -> None:
        """Draw a Snapshot's cost history and evaluations (setData only)."""
        self._cost_x = np.asarray(snap.cost_x, dtype=np.float64)
        self._cost_y = np.asarray(snap.cost_y, dtype=np.float64)
        evals = np.asarray(snap.evals, dtype=np.float64).reshape(-1, len(EVAL_FIELDS))
        self._evals = evals
        it = eval_column(evals, "iteration")
        _set(self.train_curve, self._cost_x, self._for_cost_axis(self._cost_y))
        _set(self.test_curve, it, self._for_cost_axis(eval_column(evals, "test_cost")))
        _set(self.train_acc_curve, it, eval_column(evals, "train_accuracy"))
        _set(self.test_acc_curve, it, eval_column(evals, "test_accuracy"))
        self._show_markers(len(evals) <= MAX_MARKERS, len(self._cost_x) <= 1)
        self._target = int(snap.target_iterations)
        if self.reference.show(snap.reference, self._for_cost_axis, self._target):
            self._fill_legend()  # the reference (or where it parts) came or went
        self._hold_ranges()

    def _hold_ranges(self) -> None:
        """x from 0 to the run's target (the curve grows into it); y from 0 (or, log, a
        decade) to a round value over every cost shown, widened only when a cost leaves
        it: the axes change, and relabel, only when they must."""
        runs = [record for record, _ in self._runs if record.visible]
        ends = [self._target, *(r.cost_x[-1] for r in runs if len(r.cost_x))]
        if len(self._cost_x):
            ends.append(self._cost_x[-1])
        x_top = max(max(ends), 1.0)
        if x_top != self._x_top:
            self._x_top = x_top
            self.cost_plot.setXRange(0.0, x_top, padding=0.04)
        costs = [self._cost_y, eval_column(self._evals, "test_cost"), *(r.cost_y for r in runs),
                 *(eval_column(r.evals, "test_cost") for r in runs if r.evals is not None),
                 *self.reference.costs()]
        if self._log:
            costs = [np.maximum(c, LOG_FLOOR) for c in costs]
        if self._y_range.take(*costs):
            self.cost_plot.setYRange(self._y_range.low, self._y_range.high, padding=0.0)

    def set_log_scale(self, on: bool) -> None:
        """A logarithmic cost axis (the checkbox follows; sigLogScaleChanged on a change)."""
        self.log_check.setChecked(bool(on))  # toggled -> _on_log_toggled

    def log_scale(self) -> bool:
        return self._log

    def add_run(self, record: RunRecord) -> pg.PlotDataItem:
        """Keep an earlier run's curves on the plots: its cost, its test cost and test
        accuracy (dashed), thin, faint, below the live run; its cost curve is returned."""
        curves = _RunCurves(self.cost_plot, self.acc_plot, record.label)
        self._style_run(curves, record, self._look)
        self._draw_run(curves, record)
        curves.setVisible(record.visible)
        self._runs.append((record, curves))
        curve = curves.train
        self._fill_legend()
        self._hold_ranges()
        return curve

    def set_run_visible(self, i: int, on: bool) -> None:
        """Show or hide the i-th earlier run (sigRunVisibilityChanged on a change)."""
        record, curve = self._runs[i]
        if record.visible == bool(on) and curve.train.isVisible() == bool(on):
            return
        record.visible = bool(on)
        curve.setVisible(record.visible)
        self._fill_legend()
        self._hold_ranges()
        self.sigRunVisibilityChanged.emit(i, record.visible)

    def remove_run(self, i: int) -> None:
        _, curves = self._runs.pop(i)
        curves.remove()
        self._fill_legend()

    def clear_runs(self) -> None:
        """Forget every earlier run (the live run stays)."""
        while self._runs:
            self.remove_run(len(self._runs) - 1)

    def runs(self) -> list[RunRecord]:
        return [record for record, _ in self._runs]

    def run_curve(self, i: int) -> pg.PlotDataItem:
        return self._runs[i][1].train

    def run_test_curves(self, i: int) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        """The i-th earlier run's test cost and test accuracy curves."""
        curves = self._runs[i][1]
        return curves.test, curves.test_acc

    def _draw_run(self, curves, record: RunRecord) -> None:
        _set(curves.train, record.cost_x, self._for_cost_axis(record.cost_y))
        evals = record.evals if record.evals is not None else _no_evals()
        it = eval_column(evals, "iteration")
        _set(curves.test, it, self._for_cost_axis(eval_column(evals, "test_cost")))
        _set(curves.test_acc, it, eval_column(evals, "test_accuracy"))

    # --- slots ----------------------------------------------------------------------------
    def _on_log_toggled(self, on: bool) -> None:
        if bool(on) == self._log:
            return
        self._log = bool(on)
        self.cost_plot.setLogMode(x=False, y=self._log)
        self._y_range = HeldRange("log" if self._log else "zero")
        # Redraw from the kept arrays so the floor applies (or is lifted) right away.
        _set(self.train_curve, self._cost_x, self._for_cost_axis(self._cost_y))
        _set(self.test_curve, eval_column(self._evals, "iteration"),
             self._for_cost_axis(eval_column(self._evals, "test_cost")))
        for record, curves in self._runs:
            self._draw_run(curves, record)
        self.reference.redraw(self._for_cost_axis)
        self._reset_hover()
        self._hold_ranges()
        self.sigLogScaleChanged.emit(self._log)

    def _on_legend_toggled(self, entry: int, on: bool) -> None:
        run = entry - 2  # after the train and test entries
        if 0 <= run < len(self._runs):
            self.set_run_visible(run, on)

    # --- helpers --------------------------------------------------------------------------
    def _for_cost_axis(self, y: np.ndarray) -> np.ndarray:
        return np.maximum(y, LOG_FLOOR) if self._log else y

    def _fit_accuracy_range(self) -> None:
        """0 to 1, with room above and below for the "1" and "0" labels in the axis font
        (a label half outside the plot would not be drawn)."""
        height = self.acc_plot.vb.height()
        axis = self.acc_plot.getAxis("left")
        text = QFontMetricsF(axis.style["tickFont"] or axis.font()).height()
        pad = min(0.3, (0.6 * text + 2) / max(height - 1.2 * text, 1.0))
        self.acc_plot.setYRange(-pad, 1 + pad, padding=0.0)

    def _show_markers(self, evals: bool, single_cost: bool) -> None:
        """Markers on the evaluations while few; a lone cost (one iteration) as a marker."""
        if (evals, single_cost) == self._markers:
            return
        self._markers = (evals, single_cost)
        for curve in (self.test_curve, self.train_acc_curve, self.test_acc_curve):
            curve.setSymbol("o" if evals else None)
            curve.setSymbolSize(round(6 * self._look.font_scale))
        self.train_curve.setSymbol("o" if single_cost else None)
        self.train_curve.setSymbolSize(round(8 * self._look.font_scale))


class _RunCurves:
    """An earlier run's curves: its cost (named, for the legend), its test cost and its
    test accuracy; shown, hidden and removed together."""

    def __init__(self, cost_plot, acc_plot, label: str):
        self.train = pg.PlotDataItem(name=label)
        self.test, self.test_acc = pg.PlotDataItem(), pg.PlotDataItem()
        self._plots = ((cost_plot, self.train), (cost_plot, self.test), (acc_plot, self.test_acc))
        for plot, curve in self._plots:
            curve.setDownsampling(auto=True, method="peak")
            curve.setZValue(-1)  # the live curves, at 0, stay on top
            plot.addItem(curve)  # takes the plot's log mode

    def setVisible(self, on: bool) -> None:
        for _, curve in self._plots:
            curve.setVisible(on)

    def remove(self) -> None:
        for plot, curve in self._plots:
            plot.removeItem(curve)
