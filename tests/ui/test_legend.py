"""The legend below a plot: as high as its rows, up to MAX_ROWS, in any font."""

from __future__ import annotations

import pytest
from PyQt6.QtGui import QFont, QPen

from dnnviz.ui.views.legend import MAX_ROWS, Legend

NAMES = ["class 0 (train)", "class 1 (train)", "class 0 (test)", "class 1 (test)"]


def rows(legend) -> int:
    return len({legend.visualItemRect(legend.item(i)).top() for i in range(legend.count())})


@pytest.mark.parametrize("points", [10, 15, 22])  # the desk, presentation (1.5x), larger
def test_two_rows_of_entries_show_whole_without_a_scroll_bar(qtbot, points):
    legend = Legend()
    qtbot.addWidget(legend)
    font = QFont(legend.font())
    font.setPointSizeF(points)
    legend.setFont(font)
    legend.set_entries([(name, QPen(), None) for name in NAMES])
    legend.resize(int(legend.sizeHintForColumn(0) * 2.5), legend.height())  # two a row
    legend.show()
    qtbot.waitExposed(legend)
    assert rows(legend) == MAX_ROWS
    # every entry in sight (the list view updates its scroll range when it next lays out)
    qtbot.waitUntil(lambda: legend.verticalScrollBar().maximum() == 0, timeout=3000)
    legend.set_entries([(f"{name} {i}", QPen(), None) for i in range(3) for name in NAMES])
    qtbot.waitUntil(lambda: legend.verticalScrollBar().maximum() > 0, timeout=3000)
