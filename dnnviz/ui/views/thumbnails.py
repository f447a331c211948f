"""ThumbnailStrip: the first pictures of each split, with their label and the net's p(class).

Pixmaps and tiles are made once per data set (set_dataset); a snapshot only changes texts
and frames, so redrawing 120 thumbnails 30 times a second costs almost nothing.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPalette, QPen, QPixmap
from PyQt6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QStyleOptionTabWidgetFrame,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dnnviz.ui import look as looks

MAX_THUMBNAILS = 60  # per split: enough to browse, few enough to build in a blink
THUMB_PX = 72
TILE_W, TILE_H = THUMB_PX + 30, THUMB_PX + 48  # at the caption's own size (SMALL_FONT_PT)
CAPTION_TOP = THUMB_PX + 10  # the two caption lines start here
CAPTION_LINE_PX = 18
CAPTION_SAMPLE = "p(circle)=0.00"  # a long caption: tiles are this wide at least
SPLITS = ("test", "train")

STRIP_TIP = (
    "The pictures the network sees, with their true label and the probability the network "
    "gives them now.\nThe frame has the colour of the true class; a cross in the corner "
    "means the network gets this picture wrong (p > 0.5 says the second class). Click a "
    "picture to look inside the network while it reads it."
)


def to_pixmap(image: np.ndarray, size: int = THUMB_PX) -> QPixmap:
    """A (h, w, c) float picture in [0, 1] as a size x size pixmap (c = 1 grey, else RGB)."""
    pixels = np.ascontiguousarray(np.clip(image, 0.0, 1.0) * 255 + 0.5, dtype=np.uint8)
    h, w = pixels.shape[:2]
    if pixels.shape[2] >= 3:
        pixels = np.ascontiguousarray(pixels[..., :3])
        qimage = QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    else:
        pixels = np.ascontiguousarray(pixels[..., 0])
        qimage = QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation)


def pane_color(widget: QWidget) -> QColor:
    """The colour the style fills a tab widget's page with (Fusion: a shade of the button
    colour), where the strip lies: an opaque label on it looks see-through."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    option = QStyleOptionTabWidgetFrame()
    option.initFrom(widget)
    option.rect = QRect(0, 0, 16, 16)
    painter = QPainter(pixmap)
    widget.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameTabWidget, option, painter,
                                 widget)
    painter.end()
    return pixmap.toImage().pixelColor(8, 8)


def first_images(data, split: str, cap: int = MAX_THUMBNAILS) -> np.ndarray:
    """The first `cap` pictures of a split, (n, h, w, c), without copying the rest."""
    X = data.X_test if split == "test" else data.X_train
    n = min(cap, X.shape[1])
    return X[:, :n].T.reshape((n, *data.image_shape))


def tile_size(caption: QFontMetricsF | None = None, sample: str = CAPTION_SAMPLE) -> QSize:
    """A tile's size: the picture, then two caption lines in the caption's font (so that
    presentation mode's larger captions fit) as wide as sample (the data set's longest
    caption, say "p(squares)=0.00"), at least TILE_W x TILE_H."""
    if caption is None:
        return QSize(TILE_W, TILE_H)
    line = caption_line(caption)
    width = math.ceil(max(caption.horizontalAdvance(text)
                          for text in (sample, CAPTION_SAMPLE))) + 8
    return QSize(max(TILE_W, width), max(TILE_H, CAPTION_TOP + 2 * line + 2))


def caption_line(caption: QFontMetricsF) -> int:
    """Height of a caption line: 18 px at the caption's own size, more for larger text."""
    return max(CAPTION_LINE_PX, math.ceil(caption.height()))


