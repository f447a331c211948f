"""What the per-layer views (histograms, distributions) share: a plot per layer in a grid,
titled by its matrix, and the switch between the weights W and their gradients dW."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from dnnviz.ui import look as looks

MAX_COLUMNS = 3
WEIGHTS_TIP = "The weights W[l]: what the network has learned so far."
GRADIENTS_TIP = (
    "The gradients dW[l] of the last step: how strongly, and in which direction, gradient "
    "descent is pushing each weight (W[l] -= learning rate * dW[l])."
)


def layer_title(kind: str, layer: int, layer_dims) -> str:
    """E.g. "W1 (20×12288)": the matrix of layer l has shape (n_l, n_{l-1})."""
    return f"{kind}{layer} ({layer_dims[layer]}×{layer_dims[layer - 1]})"


def grid_columns(count: int, width: float | None = None, min_width: float = 170) -> int:
    """Columns for count plots: at most MAX_COLUMNS, each at least min_width px when the
    width is known, rows filled evenly (4 -> 2x2, 5 -> 3+2)."""
    most = MAX_COLUMNS if width is None else max(1, min(MAX_COLUMNS, int(width // min_width)))
    rows = max(1, math.ceil(count / most))
    return max(1, math.ceil(count / rows))


class LayerPlot:
    """One layer's PlotItem: fixed (no mouse, no menu, ranges set by the view), titled."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.disableAutoRange()
        self.title = ""

    def set_title(self, title: str) -> None:
        """The plot's title, set only on a change (a new title lays the plot out again)."""
        if title != self.title:
            self.title = title
            looks.current().set_title(self.plot, title)


class KindSwitch(QWidget):
    """Weights W or gradients dW: two radio buttons; sigChanged(True) for dW."""

    sigChanged = pyqtSignal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.weights_radio = QRadioButton("Weights W")
        self.gradients_radio = QRadioButton("Gradients dW")
        self.weights_radio.setToolTip(WEIGHTS_TIP)
        self.gradients_radio.setToolTip(GRADIENTS_TIP)
        self.weights_radio.setChecked(True)
        group = QButtonGroup(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.weights_radio, self.gradients_radio):
            group.addButton(button)
            row.addWidget(button)
        self._gradients = False
        self.gradients_radio.toggled.connect(self._on_toggled)

    def gradients(self) -> bool:
        return self._gradients

    def set_gradients(self, on: bool) -> None:
        """Check W or dW; sigChanged only on a change."""
        (self.gradients_radio if on else self.weights_radio).setChecked(True)

    def _on_toggled(self, gradients: bool) -> None:
        if gradients != self._gradients:
            self._gradients = gradients
            self.sigChanged.emit(gradients)


class LayerView(QWidget):
    """The frame of a per-layer view: W or dW and a note above the plots (graphics), the
    view's own options below (footer_widgets): two short rows, so it fits a narrow pane."""

    sigKindChanged = pyqtSignal(bool)  # True: gradients dW, False: weights W

    def __init__(self, tip: str, footer_widgets, parent=None):
        super().__init__(parent)
        self.kind = KindSwitch()
        self.weights_radio = self.kind.weights_radio
        self.gradients_radio = self.kind.gradients_radio
        self.kind.sigChanged.connect(self.sigKindChanged)
        self.message_label = QLabel("")
        self.message_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.graphics = pg.GraphicsLayoutWidget()
        header, footer = QHBoxLayout(), QHBoxLayout()
        header.setContentsMargins(6, 2, 6, 0)
        footer.setContentsMargins(6, 0, 6, 2)
        for row, widgets in ((header, (self.kind,)), (footer, tuple(footer_widgets))):
            for widget in widgets:
                row.addWidget(widget)
            row.addStretch(1)
        header.addWidget(self.message_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.graphics, stretch=1)
        layout.addLayout(footer)
        self.setToolTip(tip)

    def set_gradients(self, on: bool) -> None:
        """Show gradients dW (True) or weights W; sigKindChanged if it changes."""
        self.kind.set_gradients(on)

    def gradients(self) -> bool:
        return self.kind.gradients()

    def style_message(self, look: looks.Look) -> None:
        self.message_label.setStyleSheet(f"color: {look.hex('warning')};")
        self.message_label.setFont(look.font(looks.TITLE_PT))
