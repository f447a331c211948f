"""Presentation mode and light / dark themes, applied to a whole window from the outside.

The views build their plots with the desk-sized, light look of style.py. This module walks
a window's widgets and pyqtgraph items and changes them in place: larger text and thicker
lines for a projector (presentation), dark or light colours (theme). Every item keeps what
it had before in an attribute (`_theme_base`), and each mode is computed from those
originals, so turning a mode off restores exactly and applying twice equals applying once.

Views create new items when the network is rebuilt: `refresh(window)` applies the current
mode to whatever the window holds now, and the window calls it after every rebuild. Plot
titles that a view retitles between rebuilds (the output's p(...) on every snapshot) keep
the mode by themselves: see _themed_set_title.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pyqtgraph as pg
from PyQt6.QtCore import QEvent, Qt
from PyQt6.QtGui import QColor, QFont, QPalette, QPen
from PyQt6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget

from dnnviz.ui import style

THEMES = ("light", "dark")
TITLE_ROW_PX = 30  # pyqtgraph's fixed height of a plot's title row (PlotItem.setTitle)
_SIZE = re.compile(r"([0-9]*\.?[0-9]+)\s*(pt|px)")
_CSS_COLOR = re.compile(r"(?<![-\w])(color\s*:\s*)(#[0-9a-fA-F]{6}|black)")
_CSS_BACKGROUND = re.compile(r"(background(?:-color)?\s*:\s*)(white|#ffffff|#fff)\b")
_BASE_FONT, _BASE_CSS = "dnnvizThemeBaseFont", "dnnvizThemeBaseCss"
_BASE_WIDTH = "dnnvizThemeBaseMinWidth"
_BASE_WRAP = "dnnvizThemeBaseWordWrap"


@dataclass
class _State:
    theme: str = "light"
    presentation: bool = False
    app_font: QFont | None = None  # the application's own, saved on the first change
    app_palette: QPalette | None = None
    pg_colors: tuple = ()  # pyqtgraph's (background, foreground) config options
    window_state: Qt.WindowState | None = None  # before full screen
    advanced_visible: bool = True  # the control panel's init/seed/dtype rows, before

    @property
    def font_scale(self) -> float:
        return style.PRESENTATION_FONT_SCALE if self.presentation else 1.0

    @property
    def line_scale(self) -> float:
        return style.PRESENTATION_LINE_SCALE if self.presentation else 1.0

    @property
    def dark(self) -> bool:
        return self.theme == "dark"

    @property
    def default(self) -> bool:
        return not self.presentation and not self.dark


# --- public API ---------------------------------------------------------------------------

def current(window) -> tuple[str, bool]:
    """(theme name, presentation on) of window."""
    state = _state(window)
    return state.theme, state.presentation


def set_presentation(window, on: bool) -> None:
    """Larger fonts, thicker lines, advanced controls hidden, full screen; off restores."""
    state = _state(window)
    on = bool(on)
    if on == state.presentation:
        refresh(window)
        return
    controls = getattr(window, "controls", None)
    if on:
        state.window_state = window.windowState()
        if controls is not None:
            state.advanced_visible = controls.advanced_visible()
    state.presentation = on
    if controls is not None:
        controls.set_advanced_visible(state.advanced_visible and not on)
    refresh(window)
    if on:
        window.showFullScreen()
    else:
        _restore_window_state(window, state.window_state)


def set_theme(window, name: str) -> None:
    """"light" (the original look) or "dark" (dark grey background, light text)."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}: choose one of {', '.join(THEMES)}")
    _state(window).theme = name
    refresh(window)


def refresh(window) -> None:
    """Apply the current mode and theme to every widget and plot item the window has now.

    Call after views created new items (a rebuilt network, a new data set); cheap when
    nothing changed.
    """
    state = _state(window)
    _apply_application(state)
    for widget in [window, *window.findChildren(QWidget)]:
        _apply_widget(widget, state)
    if isinstance(window, QWidget) and hasattr(window, "controls"):
        _fit_controls(window, state)
    for view in window.findChildren(pg.GraphicsView):
        _apply_view(view, state)
        for item in view.scene().items():
            _apply_item(item, state)