class Thumbnail(QWidget):
    """One picture: its label, p(class 1), a frame of its true class's colour, a cross when
    the network gets it wrong, a highlight when selected.

    The caption is drawn in the look's small text (larger in presentation mode) and its text
    colour; the tile grows with the font.
    """

    sigClicked = pyqtSignal(str, int)  # split, index
    sigResized = pyqtSignal()  # a new caption font changed the tile's size

    def __init__(self, split: str, index: int, pixmap: QPixmap, label: str, parent=None,
                 label_value: int = 0, sample: str = CAPTION_SAMPLE):
        super().__init__(parent)
        self.split, self.index = split, index
        self.label = label
        self.sample = sample  # the widest caption of the data set: the tile's width
        self.label_value = label_value
        self.prob_text = ""
        self.wrong = False
        self.selected = False
        self._pixmap = pixmap
        self.setFont(looks.current().font(looks.SMALL_PT))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Every pixel painted here: a new caption repaints this tile alone. A see-through
        # tile had Qt repaint what lies beneath it, both tab widgets' frames up to the
        # window's (about 5 ms of the GUI thread per frame, measured in the cat run).
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_state(self, prob_text: str, wrong: bool) -> None:
        if (prob_text, wrong) != (self.prob_text, self.wrong):
            self.prob_text, self.wrong = prob_text, wrong
            self.update()

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self.sigClicked.emit(self.split, self.index)
        super().mousePressEvent(event)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_size()

    def _fit_size(self) -> None:
        size = tile_size(QFontMetricsF(self.font()), self.sample)
        if size != self.size() or self.minimumSize() != size:
            self.setFixedSize(size)
            self.sigResized.emit()

    def text_color(self) -> QColor:
        """The caption's colour: the look's text (its light-theme text on the selected
        tile's warm fill)."""
        look = looks.current()
        return look.color("selected") if self.selected else look.color("text")

    def paintEvent(self, event):
        look = looks.current()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w = self.width()
        p.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
        if self.selected:
            p.fillRect(self.rect(), look.color("selected_fill"))
            p.setPen(QPen(look.color("selected"), 3))
            p.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5))
        x = (w - self._pixmap.width()) // 2
        p.drawPixmap(x, 6, self._pixmap)
        frame = QRectF(x - 2, 4, self._pixmap.width() + 4, self._pixmap.height() + 4)
        p.setPen(QPen(look.class_color(self.label_value), 3))
        p.drawRect(frame)
        if self.wrong:
            self._draw_cross(p, look, frame)
        p.setFont(self.font())
        p.setPen(self.text_color())
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        line = caption_line(QFontMetricsF(self.font()))
        p.drawText(QRectF(0, CAPTION_TOP, w, line), flags, self.label)
        p.drawText(QRectF(0, CAPTION_TOP + line, w, line), flags, self.prob_text)
        p.end()

    @staticmethod
    def _draw_cross(p: QPainter, look, frame: QRectF) -> None:
        """A cross on a disc in the picture's corner: "wrong", whatever the class colours."""
        r = 11.0
        centre = frame.topRight() + QPointF(-r - 2, r + 2)
        p.setPen(QPen(look.color("background"), 2))
        p.setBrush(look.color("wrong"))
        p.drawEllipse(centre, r, r)
        p.setPen(QPen(look.color("background"), 3.5, cap=Qt.PenCapStyle.RoundCap))
        d = r * 0.45
        p.drawLine(centre + QPointF(-d, -d), centre + QPointF(d, d))
        p.drawLine(centre + QPointF(-d, d), centre + QPointF(d, -d))


