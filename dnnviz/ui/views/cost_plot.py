"""CostPlot: the cost of every iteration, the test cost, and train/test accuracy, live.

Items are made once; show_snapshot only calls setData, and the axes move only when the data
leaves them (ranges.HeldRange): x spans the run's target, so the curve grows into it.
The legend sits outside the plots (legend.Legend) and names the live run and the earlier
runs kept for comparison (cost_runs.CostRuns); train is one colour and test another, in both
plots. "Without penalty" draws the training cost without the L2 term: the evaluations'
cross-entropy, computed by the session, so that a regularised run compares with the others.
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
from dnnviz.ui.views.cost_runs import RUN_WIDTH, CostRuns, empty, no_evals, put
from dnnviz.ui.views.legend import Legend
from dnnviz.ui.views.ranges import HeldRange
from dnnviz.ui.views.reference import ReferenceCurve
from dnnviz.ui.views.text import ElidedLabel
from dnnviz.window_model.runs import RunRecord

LOG_FLOOR = 1e-12  # log10 of a nonpositive cost is NaN (and warns): floor it on a log axis
MAX_MARKERS = 20  # evaluations drawn with markers up to this many; beyond, a line reads better
ACCURACY_TICKS = [[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]]
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


class CostPlot(CostHover, CostRuns, QWidget):
    """Training and test cost (top, optional log axis) and accuracy (bottom, x-linked)."""

    name = "cost"
    parts = frozenset()

    sigLogScaleChanged = pyqtSignal(bool)  # the "Log scale" box changed (e.g. to sync a menu)
    sigDataCostChanged = pyqtSignal(bool)  # the "Without penalty" box changed
    sigRunVisibilityChanged = pyqtSignal(int, bool)  # an earlier run shown or hidden

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._cost_x, self._cost_y, self._evals = empty(), empty(), no_evals()
        self._steps = (empty(), empty())  # every iteration's cost, as the step saw it
        self._log = False
        self._data_cost = False
        self._markers = None
        self._hover = ""
        self._runs: list[tuple[RunRecord, pg.PlotDataItem]] = []
        self._y_range = HeldRange("zero")
        self._x_top: float | None = None
        self._target = 0
        self._run_name = ""  # the live run's, in the legend
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
        self.data_cost_check = QCheckBox("Without penalty")
        self.data_cost_check.setToolTip(
            "Draw the training cost without the L2 penalty (λ/2m·Σ‖W‖²): the cross-entropy "
            "alone, on every training example, measured every few iterations, as the test "
            "cost is. A regularised run's cost then compares with the others'.")
        self.data_cost_check.toggled.connect(self._on_data_cost_toggled)
        self.hover_label = ElidedLabel(HOVER_HINT)
        self.hover_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._header = QHBoxLayout()
        self._header.setContentsMargins(6, 2, 6, 0)
        self._header.addWidget(self.log_check)
        self._header.addWidget(self.data_cost_check)
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
        self.cost_plot.vb.sigResized.connect(self._fit_cost_range)
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

    def _fill_legend(self) -> None:
        look = self._look
        width = looks.CURVE_WIDTH
        live = f"{self._run_name}: " if self._run_name else ""
        train = "train without penalty" if self._data_cost else "train"
        entries = [(f"{live}{train}", look.pen("train", width), None),
                   ("test", look.pen("test", width, dash=True), None)]
        for record, _ in self._runs:
            pen = look.pen("text", RUN_WIDTH * 1.5)
            pen.setColor(look.run_color(record.color))
            entries.append((record.label, pen, record.visible))
        self.legend.set_entries(entries + self.reference.legend_entries(look))

    # --- public API -----------------------------------------------------------------------
    def clear(self) -> None:
        """A new session: empty every curve and the value under the mouse."""
        self._cost_x, self._cost_y, self._evals = empty(), empty(), no_evals()
        self._steps = (empty(), empty())
        for item in (self.train_curve, self.test_curve, self.train_acc_curve,
                     self.test_acc_curve):
            item.setData(empty(), empty())
        self._reset_hover()
        self.reference.clear()
        self._x_top = None
        self._y_range.reset()
        self.cost_plot.setRange(xRange=(0.0, 1.0), yRange=(0.0, 1.0), padding=0.0)
        self._hold_ranges()

    def show_snapshot(self, snap) -> None:
        """Draw a Snapshot's cost history and evaluations (setData only)."""
        self._steps = (np.asarray(snap.cost_x, dtype=np.float64),
                       np.asarray(snap.cost_y, dtype=np.float64))
        evals = np.asarray(snap.evals, dtype=np.float64).reshape(-1, len(EVAL_FIELDS))
        new_evals = not np.array_equal(evals, self._evals)  # every 10th iteration or so:
        self._evals = evals  # the test and accuracy curves are not drawn again in between
        self._cost_x, self._cost_y = self._training_cost(self._steps, evals)
        put(self.train_curve, self._cost_x, self._for_cost_axis(self._cost_y))
        if new_evals:
            it = eval_column(evals, "iteration")
            put(self.test_curve, it, self._for_cost_axis(eval_column(evals, "test_cost")))
            put(self.train_acc_curve, it, eval_column(evals, "train_accuracy"))
            put(self.test_acc_curve, it, eval_column(evals, "test_accuracy"))
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
        kept = [(r, r.evals if r.evals is not None else no_evals()) for r in runs]
        costs = [self._cost_y, eval_column(self._evals, "test_cost"),
                 *(self._training_cost((r.cost_x, r.cost_y), evals)[1] for r, evals in kept),
                 *(eval_column(evals, "test_cost") for _, evals in kept),
                 *self.reference.costs()]
        if self._log:
            costs = [np.maximum(c, LOG_FLOOR) for c in costs]
        if self._y_range.take(*costs):
            self._fit_cost_range()

    def set_log_scale(self, on: bool) -> None:
        """A logarithmic cost axis (the checkbox follows; sigLogScaleChanged on a change)."""
        self.log_check.setChecked(bool(on))  # toggled -> _on_log_toggled

    def log_scale(self) -> bool:
        return self._log

    def set_run_name(self, name: str) -> None:
        """The live run's name in the legend (a lesson's run, or its settings)."""
        if name != self._run_name:
            self._run_name = name
            self._fill_legend()

    # --- slots ----------------------------------------------------------------------------
    def _on_log_toggled(self, on: bool) -> None:
        if bool(on) == self._log:
            return
        self._log = bool(on)
        self.cost_plot.setLogMode(x=False, y=self._log)
        self._y_range = HeldRange("log" if self._log else "zero")
        # Redraw from the kept arrays so the floor applies (or is lifted) right away.
        put(self.train_curve, self._cost_x, self._for_cost_axis(self._cost_y))
        put(self.test_curve, eval_column(self._evals, "iteration"),
             self._for_cost_axis(eval_column(self._evals, "test_cost")))
        for record, curves in self._runs:
            self._draw_run(curves, record)
        self.reference.redraw(self._for_cost_axis)
        self._reset_hover()
        self._hold_ranges()
        self.sigLogScaleChanged.emit(self._log)

    def set_data_cost(self, on: bool) -> None:
        """The training cost without the L2 penalty, the evaluations' (the box follows;
        sigDataCostChanged on a change)."""
        self.data_cost_check.setChecked(bool(on))  # toggled -> _on_data_cost_toggled

    def data_cost(self) -> bool:
        return self._data_cost

    def _on_data_cost_toggled(self, on: bool) -> None:
        if bool(on) == self._data_cost:
            return
        self._data_cost = bool(on)
        self._cost_x, self._cost_y = self._training_cost(self._steps, self._evals)
        put(self.train_curve, self._cost_x, self._for_cost_axis(self._cost_y))
        for record, curves in self._runs:
            self._draw_run(curves, record)
        self._reset_hover()
        self._fill_legend()
        self._hold_ranges()
        self.sigDataCostChanged.emit(self._data_cost)

    def _training_cost(self, steps, evals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The training cost curve: every step's cost (with the L2 penalty when the run has
        one), or, without penalty, the evaluations' cost on the training set (computed by
        the session, training/session.py)."""
        if self._data_cost and len(evals):
            return eval_column(evals, "iteration"), eval_column(evals, "train_cost")
        return steps

    def _on_legend_toggled(self, entry: int, on: bool) -> None:
        run = entry - 2  # after the train and test entries
        if 0 <= run < len(self._runs):
            self.set_run_visible(run, on)

    # --- helpers --------------------------------------------------------------------------
    def _for_cost_axis(self, y: np.ndarray) -> np.ndarray:
        return np.maximum(y, LOG_FLOOR) if self._log else y

    def _fit_cost_range(self) -> None:
        """The held range, with room above and below for the labels of its ends (a label
        half outside the axis is not drawn: a short axis on a projector showed one)."""
        if self._y_range.empty:
            return
        low, high = self._y_range.low, self._y_range.high
        pad = _label_room(self.cost_plot) * (high - low)
        self.cost_plot.setYRange(low - pad, high + pad, padding=0.0)

    def _fit_accuracy_range(self) -> None:
        """0 to 1, with room above and below for the "1" and "0" labels in the axis font
        (a label half outside the plot would not be drawn)."""
        pad = min(0.3, _label_room(self.acc_plot))
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


def _label_room(plot) -> float:
    """Half a tick label's height and a little, as a fraction of the plot's range."""
    height = plot.vb.height()
    axis = plot.getAxis("left")
    text = QFontMetricsF(axis.style["tickFont"] or axis.font()).height()
    return (0.6 * text + 2) / max(height - 1.2 * text, 1.0)
