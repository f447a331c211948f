"""ActivationView: inside the network while it reads one picture, for image data.

The input picture, then per layer the activation of every unit (a square grid of units), a
colour bar, and a units x examples map (which units fire for which class).
Image items are made once per network shape (set_layers); a snapshot only calls setImage.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QEvent, QTimer
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import QVBoxLayout, QWidget

from dnnviz.ui import style
from dnnviz.ui.views.pictures import (
    finite_peak,
    image_plot,
    label_font,
    new_image,
    refit_view,
    set_scale,
    set_title,
    text_width,
    unit_grid,
    unit_ticks,
)

ACTIVATIONS_TIP = (
    "What the network computes for the selected picture.\nTop: each square is one unit of "
    "a layer; the brighter, the more it fires. Left to right: input -> hidden layers -> "
    "output.\nBottom: the same units (rows) for many test pictures (columns), sorted by "
    "class: units whose row lights up on one side only tell the classes apart."
)

def stacked(*lines: str) -> str:
    """A title on several short lines: five layers' columns fit in a 550 px wide pane."""
    return "<br>".join(lines)


# Title forms, widest first: the view takes the first whose columns fit its width (a
# projector's 1280 px in presentation mode's 1.5x text leaves ~80 px a column).
FULL, MEDIUM, SHORT = range(3)
NOTE = stacked("below:", "rows = units,", "columns = test", "pictures, by class")
COLUMN_PAD = 14  # px a column needs besides its title (margins, spacing)


def input_title(form: int, where: str, label: str) -> str:
    return stacked("input", where, label) if form == FULL else stacked("input", label)


def layer_title(form: int, l: int, n: int, p: str | None = None) -> str:
    """Layer l's title; the output layer (p given: "p(cat)=0.50", or "" before any
    snapshot) says p(class 1) for the selected picture."""
    if p is None:
        return (stacked(f"layer {l}", f"{n} units", "ReLU"),
                stacked(f"layer {l}", f"{n} units"), stacked(f"L{l}", f"{n}"))[form]
    value = p.partition("=")[2]
    return (stacked("output", "sigmoid", p or "&nbsp;"),
            stacked("output", f"p={value}" if value else "&nbsp;"),
            stacked("out", value or "&nbsp;"))[form]


class _LayerColumn:
    """One layer: the selected sample's unit grid, its colour bar, the units x examples map."""

    def __init__(self, layout: pg.GraphicsLayout, col: int, l: int, n: int, output: bool):
        self.l, self.n, self.output = l, n, output
        self.peak = None
        self.grid_plot = image_plot()
        self.grid_img = new_image()
        self.grid_plot.addItem(self.grid_img)
        self.map_plot = pg.PlotItem()
        self.map_img = new_image()
        self.map_plot.addItem(self.map_img)
        # a white line over a black one: visible on every colour of both colormaps
        self.dividers = [pg.InfiniteLine(angle=90, pen=pg.mkPen(color, width=width))
                         for color, width in (("k", 5), ("w", 2))]
        for line in self.dividers:
            self.map_plot.addItem(line)
        self._style_map(n)
        cmap = style.colormap(style.DIVERGING if output else style.SEQUENTIAL)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=cmap, interactive=False,
                                   orientation="horizontal", width=14, colorMapMenu=False)
        self.bar.setImageItem([self.grid_img, self.map_img])
        layout.addItem(self.grid_plot, row=0, col=col)
        layout.addItem(self.bar, row=1, col=col)
        layout.addItem(self.map_plot, row=2, col=col)
        self.p_text = "" if output else None  # "p(cat)=0.50" once a snapshot came
        self.grid_plot.setTitle(self.title(FULL), size=style.TITLE_SIZE)

    def title(self, form: int) -> str:
        return layer_title(form, self.l, self.n, self.p_text)

    def _style_map(self, n: int) -> None:
        plot = self.map_plot
        style.style_plot(plot, left="unit" if self.l == 1 else "")  # one label says it all
        bottom = plot.getAxis("bottom")
        bottom.setStyle(hideOverlappingLabels=False)  # class names stay, even when narrow
        font = QFont()
        font.setPointSize(style.SMALL_FONT_PT - 1)
        bottom.setTickFont(font)
        plot.invertY(True)
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.getAxis("left").setTicks([[(0.5, "p")]] if n <= 1 else [unit_ticks(n)])

    def show(self, values: np.ndarray, units_x_examples: np.ndarray, labels, classes) -> None:
        self.grid_img.setImage(unit_grid(values), autoLevels=False)
        self.map_img.setImage(units_x_examples, autoLevels=False)
        peak = 1.0 if self.output else max(finite_peak(values), finite_peak(units_x_examples))
        if peak != self.peak:
            self.peak = peak
            set_scale(self.bar, peak)
        self._mark_classes(labels, classes)

    def _mark_classes(self, labels, classes) -> None:
        n0 = int(np.count_nonzero(np.asarray(labels) < 0.5)) if labels is not None else 0
        k = len(labels) if labels is not None else 0
        if (n0, k) == getattr(self, "_marked", None):
            return
        self._marked = (n0, k)
        self.map_plot.setRange(xRange=(0, k), yRange=(0, self.n), padding=0)
        for line in self.dividers:
            line.setValue(n0)
            line.setVisible(0 < n0 < k)
        ticks = [(n0 / 2, classes[0])] if n0 else []
        ticks += [((n0 + k) / 2, classes[1])] if k > n0 else []
        self.map_plot.getAxis("bottom").setTicks([ticks])


