"""StepThroughDialog: one iteration, one lesson equation at a time: the forward pass, the
cost, the backward pass and, given the learning rate, the update W := W - α·dW of each layer.

Left: the stages in order. Middle: the current stage's array as a heatmap (rows = units,
columns = examples, or inputs for W and dW), cropped to its top-left corner when it is too big
to read (the caption says so). Right: the name and shape, the equation, what it means; at
an update stage, the update of one weight with its numbers (the one that moves most).
Previous / Next (also Left / Right, Home / End) walk through the pass.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QKeySequence, QShortcut
from PyQt6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from dnnviz.nn.stepthrough import Stage
from dnnviz.ui import look as looks
from dnnviz.ui.dialogs import fit_dialog
from dnnviz.ui.teach.cells import CellText
from dnnviz.ui.views.pictures import finite_peak, set_scale, style_scale, unit_ticks

MAX_ROWS = 64  # more rows or columns than this and the cells are too thin to read
MAX_COLS = 128
EQUATION_FONT_PT = 20
EQUATION_WIDTH = 38  # characters on a line of the equation before it is broken
NAME_FONT_PT = 16
BREAKS = (" = ", " + ", " − ", ",  ", "   (")
PHASE_ARROWS = {"forward": "→", "cost": "•", "backward": "←", "update": "↻"}


def crop(array: np.ndarray, max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS):
    """(the top-left max_rows x max_cols corner as 2-D float64, a note saying what was cut)."""
    array = np.atleast_2d(np.asarray(array, dtype=np.float64))
    rows, cols = array.shape
    shown = array[:max_rows, :max_cols]
    cut = []
    if rows > max_rows:
        cut.append(f"rows 1–{max_rows} of {rows}")
    if cols > max_cols:
        cut.append(f"columns 1–{max_cols} of {cols}")
    return shown, ("showing " + ", ".join(cut)) if cut else ""


def wrap_equation(equation: str, width: int = EQUATION_WIDTH) -> str:
    """Break a long equation once, at its outermost operator, the way maths is typeset."""
    if len(equation) <= width:
        return equation
    first_equals = equation.find(" = ")
    depth, best = 0, None  # (depth, index) of the shallowest break point
    for i, char in enumerate(equation):
        depth += (char == "(") - (char == ")")
        if i > first_equals and equation.startswith(BREAKS, i) and \
                (best is None or depth < best[0]):
            best = (depth, i)
    if best is None:
        return equation
    head, tail = equation[:best[1]], equation[best[1]:].strip()
    if tail.startswith(","):
        head, tail = head + ",", tail[1:].strip()
    return head.rstrip() + "\n        " + tail


def update_numbers(stage: Stage, old: np.ndarray, grad: np.ndarray,
                   learning_rate: float, gradient_descent: bool) -> str:
    """One weight's update with its numbers, the one that moves most: for gradient descent
    "W[2][1, 3] = 0.4123 − 0.0075 × (−0.0210) = 0.4125"; for another optimiser, old → new."""
    new = np.asarray(stage.array, dtype=np.float64)
    change = np.abs(np.nan_to_num(new - old))
    row, col = np.unravel_index(int(np.argmax(change)), new.shape)
    param = stage.name.split("[")[0]
    where = f"{stage.name}[{row + 1}, {col + 1}]" if param == "W" else f"{stage.name}[{row + 1}]"
    o, g, n = float(old[row, col]), float(grad[row, col]), float(new[row, col])
    if gradient_descent:
        shown = f"({g:.4g})" if g < 0 else f"{g:.4g}"
        return f"{where} = {o:.6g} − {learning_rate:g} × {shown} = {n:.6g}"
    return f"{where}: {o:.6g} → {n:.6g}  (d{param} = {g:.4g})"


def axis_names(stage: Stage) -> tuple[str, str]:
    """(rows, columns) of the heatmap in words."""
    l = stage.layer
    if stage.name.startswith(("dW", "W[")):
        return f"unit of layer {l}", "input" if l == 1 else f"unit of layer {l - 1}"
    if stage.name.startswith(("db", "b[")):
        return f"unit of layer {l}", ""
    if stage.name == "J":
        return "", ""
    k = stage.name[stage.name.index("[") + 1:-1]  # dA[l−1] belongs to layer l−1
    return ("input" if k == "0" else f"unit of layer {k}"), "example"


class StepThroughDialog(CellText, QDialog):
    """Walk through the Stages of one iteration. sigStageChanged(index)."""

    sigStageChanged = pyqtSignal(int)

    def __init__(self, stages, labels=None, parent=None, *, ys=None,
                 learning_rate: float | None = None, before: dict | None = None,
                 gradient_descent: bool = True):
        """stages: the Stages of one iteration, walked where the network is (the training
        process: training.teaching.step_through); before, the parameters before the update,
        learning_rate and gradient_descent say what the update stages show; labels name the
        example columns, ys (their labels as numbers) their short names."""
        super().__init__(parent)
        self._y = None if ys is None else np.ravel(ys)  # the examples' labels as numbers
        self._old = before  # the parameters before the update {"W1", ...}
        self._columns, self._bottom = 0, ""
        self._shape = (1, 1)  # (rows, cols) shown, and the cells the view spans
        self._spans = (1.0, 1.0)
        self._learning_rate = learning_rate
        self._gradient_descent = gradient_descent
        self._stages = list(stages)
        if not self._stages:
            raise ValueError("nothing to step through: the list of stages is empty")
        self._labels = None if labels is None else [str(label) for label in labels]
        self._index = 0
        self._L = max(stage.layer for stage in self._stages)
        self._numbers: list[pg.TextItem] = []
        self.setWindowTitle("Step through one iteration: forward, backward, update")
        self._build()
        self._show()
        fit_dialog(self, 1280, 660, grow=False)

    # -- public ---------------------------------------------------------------------------

    @property
    def stages(self) -> list[Stage]:
        return list(self._stages)

    @property
    def index(self) -> int:
        return self._index

    def current(self) -> Stage:
        return self._stages[self._index]

    def next(self) -> None:
        self.go_to(self._index + 1)

    def previous(self) -> None:
        self.go_to(self._index - 1)

    def first(self) -> None:
        self.go_to(0)

    def last(self) -> None:
        self.go_to(len(self._stages) - 1)

    def go_to(self, index: int) -> None:
        """Show stage `index`; out of range does nothing (Previous at the start, say)."""
        if 0 <= index < len(self._stages) and index != self._index:
            self._index = index
            self._show()
            self.sigStageChanged.emit(index)

    def shown_array(self) -> np.ndarray:
        """The array drawn in the heatmap: the stage's, or its documented crop()."""
        return self.image.image

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        self.stage_list = QListWidget()
        self.stage_list.setFont(looks.current().font(looks.LABEL_PT))
        for stage in self._stages:
            self.stage_list.addItem(f"{PHASE_ARROWS.get(stage.phase, '')}  {stage.name}")
        self.stage_list.setFixedWidth(round(110 * looks.current().font_scale))
        self.stage_list.currentRowChanged.connect(self._on_row_changed)
        body = QHBoxLayout()
        body.addWidget(self.stage_list)
        body.addLayout(self._build_heatmap(), 5)
        body.addLayout(self._build_text(), 4)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(self._build_buttons())

    def _build_heatmap(self) -> QVBoxLayout:
        """The stage's array as a heatmap on a diverging scale, its range and crop below."""
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = self.graphics.addPlot(row=0, col=0)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.plot.invertY(True)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        looks.current().style_plot(self.plot)
        self.bar = pg.ColorBarItem(values=(-1, 1),
                                   colorMap=looks.current().colormap(looks.DIVERGING),
                                   interactive=False, width=16, colorMapMenu=False)
        self.bar.setImageItem(self.image, insert_in=self.plot)
        self.plot.vb.sigResized.connect(self._on_resized)
        style_scale(self.bar, looks.current(), looks.AXIS_PT)
        self.crop_label = QLabel()
        self.crop_label.setFont(looks.current().font(looks.SMALL_PT))
        self.range_label = QLabel()
        self.range_label.setFont(looks.current().font(looks.SMALL_PT))
        heatmap = QVBoxLayout()
        heatmap.addWidget(self.graphics, 1)
        heatmap.addWidget(self.range_label)
        heatmap.addWidget(self.crop_label)
        return heatmap

    def _build_text(self) -> QVBoxLayout:
        """The stage's name, phase, the lesson's equation, what it means, and numbers."""
        self.name_label = QLabel()
        self.name_label.setFont(looks.current().font(NAME_FONT_PT, bold=True))
        self.phase_label = QLabel()
        self.phase_label.setFont(looks.current().font(looks.LABEL_PT))
        self.equation_label = QLabel()
        self.equation_label.setFont(looks.current().font(EQUATION_FONT_PT))
        self.equation_label.setWordWrap(True)
        self.equation_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation_label = QLabel()
        self.explanation_label.setFont(looks.current().font(looks.LABEL_PT + 1))
        self.explanation_label.setWordWrap(True)
        self.numbers_label = QLabel()
        self.numbers_label.setFont(looks.current().font(looks.LABEL_PT + 2))
        self.numbers_label.setWordWrap(True)
        self.numbers_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        for widget in (self.name_label, self.phase_label, self.equation_label,
                       self.explanation_label, self.numbers_label):
            text.addWidget(widget)
        text.addStretch(1)
        return text

    def _build_buttons(self) -> QHBoxLayout:
        self.previous_button = QPushButton("◀  Previous")
        self.next_button = QPushButton("Next  ▶")
        self.close_button = QPushButton("Close")
        self.progress_label = QLabel()
        self.progress_label.setFont(looks.current().font(looks.LABEL_PT, bold=True))
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_label.setMinimumWidth(80)
        for button in (self.previous_button, self.next_button, self.close_button):
            button.setAutoDefault(False)
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.accept)
        for key, slot in ((Qt.Key.Key_Left, self.previous), (Qt.Key.Key_Right, self.next),
                          (Qt.Key.Key_Home, self.first), (Qt.Key.Key_End, self.last)):
            QShortcut(QKeySequence(key), self, activated=slot)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.previous_button)
        row.addWidget(self.progress_label)
        row.addWidget(self.next_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        return row

    # -- showing --------------------------------------------------------------------------

    def _on_row_changed(self, row: int) -> None:
        self.go_to(row)

    def _show(self) -> None:
        stage = self.current()
        self.name_label.setText(f"{stage.name}     shape {stage.shape}")
        self.phase_label.setText(f"{stage.phase} · layer {stage.layer}")
        self.equation_label.setText(wrap_equation(stage.equation))
        self.explanation_label.setText(stage.explanation)
        numbers = self._update_numbers(stage)
        self.numbers_label.setText(numbers)
        self.numbers_label.setVisible(bool(numbers))
        n = len(self._stages)
        self.progress_label.setText(f"{self._index + 1} / {n}")
        self.previous_button.setEnabled(self._index > 0)
        self.next_button.setEnabled(self._index < n - 1)
        self.stage_list.blockSignals(True)
        self.stage_list.setCurrentRow(self._index)
        self.stage_list.blockSignals(False)
        self._show_array(stage)

    def _update_numbers(self, stage: Stage) -> str:
        """At an update stage (with the network known): one weight's update, in numbers."""
        if stage.phase != "update" or self._old is None or self._learning_rate is None:
            return ""
        param = stage.name.split("[")[0]
        grads = [s for s in self._stages if s.name == f"d{stage.name}"]
        old = self._old.get(f"{param}{stage.layer}")
        if not grads or old is None:
            return ""
        return "For example: " + update_numbers(stage, old, grads[0].array,
                                                self._learning_rate, self._gradient_descent)

    def _show_array(self, stage: Stage) -> None:
        shown, note = crop(stage.array)
        self.crop_label.setText(note)
        self.crop_label.setVisible(bool(note))
        finite = shown[np.isfinite(shown)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        self.range_label.setText(f"min {low:.3g}     max {high:.3g}")
        if stage.name == f"A[{self._L}]":  # probabilities: 0.5 in the middle, white
            cmap, levels = looks.DIVERGING, (0.0, 1.0)
        elif low >= 0:  # ReLU outputs, the cost: 0 is the bottom of the scale
            cmap, levels = looks.SEQUENTIAL, (0.0, finite_peak(shown))
        else:
            peak = finite_peak(np.abs(shown))
            cmap, levels = looks.DIVERGING, (-peak, peak)
        self.bar.setColorMap(looks.current().colormap(cmap))
        self.image.setImage(shown, autoLevels=False)
        set_scale(self.bar, levels[1], levels[0])  # both ends named, however small
        self._set_axes(stage, *shown.shape)
        self._number_cells(shown)

    def _set_axes(self, stage: Stage, rows: int, cols: int) -> None:
        left, bottom = axis_names(stage)
        self.plot.setLabel("left", left)
        self.plot.setLabel("bottom", bottom)
        self.plot.getAxis("left").setTicks([unit_ticks(rows)])
        self._columns, self._shape, self._bottom = cols, (rows, cols), bottom
        self._fit_range()
        self._name_examples()
