"""ExperimentControls: the dock's "Training options" and "Data" sections, each opened by a
click on its title: what the course teaches next (hidden activation, L2, dropout,
mini-batches, momentum, Adam) and Playground's data knobs (noise, samples, train/test split,
a new sample, input features, your own points and pictures).

It only emits what the user asked for: sigChanged(changes) for settings that need a new
network or new data, sigLive(name, value) for L2 and keep-prob, which the running session
takes at its next iteration, and sigOpenPoints / sigOpenPictures. The main window decides
what that means for the session. Presentation mode hides both sections.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dnnviz.data import FEATURES, POINT_DATASETS, dataset_defaults
from dnnviz.data.builtin import MAX_NOISE, MAX_SAMPLES, MIN_SAMPLES, TEST_FRACTION
from dnnviz.nn import HIDDEN_ACTIVATIONS, OPTIMIZERS
from dnnviz.training.config import MAX_BATCH, MAX_L2, RunConfig

ACTIVATION_TIPS = {
    "relu": "ReLU: max(0, z), the lesson's",
    "tanh": "tanh: squashes into (−1, 1), as week 3's network on the flower",
    "sigmoid": "sigmoid: squashes into (0, 1); its gradients vanish in deep nets",
    "leaky_relu": "leaky ReLU: z, or 0.01·z below 0: never quite dead",
}
OPTIMIZER_NAMES = {"gd": "gradient descent", "momentum": "momentum", "adam": "Adam"}
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1x2": "x₁x₂",
                  "sin x1": "sin x₁", "sin x2": "sin x₂"}
DRAW_HINT = ("Draw your own points on the decision boundary: click adds class 1, "
             "shift-click class 0.")


class Section(QWidget):
    """A title that opens and closes the widgets below it (closed at first)."""

    def __init__(self, title: str, content: QWidget, parent=None):
        super().__init__(parent)
        self.button = QToolButton(text=title, checkable=True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setStyleSheet("QToolButton { border: none; font-weight: bold; }")
        self.content = content
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.button)
        column.addWidget(content)
        self.button.toggled.connect(self.set_open)
        self.set_open(False)

    def set_open(self, on: bool) -> None:
        self.button.setChecked(on)
        self.button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.content.setVisible(on)

    def is_open(self) -> bool:
        return self.button.isChecked()


def _spin(low: float, high: float, decimals: int, step: float, tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(minimum=low, maximum=high, decimals=decimals, singleStep=step)
    spin.setKeyboardTracking(False)
    spin.setToolTip(tip)
    return spin


class ExperimentControls(QWidget):
    sigChanged = pyqtSignal(dict)  # settings that need a new network or new data
    sigLive = pyqtSignal(str, object)  # l2 or keep_prob: the running session takes it
    sigOpenPoints = pyqtSignal()
    sigOpenPictures = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._config = RunConfig()
        self._build_training()
        self._build_data()
        self.training = Section("Training options", self._training_box)
        self.data = Section("Data", self._data_box)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 0, 4, 0)
        column.addWidget(self.training)
        column.addWidget(self.data)
        self._connect()

    # --- building -------------------------------------------------------------------------
    def _build_training(self) -> None:
        self.activation = QComboBox()
        for i, name in enumerate(HIDDEN_ACTIVATIONS):
            self.activation.addItem(name, name)
            self.activation.setItemData(i, ACTIVATION_TIPS[name], Qt.ItemDataRole.ToolTipRole)
        self.activation.setToolTip("g in A = g(Z) of every hidden layer; the output stays "
                                   "sigmoid")
        self.optimizer = QComboBox()
        for name in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_NAMES[name], name)
        self.optimizer.setToolTip("How each step uses the gradients: plain gradient descent, "
                                  "momentum (a running average of them) or Adam")
        self.beta = _spin(0, 0.999, 3, 0.01, "Momentum's β: v = β·v + (1 − β)·dW")
        self.beta1 = _spin(0, 0.999, 3, 0.01, "Adam's β1: the average of dW")
        self.beta2 = _spin(0, 0.9999, 4, 0.001, "Adam's β2: the average of dW²")
        self.epsilon = QLineEdit()
        self.epsilon.setToolTip("Adam's ε in W = W − α·v̂ / (√ŝ + ε): keeps the step finite")
        self.batch = QSpinBox(minimum=0, maximum=MAX_BATCH, singleStep=16)
        self.batch.setSpecialValueText("all")
        self.batch.setKeyboardTracking(False)
        self.batch.setToolTip("Examples per update: mini-batches, reshuffled every epoch "
                              "from the seed. 'all': the lesson's batch gradient descent")
        self.l2 = _spin(0, MAX_L2, 4, 0.01, "L2 regularisation λ: the cost adds "
                        "λ/(2m)·Σ‖W‖², so big weights cost more. Takes effect at once.")
        self.keep_prob = _spin(0.05, 1.0, 2, 0.05, "Dropout: each hidden unit is kept "
                               "with this chance at a training step (1: no dropout). "
                               "Takes effect at once.")
        box = self._training_box = QWidget()
        form = self._training_form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        for label, widget in (("Activation", self.activation), ("Optimizer", self.optimizer),
                              ("β", self.beta), ("β1", self.beta1), ("β2", self.beta2),
                              ("ε", self.epsilon), ("Batch size", self.batch),
                              ("L2 λ", self.l2), ("Keep-prob", self.keep_prob)):
            form.addRow(label, widget)

    def _build_data(self) -> None:
        self.noise = _spin(0, MAX_NOISE, 2, 0.05, "How far the points scatter around the "
                           "set's shape")
        self.samples = QSpinBox(minimum=MIN_SAMPLES, maximum=MAX_SAMPLES, singleStep=50)
        self.samples.setKeyboardTracking(False)
        self.samples.setToolTip("How many points (train and test together)")
        self.test_share = QSpinBox(minimum=5, maximum=90, singleStep=5, suffix=" %")
        self.test_share.setKeyboardTracking(False)
        self.test_share.setToolTip("The share of each class kept aside to test on")
        self.new_sample = QPushButton("New sample")
        self.new_sample.setToolTip("Draw the set again with another data seed (own data: "
                                   "split it another way)")
        self.features = {name: QCheckBox(FEATURE_LABELS[name]) for name in FEATURES}
        for name, box in self.features.items():
            box.setToolTip(f"Feed the network {name} of each point (the boundary stays over "
                           "the plane)")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.features.values()):
            grid.addWidget(box, i // 4, i % 4)
        self.features_box = QWidget()
        self.features_box.setLayout(grid)
        self.open_points = QPushButton("Points (CSV)…")
        self.open_points.setToolTip("Your own 2-D points: a CSV file of x1,x2,label lines")
        self.open_pictures = QPushButton("Pictures folder…")
        self.open_pictures.setToolTip("Your own pictures: a folder with one sub-folder per "
                                      "class (two), read at 64×64 as the course's")
        own = QHBoxLayout()
        own.addWidget(self.open_points)
        own.addWidget(self.open_pictures)
        self.draw_hint = QLabel(DRAW_HINT)
        self.draw_hint.setWordWrap(True)
        box = self._data_box = QWidget()
        form = self._data_form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        split = QHBoxLayout()
        split.addWidget(self.test_share)
        split.addWidget(self.new_sample)
        form.addRow("Noise", self.noise)
        form.addRow("Samples", self.samples)
        form.addRow("Test", split)
        form.addRow("Features", self.features_box)
        form.addRow("Own data", own)
        form.addRow(self.draw_hint)

    def _connect(self) -> None:
        def change(name, read):
            return lambda *_: self.sigChanged.emit({name: read()})
        self.activation.currentIndexChanged.connect(
            change("activation", self.activation.currentData))
        self.optimizer.currentIndexChanged.connect(
            change("optimizer", self.optimizer.currentData))
        for name in ("beta", "beta1", "beta2"):
            spin = getattr(self, name)
            spin.valueChanged.connect(change(name, spin.value))
        self.epsilon.editingFinished.connect(self._on_epsilon)
        self.batch.valueChanged.connect(change("batch_size", lambda: self.batch.value() or None))
        self.l2.valueChanged.connect(lambda v: self.sigLive.emit("l2", v))
        self.keep_prob.valueChanged.connect(lambda v: self.sigLive.emit("keep_prob", v))
        self.noise.valueChanged.connect(change("noise", self.noise.value))
        self.samples.valueChanged.connect(change("n_samples", self.samples.value))
        self.test_share.valueChanged.connect(
            change("test_fraction", lambda: self.test_share.value() / 100))
        self.new_sample.clicked.connect(
            change("data_seed", lambda: self._config.data_seed + 1))
        for box in self.features.values():
            box.toggled.connect(change("features", self.chosen_features))
        self.open_points.clicked.connect(self.sigOpenPoints)
        self.open_pictures.clicked.connect(self.sigOpenPictures)

    def _on_epsilon(self) -> None:
        text = self.epsilon.text().strip()
        try:
            value = float(text)
        except ValueError:
            value = text  # RunConfig says what is wrong with it
        if value != self._config.epsilon:
            self.sigChanged.emit({"epsilon": value})

    # --- what it shows --------------------------------------------------------------------
    def chosen_features(self) -> tuple[str, ...]:
        return tuple(name for name, box in self.features.items() if box.isChecked())

    def _widgets(self):
        return (self.activation, self.optimizer, self.beta, self.beta1, self.beta2,
                self.epsilon, self.batch, self.l2, self.keep_prob, self.noise, self.samples,
                self.test_share, *self.features.values())

    def set_config(self, config: RunConfig, data) -> None:
        """Show a config (on its data set) without emitting change signals."""
        self._config = config
        for w in self._widgets():
            w.blockSignals(True)
        self.activation.setCurrentIndex(self.activation.findData(config.activation))
        self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
        for name in ("beta", "beta1", "beta2", "l2", "keep_prob"):
            getattr(self, name).setValue(getattr(config, name))
        self.epsilon.setText(f"{config.epsilon:g}")
        self.batch.setValue(config.batch_size or 0)
        builtin = config.dataset in (*POINT_DATASETS, "shapes") and not config.train_file \
            and not config.image_folder and not config.points_file \
            and config.drawn_points is None
        n, noise = dataset_defaults(config.dataset) if builtin else (0, 0.0)
        self.noise.setValue(noise if config.noise is None else config.noise)
        self.samples.setValue(n if config.n_samples is None else config.n_samples)
        fraction = TEST_FRACTION if config.test_fraction is None else config.test_fraction
        self.test_share.setValue(round(100 * fraction))
        for name, box in self.features.items():
            box.setChecked(name in config.features)
        for w in self._widgets():
            w.blockSignals(False)
        self._enable(config, builtin, data is not None and data.is_planar)

    def _enable(self, config: RunConfig, builtin: bool, planar: bool) -> None:
        """Only what applies: the optimiser's own settings, the data knobs of this data."""
        form = self._training_form
        form.setRowVisible(self.beta, config.optimizer == "momentum")
        for widget in (self.beta1, self.beta2, self.epsilon):
            form.setRowVisible(widget, config.optimizer == "adam")
        data_form = self._data_form
        for widget in (self.noise, self.samples):
            data_form.setRowVisible(widget, builtin)
        split = not (config.train_file or config.dataset == "cat")
        self.test_share.setEnabled(split)
        self.new_sample.setEnabled(split)
        data_form.setRowVisible(self.features_box, planar)

    def set_advanced_visible(self, visible: bool) -> None:
        """Hidden in presentation mode: the lesson's plots have the room."""
        self.setVisible(bool(visible))
