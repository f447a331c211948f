"""ElidedLabel: one line of text that shortens itself ("iteration 1234, train accu…") to fit,
whole in its tooltip, instead of wrapping or pushing its neighbours aside; fit_texts: text
items on a plot that take the longest of their texts that fits."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QFontMetricsF, QPainter
from PyQt6.QtWidgets import QLabel, QSizePolicy


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(1)
        self.setWordWrap(False)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        hint.setWidth(1)
        return hint

    def paintEvent(self, event):
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
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
