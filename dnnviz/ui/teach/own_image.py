"""Classify your own picture: read a PNG/JPEG with Qt, make it the network's kind of input.

The picture is centre-cropped to the data's aspect ratio (square for the course's 64x64
images) and then scaled down smoothly, so a cat in the middle of a wide photo stays a cat
instead of being squashed. Transparent pixels are laid on white. The pixels are then
flattened exactly as the course flattens its h5 pictures, `x.reshape(m, -1).T / 255`
(row by row, each pixel's R, G, B together), so the network sees the same kind of column.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PyQt6.QtCore import QRect, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QImage, QPainter
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnnviz.data import DataError
from dnnviz.ui import look as looks
from dnnviz.ui.picture_file import read_picture
from dnnviz.ui.views.thumbnails import to_pixmap

IMAGE_FILTER = "Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;All files (*)"
VIEW_PX = 256  # the network's 64x64 picture, shown 4x with its pixels visible
RESULT_FONT_PT = 22
NOTE_FONT_PT = 12
TEXT_MIN_PX = 460  # room for "p(cat) = 0.87 → non-cat" on one line at RESULT_FONT_PT


class ImageReadError(ValueError):
    """A picture could not be read; the message is one line that names the file."""


class Classification(NamedTuple):
    p: float  # the network's p(class 1); with K classes, p of the class it picks
    label_text: str  # "p(cat) = 0.87 → cat"; K classes: "7 (p = 0.93)"
    image: np.ndarray  # (h, w, c) float64 in [0, 1]: the picture exactly as the network sees it
    label: int = -1  # the class it picks (-1: p > 0.5 says it)

    @property
    def picked(self) -> int:
        return self.label if self.label >= 0 else int(self.p > 0.5)


def read_image(source: str | os.PathLike | QImage) -> QImage:
    """A QImage from a file (turned upright by its EXIF orientation) or the QImage itself."""
    if isinstance(source, QImage):
        if source.isNull():
            raise ImageReadError("the picture is empty (a null QImage)")
        return source
    return read_picture(source, ImageReadError)  # no pipes, any file name, Qt kept quiet


def centre_crop(image: QImage, height: int, width: int) -> QImage:
    """The largest centred part of `image` with the aspect ratio width : height."""
    w, h = image.width(), image.height()
    if w * height > h * width:  # too wide: cut the sides
        cw, ch = max(1, round(h * width / height)), h
    else:  # too tall: cut top and bottom
        cw, ch = w, max(1, round(w * height / width))
    return image.copy(QRect((w - cw) // 2, (h - ch) // 2, cw, ch))


def _on_white(image: QImage) -> QImage:
    """An opaque copy: transparent parts become white, as they look in a viewer."""
    if not image.hasAlphaChannel():
        return image
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(QColor("white"))
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat


def _pixels(image: QImage, channels: int) -> np.ndarray:
    """(h, w, channels) uint8 of an RGB888 or Grayscale8 image, row padding removed."""
    h, w, bpl = image.height(), image.width(), image.bytesPerLine()
    bits = image.constBits()
    bits.setsize(image.sizeInBytes())
    rows = np.frombuffer(bits, dtype=np.uint8).reshape(h, bpl)
    return rows[:, : w * channels].reshape(h, w, channels).copy()


def image_to_pixels(source: str | os.PathLike | QImage,
                    image_shape: tuple[int, int, int]) -> np.ndarray:
    """The picture as the network's pixels: (h, w, c) uint8 for image_shape (h, w, c).

    c = 3 gives RGB, c = 1 grey. Centre-crop to the shape's aspect ratio, then a smooth scale.
    Raises ImageReadError (a ValueError) with a one-line message naming the file.
    """
    h, w, c = (int(n) for n in image_shape)
    if c not in (1, 3) or h < 1 or w < 1:
        raise ImageReadError(f"cannot make a picture of shape {tuple(image_shape)}; "
                             "expected (height, width, 1 or 3)")
    image = _on_white(read_image(source))
    image = centre_crop(image, h, w).scaled(
        w, h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    fmt = QImage.Format.Format_RGB888 if c == 3 else QImage.Format.Format_Grayscale8
    return _pixels(image.convertToFormat(fmt), c)


def pixels_to_input(pixels: np.ndarray) -> np.ndarray:
    """(h, w, c) uint8 pixels -> (h*w*c, 1) float64: the course's `x.reshape(m, -1).T / 255`."""
    return pixels[np.newaxis].reshape(1, -1).T / 255


def image_to_input(source: str | os.PathLike | QImage,
                   image_shape: tuple[int, int, int]) -> np.ndarray:
    """A picture file (PNG, JPEG, ...) or QImage as one input column (n_x, 1) in [0, 1]."""
    return pixels_to_input(image_to_pixels(source, image_shape))


def picture_input(data, n_inputs: int, source: str | os.PathLike | QImage):
    """(pixels, x): a picture prepared like `data`'s pictures, for a network of n_inputs
    inputs. Raises ImageReadError for a bad file, DataError if `data` holds no images."""
    if data.image_shape is None:
        raise DataError(f"data set {data.name!r} holds points, not pictures; "
                        "train on a picture set to classify a picture")
    if n_inputs != data.n_x:
        raise DataError(f"the network takes {n_inputs} inputs but the pictures of "
                        f"{data.name!r} have {data.n_x}")
    pixels = image_to_pixels(source, data.image_shape)
    return pixels, pixels_to_input(pixels)