# --- application-wide: font, palette, pyqtgraph defaults --------------------------------

def _state(window) -> _State:
    state = getattr(window, "_theme_state", None)
    if state is None:
        app = QApplication.instance()
        state = _State(app_font=QFont(app.font()), app_palette=QPalette(app.palette()),
                       pg_colors=(pg.getConfigOption("background"),
                                  pg.getConfigOption("foreground")))
        window._theme_state = state
    return state


def _apply_application(state: _State) -> None:
    app = QApplication.instance()
    font = _scaled_font(state.app_font, state.font_scale)
    if app.font() != font:
        app.setFont(font)
        # Qt posts the change to every widget: deliver it now, so that sizes measured next
        # (and anyone reading a widget's font) see the new one.
        QApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange.value)
    palette = dark_palette() if state.dark else state.app_palette
    if app.palette() != palette:
        app.setPalette(palette)
        QApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange.value)
    # Items made later (axes of a rebuilt plot, titles with no colour of their own) take
    # pyqtgraph's defaults: make those the theme's too.
    background, foreground = (style.DARK_BACKGROUND, style.DARK_TEXT) if state.dark \
        else state.pg_colors
    pg.setConfigOptions(background=background, foreground=foreground)


def dark_palette() -> QPalette:
    """A dark QPalette for the Qt widgets (Fusion style honours every role)."""
    p = QPalette()
    roles = QPalette.ColorRole
    text = QColor(style.DARK_TEXT)
    for role, color in ((roles.Window, style.DARK_BACKGROUND), (roles.WindowText, text),
                        (roles.Base, style.DARK_BASE), (roles.AlternateBase, "#323232"),
                        (roles.Text, text), (roles.Button, style.DARK_BUTTON),
                        (roles.ButtonText, text), (roles.BrightText, "#ffffff"),
                        (roles.ToolTipBase, style.DARK_BUTTON), (roles.ToolTipText, text),
                        (roles.PlaceholderText, style.DARK_DISABLED_TEXT),
                        (roles.Highlight, style.DARK_HIGHLIGHT),
                        (roles.HighlightedText, "#ffffff"), (roles.Link, style.DARK_LINK),
                        (roles.Light, "#505050"), (roles.Midlight, "#404040"),
                        (roles.Mid, "#2c2c2c"), (roles.Dark, "#151515"),
                        (roles.Shadow, "#000000")):
        p.setColor(role, QColor(color))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor(style.DARK_DISABLED_TEXT))
    return p


# --- Qt widgets ---------------------------------------------------------------------------

def _apply_widget(widget: QWidget, state: _State) -> None:
    # Saved as Qt properties, not Python attributes: a widget Qt made (a tab bar, a
    # viewport) gets a new Python wrapper each time it is looked up.
    if widget.property(_BASE_FONT) is None and widget.property(_BASE_CSS) is None:
        own = widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
        widget.setProperty(_BASE_FONT, QFont(widget.font()) if own else False)
        widget.setProperty(_BASE_CSS, widget.styleSheet())
    base_font, base_css = widget.property(_BASE_FONT), widget.property(_BASE_CSS)
    if isinstance(base_font, QFont):  # an explicit font does not follow the application's
        font = _scaled_font(base_font, state.font_scale)
        if widget.font() != font:
            widget.setFont(font)
    if base_css:
        css = _themed_css(base_css, state)
        if widget.styleSheet() != css:
            widget.setStyleSheet(css)
        if isinstance(widget, QLabel) and _SIZE.search(base_css):
            _keep_label_width(widget, state)


def _keep_label_width(label: QLabel, state: _State) -> None:
    """A one-line label with an enlarged font wraps instead of asking for more width (the
    histograms' message would otherwise squeeze the plots beside it out of sight; the cost
    plot's hover line elides instead, see cost_plot._OneLineLabel)."""
    if label.property(_BASE_WRAP) is None:
        label.setProperty(_BASE_WRAP, label.wordWrap())
    label.setWordWrap(True if state.font_scale != 1.0 else label.property(_BASE_WRAP))


