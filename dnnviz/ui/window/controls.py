"""ControlPanel: data set, layers, learning rate, iterations, init, seed, dtype, and the
Train / Pause / Step / Reset buttons. It only emits what the user asked for; the main
window decides what that means for the session.
"""

from __future__ import annotations

import math

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dnnviz.nn import DTYPES, INIT_HELP, INIT_SCHEMES
from dnnviz.training.config import MAX_ITERATIONS, MAX_SEED, MAX_UNITS, RunConfig
from dnnviz.training.pacing import SPEEDS, speed_text
from dnnviz.ui import look as looks

LR_MIN_EXP, LR_MAX_EXP, LR_STEPS_PER_DECADE = -5, 1, 20
MAX_GUI_LAYERS = 8


class LayerEditor(QWidget):
    """One spin box per hidden layer, three to a row, and buttons to add and remove a layer.

    The buttons are a widget of their own (`buttons`), placed beside the "Hidden layers"
    label, and the spin boxes wrap onto new rows: eight layers need no wider a panel than
    three, so the controls stay narrow on a 1024x768 projector."""

    sigChanged = pyqtSignal()
    PER_ROW = 3

    def __init__(self, parent=None):
        super().__init__(parent)
        self._spins: list[QSpinBox] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(self.PER_ROW, 1)  # the spin boxes stay at the left
        self._add = QToolButton(text="+")
        self._add.setToolTip("Add a hidden layer [LINEAR -> RELU] before the output layer")
        self._remove = QToolButton(text="−")
        self._remove.setToolTip("Remove the last hidden layer (none left: logistic regression)")
        self._add.clicked.connect(self._on_add)
        self._remove.clicked.connect(self._on_remove)
        self._none = QLabel("none: logistic regression")  # shown when there is no layer
        self._none.setEnabled(False)  # the muted text colour
        self._grid.addWidget(self._none, 0, 0, 1, self.PER_ROW)
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self._remove)
        row.addWidget(self._add)

    def hidden(self) -> tuple[int, ...]:
        return tuple(s.value() for s in self._spins)

    def set_hidden(self, hidden) -> None:
        self.blockSignals(True)
        while self._spins:
            self._pop()
        for n in hidden:
            self._push(n)
        self.blockSignals(False)
        self._update_buttons()

    def _push(self, units: int) -> None:
        spin = QSpinBox(minimum=1, maximum=MAX_UNITS, value=int(units))
        spin.setToolTip(f"n[{len(self._spins) + 1}]: the number of units of hidden layer "
                        f"{len(self._spins) + 1} (ReLU)")
        spin.setKeyboardTracking(False)
        spin.setMaximumWidth(76)
        spin.valueChanged.connect(self.sigChanged)
        at = len(self._spins)
        self._spins.append(spin)
        self._grid.addWidget(spin, at // self.PER_ROW, at % self.PER_ROW)

    def _pop(self) -> None:
        spin = self._spins.pop()
        self._grid.removeWidget(spin)
        spin.hide()  # gone from the row now, whenever the event loop deletes it
        spin.deleteLater()

    def _on_add(self) -> None:
        self._push(self._spins[-1].value() if self._spins else 4)
        self._update_buttons()
        self.sigChanged.emit()

    def _on_remove(self) -> None:
        if self._spins:
            self._pop()
            self._update_buttons()
            self.sigChanged.emit()

    def _update_buttons(self) -> None:
        self._add.setEnabled(len(self._spins) < MAX_GUI_LAYERS)
        self._remove.setEnabled(bool(self._spins))
        self._none.setVisible(not self._spins)


class LearningRateControl(QWidget):
    """A log-scale slider (1e-5 .. 10) beside an exact spin box; emits the value."""

    sigChanged = pyqtSignal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        steps = (LR_MAX_EXP - LR_MIN_EXP) * LR_STEPS_PER_DECADE
        self.slider = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=steps)
        self.spin = QDoubleSpinBox(decimals=5, minimum=1e-5, maximum=10.0, singleStep=0.001)
        self.spin.setMinimumWidth(90)
        self.spin.setKeyboardTracking(False)
        tip = ("Learning rate α in W = W − α·dW. Too small: slow; too big: the cost "
               "oscillates or diverges. Changes take effect at the next iteration.")
        self.slider.setToolTip(tip)
        self.spin.setToolTip(tip)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        self.slider.valueChanged.connect(self._on_slider)
        self.spin.valueChanged.connect(self._on_spin)

    def value(self) -> float:
        return self.spin.value()

    def set_value(self, value: float) -> None:
        self.spin.setValue(value)

    def _on_slider(self, position: int) -> None:
        value = 10 ** (LR_MIN_EXP + position / LR_STEPS_PER_DECADE)
        if not math.isclose(value, self.spin.value(), rel_tol=0.05):
            self.spin.setValue(float(f"{value:.2g}"))

    def _on_spin(self, value: float) -> None:
        position = round((math.log10(value) - LR_MIN_EXP) * LR_STEPS_PER_DECADE)
        self.slider.blockSignals(True)
        self.slider.setValue(position)
        self.slider.blockSignals(False)
        self.sigChanged.emit(value)


