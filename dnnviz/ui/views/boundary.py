"""BoundaryView: for 2-D data, the decision boundary and what each hidden unit does on the plane.

The plane: p(second class) from class 0's colour through the background (0.5: undecided) to
class 1's, the p = 0.5 line (K classes: each point in its likeliest class's colour, deeper
the surer the network is, and the lines between the classes), and the train (circles)
and test (triangles) points in their class colour (the test points can be hidden). A
legend below the plane, outside it. Beside it (or below, in a tall pane): one small map
per hidden unit, a row per layer, one colour bar per row. A click on the plane draws a
point (sigPointAdded: class 1, with shift class 0); points drawn but not yet trained on
are shown large and ringed (set_pending). Items are made in set_dataset; a snapshot only
calls setImage / setData.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QPointF, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QFontMetricsF, QIcon, QPainter, QPixmap
from PyQt6.QtWidgets import QBoxLayout, QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from dnnviz.ui import look as looks
from dnnviz.ui.views.axes import color_bar
from dnnviz.ui.views.legend import Legend
from dnnviz.ui.views.pictures import (
    HeldScale,
    class_regions,
    finite_low,
    finite_peak,
    image_plot,
    mosaic,
    new_image,
    set_scale,
    style_scale,
)

MAX_UNIT_MAPS = 16  # per layer; more would be too small to read
MIN_TITLE = 0.7  # the smallest a unit row's title gets, of the look's title size
PLANE_FRAME = 60  # pixels of the plane's box that its title and x axis take
PLANE_SIDES = 140  # and that its y axis and colour bar take
TITLE_MARGIN = 30  # pixels of a unit row's width that its title cannot use (margins)
ROW_TITLE_PX, COLOR_BAR_PX = 30, 70  # room the unit maps cannot use
UNIT_STEP = 1  # the snapshot's unit maps already hold every 2nd grid point (summaries.py)
UNIT_GAP = 6  # pixels between two unit maps
REGION_TINT = 0.45  # the regions: this much class colour, the rest background
POINT_SIZES = {"train": 10, "test": 10}  # test points as large, drawn under, outlined thin
SYMBOLS = {"train": "o", "test": "t"}
PENDING_SIZE = 16  # points drawn, waiting for enough of each class
ACTIVATION_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid",
                    "leaky_relu": "leaky ReLU"}

BOUNDARY_TIP = (
    "The decision boundary: the colour is the probability the network gives the second "
    "class at each point of the plane (the background colour: 0.5, undecided).\nThe line "
    "is where p = 0.5. Circles are training points, triangles test points, coloured by "
    "their true class.\nClick to draw a point of class 1, shift-click one of class 0."
)
UNITS_TIP = (
    "Each small map is one hidden unit: how strongly it fires (bright) at each point of "
    "the plane.\nLayer 1 units can only draw straight edges; deeper layers combine them "
    "into curves."
)


def point_sample(symbol: str, size: int, pen, brush) -> QIcon:
    """A legend sample: one point drawn as the plane draws it."""
    pixmap = QPixmap(QSize(30, 18))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(QPointF(15, 9))
    painter.scale(size * 0.9, size * 0.9)
    painter.setPen(pg.mkPen(pen.color(), width=pen.widthF() / (size * 0.9)))
    painter.setBrush(brush)
    painter.drawPath(pg.graphicsItems.ScatterPlotItem.Symbols[symbol])
    painter.end()
    return QIcon(pixmap)


def best_columns(counts, width: float, height: float) -> int:
    """Columns for the unit mosaics (counts: maps per layer) that make each map largest.

    Every layer's mosaic gets height in proportion to its rows of maps, so all maps match.
    """
    usable_w = width - COLOR_BAR_PX
    usable_h = height - ROW_TITLE_PX * len(counts)

    def side(c: int) -> float:
        return min(usable_w / c, usable_h / max(1, sum(math.ceil(n / c) for n in counts)))
    return max(range(1, max(counts, default=1) + 1), key=lambda c: (side(c), -c))


def cell_rect(extent, size: int) -> QRectF:
    """The rect of a size x size image whose pixel centres sit on linspace(extent) samples."""
    xmin, xmax, ymin, ymax = extent
    dx, dy = (xmax - xmin) / (size - 1), (ymax - ymin) / (size - 1)
    return QRectF(xmin - dx / 2, ymin - dy / 2, xmax - xmin + dx, ymax - ymin + dy)


class _UnitRow:
    """One hidden layer: a title and a mosaic of its first units' maps, with a colour bar."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, l: int, n: int, activation: str):
        shown = min(n, MAX_UNIT_MAPS)
        kind = ACTIVATION_NAMES.get(activation, activation)
        title = f"layer {l} ({kind}): {n} units" if shown == n else \
            f"layer {l} ({kind}): first {shown} of {n} units"
        self.title = layout.addLabel(title, row=2 * row, col=0, colspan=2)
        self.room = None  # the title's width in pixels, once laid out
        self._look = looks.current()
        self.shown = shown
        self.held = HeldScale()  # the colour scale of the units' maps
        self.plot = image_plot()
        self.img = new_image()
        self.plot.addItem(self.img)
        layout.addItem(self.plot, row=2 * row + 1, col=0)
        self.bar = color_bar(values=(0, 1), width=12)
        self.bar.setImageItem(self.img)
        layout.addItem(self.bar, row=2 * row + 1, col=1)

    def restyle(self, look: looks.Look) -> None:
        self._look = look
        self.fit_title(self.room)
        self.bar.setColorMap(look.colormap(looks.SEQUENTIAL))
        style_scale(self.bar, look, looks.SMALL_PT)

    def fit_title(self, room: float | None) -> None:
        """The title in the look's title size, smaller (to MIN_TITLE of it) when the
        column is narrower than the title: whole in presentation mode on a small screen."""
        self.room = room
        look = self._look
        points = look.pt(looks.TITLE_PT)
        font = look.font(looks.TITLE_PT)
        wide = QFontMetricsF(font).horizontalAdvance(self.title.text)
        if room and wide > room - TITLE_MARGIN:
            points *= max(MIN_TITLE, (room - TITLE_MARGIN) / wide)
        self.title.setText(self.title.text, color=look.hex("text"), size=f"{points:.1f}pt")

    def show(self, maps: np.ndarray, cols: int) -> None:
        # flipped: y up
        units = maps[: self.shown, ::-UNIT_STEP, ::UNIT_STEP, None]
        # always `cols` wide (NaN is transparent), so maps are the same size in every row
        tiles = mosaic(units, cols, UNIT_GAP, fill=np.nan)[..., 0]
        self.img.setImage(tiles, autoLevels=False)
        scale = self.held.update(finite_peak(maps[: self.shown]), finite_low(maps[: self.shown]))
        if scale is not None:
            set_scale(self.bar, *scale)


