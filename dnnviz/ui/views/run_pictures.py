"""Small pictures of a run's final look, for the compared runs: its decision boundary and
its weight histograms, drawn from a RunPictures (training/snapshot.py) in the current look;
RunCards shows one card per run (the pictures side by side, its name under them).
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, QSize, Qt
from PyQt6.QtGui import QIcon, QImage, QPainter, QPainterPath, QPixmap
from PyQt6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from dnnviz.ui import look as looks
from dnnviz.ui.views.pictures import class_regions

PICTURE_PX = 72  # the height of every picture (and the boundary's width)
LAYER_PX = 30  # the width of one layer's histogram
GAP_PX = 4
CARD_GAP_PX = 8  # between the boundary and the histograms
CARDS_TIP = ("Each run as it ended: its decision boundary (2-D data) and the weights of "
             "each layer, W1 on the left (a histogram, or a tick per weight of a small layer)")
TINT = 0.8  # the boundary's class colours, a little toward the background
CARD_NAME_EMS = 12  # a card's name wraps at this many widths of "M", at least
CARD_NAME_LINES = 3  # and takes at most this many lines


def boundary_pixmap(probs: np.ndarray, look: looks.Look, size: int = PICTURE_PX) -> QPixmap:
    """p(class 1) over the plane (rows along y) in the class colours, y up, framed (an
    undecided network, p = 0.5 everywhere, is the background colour: the frame shows it)."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim == 3:  # K classes: (K, ny, nx), each point in its likeliest class's colour
        rgb = class_regions(np.nan_to_num(probs[:, ::-1], nan=0.0), look, TINT)
        rgba = np.ascontiguousarray(np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]))
    else:
        values = np.nan_to_num(probs[::-1], nan=0.5)
        rgba = np.ascontiguousarray(look.class_colormap(TINT).map(values, mode="byte"))
    h, w = rgba.shape[:2]
    image = QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
    pixmap = QPixmap.fromImage(image).scaled(size, size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)
    painter = QPainter(pixmap)
    painter.setPen(look.pen("axis", 1))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return pixmap


def histograms_pixmap(hists, look: looks.Look, height: int = PICTURE_PX) -> QPixmap:
    """Each layer's weights side by side: a filled histogram, or a tick per value of a small
    layer, each on its own x range, over a baseline."""
    count = max(len(hists), 1)
    pixmap = QPixmap(count * LAYER_PX + (count - 1) * GAP_PX, height)
    pixmap.fill(look.color("background"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for i, hist in enumerate(hists):
        box = QRectF(i * (LAYER_PX + GAP_PX), 2, LAYER_PX, height - 4)
        _draw_layer(painter, box, hist, look)
    painter.end()
    return pixmap


def _draw_layer(painter: QPainter, box: QRectF, hist, look: looks.Look) -> None:
    painter.setPen(look.pen("axis", 1))
    painter.drawLine(QPointF(box.left(), box.bottom()), QPointF(box.right(), box.bottom()))
    if hist.values is not None:
        values = np.asarray(hist.values, dtype=np.float64)
        values = values[np.isfinite(values)]
        if values.size == 0:
            return
        low, high = float(values.min()), float(values.max())
        span = high - low or 1.0
        painter.setPen(look.pen("hist", 1.5))
        for v in values:
            x = box.left() + 2 + (box.width() - 4) * (v - low) / span
            painter.drawLine(QPointF(x, box.bottom()), QPointF(x, box.top() + box.height() / 3))
        return
    counts = np.nan_to_num(np.asarray(hist.counts, dtype=np.float64))
    peak = counts.max(initial=0.0)
    if peak <= 0:
        return
    path = QPainterPath(QPointF(box.left(), box.bottom()))
    width = box.width() / len(counts)
    for k, c in enumerate(counts):
        top = box.bottom() - box.height() * c / peak
        path.lineTo(box.left() + k * width, top)
        path.lineTo(box.left() + (k + 1) * width, top)
    path.lineTo(box.right(), box.bottom())
    path.closeSubpath()
    painter.setPen(look.pen("hist", 1))
    painter.setBrush(look.brush("hist", looks.HIST_FILL_ALPHA))
    painter.drawPath(path)


def run_pixmap(pictures, look: looks.Look) -> QPixmap:
    """A run's boundary (if any) and histograms side by side, on the background."""
    parts = [histograms_pixmap(pictures.hists, look)]
    if pictures.boundary is not None:
        parts.insert(0, boundary_pixmap(pictures.boundary, look))
    width = sum(p.width() for p in parts) + CARD_GAP_PX * (len(parts) - 1)
    pixmap = QPixmap(width, PICTURE_PX)
    pixmap.fill(look.color("background"))
    painter = QPainter(pixmap)
    x = 0
    for part in parts:
        painter.drawPixmap(x, 0, part)
        x += part.width() + CARD_GAP_PX
    painter.end()
    return pixmap


class RunCards(QListWidget):
    """One card per run, kept runs first and the current run last: its pictures above its
    name. Cards flow into as many columns as fit."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setSpacing(6)
        self.setToolTip(CARDS_TIP)
        self._records: list = []
        self._current = None
        self._current_key = None

    def set_runs(self, records, current=None) -> None:
        self._records, self._current, self._current_key = list(records), None, None
        self.clear()
        for record in self._records:
            self.addItem(self._card(record, current=False))
        self.set_current(current)
        self._fit_icons()  # (also in a new font: presentation mode)

    def set_current(self, record) -> None:
        """The current run's card, last; made again only when its name or pictures change."""
        key = None if record is None else (record.label, id(record.pictures))
        if key == self._current_key:
            self._current = record
            return
        if self._current_key is not None:
            self.takeItem(self.count() - 1)
        self._current, self._current_key = record, key
        if record is not None:
            self.addItem(self._card(record, current=True))
        self._fit_icons()

    def shows(self, i: int) -> tuple[bool, bool]:
        """(boundary, weights) drawn on card i."""
        records = self._records + ([self._current] if self._current is not None else [])
        pictures = records[i].pictures
        has = pictures is not None and not self.item(i).icon().isNull()
        return has and pictures.boundary is not None, has

    def restyle(self, look: looks.Look) -> None:
        self.set_runs(self._records, self._current)

    def _card(self, record, current: bool) -> QListWidgetItem:
        item = QListWidgetItem(record.label + ("  (this run)" if current else ""))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        item.setToolTip(record.describe())
        if record.pictures is not None:
            item.setIcon(QIcon(run_pixmap(record.pictures, looks.current())))
        return item

    def _fit_icons(self) -> None:
        widths = [self.item(i).icon().availableSizes()[0].width() for i in range(self.count())
                  if not self.item(i).icon().isNull()]
        icon = max(widths, default=PICTURE_PX)
        self.setIconSize(QSize(icon, PICTURE_PX))
        # every card as wide as a name's few words, whatever its pictures' width: a
        # picture run's narrow histograms wrapped "2-layer: 12288 → 7 → 1" a word a line
        metrics = self.fontMetrics()
        width = max(icon, metrics.horizontalAdvance("M" * CARD_NAME_EMS)) + 12
        self.setGridSize(QSize(width, PICTURE_PX + CARD_NAME_LINES * metrics.lineSpacing()
                               + 16))