class SpeedControl(QWidget):
    """A slider over the speed steps (1 ... 1000 it/s, max) and the speed it stands at.

    A speed between two steps (a data set's default, or --speed 150) is shown as it is and
    the slider sits at the nearest step below; moving the slider picks a step."""

    sigChanged = pyqtSignal(object)  # float iterations per second, or None for max

    def __init__(self, speed: float | None = None, parent=None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=len(SPEEDS) - 1)
        self.slider.setPageStep(1)
        self.label = QLabel()
        self.label.setMinimumWidth(90)
        tip = ("How many iterations of gradient descent a second, to watch the network learn; "
               "'max' trains as fast as the machine allows. The speed changes when things "
               "happen, never the numbers. [ slower, ] faster.")
        self.slider.setToolTip(tip)
        self.label.setToolTip(tip)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)
        self._speed = speed
        self.set_speed(speed)
        self.slider.valueChanged.connect(self._on_slider)

    def speed(self) -> float | None:
        return self._speed

    def set_speed(self, speed: float | None) -> None:
        """Show a speed without emitting sigChanged."""
        self._speed = speed
        finite = [s for s in SPEEDS if s is not None]
        position = len(SPEEDS) - 1 if speed is None else \
            max([i for i, s in enumerate(finite) if s <= speed], default=0)
        self.slider.blockSignals(True)
        self.slider.setValue(position)
        self.slider.blockSignals(False)
        self.label.setText(speed_text(speed))

    def _on_slider(self, position: int) -> None:
        step = SPEEDS[position]
        self._speed = None if step is None else float(step)
        self.label.setText(speed_text(self._speed))
        self.sigChanged.emit(self._speed)


