"""A dialog's size: its size at the desk, grown with the look's text (presentation mode),
never larger than the screen it opens on (a 1280x720 projector)."""

from __future__ import annotations

from PyQt6.QtGui import QGuiApplication

from dnnviz.ui import look as looks

SCREEN_MARGIN = (40, 60)  # pixels left free around a dialog: the window manager's frame


def fit_dialog(dialog, width: int, height: int, *, grow: bool = True) -> None:
    """Resize dialog to width x height at the desk's text size (times the look's text scale
    when grow), at most the available screen less SCREEN_MARGIN."""
    scale = looks.current().font_scale if grow else 1.0
    w, h = round(width * scale), round(height * scale)
    screen = (dialog.parent() or dialog).screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        w = min(w, room.width() - SCREEN_MARGIN[0])
        h = min(h, room.height() - SCREEN_MARGIN[1])
    dialog.resize(w, h)
