"""PredictionsGallery: every test picture with what the network says about it, mistakes first.

Each tile shows the picture, "pred: cat 0.93" (the class the network picks, p > 0.5 meaning
class 1, and how sure it is of that class) and "true: non-cat". Misclassified pictures come
first, most confident mistakes leading, on a pink tile with a thick red frame and a "✗"; the
correct ones follow, most confident first. The grid reflows to the window's width.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QFont, QFontMetrics, QPainter, QPen, QPixmap
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dnnviz.ui import look as looks
from dnnviz.ui.dialogs import fit_dialog
from dnnviz.ui.teach.own_image import image_to_input
from dnnviz.ui.views.thumbnails import to_pixmap

__all__ = ["GalleryDialog", "PredictionTile", "PredictionsGallery", "header_text",
           "image_to_input", "prediction_order"]

THUMB_PX = 128  # twice the course's 64 pixels: big enough for the back of a lecture hall
CAPTION_PT = 12
HEADER_PT = 15
LINE_H = 24
TILE_W, TILE_H = THUMB_PX + 64, THUMB_PX + 20 + 2 * LINE_H
SPACING = 8
MAX_TILES = 400  # more widgets than this make the dialog slow to open; mistakes always fit first
WRONG_MARK = "✗"


def predictions(labels, probs):
    """(true (m,), picked (m,), confidence (m,)) as ints, ints and floats. labels: (m,) true
    labels; probs: (m,) p(class 1), a prediction of class 1 when p > 0.5; or (K, m) for K
    classes, the likeliest picked."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim == 2 and probs.shape[0] > 1:
        picked = np.argmax(probs, axis=0)
        true = np.rint(np.ravel(labels)).astype(np.int64)
        return true, picked, probs[picked, np.arange(probs.shape[1])]
    probs = probs.ravel()
    true = (np.ravel(labels) >= 0.5).astype(np.int64)
    return true, (probs > 0.5).astype(np.int64), np.maximum(probs, 1.0 - probs)


