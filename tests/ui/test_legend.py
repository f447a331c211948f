"""The legend beside a plot: as high as its rows, every entry in sight, in any font."""

from __future__ import annotations

import pytest
from PyQt6.QtGui import QFont, QPen

from dnnviz.ui.views.legend import Legend

NAMES = ["class 0 (train)", "class 1 (train)", "class 0 (test)", "class 1 (test)"]


def rows(legend) -> int:
    return len({legend.visualItemRect(legend.item(i)).top() for i in range(legend.count())})


def in_sight(legend) -> bool:
    """Every entry inside the legend's viewport, and nothing to scroll."""
    bottom = max(legend.visualItemRect(legend.item(i)).bottom() for i in range(legend.count()))
    return bottom < legend.viewport().height() and legend.verticalScrollBar().maximum() == 0


@pytest.mark.parametrize("points", [10, 15, 22])  # the desk, presentation (1.5x), larger
def test_every_row_of_entries_shows_whole_without_a_scroll_bar(qtbot, points):
    legend = Legend()
    qtbot.addWidget(legend)
    font = QFont(legend.font())
    font.setPointSizeF(points)
    legend.setFont(font)
    legend.set_entries([(name, QPen(), None) for name in NAMES])
    legend.resize(int(legend.sizeHintForColumn(0) * 2.5), legend.height())  # two a row
    legend.show()
    qtbot.waitExposed(legend)
    assert rows(legend) == 2
    qtbot.waitUntil(lambda: in_sight(legend), timeout=3000)
    # three times as many: six rows, all in sight (a lesson's every run stays named)
    legend.set_entries([(f"{name} {i}", QPen(), None) for i in range(3) for name in NAMES])
    qtbot.waitUntil(lambda: rows(legend) == 6 and in_sight(legend), timeout=3000)


def test_an_entry_wider_than_the_legend_ends_at_its_edge(qtbot):
    """A live run named by its settings is long: at 1024 px it ran past the legend's edge,
    cut by the window; it ends with "…" inside the legend instead, in a row of its own."""
    legend = Legend()
    qtbot.addWidget(legend)
    long_name = "12288→20→7→5→1 · lr 0.0075 · seed 1 · scaled · float64: train"
    legend.set_entries([(long_name, QPen(), None), ("test", QPen(), None)])
    legend.resize(220, legend.height())
    legend.show()
    qtbot.waitExposed(legend)
    width = legend.viewport().width()
    qtbot.waitUntil(lambda: legend.visualItemRect(legend.item(0)).right() <= width,
                    timeout=3000)
    assert legend.names()[0] == long_name  # the whole name stays its tooltip's and ours
    assert in_sight(legend)
