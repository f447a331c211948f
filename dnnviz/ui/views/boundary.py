"""BoundaryView: for 2-D data, the decision boundary and what each hidden unit does on the plane.

The plane: p(class 1) as a tint of class 0's colour -> white at 0.5 -> a tint of class 1's,
the p = 0.5 line, and the train (circles) and test (triangles) points in their class colour.
Beside it (or below, in a tall pane): one small map per hidden unit, a row per layer.
Items are made in set_dataset; a snapshot only calls setImage / setData.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QEvent, QRectF, QTimer
from PyQt6.QtWidgets import QBoxLayout, QWidget

from dnnviz.ui import style
from dnnviz.ui.views.pictures import (
    finite_peak,
    image_plot,
    label_font,
    mosaic,
    new_image,
    refit_view,
    set_scale,
    text_width,
)

LEGEND_COLUMNS = (4, 2, 1)  # the most that fit the plane's width (presentation: fewer)
MAX_UNIT_MAPS = 16  # per layer; more would be too small to read
ROW_TITLE_PX, COLOR_BAR_PX = 30, 70  # room the unit maps cannot use
UNIT_STEP = 1  # the snapshot's unit maps already hold every 2nd grid point (summaries.py)
UNIT_GAP = 6  # pixels between two unit maps

BOUNDARY_TIP = (
    "The decision boundary: the colour is the probability the network gives class 1 at each "
    "point of the plane (white = 0.5: undecided).\nThe black line is where p = 0.5. Circles "
    "are training points, triangles test points, coloured by their true class."
)
UNITS_TIP = (
    "Each small map is one hidden unit: how strongly it fires (bright) at each point of "
    "the plane.\nLayer 1 units can only draw straight edges; deeper layers combine them "
    "into curves."
)


def class_colors(classes) -> tuple[str, str]:
    """The two point colours: the classes' own when both are named after distinct colours."""
    named = tuple(style.NAMED_CLASS_COLORS.get(str(c).strip().lower()) for c in classes)
    return named if None not in named and named[0] != named[1] else tuple(style.CLASS_COLORS)


def region_colormap(colors) -> pg.ColorMap:
    """p = 0: a tint of class 0's colour, 0.5: white, 1: a tint of class 1's colour."""
    def tint(color):
        rgb = np.array(pg.mkColor(color).getRgb()[:3], dtype=float)
        return tuple(int(v) for v in 255 + style.REGION_TINT * (rgb - 255))
    return pg.ColorMap([0.0, 0.5, 1.0], [tint(colors[0]), (255, 255, 255), tint(colors[1])])


def best_columns(counts, width: float, height: float) -> int:
    """Columns for the unit mosaics (counts: maps per layer) that make each map largest.

    Every layer's mosaic gets height in proportion to its rows of maps, so all maps match.
    """
    usable_w = width - COLOR_BAR_PX
    usable_h = height - ROW_TITLE_PX * len(counts)

    def side(c: int) -> float:
        return min(usable_w / c, usable_h / max(1, sum(math.ceil(n / c) for n in counts)))
    return max(range(1, max(counts, default=1) + 1), key=lambda c: (side(c), -c))


def legend_width(legend: pg.LegendItem, columns: int) -> float:
    """Width a legend needs laid out in `columns` columns."""
    spacing = legend.layout.horizontalSpacing()
    entries = [sample.width() + label.item.boundingRect().width() + 2 * spacing + 6
               for sample, label in legend.items]
    return sum(max(entries[j::columns], default=0.0) for j in range(columns)) + 12


def cell_rect(extent, size: int) -> QRectF:
    """The rect of a size x size image whose pixel centres sit on linspace(extent) samples."""
    xmin, xmax, ymin, ymax = extent
    dx, dy = (xmax - xmin) / (size - 1), (ymax - ymin) / (size - 1)
    return QRectF(xmin - dx / 2, ymin - dy / 2, xmax - xmin + dx, ymax - ymin + dy)


