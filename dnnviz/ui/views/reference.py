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
from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QBrush, QFont, QFontMetricsF, QPen

from dnnviz.ui import look as looks

LABEL = "dnnviz's run"
BAND_WIDTH = 7.0  # px at the desk: the live curve (2 px) shows inside it
BAND_ALPHA = 90


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
        self.line = pg.InfiniteLine(angle=90, movable=False)
        self.line.setZValue(1)
        self.label = MarkLabel()
        self.label.setZValue(2)
        plot.addItem(self.curve)
        plot.addItem(self.line, ignoreBounds=True)
        plot.addItem(self.label, ignoreBounds=True)
        plot.vb.sigRangeChanged.connect(self._place_label)
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
        self.label.hide()

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
            self.label.hide()
            return
        self.line.setValue(mismatch.iteration)
        self.line.show()
        late = mismatch.iteration > x_end / 2  # the label where there is room: left of it
        self.label.set_text(mismatch_label(mismatch), (1.0, 0.0) if late else (0.0, 0.0))
        self.label.show()
        self._place_label()

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
        self.label.set_style(look.font(looks.LEGEND_PT), look.pen("error", 1.0),
                             look.brush("legend_fill"))

    def _pen(self, look: looks.Look):
        pen = look.pen("muted", BAND_WIDTH, alpha=BAND_ALPHA)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        return pen

    def _place_label(self, *_) -> None:
        """The label at the line, near the top of the plot (whatever the y range)."""
        if self.label.isVisible():
            _, (_, top) = self.plot.vb.viewRange()
            self.label.setPos(self.line.value(), top)


class MarkLabel(pg.GraphicsObject):
    """A few lines of text in a box, the same size however the plot is zoomed; `anchor`
    says which point of the box sits at its position ((0, 0): the top left corner).
    Painted directly: pyqtgraph's TextItem made PyQt's clean-up at exit crash now and
    then (a text document inside a scene item)."""

    PAD = 4

    def __init__(self):
        super().__init__()
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations)
        self.text, self.anchor = "", (0.0, 0.0)
        self.font, self.pen, self.brush = QFont(), QPen(), QBrush()

    def set_text(self, text: str, anchor=(0.0, 0.0)) -> None:
        if (text, anchor) != (self.text, self.anchor):
            self.prepareGeometryChange()
            self.text, self.anchor = text, tuple(anchor)
            self.update()

    def set_style(self, font: QFont, pen: QPen, brush: QBrush) -> None:
        self.prepareGeometryChange()
        self.font, self.pen, self.brush = font, pen, brush
        self.update()

    def boundingRect(self) -> QRectF:
        size = QFontMetricsF(self.font).boundingRect(QRectF(0, 0, 10_000, 10_000), 0,
                                                    self.text).size()
        width, height = size.width() + 2 * self.PAD, size.height() + 2 * self.PAD
        offset = 6.0 if self.anchor[0] == 0 else -6.0  # clear of the line
        return QRectF(offset - self.anchor[0] * width, -self.anchor[1] * height + 4,
                      width, height)

    def paint(self, painter, *args) -> None:
        rect = self.boundingRect()
        painter.setPen(self.pen)
        painter.setBrush(self.brush)
        painter.drawRect(rect)
        painter.setFont(self.font)
        painter.drawText(rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD), 0, self.text)
