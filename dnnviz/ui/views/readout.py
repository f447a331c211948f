"""Readout: the run's headline numbers in large type, above the plots.

Iteration, cost, train and test accuracy, drawn from the frame's snapshot like every other
view, so the numbers are those of the moment the plots show. It paints its own text
(no labels to lay out again), so a refresh 30 times a second costs next to nothing.
"""

from __future__ import annotations

import math

from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QFont, QFontMetricsF, QPainter
from PyQt6.QtWidgets import QSizePolicy, QWidget

from dnnviz.training.stops import Why
from dnnviz.ui import look as looks

READOUT_TIP = (
    "Where the run is: the iteration (of the iterations set), the cost J of the last "
    "iteration, and the accuracy on the training and test sets. While training, the train "
    "accuracy is the one the last step saw; when paused or finished, every number is "
    "evaluated at the final weights, as the report and the predictions gallery are."
)


def readout_fields(snap) -> list[tuple[str, str]]:
    """(caption, value) pairs: the iteration, cost, train and test accuracy of a snapshot."""
    def percent(value: float) -> str:
        return "–" if math.isnan(value) else f"{value:.1%}"
    cost = "–" if math.isnan(snap.cost) else f"{snap.cost:.4f}"
    return [("iteration", f"{snap.iteration:,} / {snap.target_iterations:,}"),
            ("cost", cost),
            ("train accuracy", percent(snap.train_accuracy)),
            ("test accuracy", percent(snap.test_accuracy))]


MIN_SHRINK = 0.6  # the smallest a value's font gets to fit its cell
SAID = (Why.DIVERGED, Why.FAILED)  # stops the readout says itself: the numbers look paused


def stop_banner(snap) -> str:
    """Why the run stopped, when that is news ("" while it runs, completed or paused)."""
    reason = snap.stopped_reason
    if snap.running or reason is None or reason.why not in SAID:
        return ""
    return f"stopped: {reason}"


class Readout(QWidget):
    """Four figures side by side: a small caption over a large value."""

    name = "readout"
    parts = frozenset()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._fields = [(caption, "–") for caption in
                        ("iteration", "cost", "train accuracy", "test accuracy")]
        self._banner = ""  # why the run stopped, under the figures, in the warning colour
        self.setToolTip(READOUT_TIP)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fit_height()

    def fields(self) -> list[tuple[str, str]]:
        return list(self._fields)

    def banner(self) -> str:
        return self._banner

    def show_snapshot(self, snap) -> None:
        fields, banner = readout_fields(snap), stop_banner(snap)
        if banner != self._banner:
            self._banner = banner
            self._fit_height()
        if fields != self._fields or banner:
            self._fields = fields
            self.update()

    def clear(self) -> None:
        self._fields = [(caption, "–") for caption, _ in self._fields]
        self._banner = ""
        self._fit_height()
        self.update()

    def _banner_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * 1.15)
        font.setBold(True)
        return font

    def _fonts(self) -> tuple[QFont, QFont]:
        base = self.font().pointSizeF()
        caption, value = QFont(self.font()), QFont(self.font())
        caption.setPointSizeF(base * 0.9)
        value.setPointSizeF(base * looks.READOUT_SCALE)
        value.setBold(True)
        return caption, value

    def value_font(self, value: str, room: float) -> QFont:
        """The value's large font, made smaller (down to MIN_SHRINK of it) when the value
        would not fit in `room` pixels: a narrow window shows "667 / 2,500" whole rather
        than "667 / 2,…". Only below that is the value elided."""
        font = self._fonts()[1]
        wide = QFontMetricsF(font).horizontalAdvance(value)
        if wide > room > 0:
            font.setPointSizeF(font.pointSizeF() * max(MIN_SHRINK, room / wide * 0.98))
        return font

    def _fit_height(self) -> None:
        caption, value = self._fonts()
        height = QFontMetricsF(caption).height() + QFontMetricsF(value).height() + 8
        if self._banner:
            height += QFontMetricsF(self._banner_font()).height() + 2
        self.setFixedHeight(math.ceil(height))

    def changeEvent(self, event):
        super().changeEvent(event)
        self._fit_height()

    def paintEvent(self, event):
        painter = QPainter(self)
        caption_font, value_font = self._fonts()
        caption_h = QFontMetricsF(caption_font).height()
        banner_h = QFontMetricsF(self._banner_font()).height() + 2 if self._banner else 0
        width = self.width() / len(self._fields)
        text = self.palette().color(self.foregroundRole())
        muted = self.palette().color(self.palette().ColorGroup.Disabled,
                                     self.palette().ColorRole.WindowText)
        for i, (caption, value) in enumerate(self._fields):
            cell = QRectF(i * width, 2, width, self.height() - 4 - banner_h)
            painter.setFont(caption_font)
            painter.setPen(muted)
            painter.drawText(QRectF(cell.x(), cell.y(), cell.width(), caption_h),
                             Qt.AlignmentFlag.AlignHCenter, caption)
            font = self.value_font(value, cell.width() - 8)
            painter.setFont(font)
            painter.setPen(text)
            shown = QFontMetricsF(font).elidedText(value, Qt.TextElideMode.ElideRight,
                                                   cell.width() - 8)
            painter.drawText(QRectF(cell.x(), cell.y() + caption_h, cell.width(),
                                    cell.height() - caption_h),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, shown)
        if self._banner:
            font = self._banner_font()
            painter.setFont(font)
            painter.setPen(looks.current().color("warning"))
            room = QRectF(8, self.height() - banner_h - 1, self.width() - 16, banner_h)
            painter.drawText(room, Qt.AlignmentFlag.AlignHCenter, QFontMetricsF(font).elidedText(
                self._banner, Qt.TextElideMode.ElideRight, room.width()))
        painter.end()
