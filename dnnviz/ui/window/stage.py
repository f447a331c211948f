"""The stage: presentation mode's one or two large views at a time.

On the desk (normal mode) every view lives in a Holder, a plain container in the window's
splitters and tabs. In presentation mode the Stage borrows the views of the current scene
from their holders and shows them side by side, large; next_scene() (key V) moves on to the
next pair, and leaving presentation mode gives every view back to its holder.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

CARD_SHARE = 0.35  # of the stage's height at most: the views keep the rest (a whole lesson
# text above them crushed the boundary to a one-line strip)


class Holder(QWidget):
    """Where a view lives on the desk; the stage borrows it and gives it back."""

    def __init__(self, view: QWidget, parent=None):
        super().__init__(parent)
        self.view = view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)

    def give_back(self) -> None:
        if self.view.parent() is not self:
            self.layout().addWidget(self.view)
            self.view.show()


class Stage(QWidget):
    """One or two views side by side, with the scene's name and an optional lesson card."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignRight)
        inner = QFrame()
        self.card_layout = QVBoxLayout(inner)
        self.card = QScrollArea(widgetResizable=True)  # a long text scrolls in its card
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.card.setWidget(inner)
        self.card.hide()
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(2)
        layout.addWidget(self.card)
        layout.addLayout(self._row, stretch=1)
        layout.addWidget(self.caption)
        self.holders: list[Holder] = []

    def show_views(self, holders: list[Holder], caption: str) -> None:
        """Borrow these holders' views (giving back the ones shown before)."""
        self.release()
        self.holders = list(holders)
        for holder in self.holders:  # beside the cost plot a richer view gets 3/5
            wide = len(self.holders) > 1 and holder.view.name != "cost"
            self._row.addWidget(holder.view, stretch=3 if wide else 2)
            holder.view.show()
        self.caption.setText(caption)

    def release(self) -> None:
        for holder in self.holders:
            self._row.removeWidget(holder.view)
            holder.give_back()
        self.holders = []

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.card.setMaximumHeight(int(self.height() * CARD_SHARE))

    def set_card(self, widget: QWidget | None) -> None:
        """The lesson card above the views (None: no lesson)."""
        while self.card_layout.count():
            item = self.card_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().setParent(None)
        if widget is not None:
            self.card_layout.addWidget(widget)