def prediction_order(labels: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Indices: mistakes first, then correct ones; each group most confident first (stable).

    labels: (m,) true 0/1; probs: (m,) p(class 1). A prediction is class 1 when p > 0.5.
    (K classes: labels 0..K-1 and probs (K, m).)
    """
    true, picked, confidence = predictions(labels, probs)
    wrong = picked != true
    # lexsort sorts by the last key first: wrong before right, then confidence descending
    return np.lexsort((np.arange(true.size), -confidence, ~wrong))


def header_text(n_right: int, n_total: int, shown: int | None = None) -> str:
    """"41 of 50 right (82%) — 9 mistakes shown first"."""
    wrong = n_total - n_right
    pct = 100.0 * n_right / n_total if n_total else 0.0
    text = f"{n_right} of {n_total} right ({pct:.0f}%) — "
    if wrong == 0:
        text += "no mistakes"
    else:
        text += f"{wrong} mistake{'s' if wrong != 1 else ''} shown first"
    if shown is not None and shown < n_total:
        text += f" (first {shown} pictures shown)"
    return text


def _as_images(images: np.ndarray) -> np.ndarray:
    """(m, h, w) or (m, h, w, c), uint8 or floats in [0, 1] -> (m, h, w, c) floats."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4:
        raise ValueError(f"images should be (m, height, width, channels), not {images.shape}")
    return images / 255.0 if images.dtype == np.uint8 else images


class PredictionTile(QWidget):
    """One picture with its predicted and true class; a frame of the true class's colour,
    and a ✗ in the corner when the prediction is wrong."""

    sigClicked = pyqtSignal(int)  # index of the picture in the arrays given to the gallery

    def __init__(self, index: int, pixmap: QPixmap, pred_text: str, true_text: str,
                 wrong: bool, p: float, parent=None, true_label: int = 0,
                 class_probs=None):
        super().__init__(parent)
        self.index, self.wrong, self.p = index, wrong, p
        self.class_probs = None if class_probs is None else np.asarray(class_probs, float)
        self.true_label = true_label
        self.pred_text, self.true_text = pred_text, true_text
        self._pixmap = pixmap
        self.setFixedSize(TILE_W, TILE_H)
        self.setToolTip(f"picture {index}: {self.text()}")
        self.setAccessibleName(self.text())

    def text(self) -> str:
        """"✗ pred: cat 0.93 / true: non-cat" (no ✗ when right)."""
        mark = f"{WRONG_MARK} " if self.wrong else ""
        return f"{mark}{self.pred_text} / {self.true_text}"

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self.sigClicked.emit(self.index)
        super().mousePressEvent(event)

    def paintEvent(self, event):
        look = looks.current()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), look.color("base"))
        x = (TILE_W - self._pixmap.width()) // 2
        p.drawPixmap(x, 8, self._pixmap)
        width = 4  # a frame of the true class's colour
        p.setPen(QPen(look.class_color(int(self.true_label)), width))
        pad = 2 + width / 2
        p.drawRect(QRectF(x - pad, 8 - pad, self._pixmap.width() + 2 * pad,
                          self._pixmap.height() + 2 * pad))
        if self.wrong:
            self._draw_mark(p, x + self._pixmap.width(), look)
        if self.class_probs is not None:
            self._draw_bars(p, x - pad - 4, 8, self._pixmap.height(), look)
        self._draw_captions(p, 8 + self._pixmap.height() + 8, look)
        p.end()

    def _draw_bars(self, p: QPainter, right: float, top: float, height: float, look) -> None:
        """K classes: one bar a class, top to bottom, as long as its probability (to the
        left of the picture, growing leftwards), in the class's colour."""
        k = len(self.class_probs)
        room, step = right - 4, height / k
        p.setPen(Qt.PenStyle.NoPen)
        for c, prob in enumerate(self.class_probs):
            p.setBrush(look.class_color(c))
            length = max(1.0, float(prob) * room)
            p.drawRect(QRectF(right - length, top + c * step + 1, length, max(1.0, step - 2)))

    def _draw_mark(self, p: QPainter, right: int, look) -> None:
        """A ✗ on a disc over the picture's top-right corner: "wrong", in no class colour."""
        disc = QRectF(right - 30, 2, 34, 34)
        p.setPen(QPen(look.color("base"), 2))
        p.setBrush(look.color("wrong"))
        p.drawEllipse(disc)
        p.setPen(look.color("base"))
        font = QFont(p.font())
        font.setPointSize(16)
        font.setBold(True)
        p.setFont(font)
        p.drawText(disc, Qt.AlignmentFlag.AlignCenter, WRONG_MARK)

    def _draw_captions(self, p: QPainter, top: int, look) -> None:
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
        for line, (text, bold) in enumerate(((self.pred_text, True), (self.true_text, False))):
            font = QFont(p.font())
            font.setPointSize(CAPTION_PT)
            font.setBold(bold)
            p.setFont(font)
            p.setPen(look.color("text"))
            shown = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, TILE_W - 6)
            p.drawText(QRectF(0, top + line * LINE_H, TILE_W, LINE_H), flags, shown)


