"""The window's appearance: theme (light or dark) and presentation mode, applied as a Look.

apply_look() sets the application's font (larger in presentation mode) and Qt palette and
pyqtgraph's defaults, then asks every widget of the window that has a restyle(look) to
restyle itself: each view owns how its items look (see look.py). Nothing is patched from
the outside, so a view made later simply styles itself from look.current().
"""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6.QtCore import QEvent, QPointF, QRectF, Qt
from PyQt6.QtGui import QFont, QPainter, QPen
from PyQt6.QtWidgets import QApplication, QProxyStyle, QStyle, QWidget

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


class LookStyle(QProxyStyle):
    """Fusion, with check boxes and radio buttons drawn from the look: Fusion outlines an
    indicator a shade darker than the window, which vanishes on the dark panel. Here an
    unticked one is outlined in the muted text colour, a ticked one filled with the accent
    and marked in the base colour, as large as the text (presentation mode too)."""

    MARKS = {QStyle.PrimitiveElement.PE_IndicatorCheckBox: "box",
             QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck: "box",
             QStyle.PrimitiveElement.PE_IndicatorRadioButton: "round"}
    SIZES = (QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight,
             QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
             QStyle.PixelMetric.PM_ExclusiveIndicatorHeight)

    def pixelMetric(self, metric, option=None, widget=None):
        size = super().pixelMetric(metric, option, widget)
        if metric == QStyle.PixelMetric.PM_TabBarTabHSpace:  # tabs of a small screen in sight
            return size // 2
        return round(size * looks.current().font_scale) if metric in self.SIZES else size

    def drawPrimitive(self, element, option, painter, widget=None):
        shape = self.MARKS.get(element)
        if shape is None:
            super().drawPrimitive(element, option, painter, widget)
            return
        look = looks.current()
        on = bool(option.state & QStyle.StateFlag.State_On)
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        edge = look.color("accent" if on and enabled else "muted" if enabled else "grid")
        side = min(option.rect.width(), option.rect.height()) - 2
        box = QRectF(0, 0, side, side)
        box.moveCenter(QRectF(option.rect).center())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(edge, max(1.5, side / 8)))
        painter.setBrush(edge if on else look.color("base"))
        if shape == "round":
            painter.drawEllipse(box)
            if on:
                painter.setBrush(look.color("base"))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(box.center(), side / 5, side / 5)
        else:
            painter.drawRoundedRect(box, side / 6, side / 6)
            if on:  # a tick
                painter.setPen(QPen(look.color("base"), max(1.5, side / 7)))
                x, y, w = box.x(), box.y(), box.width()
                painter.drawPolyline([QPointF(x + w * .22, y + w * .52),
                                      QPointF(x + w * .42, y + w * .72),
                                      QPointF(x + w * .78, y + w * .3)])
        painter.restore()


def apply_look(window, look: looks.Look) -> None:
    """Make look current and restyle the application and every widget of window."""
    looks.set_current(look)
    app = QApplication.instance()
    if not isinstance(app.style(), LookStyle):
        app.setStyle(LookStyle("Fusion"))
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
    pg.setConfigOptions(background=look.color("background"), foreground=look.color("text"))
    restyle(window, look)


def restyle(window, look: looks.Look | None = None) -> None:
    """Every widget of window (dialogs included) with a restyle method, in look."""
    look = look or looks.current()
    for widget in [window, *window.findChildren(QWidget)]:
        method = getattr(type(widget), "restyle", None)
        if method is not None and widget is not window:
            method(widget, look)