def _fit_controls(window, state: _State) -> None:
    """The control panel's dock as wide as the panel in its current fonts: no clipped
    field or horizontal scroll bar in presentation mode."""
    controls = getattr(window, "controls", None)
    scroll = controls.parentWidget() if controls is not None else None
    while scroll is not None and not isinstance(scroll, QScrollArea):
        scroll = scroll.parentWidget()
    if scroll is None:
        return
    if scroll.property(_BASE_WIDTH) is None:
        scroll.setProperty(_BASE_WIDTH, scroll.minimumWidth())
    width = scroll.property(_BASE_WIDTH)
    if state.font_scale != 1.0:
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
        controls.layout().activate()
        bar = scroll.verticalScrollBar().sizeHint().width()
        width = max(width, controls.minimumSizeHint().width() + bar + 8)
    scroll.setMinimumWidth(width)


def _themed_css(css: str, state: _State) -> str:
    """A style sheet with its font sizes scaled and, on dark, its dark text colours lit."""
    if state.font_scale != 1.0:
        css = _SIZE.sub(lambda m: _scaled_size(m.group(0), state.font_scale), css)
    if state.dark:
        css = _CSS_COLOR.sub(lambda m: m.group(1) + readable(m.group(2)).name(), css)
        css = _CSS_BACKGROUND.sub(lambda m: m.group(1) + style.DARK_BASE, css)
    return css


def _restore_window_state(window, previous) -> None:
    if previous is None or previous & Qt.WindowState.WindowFullScreen:
        window.showNormal()
    elif previous & Qt.WindowState.WindowMaximized:
        window.showMaximized()
    else:
        window.showNormal()
    if previous is not None:
        window.setWindowState(previous)


# --- pyqtgraph ----------------------------------------------------------------------------

def _apply_view(view: pg.GraphicsView, state: _State) -> None:
    base = _base(view, lambda: dict(background=view._background))
    view.setBackground(style.DARK_BACKGROUND if state.dark else base["background"])


def _apply_item(item, state: _State) -> None:
    if isinstance(item, pg.AxisItem):
        _apply_axis(item, state)
    elif isinstance(item, pg.PlotItem):
        _apply_plot(item, state)
    elif isinstance(item, pg.LabelItem):
        _apply_label(item, state)
    elif isinstance(item, pg.LegendItem):
        _apply_legend(item, state)
    elif isinstance(item, pg.PlotDataItem):
        _apply_curve(item, state, over_image=_over_image(item))
    elif isinstance(item, pg.PlotCurveItem) and not isinstance(item.parentItem(),
                                                                pg.PlotDataItem):
        _apply_curve(item, state, over_image=_over_image(item))
    elif isinstance(item, pg.InfiniteLine) and not _over_image(item):
        _apply_line(item, state)


def _apply_axis(axis: pg.AxisItem, state: _State) -> None:
    base = _base(axis, lambda: dict(
        pen=QPen(axis.pen()), text_pen=QPen(axis.textPen()),
        tick_font=QFont(axis.style["tickFont"]) if axis.style["tickFont"] else None,
        label_font=QFont(axis.label.font()), width=axis.fixedWidth, height=axis.fixedHeight))
    scale = state.font_scale
    tick = base["tick_font"]
    if tick is None and scale != 1.0:
        tick = QFont(axis.font())
    axis.setTickFont(None if tick is None else _scaled_font(tick, scale))
    axis.label.setFont(_scaled_font(base["label_font"], scale))
    if base["width"] is not None:
        axis.setWidth(round(base["width"] * scale))
    if base["height"] is not None:
        axis.setHeight(round(base["height"] * scale))
    pen, text_pen = QPen(base["pen"]), QPen(base["text_pen"])
    pen.setWidthF(max(pen.widthF(), 1.0) * state.line_scale if state.presentation
                  else pen.widthF())
    if state.dark:
        pen.setColor(_keep_alpha(style.DARK_AXIS, pen.color()))
        text_pen.setColor(QColor(style.DARK_TEXT))
    axis.setPen(pen)
    axis.setTextPen(text_pen)  # also re-lays out the label with its new font


