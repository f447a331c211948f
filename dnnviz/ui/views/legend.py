"""Legend: a legend outside its plot, that never covers a curve nor squeezes the plot.

A row of entries (a sample of the line and its name) that wraps onto as many rows as its
entries need, and never scrolls: every run of a lesson stays named (a two-row box hid the
third and later runs behind a scroll bar). Entries can be checkable: ticking one shows or
hides what it names (sigToggled). Samples are drawn from the entry's pen, so they follow the theme.
"""

from __future__ import annotations

from PyQt6.QtCore import QSize, Qt, pyqtSignal
from PyQt6.QtGui import QIcon, QPainter, QPixmap
from PyQt6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from dnnviz.ui import look as looks

SAMPLE = QSize(30, 12)


def line_sample(pen, size: QSize = SAMPLE) -> QIcon:
    """A short horizontal line in pen (dashes and width kept) on a transparent ground."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(pen)
    painter.drawLine(2, size.height() // 2, size.width() - 2, size.height() // 2)
    painter.end()
    return QIcon(pixmap)


class Legend(QListWidget):
    sigToggled = pyqtSignal(int, bool)  # entry index, shown

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setIconSize(SAMPLE)
        self.setSpacing(1)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # every row in sight, never a scroll bar (on X11 one appeared for a pixel's
        # difference and stayed, narrowing the rows)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.restyle(looks.current())
        self.itemChanged.connect(self._on_changed)
        self._fit()

    def set_entries(self, entries) -> None:
        """entries: (name, pen or icon, checked or None for an entry that cannot be
        toggled); a pen is drawn as a short line."""
        self.blockSignals(True)
        self.clear()
        for name, sample, checked in entries:
            icon = sample if isinstance(sample, QIcon) else line_sample(sample)
            item = QListWidgetItem(icon, name)
            item.setToolTip(name if checked is None else f"{name}: click to show or hide")
            flags = Qt.ItemFlag.ItemIsEnabled
            if checked is not None:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            item.setFlags(flags)
            self.addItem(item)
        self.blockSignals(False)
        self._fit()

    def restyle(self, look: looks.Look) -> None:
        """See-through, its names in the look's text colour: set here, not left to the
        palette, which a widget with a style sheet kept from the theme it was made in
        (black names on the dark theme)."""
        self.setStyleSheet(f"QListWidget {{ background: transparent; color: {look.hex('text')}; }}")

    def names(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def _on_changed(self, item: QListWidgetItem) -> None:
        self.sigToggled.emit(self.row(item), item.checkState() == Qt.CheckState.Checked)

    def _fit(self) -> None:
        """As high as its rows: measured on the entries as laid out, so a larger font
        (presentation mode) still fits its rows."""
        row = max(self.fontMetrics().height(), SAMPLE.height()) + 6
        self._cap_widths(row)
        height = row
        if self.count():
            self.doItemsLayout()
            offset = self.verticalOffset()
            rects = [self.visualItemRect(self.item(i)) for i in range(self.count())]
            height = max(row, max(r.bottom() + offset for r in rects) + 1 + 2 * self.spacing())
        self.setFixedHeight(height + 2 * self.frameWidth() + 4)

    def _cap_widths(self, row: int) -> None:
        """An entry wider than the legend (a long run's settings at 1024 px) is cut with
        "…" at the legend's edge, not at the window's."""
        room = self.viewport().width() - 2 * self.spacing() - 2
        if room < 60:
            return  # not laid out yet
        for i in range(self.count()):
            item = self.item(i)
            extra = self.iconSize().width() + 16 + (24 if item.flags()
                                                    & Qt.ItemFlag.ItemIsUserCheckable else 0)
            natural = self.fontMetrics().horizontalAdvance(item.text()) + extra
            item.setSizeHint(QSize(room, row) if natural > room else QSize())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event):
        super().changeEvent(event)
        self.setIconSize(QSize(round(SAMPLE.width() * self.font().pointSizeF() / 10),
                               SAMPLE.height()))
        self._fit()
