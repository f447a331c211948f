"""CostRuns: the earlier runs kept on the cost plot, drawn thin and faint below the live run.

A mixin of CostPlot (as CostHover): each kept run (window_model.runs.RunRecord) has its training
cost, test cost and test accuracy curves, shown, hidden and removed together, and named in
the legend.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from dnnviz.training.session import EVAL_FIELDS, eval_column
from dnnviz.ui import look as looks
from dnnviz.window_model.runs import RunRecord

RUN_WIDTH = 1.5  # earlier runs: thinner than the live curves ...
RUN_ALPHA = 190  # ... and see-through, below them


def empty() -> np.ndarray:
    return np.empty(0, dtype=np.float64)


def no_evals() -> np.ndarray:
    return np.empty((0, len(EVAL_FIELDS)), dtype=np.float64)


def put(item: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> None:
    # The finite check on a few thousand points costs microseconds; NaN with
    # skipFiniteCheck=True would draw garbage, so only skip when it is true.
    item.setData(x, y, skipFiniteCheck=bool(np.isfinite(y).all()))


class CostRuns:
    """Needs the CostPlot's cost_plot, acc_plot, _runs, _look, _fill_legend, _hold_ranges,
    _training_cost, _for_cost_axis and sigRunVisibilityChanged."""

    def _style_run(self, curves, record: RunRecord, look: looks.Look) -> None:
        color = look.run_color(record.color)
        color.setAlpha(RUN_ALPHA)
        for curve, dash in ((curves.train, False), (curves.test, True),
                            (curves.test_acc, True)):
            pen = look.pen("text", RUN_WIDTH, dash=dash)
            pen.setColor(color)
            curve.setPen(pen)

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
        evals = record.evals if record.evals is not None else no_evals()
        x, y = self._training_cost((record.cost_x, record.cost_y), evals)
        put(curves.train, x, self._for_cost_axis(y))
        it = eval_column(evals, "iteration")
        put(curves.test, it, self._for_cost_axis(eval_column(evals, "test_cost")))
        put(curves.test_acc, it, eval_column(evals, "test_accuracy"))


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
