"""CostPlot: the cost of every iteration, the test cost, and train/test accuracy, live.

Items are created once; show_snapshot only calls setData, so a redraw from the GUI
timer stays cheap however long the run (the worker already downsamples the history).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF, Qt, pyqtSignal
from PyQt6.QtGui import QFontMetricsF, QPainter
from PyQt6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dnnviz.training.session import EVAL_FIELDS, EvalPoint, eval_column
from dnnviz.ui import style
from dnnviz.ui.views.ranges import HeldRange
from dnnviz.ui.views.runs import RUN_COLORS, RunRecord

LOG_FLOOR = 1e-12  # log10 of a nonpositive cost is NaN (and warns): floor it on a log axis
HOVER_HINT = "hover over a curve to read its values"
HOVER_HINT_SHORT = "hover: values"  # where the hint does not fit (presentation mode)
MAX_MARKERS = 60  # evaluations drawn with markers up to this many; beyond, a line reads better
ACCURACY_TICKS = [[(v, f"{v:g}") for v in (0.0, 0.25, 0.5, 0.75, 1.0)]]
FEW_ACCURACY_TICKS = [[(v, f"{v:g}") for v in (0.0, 0.5, 1.0)]]  # a short plot, large text
RUN_WIDTH = 1.5  # earlier runs: thinner than the live curves (style.CURVE_WIDTH) ...
RUN_ALPHA = 190  # ... and see-through, below them
LEGEND_BRUSH = (255, 255, 255, 215)
LEGEND_PEN = (0, 0, 0, 60)
LEGEND_COLUMNS = (3, 2, 1)  # the most that fit the width: many runs take fewer rows

COST_TIP = (
    "The cost J after every iteration of gradient descent on the training set (blue), and "
    "the cost on the test set, measured every few iterations (red). A learning rate that "
    "is too large makes J jump up and down; a test cost that rises while the training cost "
    "falls means the network is overfitting. Earlier runs you kept are drawn thin, in "
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


def _nearest(xs: np.ndarray, x: float) -> int:
    """Index of the value of the sorted array xs nearest to x (xs not empty)."""
    i = int(np.searchsorted(xs, x))
    if i <= 0:
        return 0
    if i >= len(xs):
        return len(xs) - 1
    return i if xs[i] - x < x - xs[i - 1] else i - 1


class CostAxis(pg.AxisItem):
    """A cost axis whose log mode labels only 1, 2 and 5 times a power of ten.

    pyqtgraph labels every minor tick (0.06, 0.07, 0.08 ...), which overlap; linear mode
    keeps plain numbers rather than an SI scale such as "(x0.001)".
    """

    def __init__(self, orientation: str = "left"):
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def logTickStrings(self, values, scale, spacing):
        strings = super().logTickStrings(values, scale, spacing)
        return [s if _leading_digit(v) in (1, 2, 5) else "" for v, s in zip(values, strings)]


def _leading_digit(log_value: float) -> int:
    digit = round(10.0 ** (log_value - math.floor(log_value + 1e-9)))
    return 1 if digit >= 10 else digit


class _OutsideLegend(pg.LegendItem):
    """A legend in its own layout row above its plot, so it never covers a curve (falling
    cost, rising test cost and accuracy leave no corner free on the cat data)."""

    def __init__(self):
        super().__init__(colCount=2, labelTextSize=style.LEGEND_SIZE, brush=LEGEND_BRUSH,
                         pen=LEGEND_PEN, horSpacing=6, verSpacing=-3)
        self.layout.setContentsMargins(4, 0, 8, 0)

    def updateSize(self):
        super().updateSize()
        self.updateGeometry()  # the enclosing layout asks for the new size hint

    def fit(self, width: float) -> None:
        """As many columns as fit in width: a legend wider than the view would widen the
        whole layout and push the plots' right edge out of sight."""
        fitting = [n for n in LEGEND_COLUMNS if n <= max(1, len(self.items))
                   and self._needed(n) <= width]
        self.setColumnCount(fitting[0] if fitting else 1)

    def _needed(self, columns: int) -> float:
        spacing = self.layout.horizontalSpacing()
        entries = [sample.width() + label.item.boundingRect().width() + 2 * spacing + 6
                   for sample, label in self.items]
        return sum(max(entries[j::columns], default=0.0) for j in range(columns)) + 12


