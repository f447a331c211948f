"""Text in a heatmap's cells and under its columns, sized to the room there is.

The step-through writes each value in its cell and names each example column. At a
projector's text size a fixed font overprinted the cells at 1024x768 and was cut at their
edges at 1366; names under the columns ran into each other. Here the font shrinks until the
widest text fits a cell (no numbers at all below MIN_CELL_PT), the names fall back to
shorter ones and then to every k-th, and a cell never grows past MAX_CELL_LINES lines of
text (a 1x1 b filled the whole pane).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtGui import QFont, QFontMetricsF

from dnnviz.ui import look as looks
from dnnviz.ui.views.pictures import unit_ticks

MAX_NUMBERED = 96  # arrays with at most this many cells also show each value in its cell
MIN_CELL_PT = 7.0  # smaller than this is unreadable on a projector: no numbers then
CELL_PAD = 4.0  # pixels kept clear inside a cell round its text
MAX_CELL_LINES = 5.0  # a cell at most this many lines of its font high and wide
TEXT_MARGIN = 1.0  # pg.TextItem's document margin, pixels, each side (set by the caller)


def cell_font(font: QFont, texts, width: float, height: float,
              min_pt: float = MIN_CELL_PT) -> QFont | None:
    """The largest font up to font's size in which every text fits a width x height pixel
    cell, with CELL_PAD round it; None if even min_pt does not fit."""
    texts = list(texts)
    size = font.pointSizeF()
    while size >= min_pt:
        trial = QFont(font)
        trial.setPointSizeF(size)
        if fits(trial, texts, width, height):
            return trial
        size -= 0.5
    return None


def fits(font: QFont, texts, width: float, height: float) -> bool:
    metrics = QFontMetricsF(font)
    wide = max((metrics.horizontalAdvance(t) for t in texts), default=0.0)
    return wide + 2 * (TEXT_MARGIN + CELL_PAD) <= width and \
        metrics.height() + 2 * TEXT_MARGIN + CELL_PAD <= height


def column_names(choices, room: float, metrics: QFontMetricsF) -> list[str]:
    """The first list of names in choices (each one name a column) whose widest fits room
    pixels; if none does, the last list's names at every k-th column, blanks between."""
    choices = [list(c) for c in choices if c]
    for names in choices:
        if max(metrics.horizontalAdvance(n) for n in names) <= room:
            return names
    names = choices[-1]
    wide = max(metrics.horizontalAdvance(n) for n in names)
    step = max(1, math.ceil(wide / max(room, 1.0)))
    return [n if k % step == 0 else "" for k, n in enumerate(names)]


def capped_span(cells: int, pixels: float, font: QFont) -> float:
    """How many cells the view should span for cells not to grow beyond MAX_CELL_LINES
    lines of font: cells itself, or more (the array centred in the room)."""
    most = MAX_CELL_LINES * QFontMetricsF(font).height()
    return max(float(cells), pixels / most)


class CellText:
    """The step-through's heatmap text: a mixin of StepThroughDialog, which has plot, _y,
    _labels, _numbers, _columns, _bottom (the columns' axis name), _shape and _spans."""

    def _on_resized(self, *_) -> None:
        """Cells of another size: the range, the numbers' font and the names follow."""
        if self._columns:
            self._fit_range()
            self._fit_numbers()
            self._name_examples()

    def _name_examples(self) -> None:
        """Under each example column its class, or its label (y=1, then 1) when the names
        would run into each other (eight columns in presentation mode's larger type)."""
        cols = self._columns
        if self._bottom == "example" and self._labels is not None and cols <= len(self._labels):
            names = self._labels[:cols]
            axis = self.plot.getAxis("bottom")
            metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
            room = self.plot.vb.size().width() / self._spans[0] - 6  # (in pixels)
            ys = [] if self._y is None else [int(y) for y in self._y[:cols]]
            shorter = [[n[:1] for n in names]] if self._y is None else \
                [[f"y={y}" for y in ys], [str(y) for y in ys]]
            names = column_names([names, *shorter], room, metrics)
            ticks = [(k + 0.5, name) for k, name in enumerate(names)]
        else:
            ticks = unit_ticks(cols)
        self.plot.getAxis("bottom").setTicks([ticks])

    def _number_cells(self, shown: np.ndarray) -> None:
        """Write each value in its cell when there are few: the numbers behind the colours,
        in the largest font that fits the cells (none if too small to read)."""
        for item in self._numbers:
            self.plot.removeItem(item)
        self._numbers = []
        if shown.size > MAX_NUMBERED:
            return
        for (row, col), value in np.ndenumerate(shown):
            item = pg.TextItem(f"{value:.3g}", color="k", anchor=(0.5, 0.5),
                               fill=pg.mkBrush(255, 255, 255, 190))
            item.textItem.document().setDocumentMargin(TEXT_MARGIN)
            item.setPos(col + 0.5, row + 0.5)
            self.plot.addItem(item)
            self._numbers.append(item)
        self._fit_numbers()

    def _fit_numbers(self) -> None:
        if not self._numbers:
            return
        look = looks.current()
        base = look.font(looks.SMALL_PT if len(self._numbers) > 24 else looks.LABEL_PT + 2)
        size = self.plot.vb.size()
        font = cell_font(base, [item.textItem.toPlainText() for item in self._numbers],
                         size.width() / self._spans[0], size.height() / self._spans[1])
        for item in self._numbers:
            item.setVisible(font is not None)
            if font is not None:
                item.setFont(font)

    def _fit_range(self) -> None:
        """The array in view, its cells at most a few lines of text high and wide (the
        array centred in a larger room)."""
        rows, cols = self._shape
        size, font = self.plot.vb.size(), looks.current().font(looks.LABEL_PT + 2)
        x_span = capped_span(cols, size.width(), font)
        y_span = capped_span(rows, size.height(), font)
        self._spans = (x_span, y_span)
        self.plot.setRange(xRange=((cols - x_span) / 2, (cols + x_span) / 2),
                           yRange=((rows - y_span) / 2, (rows + y_span) / 2), padding=0)

