"""NetworkView: the network as a diagram, live, as TensorFlow Playground draws it.

Layers are columns of units; a link is coloured by the sign of its weight (the weight
heatmaps' colours) and thickened by |w| against the layer's largest, and a layer wider than
WIDE units sends only its strongest few links into each unit. Each unit shows its output:
for 2-D data a small map of it over the plane (the selected example marked), for pictures
its activation for the selected picture; a picture input is drawn as the picture. A big
layer is its first and last units with "... N more". Hover over a unit or a link to read
its value; + and - above a hidden layer, and beside "hidden layers" in the header, change
the network as the controls do (sigHiddenChanged).
The units, links and maps come ready-made in the Snapshot (training/diagram.py); a frame
only calls setImage / setData on items made when the network changes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from dnnviz.ui import look as looks
from dnnviz.ui.views import network_layout as geo
from dnnviz.ui.views.boundary import ACTIVATION_NAMES
from dnnviz.ui.views.pictures import finite_peak
from dnnviz.ui.views.text import ElidedLabel, fit_texts

STRENGTHS = 4  # classes of |w|: widths and opacities below
LINK_WIDTHS = (0.6, 1.3, 2.2, 3.4)
LINK_ALPHAS = (80, 130, 185, 240)
SIGNS = ("negative", "positive", "muted")  # the last: a picture's links (no sign)
VALUE_TILE, VALUE_GAP = 4, 1  # a unit's colour as a tile of pixels (NODE : gap = 4 : 1)
HOVER_HINT = "hover over a unit or a link to read its value"
MAX_LAYERS = 8

NETWORK_TIP = (
    "The network: each column a layer, each square a unit, coloured by what it outputs "
    "(for 2-D data, its output over the whole plane; the dot is the selected example).\n"
    "Links: blue negative, red positive weights, thicker when larger; a wide layer sends "
    "only its strongest links into each unit.\n+ and - change the units of a layer, or the "
    "number of hidden layers, as the controls do."
)


class _Button(pg.TextItem):
    """A small clickable label on the diagram (+ or -)."""

    def __init__(self, text: str, tip: str, action, anchor=(0.5, 1.0)):
        super().__init__(text, anchor=anchor)
        self.action = action
        self.setToolTip(tip)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseClickEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.action()


class NetworkView(QWidget):
    name = "network"
    parts = frozenset({"network"})

    sigHiddenChanged = pyqtSignal(tuple)  # the hidden layer sizes asked for with + / -

    def __init__(self, parent=None):
        super().__init__(parent)
        self.max_layers = MAX_LAYERS
        self._dims: tuple[int, ...] = ()
        self._data = None
        self._cols: list[geo.Column] = []
        self._frame = None
        self._ends: list = []  # per layer, link ends of the frame drawn
        self._picture_key = None
        self._activation, self._features, self._output = "relu", (), "sigmoid"
        self._gap = geo.COLUMN_GAP
        self._fitted: list[tuple] = []  # (text item, its texts, longest first)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setToolTip(NETWORK_TIP)
        self.plot = self.graphics.addPlot()
        for side in ("left", "bottom"):
            self.plot.hideAxis(side)
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.hover = ElidedLabel()
        self._hint = HOVER_HINT  # none on a projector (presentation mode): no one hovers
        self.hover.setText(self._hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._build_header())
        layout.addWidget(self.graphics, stretch=1)
        layout.addWidget(self.hover)
        self.setToolTip(NETWORK_TIP)
        self._build_items()
        self.restyle(looks.current())

    def _build_header(self) -> QHBoxLayout:
        self.layers_label = QLabel()
        self.remove_layer = QToolButton(text="−")
        self.remove_layer.setToolTip("Remove the last hidden layer")
        self.remove_layer.clicked.connect(lambda: self.change_layers(-1))
        self.add_layer = QToolButton(text="+")
        self.add_layer.setToolTip("Add a hidden layer before the output, as wide as the last")
        self.add_layer.clicked.connect(lambda: self.change_layers(+1))
        row = QHBoxLayout()
        row.setContentsMargins(6, 2, 6, 0)
        for widget in (self.remove_layer, self.add_layer, self.layers_label):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _build_items(self) -> None:
        """The items every network has: link classes, the picture, the example's marks."""
        self.links = {(sign, s): pg.PlotCurveItem(connect="pairs")
                      for sign in SIGNS for s in range(STRENGTHS)}
        for item in self.links.values():
            self.plot.addItem(item)
        self.outlines = pg.PlotCurveItem(connect="pairs")
        self.outlines.setZValue(2)  # over the units' tiles: a pale unit keeps its square
        self.plot.addItem(self.outlines)
        self.picture = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.picture)
        self.marks = pg.ScatterPlotItem(size=7, symbol="o")
        self.marks.setZValue(5)
        self.plot.addItem(self.marks)
        self.tiles: list[pg.ImageItem] = []
        self.texts: list[pg.TextItem] = []  # captions and "... N more"
        self.mores: list[pg.TextItem] = []  # "... N more", on the background (over links)
        self.buttons: list[_Button] = []

    # --- public API -----------------------------------------------------------------------
    def set_network(self, layer_dims, data, activation: str = "relu", features=(),
                    output: str = "sigmoid") -> None:
        """A new network or data set: one column of units per layer (items made here);
        activation: the hidden layers'; features: the names of 2-D data's inputs; output:
        the output layer's ("sigmoid" or "softmax")."""
        self._dims, self._data = tuple(int(n) for n in layer_dims), data
        self._activation, self._features = activation, tuple(features)
        self._output = output
        self._frame, self._ends, self._picture_key = None, [], None
        for item in self.tiles + self.texts + self.buttons:
            self.plot.removeItem(item)
        self._gap = self._fitting_gap()
        self._cols = geo.columns(self._dims, data.is_image, self._gap)
        self.tiles = [pg.ImageItem(axisOrder="row-major") for _ in self._cols]
        for tile in self.tiles:
            self.plot.addItem(tile)
        self.picture.setVisible(data.is_image)
        self.texts, self.buttons, self.mores = [], [], []
        self._fitted = []
        for column in self._cols:
            self._add_texts(column)
        self.outlines.setData(*geo.outlines(self._cols), connect="pairs")
        for item in self.links.values():
            item.setData([], [])
        self.marks.setData([], [])
        hidden = len(self._dims) - 2
        self.layers_label.setText(f"{hidden} hidden layer{'s' if hidden != 1 else ''}")
        self.remove_layer.setEnabled(hidden > 0)
        self.add_layer.setEnabled(hidden < self.max_layers)
        self._fit_range()
        self.restyle(looks.current())

    def _fit_range(self) -> None:
        """The whole diagram in view, captions and buttons too; texts as long as the room
        between two columns allows."""
        top = min(c.top for c in self._cols) - 1.2
        self.plot.setRange(xRange=(-geo.PICTURE / 2 - 0.8, self._cols[-1].x + 1.0),
                           yRange=(top, max(c.bottom for c in self._cols) + 1.3), padding=0.02)
        per_unit = self.plot.vb.viewPixelSize()[0]
        if per_unit > 0:
            fit_texts(self._fitted, self._gap / per_unit - 8)

    def show_snapshot(self, snap) -> None:
        if snap.network is not None:
            self.show_frame(snap.network)

    def show_frame(self, frame) -> None:
        """Draw a DiagramFrame (setImage / setData on the items of this network)."""
        if tuple(frame.layer_dims) != self._dims or not self._cols:
            return  # a late frame of the previous network
        self._frame = frame
        if frame.picture:
            self._show_picture(frame.selected)
        for l, (column, tile) in enumerate(zip(self._cols, self.tiles)):
            if not column.picture:
                self._show_tiles(l, column, tile, frame)
        self._show_links(frame)
        self._show_marks(frame)

    def change_units(self, layer: int, step: int) -> None:
        """One unit more (+1) or fewer (-1) in hidden layer `layer`: sigHiddenChanged."""
        hidden = list(self._dims[1:-1])
        if 1 <= layer <= len(hidden) and hidden[layer - 1] + step >= 1:
            hidden[layer - 1] += step
            self.sigHiddenChanged.emit(tuple(hidden))

    def change_layers(self, step: int) -> None:
        """A hidden layer more (as wide as the last) or fewer: sigHiddenChanged."""
        hidden = list(self._dims[1:-1])
        if step > 0 and len(hidden) < self.max_layers:
            hidden.append(hidden[-1] if hidden else 4)
        elif step < 0 and hidden:
            hidden.pop()
        else:
            return
        self.sigHiddenChanged.emit(tuple(hidden))

    def describe(self, x: float, y: float, tolerance: float = 0.12) -> str:
        """What the diagram shows at (x, y) in its coordinates: a unit's or link's value."""
        frame = self._frame
        if frame is None:
            return ""
        unit = geo.unit_at(self._cols, x, y)
        classes = self._data.classes if self._data is not None else ("0", "1")
        if unit is not None:
            return geo.unit_text(frame, *unit, classes)
        best = None
        for l, ends in enumerate(self._ends, start=1):
            i = geo.nearest_link(ends, x, y, tolerance)
            if i is not None:
                d = np.hypot(*(np.array([ends[0][i], ends[1][i]]) - (x, y)))
                if best is None or d < best[0]:
                    best = (d, l, i)
        return geo.link_text(frame, best[1], best[2]) if best else ""

    def columns(self) -> list:
        return list(self._cols)

    def link_segments(self, layer: int):
        """(x0, y0, x1, y1) of the links into `layer` as drawn."""
        return self._ends[layer - 1]

    # --- drawing --------------------------------------------------------------------------
    def _show_picture(self, selected) -> None:
        if selected == self._picture_key:
            return
        self._picture_key = selected
        split, index = selected
        data = self._data
        X = data.X_test if split == "test" else data.X_train
        picture = np.asarray(X[:, index], dtype=np.float64).reshape(data.image_shape)
        self.picture.setImage(picture[..., 0] if picture.shape[2] == 1 else picture,
                              autoLevels=False, levels=(0.0, 1.0))
        half = geo.PICTURE / 2
        self.picture.setRect(-half, -half, geo.PICTURE, geo.PICTURE)

    def _show_tiles(self, l: int, column, tile: pg.ImageItem, frame) -> None:
        L = len(self._dims) - 1
        if frame.maps is not None:
            tiles = np.asarray(frame.maps[l])[:, ::-1, :]  # y up
            gap = max(1, tiles.shape[1] // 4)
        else:
            values = np.asarray(frame.values[l], dtype=np.float32)
            tiles = np.broadcast_to(values[:, None, None], (len(values), VALUE_TILE, VALUE_TILE))
            gap = VALUE_GAP
        image = geo.tile_stack(tiles, column, gap)
        tile.setImage(image, autoLevels=False)
        tile.setRect(*geo.stack_rect(column))
        look = looks.current()
        finite = tiles[np.isfinite(tiles)]
        if l == L:  # p(class 1) from class 0's colour to class 1's; K classes: 0 to 1
            tile.setColorMap(look.class_colormap() if len(tiles) == 1
                             else look.colormap(looks.SEQUENTIAL))
            tile.setLevels((0.0, 1.0))
        elif finite.size and finite.min() < 0:
            peak = finite_peak(np.abs(finite))
            tile.setColorMap(look.colormap(looks.DIVERGING))
            tile.setLevels((-peak, peak))
        else:
            tile.setColorMap(look.colormap(looks.SEQUENTIAL))
            tile.setLevels((0.0, finite_peak(finite)))

    def _show_links(self, frame) -> None:
        self._ends = [geo.link_ends(self._cols, l, links.src, links.dst)
                      for l, links in enumerate(frame.links, start=1)]
        pairs = geo.link_classes(frame.links, self._ends, STRENGTHS)
        for key, item in self.links.items():
            item.setData(*pairs.get(key, (np.empty(0), np.empty(0))), connect="pairs")

    def _show_marks(self, frame) -> None:
        """A dot on each unit's map where the selected example lies."""
        if frame.maps is None or frame.point is None or frame.extent is None:
            self.marks.setData([], [])
            return
        xmin, xmax, ymin, ymax = frame.extent
        u = (frame.point[0] - xmin) / (xmax - xmin)
        v = (ymax - frame.point[1]) / (ymax - ymin)
        xs = np.concatenate([np.full(len(c.ys), c.x - geo.HALF + geo.NODE * u)
                             for c in self._cols])
        ys = np.concatenate([c.ys - geo.HALF + geo.NODE * v for c in self._cols])
        self.marks.setData(xs, ys)

    # --- building -------------------------------------------------------------------------
    def _add_texts(self, column) -> None:
        L = len(self._dims) - 1
        l = column.layer
        if column.picture:  # three short lines: a wide one ran into the links at 1024 px
            shape = "×".join(str(n) for n in self._data.image_shape)
            caption = f"input\n{shape}\npicture"
        elif l == 0:
            caption = "input"
            for k, y in enumerate(column.ys):  # each input's name beside it (x1, x1² ...)
                name = self._features[k] if k < len(self._features) else f"x{k + 1}"
                self._text(geo.PRETTY.get(name, name), column.x - geo.HALF - 0.05, y,
                           (1.0, 0.5))
        else:
            kind = ACTIVATION_NAMES.get(self._activation, self._activation)
            caption = f"output\n{self._output}" if l == L else f"layer {l}\n{column.n} {kind}"
            if 0 < l < L:  # narrower when the columns are close ("16 ReLU" was cut)
                self._fitted.append((caption, f"layer {l}\n{column.n}", f"{l}: {column.n}"))
        if l == L and column.n > 1 and column.more_y is None:  # each unit named by class
            for k, y in enumerate(column.ys):
                name = self._data.classes[k] if k < len(self._data.classes) else str(k)
                self._text(name, column.x + geo.HALF + 0.05, y, (0.0, 0.5))
        self._text(caption, column.x, column.bottom + 0.25, (0.5, 0.0))
        if 0 < l < L:
            self._fitted[-1] = (self.texts[-1], *self._fitted[-1])
        if column.more_y is not None:  # two side by side ran into each other: shorter then
            more = f"⋮ {column.hidden_count} more"
            self._text(more, column.x, column.more_y, (0.5, 0.5))
            self.mores.append(self.texts[-1])
            self._fitted.append((self.texts[-1], more, f"⋮ +{column.hidden_count}", "⋮"))
        if 0 < l < L:
            for anchor, text, step in (((1.15, 1.0), "−", -1), ((-0.15, 1.0), "+", +1)):
                tip = f"{'One more' if step > 0 else 'One fewer'} unit in layer {l}"
                button = _Button(text, tip, lambda l=l, step=step: self.change_units(l, step),
                                 anchor)
                button.setPos(column.x, column.top - 0.1)
                self.plot.addItem(button)
                self.buttons.append(button)

    def _text(self, text: str, x: float, y: float, anchor) -> None:
        item = pg.TextItem(text, anchor=anchor)
        item.setPos(x, y)
        self.plot.addItem(item)
        self.texts.append(item)

    def restyle(self, look: looks.Look) -> None:
        look.style_graphics(self.graphics)
        self._hint = "" if look.presentation else HOVER_HINT
        if self.hover.text() in ("", HOVER_HINT):
            self.hover.setText(self._hint)
        for (sign, s), item in self.links.items():
            item.setPen(look.pen(sign, LINK_WIDTHS[s], alpha=LINK_ALPHAS[s]))
        self.outlines.setPen(look.pen("axis", 1))
        self.marks.setPen(look.pen("background", 1.5))
        self.marks.setBrush(look.brush("text"))
        for item in self.texts:
            item.setColor(look.color("text"))
            item.setFont(look.font(looks.SMALL_PT))
        for item in self.mores:
            item.fill = look.brush("background", 220)
            item.update()
        for button in self.buttons:
            button.setColor(look.color("accent"))
            button.setFont(look.font(looks.TITLE_PT + 3, bold=True))
        self.layers_label.setFont(look.font(looks.LABEL_PT))
        if self._cols:
            self._fit_range()  # the texts' new font
        if self._frame is not None:
            self._show_snapshot_again()

    def _show_snapshot_again(self) -> None:
        frame = self._frame
        for l, (column, tile) in enumerate(zip(self._cols, self.tiles)):
            if not column.picture:
                self._show_tiles(l, column, tile, frame)

    def _fitting_gap(self) -> float:
        size = self.graphics.size()
        picture = self._data is not None and self._data.is_image
        return geo.column_gap(self._dims, size.width(), size.height(), picture)

    def resizeEvent(self, event) -> None:
        """A pane of another shape: the columns spread or close up to fill it."""
        super().resizeEvent(event)
        if self._cols:
            self._fit_range()
        if self._dims and abs(self._fitting_gap() - self._gap) > 0.1:
            frame = self._frame
            self.set_network(self._dims, self._data, self._activation, self._features,
                             self._output)
            if frame is not None:
                self.show_frame(frame)

    # --- hover ----------------------------------------------------------------------------
    def _on_mouse_moved(self, position) -> None:
        vb = self.plot.vb
        if not vb.sceneBoundingRect().contains(position):
            return
        point = vb.mapSceneToView(position)
        pixel = vb.viewPixelSize()[0]
        text = self.describe(point.x(), point.y(), tolerance=max(4 * pixel, 0.02))
        self.hover.setText(text or self._hint)

