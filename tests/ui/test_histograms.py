"""HistogramGrid: bars equal the training process's counts, small layers drawn value by value,
x ranges held over the run (per layer or shared), log10|value|, mean and sd in the titles,
W / dW toggle, rebuilds only on layer count."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pyqtgraph as pg
import pytest

from dnnviz.training import RunConfig, Session
from dnnviz.training.snapshot import HIST_BINS, PARTS, STRIP_VALUES, FrameRequest
from dnnviz.training.summaries import hist_bins, layer_histogram, make_snapshot
from dnnviz.ui.views.histograms import NO_GRADIENTS, HistogramGrid
from dnnviz.ui.views.layer_plot import grid_columns

WIDE = (40, 20)  # W1 40x2 = 80 and W2 20x40 = 800 values: histograms; W3 1x20: a strip


def new_session(hidden=WIDE, steps: int = 50, **changes) -> Session:
    config = RunConfig(dataset="moons", hidden=hidden, iterations=50, learning_rate=0.5)
    s = Session(config.with_changes(**changes))
    s.run(iterations=steps)
    return s


@pytest.fixture(scope="module")
def session() -> Session:
    return new_session()


def snapshot(session, gradients: bool = False, log: bool = False):
    return make_snapshot(session, FrameRequest(parts=PARTS, gradients=gradients, hist_log=log),
                         running=False)


@pytest.fixture
def grid(qtbot) -> HistogramGrid:
    widget = HistogramGrid()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    return widget


def plot_items(widget: HistogramGrid) -> list:
    return [item for item in widget.graphics.ci.items if isinstance(item, pg.PlotItem)]


def bars(curve) -> tuple[np.ndarray, np.ndarray]:
    """(edges, heights) of a stepMode="center" histogram; empty arrays when it has none."""
    x, y = curve.getData()
    return (np.empty(0), np.empty(0)) if x is None else (x, y)


def assert_drawn(widget: HistogramGrid, hists, log: bool = False) -> None:
    """Each layer shows its snapshot's histogram, or every value of a small layer (its
    log10|value| in the log mode)."""
    assert widget.plot_count() == len(hists)
    for i, (curve, hist) in enumerate(zip(widget._curves, hists)):
        if hist.values is not None:
            want = np.log10(np.abs(hist.values[hist.values != 0])) if log else hist.values
            np.testing.assert_array_equal(widget.strip_values(i), want)
            assert len(bars(curve)[1]) == 0
        else:
            assert widget.strip_values(i) is None
            x, y = bars(curve)
            np.testing.assert_array_equal(y, hist.counts)
            np.testing.assert_array_equal(x, hist.edges)


# --- the summary ---------------------------------------------------------------------------

@pytest.mark.parametrize("n", [65, 100, 800, 1_600, 200_000])
def test_about_sqrt_n_bins_capped(n):
    values = np.random.default_rng(n).normal(size=n)
    hist = layer_histogram(values)
    assert len(hist.counts) == hist_bins(n) == min(HIST_BINS, round(math.sqrt(n)))
    assert hist.values is None and hist.size == n
    assert hist.mean == pytest.approx(values[::max(1, n // 50_000)].mean())
    if n <= 50_000:
        assert hist.counts.sum() == n
        np.testing.assert_array_equal(hist.counts, np.histogram(values, hist.edges)[0])
        assert hist.std == pytest.approx(values.std())


def test_a_small_layer_carries_every_value():
    W = np.random.default_rng(0).normal(size=(8, 8))
    hist = layer_histogram(W)
    assert W.size == STRIP_VALUES
    np.testing.assert_array_equal(hist.values, W.ravel())
    assert layer_histogram(np.zeros((5, 13))).values is None  # 65 values: a histogram


def test_log_histograms_are_of_log10_abs_with_zeros_counted_apart():
    values = np.array([0.0] * 10 + [1e-7] * 30 + [-1e-2] * 40 + [5.0] * 20)
    hist = layer_histogram(values, log=True)
    assert hist.zeros == 10
    assert hist.edges[0] == pytest.approx(-7) and hist.edges[-1] == pytest.approx(np.log10(5))
    assert hist.counts.sum() == 90
    np.testing.assert_array_equal(
        hist.counts, np.histogram(np.log10(np.abs(values[10:])), hist.edges)[0])
    assert hist.mean == pytest.approx(values.mean())  # of the values themselves


# --- the view ------------------------------------------------------------------------------

def test_bars_are_the_snapshot_counts_and_small_layers_are_strips(grid, session):
    snap = snapshot(session)
    grid.show_snapshot(snap)
    assert grid.plot_count() == 3 == len(snap.hists)
    assert [h.values is None for h in snap.hists] == [True, True, False]
    assert_drawn(grid, snap.hists)
    np.testing.assert_array_equal(grid.strip_values(2), session.net.Ws[2].ravel())
    assert grid.message() == ""


def test_titles_give_the_shape_mean_and_sd(grid, session):
    grid.show_snapshot(snapshot(session))
    for l, (title, W) in enumerate(zip(grid.titles(), session.net.Ws), start=1):
        shape, stats = title.split("<br>")
        assert shape == f"W{l} ({W.shape[0]}×{W.shape[1]})"
        assert stats == f"mean {W.mean():.2g}, sd {W.std():.2g}"


def test_the_x_range_is_held_over_the_run_never_shrunk(grid):
    session = new_session(steps=1)
    snap = snapshot(session)
    grid.show_snapshot(snap)
    first = grid.x_range(1)
    low, high = snap.hists[1].edges[[0, -1]]
    assert first[0] <= low and first[1] >= high and first[0] == -first[1]  # round, about 0
    shrunk = dataclasses.replace(snap, hists=tuple(
        dataclasses.replace(h, edges=h.edges / 100) for h in snap.hists))
    grid.show_snapshot(shrunk)
    assert grid.x_range(1) == first  # a shrinking histogram looks smaller
    wider = dataclasses.replace(snap, hists=tuple(
        dataclasses.replace(h, edges=h.edges * 10) for h in snap.hists))
    grid.show_snapshot(wider)
    assert grid.x_range(1)[1] >= 10 * high > first[1]


def test_a_shared_x_range_puts_every_layer_on_one_scale(grid, session):
    snap = snapshot(session)
    grid.show_snapshot(snap)
    own = [grid.x_range(i) for i in range(3)]
    assert len(set(own)) > 1
    grid.set_shared(True)
    assert grid.shared() and grid.shared_box.isChecked()
    shared = [grid.x_range(i) for i in range(3)]
    assert len(set(shared)) == 1
    assert shared[0][1] == max(high for _, high in own)
    grid.set_shared(False)
    assert [grid.x_range(i) for i in range(3)] == own


def test_log_mode_asks_for_log_histograms_and_holds_whole_decades(qtbot, grid, session):
    with qtbot.waitSignal(grid.sigLogChanged, check_params_cb=lambda on: on is True):
        grid.log_box.click()
    snap = snapshot(session, gradients=True, log=True)
    assert snap.hist_log and snap.hist_kind == "dW"
    grid.show_snapshot(snap)
    assert_drawn(grid, snap.hists, log=True)
    for i, dW in enumerate(session.net.dWs):
        low, high = grid.x_range(i)
        assert low == math.floor(low) and high == math.ceil(high)
        logs = np.log10(np.abs(dW[dW != 0]))
        assert low <= logs.min() and high >= logs.max()
    assert grid._layers[0].plot.getAxis("bottom").labelText == "log10|dW|"


def test_a_later_snapshot_reuses_the_plots(grid, session):
    grid.show_snapshot(snapshot(session))
    plots, curves = plot_items(grid), list(grid._curves)
    items = [list(p.items) for p in plots]
    snap2 = snapshot(new_session(steps=60))
    grid.show_snapshot(snap2)
    assert plot_items(grid) == plots and grid._curves == curves
    assert [list(p.items) for p in plots] == items
    assert_drawn(grid, snap2.hists)


def test_switching_kind_emits_and_titles_follow_a_dw_snapshot(qtbot, grid, session):
    grid.show_snapshot(snapshot(session))
    with qtbot.waitSignal(grid.sigKindChanged, check_params_cb=lambda on: on is True):
        grid.gradients_radio.click()
    assert grid.gradients()
    assert grid.titles()[0].startswith("W1")  # until the worker sends dW histograms
    snap = snapshot(session, gradients=True)
    assert snap.hist_kind == "dW"
    grid.show_snapshot(snap)
    assert [t.split("<br>")[0] for t in grid.titles()] == ["dW1 (40×2)", "dW2 (20×40)",
                                                           "dW3 (1×20)"]
    assert_drawn(grid, snap.hists)
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
    assert grid.titles()[-1].startswith("W4 (1×4)")
    assert_drawn(grid, deeper.hists)


def test_empty_hists_show_the_no_gradients_message(grid, session):
    grid.set_gradients(True)
    grid.show_snapshot(snapshot(session, gradients=True))
    grid.show_snapshot(dataclasses.replace(snapshot(session, gradients=True), hists=()))
    assert grid.message() == NO_GRADIENTS
    assert grid.message_label.text() == NO_GRADIENTS
    for i, curve in enumerate(grid._curves):  # no stale bars or ticks
        assert len(bars(curve)[1]) == 0 and grid.strip_values(i) is None


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
    assert_drawn(grid, snap.hists)


def test_weights_before_the_first_step_are_shown(grid):
    snap = snapshot(new_session(steps=0))
    grid.show_snapshot(snap)
    assert grid.message() == ""
    assert_drawn(grid, snap.hists)


@pytest.mark.parametrize("count, columns", [(1, 1), (2, 2), (3, 3), (4, 2), (5, 3), (7, 3)])
def test_grid_columns(count, columns):
    assert grid_columns(count) == columns


def test_tooltips_explain_the_view(grid):
    assert "symmetry" in grid.toolTip() and "vanishing" in grid.toolTip()
    assert "dW" in grid.gradients_radio.toolTip()
    assert "log10" in grid.log_box.toolTip() and "same scale" in grid.toolTip()
