"""ActivationView: inside the network while it reads one picture, for image data.

At the top the selected picture. Below, one row per layer, from the first hidden layer to
the output: the units of the layer run down the row (numbered 1..n on the left), and
  - a column of squares: each unit's activation for the selected picture;
  - beside it, the same units for many test pictures (one column each, sorted by class):
    a unit whose row lights up on one side only tells the classes apart;
  - one colour bar for both, with its two ends labelled.
The output row is p(second class), coloured from one class's colour to the other's.
Image items are made once per network shape (set_layers); a snapshot only calls setImage.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtWidgets import QVBoxLayout, QWidget

from dnnviz.ui import look as looks
from dnnviz.ui.views.axes import UnitAxis, color_bar
from dnnviz.ui.views.pictures import (
    HeldScale,
    finite_low,
    finite_peak,
    image_plot,
    new_image,
    set_scale,
    style_scale,
)

ACTIVATIONS_TIP = (
    "What the network computes for the selected picture, layer by layer (rows).\n"
    "Left: one square per unit of the layer, numbered down the side: the brighter, the more "
    "it fires.\nRight: the same units for many test pictures (columns), sorted by class: a "
    "unit whose row lights up on one side only tells the classes apart.\nThe output row "
    "is the probability of the second class."
)


UNIT_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "leaky_relu": "leaky ReLU"}


def layer_name(l: int, n: int, output: bool, activation: str = "relu") -> str:
    kind = UNIT_NAMES.get(activation, activation)
    return "output, sigmoid" if output else f"layer {l}, {n} {kind} unit{'s' if n > 1 else ''}"


def class_blocks(labels, k: int) -> list[tuple[int, int, int]]:
    """(class, first column, end column) of each class's block of examples, in label order
    (labels as the lesson reads them: >= 0.5 is class 1 of two; K classes 0..K-1)."""
    if labels is None or len(labels) == 0:
        return []
    values = np.asarray(labels, dtype=np.float64).ravel()
    classes = (values >= 0.5).astype(int) if k <= 2 else np.rint(values).astype(int)
    blocks, start = [], 0
    for i in range(1, len(classes) + 1):
        if i == len(classes) or classes[i] != classes[start]:
            blocks.append((int(classes[start]), start, i))
            start = i
    return blocks


class _LayerRow:
    """One layer: its units down the side, the selected picture's column, the map, a bar."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, l: int, n: int, output: bool,
                 activation: str = "relu"):
        self.l, self.n, self.output = l, n, output
        self.held = None if output else HeldScale()  # the output's p runs from 0 to 1
        self.title = layout.addLabel(layer_name(l, n, output, activation), row=2 * row, col=0,
                                     colspan=3, justify="left")
        self.unit_plot = pg.PlotItem(axisItems={"left": UnitAxis("left", n)})
        self.unit_img = new_image()
        self.unit_plot.addItem(self.unit_img)
        self.map_plot = pg.PlotItem(axisItems={"bottom": pg.AxisItem("bottom")})
        self.map_img = new_image()
        self.map_plot.addItem(self.map_img)
        # a line between the classes: a wide background-coloured one under a text-coloured one
        self.dividers = [pg.InfiniteLine(angle=90) for _ in range(2)]
        for line in self.dividers:
            self.map_plot.addItem(line)
        for plot in (self.unit_plot, self.map_plot):
            plot.invertY(True)
            plot.setMouseEnabled(x=False, y=False)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setRange(yRange=(0, n), padding=0)
            plot.setContentsMargins(0, 0, 0, 0)
        self.unit_plot.hideAxis("bottom")
        self.map_plot.hideAxis("left")
        self.unit_plot.setRange(xRange=(0, 1), padding=0)
        if output and n == 1:  # the lesson's one sigmoid; K outputs are named by class
            self.unit_plot.getAxis("left").setTicks([[(0.5, "p")]])
        self.unit_plot.getAxis("left").setWidth(40)
        self.bar = color_bar(values=(0, 1), width=12)
        self.bar.setImageItem([self.unit_img, self.map_img])
        if output:
            set_scale(self.bar, 1.0, 0.0)
        layout.addItem(self.unit_plot, row=2 * row + 1, col=0)
        layout.addItem(self.map_plot, row=2 * row + 1, col=1)
        layout.addItem(self.bar, row=2 * row + 1, col=2)
        self.labels: np.ndarray | None = None
        self.classes = ("", "")

    def restyle(self, look: looks.Look) -> None:
        self.title.setText(self.title.text, color=look.hex("text"), size=look.size(looks.LABEL_PT))
        for plot in (self.unit_plot, self.map_plot):
            look.style_plot(plot)
        style_scale(self.bar, look, looks.SMALL_PT)
        self.bar.setColorMap(look.class_colormap() if self.output
                             else look.colormap(looks.SEQUENTIAL))
        self._style_dividers(look)
        self.unit_plot.getAxis("left").setWidth(round(40 * look.font_scale))
        if self.output:  # p = 0.5 is the ground's own colour: a frame shows where the row is
            for plot in (self.unit_plot, self.map_plot):
                plot.vb.setBorder(look.pen("grid"))

    def _style_dividers(self, look: looks.Look) -> None:
        for i, line in enumerate(self.dividers):
            line.setPen(look.pen("background", 5) if i % 2 == 0 else look.pen("text", 2))
            line.setZValue(10 + i % 2)

    def show(self, values: np.ndarray, units_x_examples: np.ndarray, labels, classes,
             show_classes: bool) -> None:
        column = np.asarray(values, dtype=np.float64).reshape(-1, 1)
        self.unit_img.setImage(column, autoLevels=False)
        self.unit_img.setRect(0, 0, 1, self.n)
        self.map_img.setImage(units_x_examples, autoLevels=False)
        if self.held is not None:
            scale = self.held.update(max(finite_peak(values), finite_peak(units_x_examples)),
                                     min(finite_low(values), finite_low(units_x_examples)))
            if scale is not None:
                set_scale(self.bar, *scale)
        self._mark_classes(labels, classes, show_classes)

    def _mark_classes(self, labels, classes, show_classes: bool) -> None:
        """The examples' blocks, one a class in label order: a line between two blocks,
        and under the last row each block's class name."""
        blocks = class_blocks(labels, len(classes))
        k = len(labels) if labels is not None else 0
        key = (tuple(blocks), k, tuple(classes), show_classes)
        if key == getattr(self, "_marked", None):
            return
        self._marked = key
        self.map_plot.setRange(xRange=(0, k), yRange=(0, self.n), padding=0)
        if self.output and self.n == len(classes) > 1:  # K outputs: a unit a class
            self.unit_plot.getAxis("left").names = tuple(classes)
        ends = [end for _, _, end in blocks[:-1]]
        while len(self.dividers) < 2 * len(ends):  # wide (background) under thin (text)
            line = pg.InfiniteLine(angle=90)
            self.map_plot.addItem(line)
            self.dividers.append(line)
            self._style_dividers(looks.current())
        for i, line in enumerate(self.dividers):
            line.setVisible(i // 2 < len(ends))
            if i // 2 < len(ends):
                line.setValue(ends[i // 2])
        if show_classes:  # class names once, under the last row, each under its block
            ticks = [((start + end) / 2, classes[c]) for c, start, end in blocks]
            self.map_plot.getAxis("bottom").setTicks([ticks])
            self.map_plot.showAxis("bottom")
        else:
            self.map_plot.hideAxis("bottom")


class ActivationView(QWidget):
    """Activations of the selected picture, layer by layer."""

    name = "activations"
    parts = frozenset({"activations"})

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layer_dims: tuple[int, ...] = ()
        self._data = None
        self._rows: list[_LayerRow] = []
        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setToolTip(ACTIVATIONS_TIP)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._graphics)
        self.setToolTip(ACTIVATIONS_TIP)
        self.input_img = new_image()
        self.input_title = ""
        self.input_plot = None
        self._input_shown = None  # (split, index) of the picture on show

    @property
    def rows(self) -> list[_LayerRow]:
        return list(self._rows)

    def set_layers(self, layer_dims, data, activation: str = "relu") -> None:
        """A new network shape or data set: rebuild every plot (the only place items are made)."""
        self._layer_dims, self._data = tuple(layer_dims), data
        self._input_shown = None
        self._graphics.clear()
        layout = self._graphics.ci
        layout.setSpacing(2)
        self.input_plot = image_plot()
        self.input_img = new_image()
        self.input_plot.addItem(self.input_img)
        self.input_title = "input: the selected picture"
        layout.addItem(self.input_plot, row=0, col=0)
        self.input_label = layout.addLabel(self.input_title, row=0, col=1, colspan=2,
                                           justify="left")
        L = len(self._layer_dims) - 1
        self._rows = [_LayerRow(layout, l, l, self._layer_dims[l], l == L, activation)
                      for l in range(1, L + 1)]
        grid = layout.layout
        grid.setRowStretchFactor(0, 4)
        for row in self._rows:
            grid.setRowStretchFactor(2 * row.l, 0)
            grid.setRowStretchFactor(2 * row.l + 1, max(2, min(row.n, 20)))
        grid.setColumnStretchFactor(0, 1)
        grid.setColumnStretchFactor(1, 4)
        self.restyle(looks.current())

    def restyle(self, look: looks.Look) -> None:
        look.style_graphics(self._graphics)
        if self.input_plot is not None:
            self.input_label.setText(self.input_title, color=look.hex("text"),
                                     size=look.size(looks.TITLE_PT))
        for row in self._rows:
            row.restyle(look)

    def show_snapshot(self, snap) -> None:
        """setImage on every item; a snapshot without activations is ignored."""
        if not snap.sample_activations or tuple(snap.layer_dims) != self._layer_dims:
            return  # no activations asked for, or a late snapshot of the previous network
        self._show_input(snap.selected)
        classes = tuple(self._data.classes)
        last = len(self._rows) - 1
        for i, (row, values, layer_map) in enumerate(zip(self._rows, snap.sample_activations,
                                                         snap.layer_maps)):
            row.show(np.asarray(values), np.asarray(layer_map), snap.map_labels, classes,
                     show_classes=i == last)
        out = np.asarray(snap.sample_activations[-1])
        output = self._rows[-1]
        if out.size == 1:
            title = f"output: p({classes[1]}) = {float(out[0]):.2f}"
        else:  # K classes: the likeliest
            k = int(np.argmax(out))
            title = f"output: {classes[k] if k < len(classes) else k} (p = {out[k]:.2f})"
        if output.title.text != title:
            output.title.setText(title)

    def _show_input(self, selected) -> None:
        if selected == self._input_shown:
            return  # the same picture: not drawn again (frame after frame while training)
        self._input_shown = selected
        split, index = selected
        data = self._data
        X, Y = (data.X_test, data.Y_test) if split == "test" else (data.X_train, data.Y_train)
        picture = np.asarray(X[:, index], dtype=np.float64).reshape(data.image_shape)
        if picture.shape[2] == 1:
            picture = picture[..., 0]
        self.input_img.setImage(picture, autoLevels=False, levels=(0.0, 1.0))
        label = int(Y[0, index] >= 0.5) if data.n_classes == 2 else int(round(Y[0, index]))
        title = f"input: {split} picture #{index}, class: {data.classes[label]}"
        if title != self.input_title:
            self.input_title = title
            self.input_label.setText(title)