class BoundaryView(QWidget):
    """The decision boundary over the plane, plus every hidden unit's map."""

    name = "boundary"
    parts = frozenset({"plane"})
    sigPointAdded = pyqtSignal(float, float, int)  # x1, x2, class: a point drawn
    sigClearPoints = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setToolTip(BOUNDARY_TIP)
        self._plane = pg.GraphicsLayoutWidget()
        self._plane.setToolTip(BOUNDARY_TIP)
        self.legend = Legend()
        self.show_test = QCheckBox("Show test data", checked=True)
        self.show_test.setToolTip("Show the test points (triangles) on the plane")
        self.clear_button = QPushButton("Clear points")
        self.clear_button.setToolTip("Forget the points drawn, back to the data before")
        self.clear_button.hide()
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.show_test)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        plane = QWidget()
        column = QVBoxLayout(plane)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._plane, stretch=1)
        column.addWidget(self.legend)
        column.addLayout(row)
        self._units = pg.GraphicsLayoutWidget()
        self._units.setToolTip(UNITS_TIP)
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addWidget(plane, 3)
        self._box.addWidget(self._units, 2)
        self._extent = None
        self._snap = None
        self._data = None
        self._cols: int | None = None
        self._layer_dims: tuple[int, ...] = ()
        self._rows: list[_UnitRow] = []
        self._note = None
        self._activation = "relu"
        self._pending: list = []
        self._build_plane()
        self._plane.scene().sigMouseClicked.connect(self._on_click)
        self.show_test.toggled.connect(self._on_show_test)
        self.clear_button.clicked.connect(self.sigClearPoints)
        self.restyle(looks.current())

    @property
    def unit_rows(self) -> list[_UnitRow]:
        return list(self._rows)

    def _build_plane(self) -> None:
        self.plot = self._plane.addPlot(row=0, col=0)
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)  # the plane's true shape: circles stay round
        self.image = new_image()
        self.plot.addItem(self.image)
        self.regions = new_image()  # K classes: an RGB picture of its own, no colour bar
        self.plot.addItem(self.regions)
        self.bar = color_bar(values=(0, 1))
        self.bar.setImageItem(self.image, insert_in=self.plot)
        self.bar.axis.setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])
        self.contour = pg.PlotDataItem(connect="pairs")
        self.plot.addItem(self.contour)
        self.points = {split: pg.ScatterPlotItem(symbol=SYMBOLS[split], size=POINT_SIZES[split])
                       for split in ("train", "test")}
        for z, item in enumerate((self.points["test"], self.points["train"])):
            item.setZValue(z + 1)  # the training points the network fits on top
            self.plot.addItem(item)
        self.pending = pg.ScatterPlotItem(symbol="o", size=PENDING_SIZE)
        self.plot.addItem(self.pending)

    def restyle(self, look: looks.Look) -> None:
        """Background, axes, regions, line, points and legend from the look."""
        look.style_graphics(self._plane)
        look.style_graphics(self._units)
        look.style_plot(self.plot, title="Decision boundary", left="x₂", bottom="x₁")
        self.bar.setColorMap(look.class_colormap(REGION_TINT))
        self.bar.axis.setPen(look.pen("axis"))
        self.bar.axis.setTextPen(look.pen("text"))
        self.bar.axis.setTickFont(look.font(looks.AXIS_PT))
        self.contour.setPen(look.pen("text", 3))
        self.legend.setFont(look.font(looks.LEGEND_PT))
        for widget in (self.show_test, self.clear_button):
            widget.setFont(look.font(looks.LEGEND_PT))
        self._color_points(look)
        self._fill_legend(look)
        for row in self._rows:
            row.restyle(look)
        if self._note is not None:
            self._note.setText(self._note.text, color=look.hex("text"),
                               size=look.size(looks.TITLE_PT))

    def _point_pens(self, look: looks.Look) -> dict:
        """Train points outlined in the background colour, test points thinly in the text
        colour (thick outlines buried 80 training points under 240 test ones)."""
        return {"train": look.pen("background", 1), "test": look.pen("text", 0.75)}

    def _color_points(self, look: looks.Look) -> None:
        brushes = [pg.mkBrush(look.class_color(c))
                   for c in range(max(2, len(self._data.classes) if self._data else 2))]
        points = np.array(self._pending, dtype=np.float64).reshape(-1, 3)
        self.pending.setData(x=points[:, 0], y=points[:, 1], pen=look.pen("text", 2.5),
                             brush=[brushes[int(c)] for c in points[:, 2]])
        if self._data is None:
            return
        pens = self._point_pens(look)
        for split, item in self.points.items():
            data = self._data
            X, Y = (data.X_train, data.Y_train) if split == "train" else (data.X_test, data.Y_test)
            item.setData(x=np.asarray(X[0], float), y=np.asarray(X[1], float),
                         brush=[brushes[self._label(y)] for y in Y.ravel()], pen=pens[split])

    def _label(self, y: float) -> int:
        return int(y >= 0.5) if len(self._data.classes) == 2 else int(round(y))

    def _fill_legend(self, look: looks.Look) -> None:
        if self._data is None:
            return
        pens = self._point_pens(look)
        entries = []
        for split in ("train", "test") if self.show_test.isChecked() else ("train",):
            for c, name in enumerate(self._data.classes):
                icon = point_sample(SYMBOLS[split], POINT_SIZES[split], pens[split],
                                    pg.mkBrush(look.class_color(c)))
                entries.append((f"{name} ({split})", icon, None))
        self.legend.set_entries(entries)

    def set_dataset(self, data, layer_dims, activation: str = "relu") -> None:
        """A new session: the points (set once) and one row of unit maps per hidden layer."""
        self._data = data
        self._activation = activation
        self.contour.setData([], [])
        self._extent = self._snap = None
        self._layer_dims = tuple(layer_dims)
        many = self._layer_dims[-1] > 1
        self.image.setVisible(not many)
        self.regions.setVisible(many)
        self.bar.setVisible(not many)
        self._build_units(self._layer_dims)
        self._show_clear()
        self.restyle(looks.current())
        self._fit_layout()

    def _build_units(self, layer_dims) -> None:
        self._units.clear()
        self._note = None
        self._cols = None  # new rows: _fit_layout picks columns and row heights afresh
        layout = self._units.ci
        self._rows = [_UnitRow(layout, l - 1, l, layer_dims[l], self._activation)
                      for l in range(1, len(layer_dims) - 1)]
        if not self._rows:
            self._note = layout.addLabel(
                "no hidden layers: the output is one straight-line boundary")

    # --- drawing and the test points -------------------------------------------------------
    def set_pending(self, points) -> None:
        """Points drawn but not trained on yet: rows (x1, x2, class)."""
        self._pending = [tuple(p) for p in points]
        self._color_points(looks.current())
        self._show_clear()

    def _show_clear(self) -> None:
        drawn = self._data is not None and self._data.name == "drawn"
        self.clear_button.setVisible(bool(self._pending) or drawn)

    def _on_click(self, event) -> None:
        """A left click inside the plane draws a point there (shift: class 0)."""
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        box = self.plot.vb
        if not box.sceneBoundingRect().contains(event.scenePos()):
            return
        point = box.mapSceneToView(event.scenePos())
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        event.accept()
        self.sigPointAdded.emit(float(point.x()), float(point.y()), 0 if shift else 1)

    def _on_show_test(self, on: bool) -> None:
        self.points["test"].setVisible(on)
        self._fill_legend(looks.current())

    def show_snapshot(self, snap) -> None:
        """setImage / setData only; a snapshot without the plane views is ignored."""
        if snap.grid_probs is None or tuple(snap.layer_dims) != self._layer_dims:
            return  # no plane views, or a late snapshot of the previous network
        probs = snap.grid_probs
        if probs.ndim == 3:  # K classes
            self.regions.setImage(class_regions(probs, looks.current(), REGION_TINT),
                                  autoLevels=False,
                                  levels=(0, 255))
        else:
            self.image.setImage(probs, autoLevels=False)
        if tuple(snap.grid_extent) != self._extent:  # after setImage: setRect needs a size
            self._place(tuple(snap.grid_extent), probs.shape[-1])
        self.contour.setData(*snap.contour)
        for row, maps in zip(self._rows, snap.grid_units):
            row.show(maps, self._cols)
        self._snap = snap

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_layout()

    def _fit_layout(self) -> None:
        """The unit maps beside the plane or below it, whichever leaves the plane the larger
        square (the plane keeps x1 and x2 at one scale: a flat box would leave it a strip);
        unit maps in as many columns as fit."""
        w, h = self.width(), self.height()
        below = self.legend.height() + self.show_test.sizeHint().height() + PLANE_FRAME
        beside = min(w * 3 / 5 - PLANE_SIDES, h - below)
        wide = beside > 1.1 * min(w - PLANE_SIDES, h * 4 / 7 - below)  # a tie: maps below
        self._box.setDirection(QBoxLayout.Direction.LeftToRight if wide
                               else QBoxLayout.Direction.TopToBottom)
        units = 2 if wide else 3  # share of 5 (wide) or 7 (tall): stacked maps need height
        self._box.setStretch(0, 3 if wide else 4)
        self._box.setStretch(1, units)
        self._relayout_units(*((w * units / 5, h) if wide else (w, h * units / 7)))

    def _relayout_units(self, width: float, height: float) -> None:
        for row in self._rows:
            if row.room != width:
                row.fit_title(width)
        cols = best_columns([row.shown for row in self._rows], width, height)
        if cols != self._cols:
            self._cols = cols
            for i, row in enumerate(self._rows):  # height in proportion to rows of maps
                self._units.ci.layout.setRowStretchFactor(2 * i + 1, math.ceil(row.shown / cols))
            if self._snap is not None:
                self.show_snapshot(self._snap)

    def _place(self, extent, size: int) -> None:
        xmin, xmax, ymin, ymax = extent
        self._extent = extent
        self.image.setRect(cell_rect(extent, size))
        self.regions.setRect(cell_rect(extent, size))
        self.plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)
