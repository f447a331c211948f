"""Shared look: colours and sizes chosen to read on a projector. One place to change them."""

from __future__ import annotations

import pyqtgraph as pg
from PyQt6.QtGui import QFont

CLASS_COLORS = ("#1f77b4", "#ff7f0e")  # label 0, label 1 (blue / orange, colour-blind safe)
TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#d62728"
ACCURACY_COLORS = ("#2ca02c", "#9467bd")  # train, test
WRONG_COLOR = "#d62728"
CURVE_WIDTH = 2
AXIS_FONT_PT = 10
TITLE_SIZE = "11pt"
DIVERGING = "CET-D1A"  # blue-white-red, for signed values (weights, activations, probabilities)
SEQUENTIAL = "viridis"  # for non-negative values (ReLU activations)
SELECTED_COLOR = "#000000"  # frame of the selected thumbnail
SELECTED_FILL = "#ffe680"  # its background: a warm highlight that reads on a projector
SMALL_FONT_PT = 10  # captions under thumbnails and small maps
LABEL_FONT_PT = 11  # section headers ("Test: first 50 of 50")
# classes named after a colour (say "red" / "blue") are drawn in that colour, not CLASS_COLORS
NAMED_CLASS_COLORS = {"red": "#d62728", "blue": "#1f77b4", "green": "#2ca02c",
                      "orange": "#ff7f0e", "purple": "#9467bd"}
REGION_TINT = 0.45  # boundary regions: this much class colour, the rest white (points stay vivid)
AXIS_WIDTH = 56  # px of a left axis, fixed so stacked plots line up
LEGEND_SIZE = "10pt"
READOUT_SCALE = 2.0  # the readout's numbers: this many times the window's text size
CROSSHAIR_COLOR = "#555555"
HIST_COLOR = "#1f77b4"  # histogram bars (outline; the fill is the same, translucent)
HIST_FILL_ALPHA = 110

# Presentation mode (theme.set_presentation): text this much larger, lines this much thicker.
PRESENTATION_FONT_SCALE = 1.5
PRESENTATION_LINE_SCALE = 2.0
# Dark theme (theme.set_theme): a dark grey, not black, so that a projector still shows
# the edges of panels; text and axes light grey rather than pure white, to limit glare.
DARK_BACKGROUND = "#1e1e1e"
DARK_BASE = "#2a2a2a"  # text fields, lists, tables
DARK_BUTTON = "#353535"
DARK_TEXT = "#e8e8e8"
DARK_AXIS = "#c8c8c8"
DARK_DISABLED_TEXT = "#8a8a8a"
DARK_HIGHLIGHT = "#3d7bd9"
DARK_LINK = "#6cb6ff"
DARK_LEGEND_BRUSH = (30, 30, 30, 215)
DARK_LEGEND_PEN = (255, 255, 255, 70)
# Data colours too dark to read on DARK_BACKGROUND (contrast below ~4:1), and their stand-ins
# in the dark theme. Items drawn over an image (boundary plane, activation maps) keep theirs.
DARK_DATA_COLORS = {
    "#1f77b4": "#5aa9e6",  # TRAIN_COLOR, CLASS_COLORS[0], HIST_COLOR
    "#d62728": "#ff6b6b",  # TEST_COLOR, WRONG_COLOR
    "#9467bd": "#b99ae6",  # test accuracy
    "#000000": "#e8e8e8",  # black: the hover marker, an earlier run's curve
    "#555555": "#a8a8a8",  # CROSSHAIR_COLOR, the histograms' zero line
}


def configure_pyqtgraph() -> None:
    pg.setConfigOptions(antialias=True, background="w", foreground="k", imageAxisOrder="row-major")


def colormap(name: str) -> pg.ColorMap:
    return pg.colormap.get(name)


def style_plot(plot: pg.PlotItem, title: str = "", left: str = "", bottom: str = "") -> None:
    """Title, axis labels and readable tick fonts on a PlotItem."""
    if title:
        plot.setTitle(title, size=TITLE_SIZE)
    font = QFont()
    font.setPointSize(AXIS_FONT_PT)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setTickFont(font)
        axis.setStyle(tickTextOffset=4)
    if left:
        plot.setLabel("left", left)
    if bottom:
        plot.setLabel("bottom", bottom)


def font(points: float, bold: bool = False) -> QFont:
    """A font of this many points (the dialogs' large, projector-readable text)."""
    f = QFont()
    f.setPointSizeF(points)
    f.setBold(bold)
    return f
