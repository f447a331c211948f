"""Reading a picture file with Qt, the one place one is opened (the window, the gallery,
`dnnviz train --image-folder` through dnnviz.picture_reading).

- the bytes are read by dnnviz.files (a regular file only: a named pipe or a device is
  refused; at most MAX_PICTURE_BYTES), so any file name the system has works, UTF-8 or not;
- Qt decodes them from memory, by content (not by the name's suffix); a picture of more
  than MAX_PIXELS pixels is refused from its header, before it is decoded;
- Qt's own warnings about pictures ("qt.gui.imageio: ... exceeds the current allocation
  limit") and what the image libraries print on stderr themselves ("libpng error: Read
  Error") are not printed: dnnviz says what is wrong once. (Decoding runs with stderr
  caught in a file, and whatever else was printed meanwhile is passed on.)
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from contextlib import contextmanager

from dnnviz.files import read_bytes

MAX_PICTURE_BYTES = 64 << 20
MAX_PIXELS = 1 << 26  # 67 million: Qt's own limit of 256 MB for a decoded picture
IMAGE_NOISE = ("libpng ", "QImageIOHandler", "QImageReader", "Corrupt JPEG",
               "Premature end of JPEG")
IMAGE_CATEGORY = "qt.gui.imageio"
LIBRARY_NOISE = (b"libpng ", b"Corrupt JPEG", b"Premature end of JPEG")
_quiet = {}  # the message handler, installed once (Qt keeps no reference of its own)
_stderr_lock = threading.Lock()


def read_picture(path, error: type[Exception]):
    """The picture at `path` as a QImage, upright by its EXIF orientation; error('<path>:
    ...') of one line if it cannot be."""
    from PyQt6.QtCore import QBuffer, QByteArray, QIODevice
    from PyQt6.QtGui import QImageReader

    data = read_bytes(path, MAX_PICTURE_BYTES, "a picture", error)
    quiet_image_messages()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # phone photos store "rotate me" in EXIF
    with _library_stderr_caught():
        size = reader.size()
        too_big = size.isValid() and size.width() * size.height() > MAX_PIXELS
        image = None if too_big else reader.read()
    if too_big:
        raise error(f"{path}: too large a picture ({size.width()}x{size.height()} pixels; "
                    f"dnnviz reads at most {MAX_PIXELS / 1e6:.0f} million)")
    if image.isNull():
        detail = " ".join(reader.errorString().split()) or "unknown reason"
        raise error(f"{path}: not a readable picture ({detail})")
    return image


def quiet_image_messages() -> None:
    """Drop Qt's messages about decoding pictures; pass every other one on as before."""
    if _quiet:
        return
    from PyQt6.QtCore import qFormatLogMessage, qInstallMessageHandler

    def handler(kind, context, message):
        if (context.category or "").startswith(IMAGE_CATEGORY) or \
                (message or "").startswith(IMAGE_NOISE):
            return
        previous = _quiet.get("previous")
        if previous is not None:
            previous(kind, context, message)
            return
        try:
            sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")
        except (OSError, ValueError):
            pass

    _quiet["handler"] = handler
    _quiet["previous"] = qInstallMessageHandler(handler)


@contextmanager
def _library_stderr_caught():
    """File descriptor 2 into a temporary file for the block; then every line but the
    image libraries' own is written to the real stderr. One block at a time."""
    with _stderr_lock:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError, AttributeError):  # no stderr at all: nothing to keep
            yield
            return
        with tempfile.TemporaryFile() as caught:
            os.dup2(caught.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                caught.seek(0)
                kept = [line for line in caught.read(1 << 20).splitlines(keepends=True)
                        if not line.startswith(LIBRARY_NOISE)]
                if kept:
                    try:
                        os.write(2, b"".join(kept))
                    except OSError:
                        pass