class _OneLineLabel(QLabel):
    """A label that stays one line high whatever its font: text wider than the label is
    elided ("iteration 1234, train accu…"), whole in the tooltip. In presentation mode's
    larger text the hover line would otherwise wrap and squeeze the plots below."""

    def __init__(self, text: str = "", short: dict[str, str] | None = None):
        super().__init__(text)
        self.short = short or {}  # a text -> what to show instead when it does not fit
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(1)

    def setWordWrap(self, on: bool) -> None:  # the theme asks labels to wrap: never
        super().setWordWrap(False)

    def hasHeightForWidth(self) -> bool:
        return False

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(self.fontMetrics().height() + 2 * self.margin() + 2)
        return hint

    def minimumSizeHint(self):
        hint = self.sizeHint()
        hint.setWidth(1)
        return hint

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event):
        painter = QPainter(self)
        rect = self.contentsRect()
        metrics = self.fontMetrics()
        text = self.text()
        if metrics.horizontalAdvance(text) > rect.width():
            text = self.short.get(text, text)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        painter.drawText(rect, self.alignment(), shown)
        painter.end()


class CostPlot(QWidget):
    """Training and test cost (top, optional log axis) and accuracy (bottom, x-linked)."""

    name = "cost"
    parts = frozenset()

    sigLogScaleChanged = pyqtSignal(bool)  # the "Log scale" box changed (e.g. to sync a menu)
    sigRunVisibilityChanged = pyqtSignal(int, bool)  # an earlier run shown or hidden (legend too)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._cost_x, self._cost_y, self._evals = _empty(), _empty(), _no_evals()
        self._log = False
        self._markers = True
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
        layout.setSpacing(2)
        layout.addLayout(self._header)
        layout.addWidget(self.graphics, stretch=1)
        self.clear()

    # --- construction ---------------------------------------------------------------------
    def _build_header(self) -> None:
        self.log_check = QCheckBox("Log scale")
        self.log_check.setToolTip("Show the cost on a logarithmic axis: late, slow progress "
                                  "stays visible when the cost is already small.")
        self.log_check.toggled.connect(self._on_log_toggled)
        self.hover_label = _OneLineLabel(HOVER_HINT, short={HOVER_HINT: HOVER_HINT_SHORT})
        self.hover_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.hover_label.setStyleSheet(f"font-size: {style.TITLE_SIZE};")
        self._header = QHBoxLayout()
        self._header.setContentsMargins(6, 2, 6, 0)
        self._header.addWidget(self.log_check)
        self._header.addStretch(1)
        self._header.addWidget(self.hover_label, stretch=100)

    def _build_plots(self) -> None:
        self.graphics = pg.GraphicsLayoutWidget()
        self.cost_legend, self.acc_legend = _OutsideLegend(), _OutsideLegend()
        self.graphics.addItem(self.cost_legend, row=0, col=0)
        self.cost_plot = self.graphics.addPlot(row=1, col=0, axisItems={"left": CostAxis()})
        self.graphics.addItem(self.acc_legend, row=2, col=0)
        self.acc_plot = self.graphics.addPlot(row=3, col=0)
        self.graphics.ci.layout.setRowStretchFactor(1, 3)
        self.graphics.ci.layout.setRowStretchFactor(3, 2)
        style.style_plot(self.cost_plot, left="cost")
        style.style_plot(self.acc_plot, left="accuracy", bottom="iteration")
        self.acc_plot.setXLink(self.cost_plot)
        self.acc_plot.setYRange(-0.08, 1.08, padding=0.0)  # room for the 0 and 1 labels
        self.acc_plot.setLimits(yMin=-0.1, yMax=1.1)
        self.acc_plot.getAxis("left").setTicks(ACCURACY_TICKS)
        self.acc_plot.vb.sigResized.connect(self._fit_accuracy_ticks)
        for plot in (self.cost_plot, self.acc_plot):
            plot.showGrid(x=True, y=True, alpha=0.25)
            # Align the two x axes: equal left-axis widths whatever the tick labels.
            plot.getAxis("left").setWidth(style.AXIS_WIDTH)
            # Grid lines for the finest tick level cost more to paint than the curves.
            plot.getAxis("bottom").setStyle(maxTickLevel=0)
        self.cost_plot.getAxis("left").setStyle(maxTickLevel=1)
        self.train_curve = self.cost_plot.plot(
            pen=pg.mkPen(style.TRAIN_COLOR, width=style.CURVE_WIDTH), name="training cost")
        # Draw about one min/max pair per pixel column: same envelope, fewer wide AA segments.
        self.train_curve.setDownsampling(auto=True, method="peak")
        self.train_curve.opts["autoDownsampleFactor"] = 1.0
        self.test_curve = self.cost_plot.plot(
            pen=pg.mkPen(style.TEST_COLOR, width=style.CURVE_WIDTH, style=Qt.PenStyle.DashLine),
            symbol="o", symbolSize=6, symbolPen=None, symbolBrush=style.TEST_COLOR,
            name="test cost")
        self.train_acc_curve = self._accuracy_curve(style.ACCURACY_COLORS[0], "train accuracy")
        self.test_acc_curve = self._accuracy_curve(style.ACCURACY_COLORS[1], "test accuracy")
        for legend, curve in ((self.cost_legend, self.train_curve),
                              (self.cost_legend, self.test_curve),
                              (self.acc_legend, self.train_acc_curve),
                              (self.acc_legend, self.test_acc_curve)):
            legend.addItem(curve, curve.name())
        self.cost_plot.setToolTip(COST_TIP)
        self.acc_plot.setToolTip(ACCURACY_TIP)

    def _accuracy_curve(self, color: str, name: str) -> pg.PlotDataItem:
        return self.acc_plot.plot(
            pen=pg.mkPen(color, width=style.CURVE_WIDTH), symbol="o", symbolSize=6,
            symbolPen=None, symbolBrush=color, name=name)

    def _build_crosshair(self) -> None:
        pen = pg.mkPen(style.CROSSHAIR_COLOR, width=1, style=Qt.PenStyle.DotLine)
        self.cost_vline = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self.acc_vline = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self.marker = pg.PlotDataItem(
            symbol="o", symbolSize=9, pen=None, symbolPen=pg.mkPen("k", width=1.5),
            symbolBrush=None)
        self.cost_plot.addItem(self.cost_vline, ignoreBounds=True)
        self.acc_plot.addItem(self.acc_vline, ignoreBounds=True)
        self.cost_plot.addItem(self.marker, ignoreBounds=True)
        # "Latest value wins": at most ~30 lookups a second however fast the mouse moves.
        self._mouse_proxy = pg.SignalProxy(
            self.graphics.scene().sigMouseMoved, rateLimit=30, slot=self._on_proxy_moved)

    # --- public API -----------------------------------------------------------------------
    def clear(self) -> None:
        """A new session: empty every curve and the value under the mouse."""
        self._cost_x, self._cost_y, self._evals = _empty(), _empty(), _no_evals()
        for item in (self.train_curve, self.test_curve, self.train_acc_curve,
                     self.test_acc_curve):
            item.setData(_empty(), _empty())
        self._reset_hover()
        # Forget the old run's axes: the next data sets them afresh.
        self._x_top = None
        self._y_range.reset()
        self.cost_plot.disableAutoRange()
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
        self._show_markers(len(evals) <= MAX_MARKERS)
        self._target = int(snap.target_iterations)
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
            self.cost_plot.setXRange(0.0, x_top, padding=0.02)
        costs = [self._cost_y, eval_column(self._evals, "test_cost"), *(r.cost_y for r in runs)]
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
        """Keep an earlier run's cost curve on the plot: thin, faint, below the live run."""
        color = pg.mkColor(record.color or RUN_COLORS[len(self._runs) % len(RUN_COLORS)])
        color.setAlpha(RUN_ALPHA)
        curve = pg.PlotDataItem(pen=pg.mkPen(color, width=RUN_WIDTH), name=record.label)
        curve.setDownsampling(auto=True, method="peak")
        curve.setZValue(-1)  # the live curves, at 0, stay on top
        self.cost_plot.addItem(curve)  # takes the plot's log mode
        _set(curve, record.cost_x, self._for_cost_axis(record.cost_y))
        curve.setVisible(record.visible)
        curve.visibleChanged.connect(self._on_run_visibility)
        self.cost_legend.addItem(curve, record.label)
        self._runs.append((record, curve))
        self._fit_legends()
        self._hold_ranges()
        return curve

    def set_run_visible(self, i: int, on: bool) -> None:
        """Show or hide the i-th earlier run (sigRunVisibilityChanged on a change)."""
        self._runs[i][1].setVisible(bool(on))

    def remove_run(self, i: int) -> None:
        _, curve = self._runs.pop(i)
        curve.visibleChanged.disconnect(self._on_run_visibility)
        self.cost_legend.removeItem(curve)
        self.cost_plot.removeItem(curve)
        self._fit_legends()

    def clear_runs(self) -> None:
        """Forget every earlier run (the live run stays)."""
        while self._runs:
            self.remove_run(len(self._runs) - 1)

    def runs(self) -> list[RunRecord]:
        return [record for record, _ in self._runs]

    def run_curve(self, i: int) -> pg.PlotDataItem:
        return self._runs[i][1]

    def hover_text(self) -> str:
        """The value under the mouse, e.g. "iteration 1234, cost 0.4321" ("" when none)."""
        return self._hover

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_legends()

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
        for record, curve in self._runs:
            _set(curve, record.cost_x, self._for_cost_axis(record.cost_y))
        self._reset_hover()
        self._hold_ranges()
        self.sigLogScaleChanged.emit(self._log)

    def _on_run_visibility(self) -> None:
        curve = self.sender()
        for i, (record, item) in enumerate(self._runs):
            if item is curve:
                record.visible = curve.isVisible()
                for sample, _ in self.cost_legend.items:
                    if sample.item is curve:
                        sample.update()  # the eye icon of a hidden curve, or its line
                self._hold_ranges()
                self.sigRunVisibilityChanged.emit(i, record.visible)
                return

    def _on_proxy_moved(self, args) -> None:
        self._on_mouse_moved(args[0])

    def _on_mouse_moved(self, pos: QPointF) -> None:
        """pos in scene coordinates: read the nearest point of the plot under the mouse."""
        if self.cost_plot.sceneBoundingRect().contains(pos):
            x = self.cost_plot.vb.mapSceneToView(pos).x()
            self._hover_cost(x)
        elif self.acc_plot.sceneBoundingRect().contains(pos):
            x = self.acc_plot.vb.mapSceneToView(pos).x()
            self._hover_accuracy(x)

    # --- helpers --------------------------------------------------------------------------
    def _fit_legends(self) -> None:
        for legend in (self.cost_legend, self.acc_legend):
            legend.fit(self.width() - 8)

    def _fit_accuracy_ticks(self) -> None:
        """0, 0.25 ... 1 when they fit the plot's height, else 0, 0.5, 1 (labels in
        presentation mode's larger text would overlap)."""
        axis = self.acc_plot.getAxis("left")
        font = axis.style["tickFont"] or axis.font()
        needed = 5 * QFontMetricsF(font).height()
        ticks = ACCURACY_TICKS if self.acc_plot.vb.height() >= needed else FEW_ACCURACY_TICKS
        if axis._tickLevels != ticks:
            axis.setTicks(ticks)

    def _for_cost_axis(self, y: np.ndarray) -> np.ndarray:
        return np.maximum(y, LOG_FLOOR) if self._log else y

    def _hover_cost(self, x: float) -> None:
        if not len(self._cost_x):
            return
        i = _nearest(self._cost_x, x)
        it, cost = self._cost_x[i], self._cost_y[i]
        self.marker.setData([it], self._for_cost_axis(np.array([cost])))
        self._show_lines(it)
        self._set_hover(f"iteration {int(it)}, cost {cost:.4f}")

    def _hover_accuracy(self, x: float) -> None:
        if not len(self._evals):
            return
        point = EvalPoint.from_row(
            self._evals[_nearest(eval_column(self._evals, "iteration"), x)])
        self.marker.setData(_empty(), _empty())
        self._show_lines(point.iteration)
        self._set_hover(f"iteration {point.iteration}, train accuracy "
                        f"{point.train_accuracy:.1%}, test accuracy {point.test_accuracy:.1%}")

    def _show_markers(self, on: bool) -> None:
        if on == self._markers:
            return
        self._markers = on
        for curve in (self.test_curve, self.train_acc_curve, self.test_acc_curve):
            curve.setSymbol("o" if on else None)

    def _show_lines(self, it: float) -> None:
        for line in (self.cost_vline, self.acc_vline):
            line.setValue(it)
            line.show()

    def _reset_hover(self) -> None:
        self.marker.setData(_empty(), _empty())
        self.cost_vline.hide()
        self.acc_vline.hide()
        self._set_hover("")

    def _set_hover(self, text: str) -> None:
        self._hover = text
        self.hover_label.setText(text or HOVER_HINT)
