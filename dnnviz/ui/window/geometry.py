"""Where the window goes: sized to the screen it opens on, remembered between runs.

The window opens at its last size and place (QSettings) when that still fits the screen,
else fills the screen's available area up to PREFERRED, centred; it never gets smaller than
MIN_SIZE (README: "Screens"). Presentation mode covers the whole screen itself, window
manager or not (a kiosk projector has none).
"""

from __future__ import annotations

from PyQt6.QtCore import QRect, QSettings, QSize
from PyQt6.QtGui import QGuiApplication

MIN_SIZE = QSize(960, 600)
PREFERRED = QSize(1600, 1000)
SETTINGS = ("dnnviz", "dnnviz")  # organisation, application


def settings() -> QSettings:
    return QSettings(*SETTINGS)


def screen_of(window):
    return window.screen() or QGuiApplication.primaryScreen()


def fitted_rect(available: QRect, wanted: QSize = PREFERRED) -> QRect:
    """wanted, shrunk to the available area (but not below MIN_SIZE), centred on it."""
    w = max(min(wanted.width(), available.width()), min(MIN_SIZE.width(), available.width()))
    h = max(min(wanted.height(), available.height()),
            min(MIN_SIZE.height(), available.height()))
    x = available.x() + (available.width() - w) // 2
    y = available.y() + (available.height() - h) // 2
    return QRect(x, y, w, h)


def place(window) -> None:
    """The last geometry if it fits the screen now, else the screen's available area."""
    window.setMinimumSize(MIN_SIZE.boundedTo(screen_of(window).availableGeometry().size()))
    available = screen_of(window).availableGeometry()
    saved = settings().value("window/geometry")
    if saved is not None and window.restoreGeometry(saved):
        frame = window.frameGeometry()
        if available.contains(frame) or available.intersected(frame) == frame:
            return
    window.setGeometry(fitted_rect(available))


def remember(window, saved=None) -> None:
    """Keep the normal-mode size and place for the next start (saved: the geometry from
    before presentation mode, when the window is in it now)."""
    if saved is not None:
        settings().setValue("window/geometry", saved)
    elif not window.isFullScreen():
        settings().setValue("window/geometry", window.saveGeometry())


def cover_screen(window) -> None:
    """The whole screen, with or without a window manager."""
    window.showFullScreen()
    window.setGeometry(screen_of(window).geometry())