def _apply_plot(plot: pg.PlotItem, state: _State) -> None:
    """A plot's title row grows with its title; retitling keeps the mode (see below)."""
    if state.default:
        plot.__dict__.pop("setTitle", None)
    elif "setTitle" not in plot.__dict__:
        plot.setTitle = lambda title=None, **args: _themed_set_title(plot, state, title, **args)
    if plot.titleLabel.isVisible():
        _fit_title_row(plot, state)


def _themed_set_title(plot: pg.PlotItem, state: _State, title=None, **args) -> None:
    """PlotItem.setTitle for a window in a mode: the view's size and colour become the
    label's originals, and what shows is the mode's (the activation view retitles on
    every snapshot, between two refreshes)."""
    label = plot.titleLabel
    base = _base(label, lambda: _label_base(label))
    for key in ("size", "color"):
        if key in args:
            base[key] = args.pop(key)
    pg.PlotItem.setTitle(plot, title)
    if title is not None:
        _apply_label(label, state)
        _fit_title_row(plot, state)


def _fit_title_row(plot: pg.PlotItem, state: _State) -> None:
    """pyqtgraph's title row is one line high: in presentation mode, as high as the title
    (the activation view's titles have two or three lines, which would be cut)."""
    height = round(TITLE_ROW_PX * state.font_scale)
    if state.presentation:
        height = max(height, math.ceil(plot.titleLabel.itemRect().height()))
    plot.titleLabel.setMaximumHeight(height)
    plot.layout.setRowFixedHeight(0, height)


def _label_base(label: pg.LabelItem) -> dict:
    return dict(size=label.opts.get("size"), color=label.opts.get("color"),
                font_pt=label.item.font().pointSizeF())


def _apply_label(label: pg.LabelItem, state: _State) -> None:
    base = _base(label, lambda: _label_base(label))
    size = base["size"]
    if size is None and state.font_scale != 1.0:
        size = f"{base['font_pt']:g}pt"
    color = base["color"]
    if state.dark and (color is None or _contrast(pg.mkColor(color)) < 4.0):
        color = style.DARK_TEXT
    opts = label.opts
    changed = opts.get("color") != color or opts.get("size") != (
        size if size is None else _scaled_size(size, state.font_scale))
    if not changed:
        return
    opts["color"] = color
    if size is None:
        opts.pop("size", None)
    else:
        opts["size"] = _scaled_size(size, state.font_scale)
    label.setText(label.text)


def _apply_legend(legend: pg.LegendItem, state: _State) -> None:
    opts = legend.opts
    base = _base(legend, lambda: dict(brush=opts["brush"], pen=opts["pen"],
                                      text=opts["labelTextColor"], size=opts["labelTextSize"]))
    dark = state.dark and base["brush"] is not None
    opts["brush"] = pg.mkBrush(style.DARK_LEGEND_BRUSH) if dark else base["brush"]
    opts["pen"] = pg.mkPen(style.DARK_LEGEND_PEN) if dark and base["pen"] is not None \
        else base["pen"]
    opts["labelTextColor"] = QColor(style.DARK_TEXT) if state.dark else base["text"]
    if base["size"] is not None:  # for entries added later
        opts["labelTextSize"] = _scaled_size(base["size"], state.font_scale)
    for sample, _label in legend.items:
        item = sample.item
        if item.scene() is None:  # a legend-only symbol (no curve of its own): outline only
            _apply_sample(item, state)
        sample.update()
    legend.updateSize()
    legend.update()


def _apply_sample(item, state: _State) -> None:
    if not isinstance(item, pg.ScatterPlotItem):
        return
    base = _base(item, lambda: dict(pen=QPen(pg.mkPen(item.opts["pen"]))))
    pen = QPen(base["pen"])
    if state.dark:
        pen.setColor(readable(pen.color()))
    item.setPen(pen)


