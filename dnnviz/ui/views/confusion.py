"""ConfusionView: which classes the network mixes up, on the training and the test set, live.

Two matrices side by side (train, test): a row per true class, a column per predicted class;
each cell's colour is the share of its row (how much of that class went there), its text
the count (while the cells are big enough to read). The diagonal is what it gets right.
The counts are computed in the training process (summaries.confusion); a frame only calls
setImage and setText on items made when the classes change (set_classes).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtWidgets import QBoxLayout, QWidget

from dnnviz.ui import look as looks
from dnnviz.ui.views.pictures import new_image

MAX_TEXT_CLASSES = 12  # more classes than this: cells too small for their counts
SPLITS = ("train", "test")
VIEW_TIP = (
    "The confusion matrix: a row for each true class, a column for each class the network "
    "picks. The diagonal holds the examples it gets right; a dark cell off the diagonal is "
    "a class it takes for another.\nColour: the share of the row (of that class's "
    "examples); number: how many examples."
)


def row_shares(counts: np.ndarray) -> np.ndarray:
    """Each row of counts divided by its sum (an empty row stays 0)."""
    counts = np.asarray(counts, dtype=np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def title_text(split: str, counts: np.ndarray) -> str:
    """"test: 436/450 right (96.9%)"."""
    total = int(np.sum(counts))
    right = int(np.trace(counts))
    share = 100.0 * right / total if total else 0.0
    return f"{split}: {right:,}/{total:,} right ({share:.1f}%)"


class _Matrix:
    """One split's matrix: a plot with an image and a text per cell."""

    def __init__(self, graphics: pg.GraphicsLayoutWidget, split: str):
        self.split = split
        self.graphics = graphics
        self.plot = graphics.addPlot(row=0, col=0)
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.image = new_image()
        self.plot.addItem(self.image)
        self.texts: list[pg.TextItem] = []
        self.k = 0
        self.counts = None

    def set_classes(self, classes, look: looks.Look) -> None:
        for text in self.texts:
            self.plot.removeItem(text)
        self.k = k = len(classes)
        ticks = [[(i, str(name)) for i, name in enumerate(classes)]]
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setTicks(ticks)
        self.plot.setRange(xRange=(-0.5, k - 0.5), yRange=(-0.5, k - 0.5), padding=0.02)
        self.image.clear()
        self.texts = []
        if k <= MAX_TEXT_CLASSES:
            for i in range(k * k):
                text = pg.TextItem("", anchor=(0.5, 0.5))
                text.setPos(i % k, i // k)
                self.plot.addItem(text)
                self.texts.append(text)
        self.counts = None
        self.restyle(look)

    def restyle(self, look: looks.Look) -> None:
        look.style_graphics(self.graphics)
        look.style_plot(self.plot, title=self.split, left="true class",
                        bottom="predicted class")
        self.image.setColorMap(look.colormap(looks.SEQUENTIAL))
        font = look.font(looks.SMALL_PT)
        for text in self.texts:
            text.setFont(font)
        if self.counts is not None:
            counts, self.counts = self.counts, None
            self.show(counts, look)

    def show(self, counts: np.ndarray, look: looks.Look) -> None:
        counts = np.asarray(counts)
        if counts.shape != (self.k, self.k) or (
                self.counts is not None and np.array_equal(counts, self.counts)):
            return
        self.counts = counts.copy()
        shares = row_shares(counts)
        self.image.setImage(shares, autoLevels=False, levels=(0.0, 1.0))
        self.image.setRect(-0.5, -0.5, self.k, self.k)  # after setImage: it needs a size
        self.plot.setTitle(title_text(self.split, counts), color=look.hex("text"),
                           size=look.size(looks.TITLE_PT))
        dark, light = pg.mkColor("#111111"), pg.mkColor("#ffffff")
        for text, count, share in zip(self.texts, counts.ravel(), shares.ravel()):
            # the sequential map is dark at 0 in both looks: white text there, black on the
            # bright end
            text.setText(f"{int(count)}" if count else "", color=dark if share > 0.6 else light)


class ConfusionView(QWidget):
    """The train and test confusion matrices, side by side."""

    name = "confusion"
    parts = frozenset({"confusion"})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setToolTip(VIEW_TIP)
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self.matrices = []
        for split in SPLITS:
            graphics = pg.GraphicsLayoutWidget()
            graphics.setToolTip(VIEW_TIP)
            self._box.addWidget(graphics)
            self.matrices.append(_Matrix(graphics, split))
        self._classes: tuple = ()
        self.restyle(looks.current())

    def set_classes(self, classes) -> None:
        """A new data set: its class names, one row and one column each."""
        self._classes = tuple(str(c) for c in classes)
        look = looks.current()
        for matrix in self.matrices:
            matrix.set_classes(self._classes, look)

    def restyle(self, look: looks.Look) -> None:
        for matrix in self.matrices:
            matrix.restyle(look)

    def resizeEvent(self, event):
        """Side by side in a wide pane, one above the other in a tall one."""
        super().resizeEvent(event)
        wide = self.width() >= self.height()
        self._box.setDirection(QBoxLayout.Direction.LeftToRight if wide
                               else QBoxLayout.Direction.TopToBottom)

    def show_snapshot(self, snap) -> None:
        look = looks.current()
        for matrix, counts in zip(self.matrices, (snap.confusion_train, snap.confusion_test)):
            if counts is not None:
                matrix.show(counts, look)
