"""The look of the window: colours by role, from a light or a dark palette, and sizes for a
desk or a projector. One place to change them.

One Look is current (current(), set by the window). Every view styles its own items from
it, in its restyle(look), called when the view builds its items and again whenever the
window switches theme or presentation mode: every text, line and fill comes from the
palette, nothing is patched afterwards. Colours keep one meaning everywhere: each class has
its colour (class0, class1) in every view; train and test have theirs (train, test);
"wrong" is a mark of its own, never a class colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QColor, QFont, QPalette, QPen
from PyQt6.QtWidgets import QGraphicsItem

THEMES = ("light", "dark")

# Sizes in points at the desk; presentation mode multiplies text by PRESENTATION_FONT_SCALE
# and lines by PRESENTATION_LINE_SCALE.
AXIS_PT = 10.0
TITLE_PT = 11.0
LEGEND_PT = 10.0
SMALL_PT = 10.0  # captions under thumbnails and small maps
LABEL_PT = 11.0  # section headers
READOUT_SCALE = 2.0  # the readout's numbers: this many times the window's text
CURVE_WIDTH = 2.0
PRESENTATION_FONT_SCALE = 1.5
PRESENTATION_LINE_SCALE = 2.0
HIST_FILL_ALPHA = 110

# Class colours: blue and orange, told apart by colour-blind eyes too; train green (solid),
# test purple (dashed); "wrong" is drawn in the text colour, as a cross and an outline.
LIGHT = {
    "background": "#ffffff", "panel": "#efefef", "base": "#ffffff", "button": "#e6e6e6",
    "text": "#111111", "muted": "#555555", "axis": "#333333", "grid": "#b0b0b0",
    "accent": "#1a5fb4", "link": "#1a5fb4",
    "train": "#1b7a1b", "test": "#7b3fb0", "class0": "#1f77b4", "class1": "#e8700c",
    "wrong": "#111111", "selected": "#111111", "selected_fill": "#ffe680",
    "hist": "#1f77b4", "zero": "#666666", "crosshair": "#555555",
    "legend_fill": "#ffffffdc", "legend_border": "#0000003c", "error": "#b00020",
    "warning": "#9a3d00", "negative": "#2147bf", "positive": "#c61a17",
}
DARK = {
    "background": "#1e1e1e", "panel": "#262626", "base": "#2c2c2c", "button": "#383838",
    "text": "#ececec", "muted": "#b4b4b4", "axis": "#c8c8c8", "grid": "#6a6a6a",
    "accent": "#78aeff", "link": "#8cc4ff",
    "train": "#6fd36f", "test": "#d2a6ff", "class0": "#5aa9e6", "class1": "#ffa245",
    "wrong": "#ffffff", "selected": "#ffffff", "selected_fill": "#6b5a12",
    "hist": "#6cb4ee", "zero": "#a8a8a8", "crosshair": "#a8a8a8",
    "legend_fill": "#1e1e1edc", "legend_border": "#ffffff46", "error": "#ff7a85",
    "warning": "#ffb86b", "negative": "#9292fc", "positive": "#f67760",
}
# Classes 2, 3, ... of a K-class set, in turn after class0 and class1 (tab10's, then paler).
CLASS_COLORS = {
    "light": ("#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
              "#17becf"),
    "dark": ("#6fd36f", "#ff6b6b", "#c39bff", "#d9a79c", "#f4a9dc", "#cfcfcf", "#e0e15a",
             "#5fe0ee"),
}
# Earlier runs kept on the cost plot, in turn (thin and see-through below the live curves).
RUN_COLORS = {
    "light": ("#8c564b", "#17becf", "#bcbd22", "#e377c2", "#7f7f7f", "#d62728"),
    "dark": ("#d9a79c", "#5fe0ee", "#e0e15a", "#f4a9dc", "#cfcfcf", "#ff8a8a"),
}
DIVERGING = "CET-D1A"  # signed values: weights, their gradients
SEQUENTIAL = "viridis"  # non-negative values: ReLU activations
# A weight's sign ("negative", "positive" above) takes DIVERGING's colours, as in the
# weight heatmaps. Layers in turn (layer_color) come from this part of SEQUENTIAL, dark
# enough on a light background and light enough on a dark one.
LAYER_RAMP = {"light": (0.0, 0.4), "dark": (0.55, 1.0)}  # text contrast 4.5:1 or more


def cache_axis(axis: pg.AxisItem) -> None:
    """An axis is drawn from a picture of itself kept at the screen's resolution, made anew
    only when it changes (its range, ticks or look): a frame that changes a plot's data only
    repaints the axes beside it from that picture (the activation view's paints took 15%
    less time, the cost plot's 10 to 30%)."""
    axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


@dataclass(frozen=True)
class Look:
    theme: str = "light"
    presentation: bool = False

    def __post_init__(self):
        if self.theme not in THEMES:
            raise ValueError(f"unknown theme {self.theme!r}: choose one of {', '.join(THEMES)}")

    @property
    def dark(self) -> bool:
        return self.theme == "dark"

    @property
    def font_scale(self) -> float:
        return PRESENTATION_FONT_SCALE if self.presentation else 1.0

    @property
    def line_scale(self) -> float:
        return PRESENTATION_LINE_SCALE if self.presentation else 1.0

    # --- colours ----------------------------------------------------------------------------
    def color(self, role: str, alpha: int | None = None) -> QColor:
        color = QColor((DARK if self.dark else LIGHT)[role])
        if alpha is not None:
            color.setAlpha(alpha)
        return color

    def hex(self, role: str) -> str:
        return self.color(role).name()

    def class_color(self, label: int) -> QColor:
        """Class 0 and 1 their roles' colours; classes 2, 3, ... CLASS_COLORS in turn."""
        if label < 2:
            return self.color("class1" if label else "class0")
        colors = CLASS_COLORS[self.theme]
        return QColor(colors[(label - 2) % len(colors)])

    def layer_color(self, layer: int, layers: int) -> QColor:
        """Layer 1..layers in turn, from the first to the last colour of LAYER_RAMP."""
        first, last = LAYER_RAMP[self.theme]
        t = first + (last - first) * (layer - 1) / max(layers - 1, 1)
        return self.colormap(SEQUENTIAL).map(t, mode="qcolor")

    def run_color(self, i: int) -> QColor:
        colors = RUN_COLORS[self.theme]
        return QColor(colors[i % len(colors)])

    def pen(self, role: str, width: float = 1.0, dash: bool = False,
            alpha: int | None = None) -> QPen:
        """A pen of the role's colour, width in desk pixels (thicker on a projector)."""
        pen = QPen(self.color(role, alpha))
        pen.setWidthF(width * self.line_scale)
        pen.setCosmetic(True)
        if dash:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def brush(self, role: str, alpha: int | None = None):
        return pg.mkBrush(self.color(role, alpha))

    # --- text -------------------------------------------------------------------------------
    def pt(self, points: float) -> float:
        return points * self.font_scale

    def size(self, points: float) -> str:
        """A size for pyqtgraph's labels: "16.5pt"."""
        return f"{round(self.pt(points), 1):g}pt"

    def font(self, points: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(self.pt(points))
        font.setBold(bold)
        return font

    # --- pyqtgraph --------------------------------------------------------------------------
    def style_graphics(self, widget) -> None:
        """A GraphicsView / GraphicsLayoutWidget: its background."""
        widget.setBackground(self.color("background"))

    def style_plot(self, plot: pg.PlotItem, title: str | None = None,
                   left: str | None = None, bottom: str | None = None) -> None:
        """Axes (lines, ticks, fonts), axis labels and title of a PlotItem, in this look.
        None keeps what the plot has; "" removes it."""
        for side in ("left", "bottom", "right", "top"):
            axis = plot.getAxis(side)
            axis.setPen(self.pen("axis"))
            axis.setTextPen(self.pen("text"))
            axis.setTickFont(self.font(AXIS_PT))
            axis.enableAutoSIPrefix(False)
            axis.label.setFont(self.font(AXIS_PT))
            cache_axis(axis)
        for side, text in (("left", left), ("bottom", bottom)):
            if text is not None:
                plot.setLabel(side, text, color=self.hex("text"))
            elif plot.getAxis(side).labelText:
                plot.setLabel(side, plot.getAxis(side).labelText, color=self.hex("text"))
        if title is not None:
            self.set_title(plot, title)

    def set_title(self, plot: pg.PlotItem, title: str) -> None:
        """The plot's title in this look; only on a change (a new title re-lays out)."""
        wanted = (title, self.size(TITLE_PT), self.hex("text"))
        if getattr(plot, "_look_title", None) == wanted:
            return
        plot._look_title = wanted
        plot.setTitle(title or None, size=wanted[1], color=wanted[2])
        if title:
            lines = title.count("<br>") + 1
            height = int(self.font(TITLE_PT).pointSizeF() * 1.9 * lines) + 6
            plot.titleLabel.setMaximumHeight(height)
            plot.layout.setRowFixedHeight(0, height)

    def colormap(self, name: str) -> pg.ColorMap:
        return pg.colormap.get(name)

    def class_colormap(self, tint: float = 1.0) -> pg.ColorMap:
        """p = 0: class 0's colour, 0.5: the background, 1: class 1's colour; tint < 1
        mixes the class colours toward the background (regions under vivid points)."""
        def mix(color: QColor):
            bg = self.color("background")
            return tuple(int(b + tint * (c - b)) for c, b in
                         zip(color.getRgb()[:3], bg.getRgb()[:3]))
        return pg.ColorMap([0.0, 0.5, 1.0], [mix(self.color("class0")),
                                              self.color("background").getRgb()[:3],
                                              mix(self.color("class1"))])

    # --- Qt widgets -------------------------------------------------------------------------
    def qpalette(self) -> QPalette:
        """The Qt palette of the widgets (Fusion honours every role)."""
        p = QPalette()
        roles = QPalette.ColorRole
        for role, name in ((roles.Window, "panel"), (roles.WindowText, "text"),
                           (roles.Base, "base"), (roles.AlternateBase, "panel"),
                           (roles.Text, "text"), (roles.Button, "button"),
                           (roles.ButtonText, "text"), (roles.ToolTipBase, "base"),
                           (roles.ToolTipText, "text"), (roles.PlaceholderText, "muted"),
                           (roles.Highlight, "accent"), (roles.Link, "link")):
            p.setColor(role, self.color(name))
        p.setColor(roles.HighlightedText, QColor("#ffffff" if not self.dark else "#000000"))
        p.setColor(roles.BrightText, self.color("error"))
        disabled = QPalette.ColorGroup.Disabled
        for role in (roles.WindowText, roles.Text, roles.ButtonText):
            p.setColor(disabled, role, self.color("muted"))
        return p


_current = Look()


def configure_pyqtgraph() -> None:
    """pyqtgraph's global options, once at start: antialiasing, row-major images, and
    the current look's background and foreground for items made without their own."""
    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major",
                        background=_current.color("background"),
                        foreground=_current.color("text"))


def current() -> Look:
    """The look of the window now (set by the window)."""
    return _current


def set_current(look: Look) -> None:
    global _current
    _current = look


# --- contrast (WCAG 2) ------------------------------------------------------------------------

def luminance(color) -> float:
    color = QColor(color)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast(a, b) -> float:
    """The WCAG contrast ratio of two colours: 1 (none) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
