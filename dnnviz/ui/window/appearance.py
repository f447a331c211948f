"""The window's appearance: theme (light or dark) and presentation mode, applied as a Look.

apply_look() sets the application's font (larger in presentation mode) and Qt palette and
pyqtgraph's defaults, then asks every widget of the window that has a restyle(look) to
restyle itself: each view owns how its items look (see look.py). Nothing is patched from
the outside, so a view made later simply styles itself from look.current().
"""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6.QtCore import QEvent
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import QApplication, QWidget

from dnnviz.ui import look as looks

_BASE_FONT = "dnnvizBaseFont"


def base_font() -> QFont:
    """The application's font before any presentation scaling (saved on first use)."""
    app = QApplication.instance()
    saved = app.property(_BASE_FONT)
    if not isinstance(saved, QFont):
        saved = QFont(app.font())
        app.setProperty(_BASE_FONT, saved)
    return QFont(saved)


def apply_look(window, look: looks.Look) -> None:
    """Make look current and restyle the application and every widget of window."""
    looks.set_current(look)
    app = QApplication.instance()
    font = base_font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * look.font_scale)
    if app.font() != font:
        app.setFont(font)
        # Qt posts the change to every widget: deliver it now, so that sizes measured
        # next see the new font.
        QApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange.value)
    palette = look.qpalette()
    if app.palette() != palette:
        app.setPalette(palette)
        QApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange.value)
    sheet = look.indicator_sheet()
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    pg.setConfigOptions(background=look.color("background"), foreground=look.color("text"))
    restyle(window, look)


def restyle(window, look: looks.Look | None = None) -> None:
    """Every widget of window (dialogs included) with a restyle method, in look."""
    look = look or looks.current()
    for widget in [window, *window.findChildren(QWidget)]:
        method = getattr(type(widget), "restyle", None)
        if method is not None and widget is not window:
            method(widget, look)