class ThumbnailStrip(QWidget):
    """A scrollable row of thumbnails per split, on two tabs "Test" and "Train".

    A click selects a sample (sigSampleSelected) and highlights it.
    """

    name = "thumbnails"
    parts = frozenset({"probs"})

    sigSampleSelected = pyqtSignal(str, int)  # split ("train" or "test"), index

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setToolTip(STRIP_TIP)
        self._tiles: dict[str, list[Thumbnail]] = {s: [] for s in SPLITS}
        self._rows: dict[str, QHBoxLayout] = {}
        self._scrolls: dict[str, QScrollArea] = {}
        self._counts = {s: 0 for s in SPLITS}
        self._all_labels = {s: np.zeros(0, dtype=np.int64) for s in SPLITS}
        self._classes = ("class 0", "class 1")
        self._widest = CAPTION_SAMPLE  # the data set's longest caption: the tiles' width
        self.selected: tuple[str, int] = ("test", 0)
        self.tabs = QTabWidget()
        for split in SPLITS:
            self._add_row(split)
        # How many the network gets wrong, of the split in front. Beside the tabs, not in
        # their text: a tab's new text re-laid out and repainted the whole Pictures page at
        # almost every frame. Fixed in size and opaque, a new count repaints the label alone.
        self._wrong: dict[str, int | None] = {s: None for s in SPLITS}
        self.wrong_label = QLabel()
        self.wrong_label.setAutoFillBackground(True)  # opaque: nothing beneath repaints
        self.wrong_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tabs.setCornerWidget(self.wrong_label, Qt.Corner.TopRightCorner)
        self.tabs.currentChanged.connect(lambda _: self._show_wrong())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.restyle(looks.current())

    def restyle(self, look: looks.Look) -> None:
        """Tab text and captions in the look's sizes; tiles repaint in its colours."""
        self.tabs.tabBar().setFont(look.font(looks.LABEL_PT))
        self.wrong_label.setFont(look.font(looks.LABEL_PT))
        palette = self.wrong_label.palette()
        palette.setColor(QPalette.ColorRole.Window, pane_color(self))  # what it covers
        self.wrong_label.setPalette(palette)
        self._fit_wrong_label()
        for split in SPLITS:
            for tile in self._tiles[split]:
                tile.setFont(look.font(looks.SMALL_PT))  # -> the tile's size follows
                tile.update()

    def _add_row(self, split: str) -> None:
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setContentsMargins(2, 2, 2, 2)
        row.setSpacing(4)
        row.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs.addTab(scroll, split.capitalize())
        self._rows[split] = row
        self._scrolls[split] = scroll
        self._fit_height(TILE_H)

    def _fit_height(self, tile_h: int | None = None) -> None:
        """Rows as high as their tiles (larger in presentation mode) plus the scroll bar."""
        if tile_h is None:
            tiles = [t for s in SPLITS for t in self._tiles[s]]
            tile_h = max([t.height() for t in tiles], default=TILE_H)
        for scroll in self._scrolls.values():
            scroll.setMinimumHeight(tile_h + scroll.horizontalScrollBar().sizeHint().height() + 8)

    def _set_header(self, split: str, text: str) -> None:
        tab = SPLITS.index(split)
        if self.tabs.tabText(tab) != text:
            self.tabs.setTabText(tab, text)

    def _wrong_text(self, split: str, wrong: int) -> str:
        return f"{wrong:,} of {self._counts[split]:,} wrong"

    def _fit_wrong_label(self) -> None:
        """As wide as the longest count it can show, and never wider: no new layout."""
        metrics = self.wrong_label.fontMetrics()
        widest = max(metrics.horizontalAdvance(self._wrong_text(s, self._counts[s]))
                     for s in SPLITS)
        self.wrong_label.setFixedSize(widest + 12, self.tabs.tabBar().sizeHint().height() - 4)

    def _show_wrong(self) -> None:
        split = SPLITS[max(0, self.tabs.currentIndex())]
        wrong = self._wrong[split]
        text = "" if wrong is None else self._wrong_text(split, wrong)
        if self.wrong_label.text() != text:
            self.wrong_label.setText(text)

    def wrong_count(self, split: str) -> int | None:
        """How many of split the network got wrong at the last snapshot (None before)."""
        return self._wrong[split]

    def set_dataset(self, data) -> None:
        """New pictures: one tile per shown example, built here and only here."""
        self._classes = tuple(data.classes)
        self._widest = max((self._caption(1, 0.0), *self._classes), key=len)
        for split in SPLITS:
            for tile in self._tiles[split]:  # out of the row now: new tiles go first
                self._rows[split].removeWidget(tile)
                tile.hide()
                tile.deleteLater()
            labels = (data.Y_test if split == "test" else data.Y_train).ravel()
            self._counts[split] = labels.size
            self._all_labels[split] = self._label_values(labels)
            self._tiles[split] = [self._make_tile(split, i, img, labels[i])
                                  for i, img in enumerate(first_images(data, split))]
            self._set_header(split, self._header_text(split))
            self._wrong[split] = None
        self._fit_wrong_label()
        self._show_wrong()
        self.set_selected("test", 0)

    def _label_values(self, labels) -> np.ndarray:
        """The labels as ints: 0/1 as the lesson reads them (>= 0.5), or the K classes."""
        if len(self._classes) == 2:
            return (np.asarray(labels) >= 0.5).astype(np.int64)
        return np.rint(np.asarray(labels)).astype(np.int64)

    def _caption(self, label: int, p: float) -> str:
        """p(cat)=0.93 for two classes; 7: 0.93 (the predicted class and its p) for K."""
        if len(self._classes) == 2:
            return f"p({self._classes[1]})={p:.2f}"
        return f"{self._classes[label]}: {p:.2f}"

    def _make_tile(self, split: str, index: int, image: np.ndarray, label: float) -> Thumbnail:
        value = int(self._label_values([label])[0])
        tile = Thumbnail(split, index, to_pixmap(image), self._classes[value], label_value=value,
                         sample=self._widest)
        row = self._rows[split]
        row.insertWidget(row.count() - 1, tile)
        tile.sigClicked.connect(self._on_tile_clicked)
        tile.sigResized.connect(self._on_tile_resized)
        tile._fit_size()
        return tile

    def _on_tile_resized(self) -> None:
        self._fit_height(self.sender().height())

    def _header_text(self, split: str) -> str:
        shown, total = len(self._tiles[split]), self._counts[split]
        text = split.capitalize()
        return text + (f": first {shown} of {total}" if shown < total else f": all {total}")

    def thumbnail(self, split: str, index: int) -> Thumbnail:
        return self._tiles[split][index]

    def thumbnail_count(self, split: str) -> int:
        return len(self._tiles[split])

    def set_selected(self, split: str, index: int) -> None:
        """Highlight one sample (no signal); an index beyond the shown tiles is kept but unlit."""
        self.selected = (split, int(index))
        for s in SPLITS:
            for tile in self._tiles[s]:
                tile.set_selected(s == split and tile.index == index)

    def _on_tile_clicked(self, split: str, index: int) -> None:
        self.set_selected(split, index)
        self.sigSampleSelected.emit(split, index)

    def show_snapshot(self, snap) -> None:
        """Texts and frames from snap.train_probs / snap.test_probs (p of label 1, or (K, m)
        for K classes: the predicted class and its probability)."""
        for split in SPLITS:
            probs = snap.test_probs if split == "test" else snap.train_probs
            if probs is None or probs.shape[-1] != self._counts[split]:
                continue
            if probs.ndim == 1:
                guess, shown = (probs > 0.5).astype(np.int64), probs
            else:
                guess = np.argmax(probs, axis=0)
                shown = probs[guess, np.arange(probs.shape[1])]
            wrong = guess != self._all_labels[split]
            for tile in self._tiles[split]:
                i = tile.index
                label = 1 if probs.ndim == 1 else int(guess[i])
                tile.set_state(self._caption(label, float(shown[i])), bool(wrong[i]))
            self._wrong[split] = int(wrong.sum())
        self._show_wrong()
