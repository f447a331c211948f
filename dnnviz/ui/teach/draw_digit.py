"""Draw your own digit: a pad of 32x32 cells, reduced the way the UCI digits were made (the
pixels on in each 4x4 block, counted: 8x8 counts 0..16), read by the network as it trains.

DrawPad is the pad (mouse or pen; each stroke can be undone). DrawDigitDialog puts it
beside what the network sees (the 8x8 counts), the digit it picks, a bar for every
class's probability and each hidden layer's activations (a strip of its units); they
update after each stroke and, while the dialog is open, every REFRESH_MS as the network
learns. The reading is computed in the training process at its current weights
(training/drawing.read_drawing), never in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF, QRectF, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QPainter
from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnnviz.data.digits import PAD_CELLS, bitmap_to_counts, counts_to_input
from dnnviz.training.drawing import DrawingReading, read_drawing
from dnnviz.ui import look as looks
from dnnviz.ui.dialogs import fit_dialog

PAD_PX = 320  # ten pixels a cell
BRUSH = 1.3  # the pen's radius, in cells: strokes about as thick as the UCI forms'
REFRESH_MS = 400
MAX_UNDO = 100


class DrawPad(QWidget):
    """A 32x32 grid of cells to draw in; `bitmap` (32, 32) bool, True where inked."""

    sigChanged = pyqtSignal()  # a stroke ended, or the pad was cleared or undone

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bitmap = np.zeros((PAD_CELLS, PAD_CELLS), dtype=bool)
        self._undo: list[np.ndarray] = []
        self._last: QPointF | None = None
        self.setMinimumSize(PAD_CELLS * 5, PAD_CELLS * 5)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Draw a digit with the mouse or a pen")
        rows, cols = np.mgrid[0:PAD_CELLS, 0:PAD_CELLS]
        self._centres = (cols + 0.5, rows + 0.5)

    def counts(self) -> np.ndarray:
        """The drawing as the UCI set's pictures are: (8, 8) counts 0..16."""
        return bitmap_to_counts(self.bitmap)

    def cell_px(self) -> float:
        return min(self.width(), self.height()) / PAD_CELLS

    # --- drawing ----------------------------------------------------------------------------
    def begin_stroke(self) -> None:
        self._undo = (self._undo + [self.bitmap.copy()])[-MAX_UNDO:]

    def ink(self, x: float, y: float) -> None:
        """Ink the cells within BRUSH of (x, y), in cells, and along the line from the last
        point of the stroke (a fast mouse leaves no gaps)."""
        start = self._last if self._last is not None else QPointF(x, y)
        steps = max(1, int(np.hypot(x - start.x(), y - start.y()) * 2))
        for t in np.linspace(0.0, 1.0, steps + 1):
            px, py = start.x() + t * (x - start.x()), start.y() + t * (y - start.y())
            cx, cy = self._centres
            self.bitmap |= (cx - px) ** 2 + (cy - py) ** 2 <= BRUSH ** 2
        self._last = QPointF(x, y)
        self.update()

    def end_stroke(self) -> None:
        self._last = None
        self.sigChanged.emit()

    def stroke(self, points) -> None:
        """Draw one stroke through points (x, y) in cells (what a drag does)."""
        self.begin_stroke()
        for x, y in points:
            self.ink(float(x), float(y))
        self.end_stroke()

    def undo(self) -> None:
        if self._undo:
            self.bitmap = self._undo.pop()
            self.update()
            self.sigChanged.emit()

    def clear(self) -> None:
        if self.bitmap.any():
            self.begin_stroke()  # a clear can be undone too
            self.bitmap[:] = False
            self.update()
            self.sigChanged.emit()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    # --- mouse and pen ----------------------------------------------------------------------
    def _cells(self, event) -> tuple[float, float]:
        size = self.cell_px()
        return event.position().x() / size, event.position().y() / size

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self.begin_stroke()
            self.ink(*self._cells(event))

    def mouseMoveEvent(self, event):
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.ink(*self._cells(event))

    def mouseReleaseEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self.end_stroke()

    def paintEvent(self, event):
        look = looks.current()
        size = self.cell_px()
        p = QPainter(self)
        p.fillRect(QRectF(0, 0, size * PAD_CELLS, size * PAD_CELLS), look.color("base"))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(look.color("text"))
        for row, col in zip(*np.nonzero(self.bitmap)):
            p.drawRect(QRectF(col * size, row * size, size, size))
        p.setPen(look.pen("grid", 1))
        for k in range(0, PAD_CELLS + 1, PAD_CELLS // 8):  # the 4x4 blocks that are counted
            p.drawLine(QPointF(k * size, 0), QPointF(k * size, PAD_CELLS * size))
            p.drawLine(QPointF(0, k * size), QPointF(PAD_CELLS * size, k * size))
        p.end()


# reader(fn, done): fn(session) computed in the training process, done(its value) when it
# comes (done(None) if it does not); nothing waits for it
Reader = Callable[[Callable, Callable], object]


class DrawDigitDialog(QDialog):
    """The pad, what the network sees, its pick and every class's probability."""

    sigAddExample = pyqtSignal(object, int)  # (8, 8) counts, the label asked for

    def __init__(self, reader: Reader, classes, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Draw your own digit")
        self.reader, self.classes = reader, tuple(str(c) for c in classes)
        self.reading: DrawingReading | None = None
        self._asking = False  # a reading is on its way: the next waits for it
        self._again = False  # the drawing (or the network) changed meanwhile
        self.pad = DrawPad()
        self.pad.sigChanged.connect(self.refresh)
        self.seen = pg.ImageItem(axisOrder="row-major")
        self.result = QLabel("draw a digit")
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bars = pg.BarGraphItem(x=np.arange(len(self.classes)), height=np.zeros(
            len(self.classes)), width=0.7)
        self.label_box = QComboBox()
        self.label_box.addItems(self.classes)
        self._build()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(REFRESH_MS)
        self.restyle(looks.current())
        fit_dialog(self, 760, 440)

    def _build(self) -> None:
        seen = pg.GraphicsLayoutWidget()
        plot = seen.addPlot(title="it sees (8×8 counts)")
        plot.addItem(self.seen)
        plot.invertY(True)
        plot.setAspectLocked(True)
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.setMouseEnabled(x=False, y=False)
        self._seen_plot = plot
        self.layers = pg.GraphicsLayoutWidget()
        self.layers.setToolTip("Each hidden layer's units for your drawing: bright fires")
        self._strips: list[pg.ImageItem] = []
        probs = pg.PlotWidget()
        probs.addItem(self.bars)
        probs.setYRange(0, 1)
        probs.setMouseEnabled(x=False, y=False)
        probs.getAxis("bottom").setTicks([list(enumerate(self.classes))])
        self._probs = probs
        buttons = QHBoxLayout()
        for text, slot in (("Clear", self.pad.clear), ("Undo", self.pad.undo)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.add_button = QPushButton("Add to the training set with label")
        self.add_button.setToolTip("Train on this drawing too, as an example of that class")
        self.add_button.clicked.connect(self._add)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.label_box)
        grid = QGridLayout()
        grid.addWidget(self.pad, 0, 0, 2, 1)
        grid.addWidget(seen, 0, 1)
        grid.addWidget(self.result, 0, 2)
        grid.addWidget(probs, 1, 1, 1, 2)
        grid.addWidget(self.layers, 2, 0, 1, 3)
        grid.setRowStretch(2, 0)
        self.layers.setFixedHeight(90)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addLayout(buttons)

    def restyle(self, look: looks.Look) -> None:
        self.result.setFont(look.font(looks.TITLE_PT * 2.5, bold=True))
        self.seen.setColorMap(pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)]))

    def _add(self) -> None:
        if self.pad.bitmap.any():
            self.sigAddExample.emit(self.pad.counts(), self.label_box.currentIndex())

    def refresh(self) -> None:
        """Show the drawing as the network sees it and what it makes of it now."""
        counts = self.pad.counts()
        self.seen.setImage(counts.astype(np.float64), autoLevels=False, levels=(0, 16))
        if not self.pad.bitmap.any():
            self.reading = None
            self.result.setText("draw a digit")
            self.bars.setOpts(height=np.zeros(len(self.classes)))
            return
        if self._asking:  # one reading at a time: this one when the last comes
            self._again = True
            return
        self._asking = True
        self.reader(partial(read_drawing, counts_to_input(counts)), self._answered)

    def _answered(self, reading: DrawingReading | None) -> None:
        self._asking = False
        if reading is not None and self.pad.bitmap.any():  # None: no answer, keep the last
            self.show_reading(reading)
        if self._again:
            self._again = False
            self.refresh()

    def show_reading(self, reading: DrawingReading) -> None:
        self.reading = reading
        look = looks.current()
        k = reading.label
        name = self.classes[k] if k < len(self.classes) else str(k)
        self.result.setText(f"{name}\np = {reading.probs[k]:.2f}")
        self.result.setStyleSheet(f"color: {look.class_color(k).name()};")
        brushes = [look.class_color(c) for c in range(len(reading.probs))]
        self.bars.setOpts(height=reading.probs, brushes=brushes)
        self._show_layers(reading.activations[:-1], look)

    def _show_layers(self, hidden, look: looks.Look) -> None:
        """One strip a hidden layer, a cell a unit, on the sequential map (0 to its max)."""
        if len(self._strips) != len(hidden):
            self.layers.clear()
            self._strips = []
            for l, a in enumerate(hidden, start=1):
                plot = self.layers.addPlot(row=l - 1, col=0)
                plot.hideAxis("bottom")
                plot.getAxis("left").setTicks([[(0.5, f"layer {l}")]])
                plot.setMouseEnabled(x=False, y=False)
                strip = pg.ImageItem(axisOrder="row-major")
                strip.setColorMap(look.colormap(looks.SEQUENTIAL))
                plot.addItem(strip)
                self._strips.append(strip)
        for strip, a in zip(self._strips, hidden):
            a = np.asarray(a, dtype=np.float64)[None, :]
            strip.setImage(a, autoLevels=False, levels=(min(0.0, a.min()), max(a.max(), 1e-6)))

    def done(self, result):
        self.timer.stop()
        super().done(result)

    def closeEvent(self, event):
        self.timer.stop()
        super().closeEvent(event)
