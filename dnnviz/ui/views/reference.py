"""ReferenceCurve: dnnviz's own run beside a student's, on the cost plot, and where they part.

While the window trains with a student's functions (`--student`), every snapshot carries
dnnviz's run from the same start on the same data (Snapshot.reference). Its costs are drawn
as a wide, faint band under the live training curve: a correct implementation's curve runs
along the band's middle, a wrong one leaves it. The first iteration at which the student's
parameters differ from dnnviz's by more than the tolerance is marked with a vertical line,
labelled with the array and the iteration; the legend names the layer too, and the status
line says by how much. The items are made once, and hidden
while the run has no reference.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt

from dnnviz.ui import look as looks

LABEL = "dnnviz's run"
BAND_WIDTH = 7.0  # px at the desk: the live curve (2 px) shows inside it
BAND_ALPHA = 90
LABEL_HEIGHT = 0.93  # the mismatch's label: this far up the line (0 bottom, 1 top)


def mismatch_label(mismatch) -> str:
    """Two short lines beside the line (a narrow plot has room for them): 'W2 differs /
    from iteration 3'."""
    return f"{mismatch.array} differs\nfrom iteration {mismatch.iteration}"


def mismatch_text(mismatch) -> str:
    """The legend's entry for the line: the array, its layer, the iteration."""
    return f"{mismatch.array} (layer {mismatch.layer}) differs from iteration {mismatch.iteration}"


class ReferenceCurve:
    """The reference's cost band and the mismatch line, on `plot` (the cost PlotItem)."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.reference = None  # the ReferenceRun shown, if any
        self._listed: tuple = ()  # the names of the legend's entries for it
        self.curve = pg.PlotDataItem(name=LABEL)
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setZValue(-0.5)  # under the live curves (0), over the kept runs (-1)
        self.line = pg.InfiniteLine(angle=90, movable=False, label="-",
                                    labelOpts={"position": LABEL_HEIGHT})
        self.line.setZValue(1)
        plot.addItem(self.curve)
        plot.addItem(self.line, ignoreBounds=True)
        self.clear()

    @property
    def shown(self) -> bool:
        return self.reference is not None

    def clear(self) -> None:
        """No reference (a new session, or dnnviz's own functions)."""
        self.reference = None
        self.curve.setData(np.empty(0), np.empty(0))
        self.curve.hide()
        self.line.hide()

    def show(self, reference, for_axis, x_end: float) -> bool:
        """Draw a snapshot's ReferenceRun (None: hide); for_axis(y) fits costs to the axis
        (the log axis's floor); x_end: where the x axis ends (the run's target).
        True when the legend must change (the reference or the mismatch came or went)."""
        if reference is None:
            if self.shown:
                self.clear()
        else:
            self.reference = reference
            self.redraw(for_axis)
            self.curve.show()
            self._show_mismatch(reference.mismatch, x_end)
        return self._entry_names() != self._listed

    def _show_mismatch(self, mismatch, x_end: float) -> None:
        if mismatch is None:
            self.line.hide()
            return
        self.line.setValue(mismatch.iteration)
        self.line.show()  # first: a hidden label does not take a new text
        self.line.label.setFormat(mismatch_label(mismatch).replace("{", "{{").replace("}", "}}"))
        self._place_label(mismatch.iteration > x_end / 2)

    def redraw(self, for_axis) -> None:
        if self.reference is not None:
            y = np.asarray(self.reference.cost_y, dtype=np.float64)
            self.curve.setData(np.asarray(self.reference.cost_x, dtype=np.float64),
                               for_axis(y), skipFiniteCheck=bool(np.isfinite(y).all()))

    def costs(self) -> list:
        """The reference's costs, for the cost axis's range ([] when none)."""
        return [np.asarray(self.reference.cost_y, dtype=np.float64)] if self.shown else []

    def _entry_names(self) -> tuple:
        if not self.shown:
            return ()
        mismatch = self.reference.mismatch
        return (LABEL,) if mismatch is None else (LABEL, mismatch_text(mismatch))

    def legend_entries(self, look: looks.Look) -> list:
        """The band's entry, and the mismatch line's in words, while they are shown."""
        self._listed = self._entry_names()
        pens = (self._pen(look), look.pen("error", 1.5, dash=True))
        return [(name, pen, None) for name, pen in zip(self._listed, pens)]

    def restyle(self, look: looks.Look) -> None:
        self.curve.setPen(self._pen(look))
        self.line.setPen(look.pen("error", 1.5, dash=True))
        label = self.line.label
        label.setColor(look.color("error"))
        label.fill = look.brush("legend_fill")
        label.border = look.pen("error", 1.0)
        label.setFont(look.font(looks.LEGEND_PT))
        label.update()

    def _pen(self, look: looks.Look):
        pen = look.pen("muted", BAND_WIDTH, alpha=BAND_ALPHA)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        return pen

    def _place_label(self, late: bool) -> None:
        """The label on the side of the line with more room: right of an early mismatch,
        left of a late one."""
        anchor = (1.0, 0.0) if late else (0.0, 0.0)
        self.line.label.anchors = [anchor, anchor]
        self.line.label.updatePosition()
