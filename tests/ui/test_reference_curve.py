"""The cost plot beside a student's run: dnnviz's reference costs as a band, the first
mismatch as a labelled line, both in the legend, in the axis range, on the log axis."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dnnviz.student import Mismatch
from dnnviz.training import RunConfig, Session
from dnnviz.training.snapshot import ReferenceRun
from dnnviz.training.summaries import make_snapshot
from dnnviz.ui.views.cost_plot import LOG_FLOOR, CostPlot
from dnnviz.ui.views.reference import LABEL


@pytest.fixture(scope="module")
def snap():
    session = Session(RunConfig(dataset="moons", hidden=(5, 3), iterations=100))
    session.run(iterations=40)
    return make_snapshot(session)


@pytest.fixture
def plot(qtbot) -> CostPlot:
    widget = CostPlot()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def beside(snap, costs, mismatch=None):
    costs = np.asarray(costs, dtype=float)
    return dataclasses.replace(snap, reference=ReferenceRun(
        np.arange(len(costs), dtype=float), costs, mismatch))


def test_a_run_without_a_reference_shows_none(plot, snap):
    plot.show_snapshot(snap)
    assert not plot.reference.curve.isVisible() and not plot.reference.line.isVisible()
    assert plot.legend.names() == ["train", "test"]


def test_the_reference_band_and_the_first_mismatch(plot, snap):
    costs = np.linspace(3.0, 0.2, 40)  # above every live cost at first
    mismatch = Mismatch(iteration=7, array="W2", difference=3.2e-3)
    plot.show_snapshot(beside(snap, costs, mismatch))
    reference = plot.reference
    x, y = reference.curve.getOriginalDataset()
    np.testing.assert_array_equal(y, costs)
    assert reference.curve.isVisible() and reference.line.value() == 7
    label = reference.label
    assert label.isVisible() and label.text == "W2 differs\nfrom iteration 7"
    assert label.anchor == (0.0, 0.0)  # early: the label to its right
    (_, _), (_, top) = plot.cost_plot.vb.viewRange()
    assert (label.pos().x(), label.pos().y()) == (7, top)  # hanging from the top
    assert plot.legend.names() == ["train", "test", LABEL,
                                   "W2 (layer 2) differs from iteration 7"]
    (_, _), (low, high) = plot.cost_plot.vb.viewRange()
    assert high >= 3.0  # the axis takes the reference in
    late = Mismatch(iteration=90, array="b3", difference=1.0)
    plot.show_snapshot(beside(snap, costs, late))
    assert reference.label.anchor == (1.0, 0.0)  # late: to its left
    assert "b3 (layer 3) differs from iteration 90" in plot.legend.names()


def test_no_mismatch_no_line(plot, snap):
    plot.show_snapshot(beside(snap, snap.cost_y))
    assert plot.reference.curve.isVisible() and not plot.reference.line.isVisible()
    assert plot.legend.names() == ["train", "test", LABEL]


def test_the_log_axis_floors_the_reference_too(plot, snap):
    costs = np.array([0.7, 0.3, 0.0])
    plot.show_snapshot(beside(snap, costs, Mismatch(1, "b1", 0.1)))
    plot.set_log_scale(True)
    _, y = plot.reference.curve.getOriginalDataset()
    np.testing.assert_array_equal(y, [0.7, 0.3, LOG_FLOOR])
    (_, _), (_, top) = plot.cost_plot.vb.viewRange()  # log10 of the top: still hanging there
    assert plot.reference.label.pos().y() == top
    plot.set_log_scale(False)
    _, y = plot.reference.curve.getOriginalDataset()
    np.testing.assert_array_equal(y, costs)


def test_it_goes_with_the_reference_and_with_a_new_session(plot, snap):
    plot.show_snapshot(beside(snap, snap.cost_y, Mismatch(0, "W1", 1.0)))
    plot.show_snapshot(snap)  # dnnviz's own functions again
    assert not plot.reference.curve.isVisible() and not plot.reference.line.isVisible()
    assert not plot.reference.label.isVisible()
    assert plot.legend.names() == ["train", "test"]
    plot.show_snapshot(beside(snap, snap.cost_y, Mismatch(0, "W1", 1.0)))
    plot.clear()  # a new session: nothing of the old one's reference stays
    assert not plot.reference.curve.isVisible() and not plot.reference.line.isVisible()
    plot.show_snapshot(snap)
    assert plot.legend.names() == ["train", "test"]
