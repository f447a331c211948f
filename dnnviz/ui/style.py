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
