"""ElidedLabel: one line of text that shortens itself ("iteration 1234, train accu…") to fit,
whole in its tooltip, instead of wrapping or pushing its neighbours aside; fit_texts: text
items on a plot that take the longest of their texts that fits."""

from __future__ import annotations

from PyQt6.QtCore import QSize, Qt
from PyQt6.QtGui import QFontMetricsF, QPainter
from PyQt6.QtWidgets import QLabel, QSizePolicy


class ElidedLabel(QLabel):
    """Its text is its own: a new one repaints the label and nothing else. QLabel's own
    setText asked its layout to lay out anew at every change, and the status line changes
    at every frame: the status bar and the window's background beneath it were painted
    again each time, twice a frame."""

    def __init__(self, text: str = "", parent=None):
        super().__init__("", parent)
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(1)
        self.setWordWrap(False)
        self.setText(text)

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setToolTip(text)
            self.update()

    def text(self) -> str:
        return self._text

    def sizeHint(self):
        margins = self.contentsMargins()
        return QSize(self.fontMetrics().horizontalAdvance(self._text)
                     + margins.left() + margins.right(),
                     self.fontMetrics().height() + margins.top() + margins.bottom())

    def minimumSizeHint(self):
        hint = self.sizeHint()
        hint.setWidth(1)
        return hint

    def paintEvent(self, event):
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight,
                                              rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, self.alignment(), shown)
        painter.end()


def fit_texts(fitted, room: float) -> None:
    """Give each text item the first of its texts whose widest line fits room pixels (the
    last if none does)."""
    for item, *texts in fitted:
        metrics = QFontMetricsF(item.textItem.font())
        chosen = next((t for t in texts if max(metrics.horizontalAdvance(line)
                                               for line in t.split("\n")) <= room), texts[-1])
        if item.toPlainText() != chosen:
            item.setText(chosen)
