"""GradCheckDialog: the lesson's gradient check on a network, as a table and a verdict.

Runs gradient_check (well under a second, even for a 12288-input first layer) when built and
on "Check again"; shows per layer the relative difference of dW[l] and db[l] with a verdict,
and one big line: pass / warn / fail with the lesson's message.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from dnnviz.nn.gradcheck import GradCheckResult, gradient_check
from dnnviz.nn.model import DeepNeuralNetwork
from dnnviz.ui import look as looks
from dnnviz.ui.dialogs import fit_dialog

VERDICT_COLORS = {"pass": "#2ca02c", "warn": "#e08000", "fail": "#d62728"}
VERDICT_WORDS = {"pass": "PASS", "warn": "CHECK", "fail": "FAIL"}
# two lines each: on a projector a one-line header was clipped in a 1024-pixel-wide dialog
HEADERS = ("layer", "difference\ndW[l]", "difference\ndb[l]", "entries\nchecked", "verdict")
FORMULA = ("gradapprox = (J(θ + ε) − J(θ − ε)) / 2ε\n"
           "difference = ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖)")
VERDICT_FONT_PT = 16


def _cell(text: str, color: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    if color:
        item.setForeground(QBrush(QColor(color)))
        item.setFont(looks.current().font(11, bold=True))
    return item


def _difference(value: float, checked: int) -> str:
    return f"{value:.1e}" if checked else "— (kinks)"


class GradCheckDialog(QDialog):
    """Check backprop of `net` on X, Y; `gradients` replaces the backprop under test.

    Or show a `result` checked elsewhere (X, Y None; `net` says only its settings): "Check
    again" then calls again(seed), which answers later with show_result."""

    def __init__(self, net, X, Y, gradients=DeepNeuralNetwork.gradients, parent=None, *,
                 result: GradCheckResult | None = None, again=None, **options):
        super().__init__(parent)
        self._net, self._X, self._Y = net, X, Y
        self._gradients, self._options = gradients, options
        self._again = again
        self._seed = int(options.pop("seed", 0))
        self.result: GradCheckResult | None = None
        self.setWindowTitle("Gradient check")
        self._build()
        if result is None:
            self.run()
        else:
            self.show_result(result)
        fit_dialog(self, 860, 190 + 32 * len(net.layer_dims))

    def _build(self) -> None:
        intro = QLabel("Backpropagation's gradients against central differences of the cost, "
                       "as in the lesson:")
        intro.setWordWrap(True)
        intro.setFont(looks.current().font(11))
        formula = QLabel(FORMULA)
        formula.setFont(looks.current().font(12))
        formula.setWordWrap(True)
        self.settings_label = QLabel()
        self.settings_label.setFont(looks.current().font(10))
        self.settings_label.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setFont(looks.current().font(11))  # the look's, as the rows'
        self.table.setFont(looks.current().font(11))
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verdict_label = QLabel()
        self.verdict_label.setFont(looks.current().font(VERDICT_FONT_PT, bold=True))
        self.verdict_label.setWordWrap(True)
        self.again_button = QPushButton("Check again (other entries)")
        self.again_button.setAutoDefault(False)
        self.again_button.clicked.connect(self._on_again)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        for widget in (intro, formula, self.settings_label):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdict_label)
        layout.addLayout(buttons)

    def run(self) -> GradCheckResult:
        """Run the check again (with the current seed) and show it."""
        self.result = gradient_check(self._net, self._X, self._Y, seed=self._seed,
                                     gradients=self._gradients, **self._options)
        self._show(self.result)
        return self.result

    def _on_again(self) -> None:
        self._seed += 1
        if self._again is None:
            self.run()
            return
        self.again_button.setEnabled(False)  # until the answer (or its failure) comes
        self._again(self._seed)

    def show_result(self, result: GradCheckResult | None) -> None:
        """A check made elsewhere (None: it failed; the last one stays)."""
        self.again_button.setEnabled(True)
        if result is not None:
            self.result = result
            self._show(result)

    def _show(self, result: GradCheckResult) -> None:
        kinks = f"; {result.kinks} entries at a ReLU kink left out" if result.kinks else ""
        net = self._net
        l2 = getattr(net, "l2", 0.0)
        cost = f"J with its L2 term (λ = {l2:g})" if l2 else "J"
        dropout = ", dropout off while checking" if getattr(net, "keep_prob", 1.0) < 1 else ""
        self.settings_label.setText(
            f"{cost} through {getattr(net, 'activation', 'relu')} units{dropout}; "
            f"ε = {result.epsilon:g}, m = {result.m} examples, in float64; big layers are "
            f"checked on a random subset of their entries{kinks}.")
        self.table.setRowCount(len(result.layers))
        for row, layer in enumerate(result.layers):
            checked = (f"W: {layer.checked_W} of {layer.size_W},  "
                       f"b: {layer.checked_b} of {layer.size_b}")
            cells = (_cell(str(layer.layer)), _cell(_difference(layer.diff_W, layer.checked_W)),
                     _cell(_difference(layer.diff_b, layer.checked_b)), _cell(checked),
                     _cell(VERDICT_WORDS[layer.verdict], VERDICT_COLORS[layer.verdict]))
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        color = VERDICT_COLORS[result.verdict]
        self.verdict_label.setText(f"{VERDICT_WORDS[result.verdict]}: {result.message}")
        self.verdict_label.setStyleSheet(f"color: {color};")