def _apply_curve(item, state: _State, over_image: bool) -> None:
    opts = item.opts
    keys = ("pen", "symbolPen", "symbolBrush", "fillBrush", "brush")
    base = _base(item, lambda: {k: opts[k] for k in keys if k in opts})
    recolor = state.dark and not over_image
    if base.get("pen") is not None:
        pen = QPen(pg.mkPen(base["pen"]))
        if state.presentation:
            pen.setWidthF(max(pen.widthF(), 1.0) * state.line_scale)
        if recolor:
            pen.setColor(readable(pen.color()))
        item.setPen(pen)
    setters = (("symbolPen", "setSymbolPen", pg.mkPen),
               ("symbolBrush", "setSymbolBrush", pg.mkBrush),
               ("fillBrush", "setFillBrush", pg.mkBrush))
    for key, setter, make in setters:
        if base.get(key) is None or not hasattr(item, setter):
            continue
        value = make(base[key])
        if recolor:
            value.setColor(readable(value.color()))
        getattr(item, setter)(value if recolor else base[key])
    if isinstance(item, pg.PlotCurveItem) and base.get("brush") is not None and recolor:
        brush = pg.mkBrush(base["brush"])
        brush.setColor(readable(brush.color()))
        item.setBrush(brush)
    elif isinstance(item, pg.PlotCurveItem) and base.get("brush") is not None:
        item.setBrush(base["brush"])


def _apply_line(line: pg.InfiniteLine, state: _State) -> None:
    base = _base(line, lambda: dict(pen=QPen(line.pen)))
    pen = QPen(base["pen"])
    if state.presentation:
        pen.setWidthF(max(pen.widthF(), 1.0) * state.line_scale)
    if state.dark:
        pen.setColor(readable(pen.color()))
    line.setPen(pen)


def _over_image(item) -> bool:
    """Is item drawn over an image (so its colours were picked against that, not the
    background)?"""
    view = item.getViewBox() if hasattr(item, "getViewBox") else None
    return view is not None and hasattr(view, "addedItems") and any(
        isinstance(other, pg.ImageItem) for other in view.addedItems)


# --- helpers ------------------------------------------------------------------------------

def _base(obj, make) -> dict:
    """obj's values before any mode was applied, saved on first sight."""
    base = obj.__dict__.get("_theme_base")
    if base is None:
        base = obj.__dict__["_theme_base"] = make()
    return base


def _scaled_font(font: QFont, scale: float) -> QFont:
    out = QFont(font)
    if scale == 1.0:
        return out
    if out.pointSizeF() > 0:
        out.setPointSizeF(out.pointSizeF() * scale)
    elif out.pixelSize() > 0:
        out.setPixelSize(round(out.pixelSize() * scale))
    return out


def _scaled_size(size: str, scale: float) -> str:
    """"11pt" -> "16.5pt" for scale 1.5 (pixel sizes rounded)."""
    if scale == 1.0:
        return size

    def scaled(m):
        value = float(m.group(1)) * scale
        return f"{round(value) if m.group(2) == 'px' else round(value, 1):g}{m.group(2)}"
    return _SIZE.sub(scaled, size)


def _luminance(color: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def _contrast(color: QColor, background: str = style.DARK_BACKGROUND) -> float:
    a, b = _luminance(color), _luminance(QColor(background))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def readable(color, background: str = style.DARK_BACKGROUND, ratio: float = 4.0) -> QColor:
    """color as drawn on the dark background: the house stand-in (style.DARK_DATA_COLORS),
    else lightened toward white until the contrast is at least `ratio`; alpha kept."""
    color = pg.mkColor(color)
    stand_in = style.DARK_DATA_COLORS.get(color.name())
    out = QColor(stand_in) if stand_in else QColor(color)
    step = 0
    while _contrast(out, background) < ratio and step < 20:
        step += 1
        t = step / 20
        out = QColor.fromRgbF(color.redF() + t * (1 - color.redF()),
                              color.greenF() + t * (1 - color.greenF()),
                              color.blueF() + t * (1 - color.blueF()))
    out.setAlpha(color.alpha())
    return out


def _keep_alpha(name: str, like: QColor) -> QColor:
    out = QColor(name)
    out.setAlpha(like.alpha())
    return out
