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
    """The last size and place if they fit the screen now, else the screen's available
    area (up to PREFERRED). Call keep_inside once the window is shown."""
    available = screen_of(window).availableGeometry()
    window.setMinimumSize(MIN_SIZE.boundedTo(available.size()))
    saved = settings().value("window/rect")
    if isinstance(saved, QRect) and saved.isValid() and available.contains(saved):
        window.setGeometry(saved)
    else:
        window.setGeometry(fitted_rect(available))


def set_size(window, size: tuple[int, int]) -> None:
    """Exactly this size, whatever the screen (a headless run's screenshot, a recording)."""
    window.setMinimumSize(MIN_SIZE.boundedTo(QSize(*size)))
    window.setGeometry(screen_of(window).availableGeometry().x(),
                       screen_of(window).availableGeometry().y(), *size)


def keep_inside(window) -> None:
    """Once shown: if the frame (title bar and borders) pushes the window past the
    screen's available area, shrink and move it inside."""
    available = screen_of(window).availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    if available.contains(frame):
        return
    left, top = inner.x() - frame.x(), inner.y() - frame.y()
    right, bottom = frame.right() - inner.right(), frame.bottom() - inner.bottom()
    w = min(inner.width(), available.width() - left - right)
    h = min(inner.height(), available.height() - top - bottom)
    x = min(max(frame.x(), available.x()), available.right() + 1 - (w + left + right))
    y = min(max(frame.y(), available.y()), available.bottom() + 1 - (h + top + bottom))
    window.setGeometry(x + left, y + top, w, h)


def remember(window, saved: QRect | None = None) -> None:
    """Keep the normal-mode size and place for the next start (saved: the geometry from
    before presentation mode, when the window is in it now)."""
    rect = saved if saved is not None else window.geometry()
    if saved is not None or not window.isFullScreen():
        settings().setValue("window/rect", QRect(rect))


def cover_screen(window, size: tuple[int, int] | None = None) -> None:
    """The whole screen, with or without a window manager; size: a fixed size instead
    (--window-size, for a headless screenshot of a projector's screen)."""
    rect = screen_of(window).geometry()
    if size is not None:
        window.setGeometry(QRect(rect.x(), rect.y(), *size))
        return
    window.showFullScreen()
    window.setGeometry(rect)
