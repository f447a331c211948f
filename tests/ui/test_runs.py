"""Compare runs: kept runs' curves on the cost plot, shown/hidden/cleared from the table."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from dnnviz.training import RunConfig, Session
from dnnviz.training.snapshot import PARTS, FrameRequest
from dnnviz.training.summaries import make_snapshot, run_pictures
from dnnviz.ui import look as looks
from dnnviz.ui.views.cost_plot import LOG_FLOOR, CostPlot
from dnnviz.ui.views.runs import CURRENT, RunComparison, RunsTable
from dnnviz.window_model.runs import RUN_CURVE_POINTS, RunRecord, Runs

DIMS = "2→4→1"


def snapshot(learning_rate: float, iterations: int, init: str = "he"):
    session = Session(RunConfig(dataset="flower", hidden=(4,), learning_rate=learning_rate,
                                iterations=iterations, init=init))
    session.run(iterations=iterations)
    return make_snapshot(session, FrameRequest(parts=PARTS), running=False)


@pytest.fixture(scope="module")
def slow():
    return snapshot(0.05, 60)


@pytest.fixture(scope="module")
def fast():
    return snapshot(1.2, 40, init="scaled")


@pytest.fixture
def plot(qtbot) -> CostPlot:
    widget = CostPlot()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def table(qtbot) -> RunsTable:
    widget = RunsTable()
    qtbot.addWidget(widget)
    return widget


def connect(table, plot, runs: Runs | None = None) -> Runs:
    """Compared runs with the table and the cost plot following them."""
    runs = Runs() if runs is None else runs
    RunComparison(runs, table, plot)
    return runs


def keep(runs: Runs, snap, init: str, dataset: str, **options) -> RunRecord:
    record = RunRecord.from_snapshot(snap, init, dataset, **options)
    runs.keep(record)
    return record


@pytest.fixture
def runs(plot, table, slow, fast):
    """Compared runs holding two kept runs: slow (lr 0.05, he), fast (lr 1.2, scaled)."""
    runs = connect(table, plot)
    keep(runs, slow, "he", "flower")
    keep(runs, fast, "scaled", "flower")
    return runs


def data(item):
    x, y = item.getData()
    return (np.empty(0), np.empty(0)) if x is None else (x, y)


def legend_labels(plot) -> list[str]:
    return plot.legend.names()


def overlay_items(plot: CostPlot) -> list:
    """The kept runs' cost curves on the cost plot (not the live run's, nor their test
    curves)."""
    live = {plot.train_curve, plot.test_curve, plot.marker, plot.reference.curve}
    live |= {plot.run_test_curves(i)[0] for i in range(len(plot.runs()))}
    return [item for item in plot.cost_plot.listDataItems() if item not in live]


def test_kept_runs_are_drawn_with_their_costs_below_the_live_run(plot, runs, slow, fast):
    plot.show_snapshot(fast)
    assert [r.iterations for r in plot.runs()] == [60, 40]
    assert overlay_items(plot) == [plot.run_curve(0), plot.run_curve(1)]
    for i, snap in enumerate((slow, fast)):
        x, y = data(plot.run_curve(i))
        np.testing.assert_array_equal(x, snap.cost_x)
        np.testing.assert_array_equal(y, snap.cost_y)
    live_pen = plot.train_curve.opts["pen"]
    pens = [plot.run_curve(i).opts["pen"] for i in range(2)]
    assert all(p.widthF() < live_pen.widthF() and p.color().alpha() < 255 for p in pens)
    assert pens[0].color().rgb() != pens[1].color().rgb()
    assert all(plot.run_curve(i).zValue() < plot.train_curve.zValue() for i in range(2))


def test_the_legend_names_each_run_by_its_dims_learning_rate_and_init(plot, runs):
    labels = legend_labels(plot)
    assert labels[:2] == ["train", "test"]
    assert labels[2:] == [f"{DIMS} · lr 0.05 · he", f"{DIMS} · lr 1.2 · scaled"]


def test_unticking_a_row_hides_exactly_that_curve(qtbot, plot, table, runs):
    box = table.table.item(0, 0)
    with qtbot.waitSignal(table.sigVisibilityChanged, check_params_cb=lambda i, on: (i, on)
                          == (0, False)):
        box.setCheckState(Qt.CheckState.Unchecked)  # what a click on the box does
    assert not plot.run_curve(0).isVisible() and plot.run_curve(1).isVisible()
    assert [r.visible for r in runs.records] == [False, True]
    box.setCheckState(Qt.CheckState.Checked)
    assert plot.run_curve(0).isVisible()


def test_unticking_a_run_in_the_legend_hides_it_and_unticks_its_row(plot, table, runs):
    entry = plot.legend.item(2 + 1)  # after "train" and "test"
    entry.setCheckState(Qt.CheckState.Unchecked)  # what a click on its box does
    assert not plot.run_curve(1).isVisible() and plot.run_curve(0).isVisible()
    assert not table.row_visible(1) and table.row_visible(0)
    assert not runs[1].visible


def test_log_scale_transforms_the_kept_curves_as_it_does_the_live_one(plot, runs, slow, fast):
    plot.show_snapshot(slow)
    plot.set_log_scale(True)
    live = data(plot.train_curve)[1]
    np.testing.assert_allclose(data(plot.run_curve(0))[1], live)  # same costs, same transform
    np.testing.assert_allclose(data(plot.run_curve(1))[1], np.log10(fast.cost_y))
    later = dataclasses.replace(fast, cost_y=np.where(np.arange(len(fast.cost_y)) == 3, 0.0,
                                                      fast.cost_y))
    keep(runs, later, "scaled", "flower")  # added while the axis is logarithmic
    y = data(plot.run_curve(2))[1]
    assert np.isfinite(y).all() and y[3] == pytest.approx(np.log10(LOG_FLOOR))
    plot.set_log_scale(False)
    np.testing.assert_array_equal(data(plot.run_curve(1))[1], fast.cost_y)


def test_clear_runs_removes_every_kept_curve_and_empties_the_table(qtbot, plot, table, runs,
                                                                   slow):
    plot.show_snapshot(slow)
    with qtbot.waitSignal(table.sigCleared):
        qtbot.mouseClick(table.clear_button, Qt.MouseButton.LeftButton)
    assert plot.runs() == [] and overlay_items(plot) == []
    assert legend_labels(plot) == ["train", "test"]
    assert table.row_count() == 0 and len(runs) == 0
    np.testing.assert_array_equal(data(plot.train_curve)[1], slow.cost_y)  # live run stays


def test_clearing_the_live_run_keeps_the_earlier_ones(plot, runs, slow):
    plot.show_snapshot(slow)
    plot.clear()
    assert len(data(plot.train_curve)[1]) == 0
    assert len(overlay_items(plot)) == 2 and len(data(plot.run_curve(0))[1]) == 60


def test_the_table_shows_each_runs_final_cost_and_accuracies(table, runs, slow, fast):
    assert table.row_count() == 2
    for row, snap in enumerate((slow, fast)):
        # the accuracies the readout showed at the run's last frame
        assert table.cell_text(row, "train acc") == f"{snap.train_accuracy:.1%}"
        assert table.cell_text(row, "test acc") == f"{snap.test_accuracy:.1%}"
        assert table.cell_text(row, "final cost") == f"{snap.cost:.4f}"
        assert table.cell_text(row, "iterations") == str(snap.iteration)
        assert table.cell_text(row, "run") == runs[row].label
        assert table.row_visible(row)
    swatch = table.table.item(1, 1).background().color().name()
    assert swatch == looks.current().run_color(runs[1].color).name()


def test_a_run_without_accuracies_shows_none(table, plot, slow):
    none = dataclasses.replace(slow, train_accuracy=float("nan"), test_accuracy=float("nan"))
    record = keep(connect(table, plot), none, "he", "flower")
    assert record.train_accuracy is None and record.test_accuracy is None
    assert table.cell_text(0, "train acc") == "–" == table.cell_text(0, "test acc")


def test_the_oldest_run_goes_first_when_the_history_is_full(plot, table, slow, fast):
    runs = connect(table, plot, Runs(max_runs=2))
    for lr in (0.1, 0.2, 0.4):
        keep(runs, dataclasses.replace(slow, learning_rate=lr), "he", "flower")
    assert [r.learning_rate for r in plot.runs()] == [0.2, 0.4]
    assert [table.cell_text(i, "run") for i in range(2)] == [r.label for r in plot.runs()]
    assert legend_labels(plot)[2:] == [r.label for r in plot.runs()]
    assert len(overlay_items(plot)) == 2


def test_a_record_copies_the_snapshot_and_thins_a_long_history(slow):
    n = 30_000
    long = dataclasses.replace(slow, cost_x=np.arange(n, dtype=float),
                               cost_y=np.linspace(0.7, 0.1, n), iteration=n)
    record = RunRecord.from_snapshot(long, "he", "flower", seed=3)
    assert len(record.cost_x) <= RUN_CURVE_POINTS + 1 and record.cost_x[-1] == n - 1
    np.testing.assert_array_equal(record.cost_y, long.cost_y[record.cost_x.astype(int)])
    long.cost_y[:] = 0.0
    assert record.cost_y[0] == pytest.approx(0.7)
    assert record.label == f"{DIMS} · lr 0.05 · he" and record.seed == 3


def test_the_legend_stays_outside_the_plots_and_short(qtbot, plot):
    long = RunRecord(label="12288→20→7→5→1 · lr 0.0075 · scaled", dataset="cat",
                     layer_dims=(12288, 20, 7, 5, 1), learning_rate=0.0075, init="scaled",
                     iterations=3, cost_x=np.arange(3.0), cost_y=np.array([0.7, 0.6, 0.5]),
                     final_cost=0.5, train_accuracy=0.6, test_accuracy=0.5)
    plot.resize(420, 480)
    plot.show()
    qtbot.waitExposed(plot)
    height = plot.graphics.height()
    for _ in range(8):
        plot.add_run(dataclasses.replace(long))
    qtbot.wait(10)
    legend = plot.legend
    assert legend.count() == 2 + 8
    # above the plots, not over them; every run named, nothing to scroll
    assert legend.geometry().bottom() <= plot.graphics.geometry().top()
    last = legend.visualItemRect(legend.item(legend.count() - 1))
    assert last.bottom() < legend.viewport().height()
    assert legend.verticalScrollBar().maximum() == 0
    assert plot.graphics.height() >= height / 3  # the plots keep room


def test_the_current_run_is_the_last_row_and_stays_when_the_kept_ones_are_cleared(runs, table,
                                                                                  slow):
    current = RunRecord.from_snapshot(slow, "he", "flower", label="now: α = 0.05")
    runs.set_current(current)
    assert table.row_count() == 2 and table.table.rowCount() == 3
    assert table.current_text("run") == "now: α = 0.05" + CURRENT
    assert table.current_text("final cost") == f"{slow.cost:.4f}"
    assert not table.table.item(2, 0).flags() & Qt.ItemFlag.ItemIsUserCheckable
    runs.clear()
    assert table.row_count() == 0 and table.current_text("run").startswith("now")
    runs.set_current(None)
    assert table.current_text("run") is None and table.table.rowCount() == 0
    assert table.hint.isVisibleTo(table)


def test_kept_pictures_are_drawn_on_each_runs_card(plot, table, slow):
    session = Session(RunConfig(dataset="flower", hidden=(4,), iterations=5))
    pictures = run_pictures(session)
    runs = connect(table, plot)
    keep(runs, slow, "he", "flower", label="with", pictures=pictures)
    keep(runs, slow, "he", "flower", label="without")
    assert table.pictures(0) == (True, True) and table.pictures(1) == (False, False)
    assert [table.cards.item(i).text() for i in range(2)] == ["with", "without"]
    np.testing.assert_array_equal(
        pictures.boundary, session.net.forward(session.grid).reshape(120, 120)[::2, ::2]
        .astype(np.float32))
    looks.set_current(looks.Look("dark"))
    try:
        table.restyle(looks.current())  # drawn again in the new colours
        assert table.pictures(0) == (True, True)
    finally:
        looks.set_current(looks.Look())


def test_kept_runs_keep_their_test_cost_and_accuracy_and_hide_with_their_run(plot, runs,
                                                                             slow, fast):
    for i, snap in enumerate((slow, fast)):
        test_cost, test_acc = plot.run_test_curves(i)
        evals = np.asarray(snap.evals)
        np.testing.assert_array_equal(data(test_cost)[0], evals[:, 0])
        np.testing.assert_array_equal(data(test_cost)[1], evals[:, 2])  # the test cost
        np.testing.assert_array_equal(data(test_acc)[1], evals[:, 4])  # the test accuracy
        assert test_acc in plot.acc_plot.listDataItems()
    plot.set_run_visible(0, False)
    assert not any(c.isVisible() for c in (plot.run_curve(0), *plot.run_test_curves(0)))
    assert all(c.isVisible() for c in (plot.run_curve(1), *plot.run_test_curves(1)))
    plot.clear_runs()
    assert len(plot.acc_plot.listDataItems()) == 2  # the live run's train and test accuracy


def test_a_narrow_table_gives_up_its_spare_columns_before_the_names(qtbot, table, runs):
    table.resize(1400, 300)
    table.show()
    qtbot.waitExposed(table)
    assert all(table.column_shown(c) for c in ("data", "iterations", "final cost"))
    table.resize(420, 300)  # a projector's third of a 1024-px screen
    qtbot.waitUntil(lambda: not table.column_shown("data"))
    label = table.table.horizontalHeader().sectionSize(2)
    assert label >= 0.3 * table.table.viewport().width() - 1
    assert table.column_shown("test acc") and table.column_shown("train acc")


def test_a_card_is_as_wide_as_a_few_words_of_its_name_even_with_narrow_pictures(qtbot):
    """A picture run's cards have only narrow histograms: their names must not wrap a word
    a line ("2-\\nlayer:\\n12288")."""
    from types import SimpleNamespace

    from dnnviz.ui.views.run_pictures import CARD_NAME_EMS, RunCards
    cards = RunCards()
    qtbot.addWidget(cards)
    record = SimpleNamespace(label="2-layer: 12288 → 7 → 1", pictures=None,
                             describe=lambda: "")
    cards.set_runs([record])
    assert cards.gridSize().width() >= cards.fontMetrics().horizontalAdvance(
        "M" * CARD_NAME_EMS)
