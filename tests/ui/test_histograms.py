"""HistogramGrid: bars equal the worker's counts, W / dW toggle, rebuilds only on layer count."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training.snapshot import PARTS, FrameRequest
from dnnviz.training.summaries import make_snapshot
from dnnviz.ui.views.histograms import NO_GRADIENTS, HistogramGrid, grid_columns


def new_session(hidden=(5, 3), steps: int = 50) -> Session:
    s = Session(RunConfig(dataset="moons", hidden=hidden, iterations=50, learning_rate=0.5))
    s.run(iterations=steps)
    return s


@pytest.fixture(scope="module")
def session() -> Session:
    return new_session()


def snapshot(session, gradients: bool = False):
    return make_snapshot(session, FrameRequest(parts=PARTS, gradients=gradients), running=False)


@pytest.fixture
def grid(qtbot) -> HistogramGrid:
    widget = HistogramGrid()
    qtbot.addWidget(widget)
    return widget


def plot_items(widget: HistogramGrid) -> list:
    return [item for item in widget.graphics.ci.items if isinstance(item, pg.PlotItem)]


def bars(curve) -> tuple[np.ndarray, np.ndarray]:
    """(edges, heights) of a stepMode="center" histogram; empty arrays when it has none."""
    x, y = curve.getData()
    return (np.empty(0), np.empty(0)) if x is None else (x, y)


def assert_bars_equal(widget: HistogramGrid, hists) -> None:
    assert len(widget._curves) == len(hists)
    for curve, (counts, edges) in zip(widget._curves, hists):
        x, y = bars(curve)
        np.testing.assert_array_equal(y, counts)
        np.testing.assert_array_equal(x, edges)


def test_bars_are_the_snapshot_counts_per_layer(grid, session):
    snap = snapshot(session)
    grid.show_snapshot(snap)
    assert grid.plot_count() == 3 == len(snap.hists)
    assert_bars_equal(grid, snap.hists)
    assert grid.titles() == ["W1 (5×2)", "W2 (3×5)", "W3 (1×3)"]
    assert grid.message() == ""


def test_a_later_snapshot_reuses_the_plots(grid, session):
    grid.show_snapshot(snapshot(session))
    plots, curves = plot_items(grid), list(grid._curves)
    items = [list(p.items) for p in plots]
    later = new_session(steps=60)
    snap2 = snapshot(later)
    grid.show_snapshot(snap2)
    assert plot_items(grid) == plots and grid._curves == curves
    assert [list(p.items) for p in plots] == items
    assert_bars_equal(grid, snap2.hists)


def test_switching_kind_emits_and_titles_follow_a_dw_snapshot(qtbot, grid, session):
    grid.show_snapshot(snapshot(session))
    with qtbot.waitSignal(grid.sigKindChanged, check_params_cb=lambda on: on is True):
        grid.gradients_radio.click()
    assert grid.gradients()
    assert grid.titles()[0].startswith("W1")  # until the worker sends dW histograms
    snap = snapshot(session, gradients=True)
    assert snap.hist_kind == "dW"
    grid.show_snapshot(snap)
    assert grid.titles() == ["dW1 (5×2)", "dW2 (3×5)", "dW3 (1×3)"]
    assert_bars_equal(grid, snap.hists)
    with qtbot.waitSignal(grid.sigKindChanged, check_params_cb=lambda on: on is False):
        grid.weights_radio.click()


def test_set_gradients_emits_only_on_a_change(grid):
    seen = []
    grid.sigKindChanged.connect(seen.append)
    grid.set_gradients(True)
    grid.set_gradients(True)
    grid.set_gradients(False)
    assert seen == [True, False]
    assert grid.weights_radio.isChecked() and not grid.gradients_radio.isChecked()


def test_set_layers_rebuilds_only_when_the_layer_count_changes(grid):
    grid.set_layers((2, 5, 3, 1))
    plots = plot_items(grid)
    assert len(plots) == 3
    grid.set_layers((4, 7, 6, 1))
    assert plot_items(grid) == plots
    grid.set_layers((2, 4, 1))
    assert len(plot_items(grid)) == 2 == grid.plot_count()
    grid.set_layers((2, 8, 8, 8, 8, 1))
    assert len(plot_items(grid)) == 5


def test_a_snapshot_of_a_deeper_network_rebuilds(grid, session):
    grid.show_snapshot(snapshot(session))
    deeper = snapshot(new_session(hidden=(6, 5, 4), steps=3))
    grid.show_snapshot(deeper)
    assert grid.plot_count() == 4
    assert grid.titles()[-1] == "W4 (1×4)"
    assert_bars_equal(grid, deeper.hists)


def test_empty_hists_show_the_no_gradients_message(grid, session):
    grid.set_gradients(True)
    grid.show_snapshot(snapshot(session, gradients=True))
    grid.show_snapshot(dataclasses.replace(snapshot(session, gradients=True), hists=()))
    assert grid.message() == NO_GRADIENTS
    assert grid.message_label.text() == NO_GRADIENTS
    for curve in grid._curves:  # no stale bars
        assert len(bars(curve)[1]) == 0


def test_before_the_first_step_gradients_wait_for_a_step(grid):
    fresh = new_session(steps=0)
    grid.set_gradients(True)
    grid.show_snapshot(snapshot(fresh, gradients=True))  # the worker falls back to W here
    assert grid.message() == NO_GRADIENTS
    assert grid.titles()[0].startswith("dW1")
    assert all(len(bars(c)[1]) == 0 for c in grid._curves)
    fresh.step()
    snap = snapshot(fresh, gradients=True)
    grid.show_snapshot(snap)
    assert grid.message() == ""
    assert_bars_equal(grid, snap.hists)


def test_weights_before_the_first_step_are_shown(grid):
    snap = snapshot(new_session(steps=0))
    grid.show_snapshot(snap)
    assert grid.message() == ""
    assert_bars_equal(grid, snap.hists)


@pytest.mark.parametrize("count, columns", [(1, 1), (2, 2), (3, 3), (4, 2), (5, 3), (7, 3)])
def test_grid_columns(count, columns):
    assert grid_columns(count) == columns


def test_tooltips_explain_the_view(grid):
    assert "symmetry" in grid.toolTip() and "vanishing" in grid.toolTip()
    assert "dW" in grid.gradients_radio.toolTip()