class ActivationView(QWidget):
    """Activations of the selected picture, layer by layer."""

    name = "activations"
    parts = frozenset({"activations"})

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layer_dims: tuple[int, ...] = ()
        self._data = None
        self._columns: list[_LayerColumn] = []
        self._act = pg.GraphicsLayoutWidget()
        self._act.setToolTip(ACTIVATIONS_TIP)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._act)
        self.setToolTip(ACTIVATIONS_TIP)
        self.input_img = new_image()
        self.form = FULL
        self._where, self._label = "&nbsp;", "&nbsp;"  # the selected picture: "test #3", "cat"
        self.note = None
        self._act.installEventFilter(self)

    def eventFilter(self, obj, event):
        if obj is self._act and event.type() == QEvent.Type.Resize:
            self.fit_titles()
        return super().eventFilter(obj, event)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # presentation mode: the theme rescales the titles right after the font
            QTimer.singleShot(0, self.fit_titles)

    def fit_titles(self) -> None:
        """The widest titles whose columns fit the view's width (shorter on a projector);
        the note below the input only with the full titles."""
        if self.note is None:
            return
        width = self._act.width()
        font = label_font(self.input_plot.titleLabel)
        note_width = text_width(NOTE, label_font(self.note, f"{style.SMALL_FONT_PT}pt"))
        for form in (FULL, MEDIUM, SHORT):
            needed = max(text_width(self._input_title(form), font),
                         note_width if form == FULL else 0.0) + COLUMN_PAD
            needed += sum(text_width(c.title(form), font) + COLUMN_PAD for c in self._columns)
            if needed <= width:
                break
        if form != self.form:
            self.form = form
            self._retitle()
            refit_view(self._act)
        else:
            self._retitle()

    def _input_title(self, form: int) -> str:
        return input_title(form, self._where, self._label)

    def _retitle(self) -> None:
        set_title(self.input_plot, self._input_title(self.form))
        for column in self._columns:
            set_title(column.grid_plot, column.title(self.form))
        note = NOTE if self.form == FULL else ""
        if self.note.text != note:
            self.note.setText(note)

    @property
    def columns(self) -> list[_LayerColumn]:
        return list(self._columns)

    def set_layers(self, layer_dims, data) -> None:
        """A new network shape or data set: rebuild every plot (the only place items are made)."""
        self._layer_dims, self._data = tuple(layer_dims), data
        self._act.clear()
        layout = self._act.ci
        self._where, self._label = "&nbsp;", "&nbsp;"
        self.input_plot = image_plot(self._input_title(FULL))
        self.input_img = new_image()
        self.input_plot.addItem(self.input_img)
        layout.addItem(self.input_plot, row=0, col=0)
        self.note = pg.LabelItem(NOTE, size=f"{style.SMALL_FONT_PT}pt", justify="left")
        layout.addItem(self.note, row=2, col=0)
        L = len(self._layer_dims) - 1
        self._columns = [_LayerColumn(layout, l, l, self._layer_dims[l], l == L)
                         for l in range(1, L + 1)]
        layout.layout.setRowStretchFactor(0, 1)
        layout.layout.setRowStretchFactor(2, 1)
        self.fit_titles()

    def show_snapshot(self, snap) -> None:
        """setImage on every item; a snapshot without activations is ignored."""
        if not snap.sample_activations or tuple(snap.layer_dims) != self._layer_dims:
            return  # no image views, or a late snapshot of the previous network
        self._show_input(snap.selected)
        classes = tuple(self._data.classes)
        for col, values, layer_map in zip(self._columns, snap.sample_activations, snap.layer_maps):
            col.show(np.asarray(values), np.asarray(layer_map), snap.map_labels, classes)
        p = float(snap.sample_activations[-1][0])
        output = self._columns[-1]
        p_text = f"p({classes[1]})={p:.2f}"
        if output.p_text != p_text:
            output.p_text = p_text
            self.fit_titles()

    def _show_input(self, selected) -> None:
        split, index = selected
        data = self._data
        X, Y = (data.X_test, data.Y_test) if split == "test" else (data.X_train, data.Y_train)
        picture = np.asarray(X[:, index], dtype=np.float64).reshape(data.image_shape)
        if picture.shape[2] == 1:
            picture = picture[..., 0]
        self.input_img.setImage(picture, autoLevels=False, levels=(0.0, 1.0))
        where, label = f"{split} #{index}", data.classes[int(Y[0, index] >= 0.5)]
        if (where, label) != (self._where, self._label):
            self._where, self._label = where, label
            self.fit_titles()
