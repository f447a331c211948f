"""CostHover: the cost plot's crosshair and the values under the mouse.

A mixin of CostPlot: hovering over the cost plot reads the nearest iteration's cost, over
the accuracy plot the nearest evaluation's accuracies; a vertical line marks the iteration
on both plots, and the hover label says the values.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF

from dnnviz.training.session import EvalPoint, eval_column

HOVER_HINT = "hover over a curve to read it"


def _nearest(xs: np.ndarray, x: float) -> int:
    """Index of the value of the sorted array xs nearest to x (xs not empty)."""
    i = int(np.searchsorted(xs, x))
    if i <= 0:
        return 0
    if i >= len(xs):
        return len(xs) - 1
    return i if xs[i] - x < x - xs[i - 1] else i - 1


class CostHover:
    """Needs the CostPlot's cost_plot, acc_plot, graphics, hover_label, _cost_x, _cost_y,
    _evals and _for_cost_axis."""

    def _build_crosshair(self) -> None:
        self.cost_vline = pg.InfiniteLine(angle=90, movable=False)
        self.acc_vline = pg.InfiniteLine(angle=90, movable=False)
        self.marker = pg.PlotDataItem(symbol="o", symbolSize=9, pen=None, symbolBrush=None)
        self.cost_plot.addItem(self.cost_vline, ignoreBounds=True)
        self.acc_plot.addItem(self.acc_vline, ignoreBounds=True)
        self.cost_plot.addItem(self.marker, ignoreBounds=True)
        # "Latest value wins": at most ~30 lookups a second however fast the mouse moves.
        self._mouse_proxy = pg.SignalProxy(
            self.graphics.scene().sigMouseMoved, rateLimit=30, slot=self._on_proxy_moved)

    def hover_text(self) -> str:
        """The value under the mouse, e.g. "iteration 1234, cost 0.4321" ("" when none)."""
        return self._hover

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
        self.marker.setData([], [])
        self._show_lines(point.iteration)
        self._set_hover(f"iteration {point.iteration}, train accuracy "
                        f"{point.train_accuracy:.1%}, test accuracy {point.test_accuracy:.1%}")

    def _show_lines(self, it: float) -> None:
        for line in (self.cost_vline, self.acc_vline):
            line.setValue(it)
            line.show()

    def _reset_hover(self) -> None:
        self.marker.setData([], [])
        self.cost_vline.hide()
        self.acc_vline.hide()
        self._set_hover("")

    def _set_hover(self, text: str) -> None:
        self._hover = text
        self.hover_label.setText(text or ("" if self._quiet_hint else HOVER_HINT))

    _quiet_hint = False  # on a projector the hint is noise (and was cut at 1024 px)

    def quiet_hint(self, on: bool) -> None:
        """No "hover over a curve" hint (presentation mode); a reading still shows."""
        self._quiet_hint = on
        self._set_hover(getattr(self, "_hover", ""))