class PredictionsGallery(QWidget):
    """A header ("41 of 50 right (82%) — 9 mistakes shown first") over a scrollable grid.

    Fill it with show_predictions(images, labels, probs, class_names); order() is the
    shown order as indices into those arrays, tiles() the tiles in that order. A click on
    a tile emits sigPictureClicked(index).
    """

    sigPictureClicked = pyqtSignal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._tiles: list[PredictionTile] = []
        self._order = np.zeros(0, dtype=np.int64)
        self._columns = 0
        self.header = QLabel("No predictions yet: train the network first.")
        self.header.setWordWrap(True)
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setSpacing(SPACING)
        self._grid.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self._inner)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.scroll, 1)
        self.restyle(looks.current())

    def restyle(self, look: looks.Look) -> None:
        """The header in the look's size; behind the tiles the plots' own ground (white
        on the light theme, dark on the dark one)."""
        self.header.setFont(look.font(HEADER_PT, bold=True))
        self._inner.setStyleSheet(f"background: {look.hex('background')};")
        for tile in self._tiles:
            tile.update()

    def show_predictions(self, images, labels, probs, class_names) -> None:
        """images (m, h, w[, c]) uint8 or floats in [0, 1]; labels (m,) 0/1 (or (1, m));
        probs (m,) p(class 1); class_names the names of class 0 and class 1."""
        images = _as_images(images)
        labels, probs = np.ravel(labels), np.asarray(probs, dtype=np.float64)
        many = probs.ndim == 2 and probs.shape[0] > 1  # K classes: (K, m)
        count = probs.shape[1] if many else probs.size
        if not len(images) == labels.size == count:
            raise ValueError(f"{len(images)} images, {labels.size} labels and {count} "
                             "probabilities: the counts must match")
        names = tuple(str(n) for n in class_names)
        self._clear()
        true, picked, confidence = predictions(labels, probs)
        order = prediction_order(labels, probs)
        self._order = order[:MAX_TILES]
        for i in self._order:
            tile = PredictionTile(int(i), to_pixmap(images[i], THUMB_PX),
                                  f"pred: {names[picked[i]]} {confidence[i]:.2f}",
                                  f"true: {names[true[i]]}", bool(picked[i] != true[i]),
                                  float(confidence[i] if many else probs.ravel()[i]),
                                  true_label=int(true[i]),
                                  class_probs=probs[:, i] if many else None)
            tile.sigClicked.connect(self.sigPictureClicked)
            self._tiles.append(tile)
        n_right = int(np.sum(picked == true))
        self.header.setText(header_text(n_right, labels.size, len(self._tiles)))
        self._columns = 0
        self._relayout()

    def show_dataset(self, data, probs, split: str = "test") -> None:
        """The pictures of one split of an image Dataset with p(class 1) per picture."""
        labels = data.Y_test if split == "test" else data.Y_train
        self.show_predictions(data.images(split), labels, probs, data.classes)

    def order(self) -> list[int]:
        """The indices of the shown pictures, in the order shown."""
        return [int(i) for i in self._order]

    def tiles(self) -> list[PredictionTile]:
        return list(self._tiles)

    def header_text(self) -> str:
        return self.header.text()

    def _clear(self) -> None:
        for tile in self._tiles:
            self._grid.removeWidget(tile)
            tile.setParent(None)
            tile.deleteLater()
        self._tiles = []

    def _relayout(self) -> None:
        """Put the tiles in as many columns as the visible width holds."""
        # the vertical scroll bar's room is always kept, so its coming never clips a column
        scroll = self.scroll
        width = (scroll.width() - 2 * scroll.frameWidth()
                 - scroll.verticalScrollBar().sizeHint().width() - 2 * SPACING)
        columns = max(1, (width + SPACING) // (TILE_W + SPACING))
        if columns == self._columns:
            return
        self._columns = columns
        for k, tile in enumerate(self._tiles):
            self._grid.addWidget(tile, k // columns, k % columns)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._relayout()

    def showEvent(self, event):
        super().showEvent(event)
        self._relayout()


class GalleryDialog(QDialog):
    """A PredictionsGallery in its own window, with a Close button; `gallery` is the widget."""

    def __init__(self, parent=None, title: str = "Test pictures: what the network says"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.gallery = PredictionsGallery()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.gallery, 1)
        layout.addWidget(buttons)
        fit_dialog(self, 5 * (TILE_W + SPACING) + 100, 3 * (TILE_H + SPACING) + 120)

    def show_predictions(self, images, labels, probs, class_names) -> None:
        self.gallery.show_predictions(images, labels, probs, class_names)

    def show_dataset(self, data, probs, split: str = "test") -> None:
        self.gallery.show_dataset(data, probs, split)