class ControlPanel(QWidget):
    sigDatasetChanged = pyqtSignal(str)
    sigRebuild = pyqtSignal()  # layers, init, seed or dtype changed
    sigLearningRate = pyqtSignal(float)
    sigIterations = pyqtSignal(int)
    sigSpeed = pyqtSignal(object)  # iterations per second, or None for max
    sigTrainPause = pyqtSignal()
    sigStep = pyqtSignal()
    sigReset = pyqtSignal()

    def __init__(self, datasets, speed: float | None = None, parent=None):
        super().__init__(parent)
        self.speed = SpeedControl(speed)
        self.dataset = QComboBox()
        self.dataset.setToolTip("The training examples (X, Y). 2-D sets show the decision "
                                "boundary; image sets show thumbnails and activation maps.")
        self.set_datasets(datasets)
        self.layers = LayerEditor()
        self.lr = LearningRateControl()
        self.iterations = QSpinBox(minimum=1, maximum=MAX_ITERATIONS, singleStep=100)
        self.iterations.setKeyboardTracking(False)
        self.iterations.setToolTip("num_iterations: how many steps of gradient descent to take")
        self.init = QComboBox()
        for i, name in enumerate(INIT_SCHEMES):
            self.init.addItem(name)
            self.init.setItemData(i, INIT_HELP[name], Qt.ItemDataRole.ToolTipRole)
        self.init.setToolTip("How W[l] starts: " + "; ".join(
            f"{k}: {v}" for k, v in INIT_HELP.items()))
        self.seed = QSpinBox(minimum=0, maximum=min(MAX_SEED, 2**31 - 1))
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("np.random.seed for the initial weights: the same seed gives the "
                             "same start, so a run can be replayed exactly")
        self.dtype = QComboBox()
        self.dtype.addItems(DTYPES)
        self.dtype.setToolTip("float64 as in the course; float32 rounds far more coarsely and "
                             "is faster on pictures (1.6 times on the course's)")
        self._build_layout()
        self._connect()

    def _build_layout(self) -> None:
        net = QGroupBox("Network")
        form = self._net_form = QFormLayout(net)
        form.addRow("Data set", self.dataset)
        form.addRow("Hidden layers", self.layers.buttons)
        form.addRow(self.layers)
        form.addRow("Init", self.init)
        form.addRow("Seed", self.seed)
        form.addRow("dtype", self.dtype)
        train = QGroupBox("Training")
        tform = QFormLayout(train)
        self.train_button = QPushButton("Train")
        self.train_button.setToolTip("Start or pause gradient descent (Space)")
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("One iteration: forward, cost, backward, update (S or →)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Back to the initial weights of this seed (R)")
        buttons = QHBoxLayout()
        for b in (self.train_button, self.step_button, self.reset_button):
            b.setMinimumHeight(34)
            buttons.addWidget(b)
        tform.addRow(buttons)
        tform.addRow("Learning rate", self.lr)
        tform.addRow("Iterations", self.iterations)
        tform.addRow("Speed", self.speed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(train)
        column.addWidget(self.message)
        column.addWidget(net)
        self.restyle(looks.current())

    def restyle(self, look: looks.Look) -> None:
        self.message.setStyleSheet(f"color: {look.hex('error')};")

    def _connect(self) -> None:
        self.dataset.currentIndexChanged.connect(self._on_dataset)
        self.layers.sigChanged.connect(self.sigRebuild)
        self.init.currentIndexChanged.connect(self.sigRebuild)
        self.seed.valueChanged.connect(self.sigRebuild)
        self.dtype.currentIndexChanged.connect(self.sigRebuild)
        self.lr.sigChanged.connect(self.sigLearningRate)
        self.iterations.valueChanged.connect(self.sigIterations)
        self.speed.sigChanged.connect(self.sigSpeed)
        self.train_button.clicked.connect(self.sigTrainPause)
        self.step_button.clicked.connect(self.sigStep)
        self.reset_button.clicked.connect(self.sigReset)

    def set_datasets(self, names) -> None:
        self.dataset.blockSignals(True)
        current = self.dataset.currentData()
        self.dataset.clear()
        for key, label in names:
            self.dataset.addItem(label, key)
        index = self.dataset.findData(current)
        self.dataset.setCurrentIndex(max(index, 0))
        self.dataset.blockSignals(False)

    def _on_dataset(self, _index: int) -> None:
        self.sigDatasetChanged.emit(self.dataset.currentData())

    def set_config(self, config: RunConfig, dataset_key: str) -> None:
        """Show a config without emitting change signals."""
        widgets = (self.dataset, self.layers, self.lr, self.lr.spin, self.lr.slider,
                   self.iterations, self.init, self.seed, self.dtype)
        for w in widgets:
            w.blockSignals(True)
        self.dataset.setCurrentIndex(max(self.dataset.findData(dataset_key), 0))
        self.layers.set_hidden(config.hidden)
        self.lr.set_value(config.learning_rate)
        self.lr._on_spin(config.learning_rate)
        self.iterations.setValue(config.iterations)
        self.init.setCurrentText(config.init)
        self.seed.setValue(min(config.seed, self.seed.maximum()))
        self.dtype.setCurrentText(config.dtype)
        for w in widgets:
            w.blockSignals(False)

    def network_changes(self) -> dict:
        return dict(hidden=self.layers.hidden(), init=self.init.currentText(),
                    seed=self.seed.value(), dtype=self.dtype.currentText())

    def advanced_widgets(self) -> tuple[QWidget, ...]:
        """The settings a lesson rarely changes live (hidden in presentation mode)."""
        return (self.init, self.seed, self.dtype)

    def set_advanced_visible(self, visible: bool) -> None:
        """Show or hide the init, seed and dtype rows: field and label together."""
        for widget in self.advanced_widgets():
            self._net_form.setRowVisible(widget, bool(visible))

    def advanced_visible(self) -> bool:
        return not self.init.isHidden()

    def set_speed(self, speed: float | None) -> None:
        self.speed.set_speed(speed)

    def set_running(self, running: bool) -> None:
        self.train_button.setText("Pause" if running else "Train")

    def show_message(self, text: str) -> None:
        self.message.setText(text)