class _UnitRow:
    """One hidden layer: a title and a mosaic of its first units' maps, with a colour bar."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, l: int, n: int):
        shown = min(n, MAX_UNIT_MAPS)
        title = f"layer {l} (ReLU): {n} units" if shown == n else \
            f"layer {l} (ReLU): first {shown} of {n} units"
        layout.addLabel(title, row=2 * row, col=0, colspan=2, size=style.TITLE_SIZE)
        self.shown = shown
        self.peak = None
        self.plot = image_plot()
        self.img = new_image()
        self.plot.addItem(self.img)
        layout.addItem(self.plot, row=2 * row + 1, col=0)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=style.colormap(style.SEQUENTIAL),
                                   interactive=False, width=12, colorMapMenu=False)
        self.bar.setImageItem(self.img)
        layout.addItem(self.bar, row=2 * row + 1, col=1)

    def show(self, maps: np.ndarray, cols: int) -> None:
        # flipped: y up
        units = maps[: self.shown, ::-UNIT_STEP, ::UNIT_STEP, None]
        # always `cols` wide (NaN is transparent), so maps are the same size in every row
        tiles = mosaic(units, cols, UNIT_GAP, fill=np.nan)[..., 0]
        self.img.setImage(tiles, autoLevels=False)
        peak = finite_peak(maps[: self.shown])
        if peak != self.peak:
            self.peak = peak
            set_scale(self.bar, peak)


class BoundaryView(QWidget):
    """The decision boundary over the plane, plus every hidden unit's map."""

    name = "boundary"
    parts = frozenset({"plane"})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setToolTip(BOUNDARY_TIP)
        self._plane = pg.GraphicsLayoutWidget()
        self._plane.setToolTip(BOUNDARY_TIP)
        self._units = pg.GraphicsLayoutWidget()
        self._units.setToolTip(UNITS_TIP)
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addWidget(self._plane, 3)
        self._box.addWidget(self._units, 2)
        self._extent = None
        self._snap = None
        self._titles = ("Decision boundary",)  # widest first: the first that fits shows
        self._cols: int | None = None
        self._layer_dims: tuple[int, ...] = ()
        self._rows: list[_UnitRow] = []
        self._build_plane()

    @property
    def unit_rows(self) -> list[_UnitRow]:
        return list(self._rows)

    def _build_plane(self) -> None:
        self.plot = self._plane.addPlot(row=0, col=0)
        style.style_plot(self.plot, title="Decision boundary", left="x₂", bottom="x₁")
        self.image = new_image()
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=region_colormap(style.CLASS_COLORS),
                                   interactive=False, colorMapMenu=False)
        self.bar.setImageItem(self.image, insert_in=self.plot)
        self.contour = pg.PlotDataItem(pen=pg.mkPen("k", width=3), connect="pairs")
        self.plot.addItem(self.contour)
        self.train_points = pg.ScatterPlotItem(symbol="o", size=10, pen=pg.mkPen("w", width=1))
        self.test_points = pg.ScatterPlotItem(symbol="t", size=13, pen=pg.mkPen("k", width=1.5))
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.test_points)
        self.legend = pg.LegendItem(colCount=4, labelTextSize=style.LEGEND_SIZE)
        self._plane.addItem(self.legend, row=1, col=0)  # below the plot: never hides a point

    def set_dataset(self, data, layer_dims) -> None:
        """A new session: the points (set once) and one row of unit maps per hidden layer."""
        palette = class_colors(data.classes)
        colors = [pg.mkBrush(c) for c in palette]
        for item, X, Y in ((self.train_points, data.X_train, data.Y_train),
                           (self.test_points, data.X_test, data.Y_test)):
            brushes = [colors[int(y >= 0.5)] for y in Y.ravel()]
            item.setData(x=np.asarray(X[0], float), y=np.asarray(X[1], float), brush=brushes)
        self._fill_legend(data.classes, palette)
        self.bar.setColorMap(region_colormap(palette))
        self.bar.axis.setLabel(f"p({data.classes[1]})")
        self._titles = (f"Decision boundary: p({data.classes[1]}) over the plane",
                        "Decision boundary")
        self.plot.setTitle(self._titles[0], size=style.TITLE_SIZE)
        self.contour.setData([], [])
        self._extent = self._snap = None
        self._layer_dims = tuple(layer_dims)
        self._build_units(self._layer_dims)
        self._fit_layout()

    def _fill_legend(self, classes, palette) -> None:
        self.legend.clear()
        for split, symbol, pen, size in (("train", "o", "w", 10), ("test", "t", "k", 13)):
            for name, color in zip(classes, palette):
                sample = pg.ScatterPlotItem(symbol=symbol, size=size, pen=pg.mkPen(pen),
                                            brush=pg.mkBrush(color))
                self.legend.addItem(sample, f"{name} ({split})")

    def _build_units(self, layer_dims) -> None:
        self._units.clear()
        self._cols = None  # new rows: _fit_layout picks columns and row heights afresh
        layout = self._units.ci
        self._rows = [_UnitRow(layout, l - 1, l, layer_dims[l])
                      for l in range(1, len(layer_dims) - 1)]
        if not self._rows:
            layout.addLabel("no hidden layers: the output is one straight-line boundary",
                            size=style.TITLE_SIZE)

    def show_snapshot(self, snap) -> None:
        """setImage / setData only; a snapshot without the plane views is ignored."""
        if snap.grid_probs is None or tuple(snap.layer_dims) != self._layer_dims:
            return  # no plane views, or a late snapshot of the previous network
        probs = snap.grid_probs
        self.image.setImage(probs, autoLevels=False)
        if tuple(snap.grid_extent) != self._extent:  # after setImage: setRect needs a size
            self._place(tuple(snap.grid_extent), probs.shape[0])
        self.contour.setData(*snap.contour)
        for row, maps in zip(self._rows, snap.grid_units):
            row.show(maps, self._cols)
        self._snap = snap

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_layout()

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # presentation mode: the theme rescales the legend's text right after the font
            QTimer.singleShot(0, self._fit_layout)

    def _fit_legend(self, width: float) -> None:
        """As many legend columns as fit: a legend wider than the plane would widen the
        whole view and push the colour bar's labels out of sight."""
        fitting = [n for n in LEGEND_COLUMNS if legend_width(self.legend, n) <= width]
        columns = fitting[0] if fitting else 1
        if self.legend.columnCount != columns:
            self.legend.setColumnCount(columns)
            refit_view(self._plane)

    def _fit_layout(self) -> None:
        """Side by side when wide, stacked when tall; unit maps in as many columns as fit."""
        w, h = self.width(), self.height()
        wide = w >= 1.25 * h
        self._box.setDirection(QBoxLayout.Direction.LeftToRight if wide
                               else QBoxLayout.Direction.TopToBottom)
        units = 2 if wide else 3  # share of 5 (wide) or 7 (tall): stacked maps need height
        self._box.setStretch(0, 3 if wide else 4)
        self._box.setStretch(1, units)
        plane_w = (w * 3 / 5 if wide else w) - 8
        self._fit_legend(plane_w)
        self._fit_title(plane_w)
        self._relayout_units(*((w * units / 5, h) if wide else (w, h * units / 7)))

    def _fit_title(self, width: float) -> None:
        """The long title when it fits above the plot (beside the axis and colour bar),
        else the short one: a title wider than the plot would push the colour bar out."""
        font = label_font(self.plot.titleLabel)
        room = width - self.plot.getAxis("left").width() - COLOR_BAR_PX - 20
        fitting = [t for t in self._titles if text_width(t, font) <= room]
        title = fitting[0] if fitting else self._titles[-1]
        if self.plot.titleLabel.text != title:
            self.plot.setTitle(title, size=style.TITLE_SIZE)
            refit_view(self._plane)

    def _relayout_units(self, width: float, height: float) -> None:
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
        self._xs, self._ys = np.linspace(xmin, xmax, size), np.linspace(ymin, ymax, size)
        self.image.setRect(cell_rect(extent, size))
        self.plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)