def classification(out, data, pixels, x) -> Classification:
    """The network's output `out` for the picture (pixels, x) as a Classification."""
    out = np.asarray(out).ravel()
    if out.size > 1:  # K classes: the likeliest
        k = int(np.argmax(out))
        return Classification(float(out[k]), f"{data.classes[k]} (p = {out[k]:.2f})",
                              x.T.reshape(pixels.shape), k)
    p = float(out[0])
    return Classification(p, result_text(p, data.classes), x.T.reshape(pixels.shape))


def classify_image(net, data, source: str | os.PathLike | QImage) -> Classification:
    """Run `net` on one picture, prepared like `data`'s pictures.

    Returns p(class 1), the text "p(cat) = 0.87 → cat" and the (h, w, c) picture the
    network saw. Raises ImageReadError for a bad file, DataError if `data` holds no images.
    """
    pixels, x = picture_input(data, net.layer_dims[0], source)
    return classification(net.forward(x), data, pixels, x)


def result_text(p: float, classes: tuple[str, str]) -> str:
    """"p(cat) = 0.87 → cat": p(class 1) and the class the network picks (p > 0.5: class 1)."""
    return f"p({classes[1]}) = {p:.2f} → {classes[int(p > 0.5)]}"


class ClassifyWidget(QWidget):
    """A picture as the network sees it (its own few pixels, enlarged) and p(class) in big text.

    `classify(path)` shows the result or, for a bad file, the error text; "Open picture…"
    asks for a file. sigClassified(p) fires after each successful classification.
    """

    sigClassified = pyqtSignal(float)

    def __init__(self, net=None, data=None, parent=None, ask=None):
        """ask(x, done): the network's output for x computed elsewhere (the training
        process), done(out) when it comes; without it `net` computes here."""
        super().__init__(parent)
        self.net, self.data, self.ask = net, data, ask
        self.result: Classification | None = None
        self.picture = QLabel()
        self.picture.setFixedSize(VIEW_PX + 4, VIEW_PX + 4)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.result_label = _label(RESULT_FONT_PT, bold=True)
        self.file_label = _label(NOTE_FONT_PT)
        self.note_label = _label(NOTE_FONT_PT)
        self.open_button = QPushButton("Open picture…")
        self.open_button.setFont(looks.current().font(NOTE_FONT_PT))
        self.open_button.clicked.connect(self._on_open_clicked)
        text = QVBoxLayout()
        for w in (self.result_label, self.file_label, self.note_label):
            text.addWidget(w)
        text.addStretch(1)
        text.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        self.result_label.setMinimumWidth(TEXT_MIN_PX)
        self._show_hint()
        self.restyle(looks.current())

    def restyle(self, look: looks.Look) -> None:
        """The picture's frame and the note in the look's colours (the note was #333 on
        the dark theme's panel)."""
        self.picture.setStyleSheet(f"border: 2px solid {look.hex('grid')}; "
                                   f"background: {look.hex('background')};")
        self.note_label.setStyleSheet(f"color: {look.hex('muted')};")

    def _show_hint(self) -> None:
        self.result_label.setText("Open a picture")
        self.note_label.setText("PNG or JPEG. The middle square is cut out and shrunk to "
                                "the size of the pictures the network was trained on.")

    def classify(self, source: str | os.PathLike | QImage) -> Classification | None:
        """Classify one picture and show it; on a bad file show the error and return None.
        With `ask`, the result shows when the network's answer comes (None returned)."""
        if self.net is None or self.data is None:
            self._show_error("no trained network yet: train first, then open a picture")
            return None
        try:
            pixels, x = picture_input(self.data, self.net.layer_dims[0], source)
        except ValueError as exc:  # ImageReadError, DataError: one line each
            self._show_error(str(exc))
            return None
        name = "" if isinstance(source, QImage) else Path(source).name
        if self.ask is not None:
            self.result_label.setText("Asking the network…")
            self.ask(x, lambda out: self._classified(out, pixels, x, name))
            return None
        return self._classified(self.net.forward(x), pixels, x, name)

    def _classified(self, out, pixels, x, name: str) -> Classification:
        result = classification(out, self.data, pixels, x)
        self.show_result(result, name)
        self.sigClassified.emit(result.p)
        return result

    def show_result(self, result: Classification, name: str = "") -> None:
        self.result = result
        h, w = result.image.shape[:2]
        pixmap = to_pixmap(result.image, max(h, w)).scaled(
            VIEW_PX, VIEW_PX, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation)
        self.picture.setPixmap(pixmap)
        color = looks.current().class_color(result.picked)  # the class it picks
        self.result_label.setStyleSheet(f"color: {color.name()};")
        self.result_label.setText(result.label_text)
        self.file_label.setText(name)
        self.note_label.setText(f"What the network sees: the middle of the picture, "
                                f"shrunk to {w}×{h} pixels.")

    def _show_error(self, message: str) -> None:
        self.result = None
        self.picture.clear()
        self.result_label.setStyleSheet(f"color: {looks.current().hex('error')};")
        self.result_label.setText("Cannot classify")
        self.file_label.setText("")
        self.note_label.setText(message)

    def _on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Classify a picture", "", IMAGE_FILTER)
        if path:
            self.classify(path)


class ClassifyDialog(QDialog):
    """A ClassifyWidget with a Close button; `widget` is the ClassifyWidget."""

    def __init__(self, net=None, data=None, parent=None, ask=None):
        super().__init__(parent)
        self.setWindowTitle("Classify your own picture")
        self.widget = ClassifyWidget(net, data, ask=ask)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.widget)
        layout.addWidget(buttons)

    def classify(self, source) -> Classification | None:
        return self.widget.classify(source)


def _label(points: int, bold: bool = False) -> QLabel:
    label = QLabel()
    label.setFont(looks.current().font(points, bold))
    label.setWordWrap(True)
    return label

