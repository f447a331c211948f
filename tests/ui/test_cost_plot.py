"""CostPlot: draws what the Snapshot holds, reuses its items, log axis, value under the mouse."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PyQt6.QtCore import QPointF

from dnnviz.training import RunConfig, Session
from dnnviz.training.history import MAX_CURVE_POINTS, downsample
from dnnviz.training.snapshot import PARTS, FrameRequest
from dnnviz.training.summaries import make_snapshot
from dnnviz.ui.views.cost_plot import MAX_MARKERS, CostPlot


def trained(iterations: int = 50) -> Session:
    s = Session(RunConfig(dataset="moons", hidden=(5, 3), iterations=iterations,
                          learning_rate=0.5))
    s.run(iterations=iterations)
    return s


@pytest.fixture(scope="module")
def session() -> Session:
    return trained()


@pytest.fixture
def snap(session):
    return make_snapshot(session, FrameRequest(parts=PARTS), running=False)


@pytest.fixture
def plot(qtbot) -> CostPlot:
    widget = CostPlot()
    qtbot.addWidget(widget)
    return widget


def shown(qtbot, widget: CostPlot) -> CostPlot:
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def drawn(qtbot, widget: CostPlot, snap) -> CostPlot:
    """Shown with snap painted once: auto-range is applied at paint time, and the mouse
    can only be over what was painted."""
    shown(qtbot, widget).show_snapshot(snap)
    widget.grab()
    return widget


def data(item):
    """(x, y) as displayed; empty arrays for an empty item."""
    x, y = item.getData()
    return (np.empty(0), np.empty(0)) if x is None else (x, y)


def test_snapshot_draws_the_cost_history_and_the_evaluations(plot, snap):
    plot.show_snapshot(snap)
    # The training curve downsamples for display: its input is the snapshot's arrays.
    original = plot.train_curve.getOriginalDataset()
    np.testing.assert_array_equal(original[0], snap.cost_x)
    np.testing.assert_array_equal(original[1], snap.cost_y)
    np.testing.assert_array_equal(data(plot.train_curve)[1], snap.cost_y)  # 50 points: all
    it = snap.evals[:, 0]
    for item, column in ((plot.test_curve, 2), (plot.train_acc_curve, 3),
                         (plot.test_acc_curve, 4)):
        x, y = data(item)
        np.testing.assert_array_equal(x, it)
        np.testing.assert_array_equal(y, snap.evals[:, column])
    assert len(snap.cost_y) == 50 and len(it) > 1
    assert ((0 <= data(plot.test_acc_curve)[1]) & (data(plot.test_acc_curve)[1] <= 1)).all()


def test_a_later_snapshot_updates_the_same_items(plot, snap):
    plot.show_snapshot(snap)
    before = (list(plot.cost_plot.items), list(plot.acc_plot.items))
    later = trained(80)
    snap2 = make_snapshot(later, FrameRequest(parts=PARTS), rate=0.0, running=True)
    plot.show_snapshot(snap2)
    after = (list(plot.cost_plot.items), list(plot.acc_plot.items))
    assert after == before
    np.testing.assert_array_equal(data(plot.train_curve)[1], snap2.cost_y)
    np.testing.assert_array_equal(data(plot.test_curve)[1], snap2.evals[:, 2])


def test_the_evaluation_curves_are_drawn_again_only_when_an_evaluation_comes(plot, snap):
    """Evaluations come every 10th iteration or so, frames about every 4th: a frame with
    the same evaluations draws only the training curve; one with a new evaluation, or
    after a clear, all of them."""
    plot.show_snapshot(snap)
    drawn = []
    for item in (plot.test_curve, plot.train_acc_curve, plot.test_acc_curve):
        item.sigPlotChanged.connect(lambda item=item: drawn.append(item))
    trained_more = dataclasses.replace(snap, cost_x=np.append(snap.cost_x, 50),
                                       cost_y=np.append(snap.cost_y, snap.cost_y[-1]))
    plot.show_snapshot(trained_more)
    assert drawn == []
    np.testing.assert_array_equal(data(plot.train_curve)[1], trained_more.cost_y)
    row = snap.evals[-1].copy()
    row[0], row[2] = 50, 0.123
    evaluated = dataclasses.replace(trained_more, evals=np.vstack([snap.evals, row]))
    plot.show_snapshot(evaluated)
    assert len(drawn) == 3
    assert data(plot.test_curve)[1][-1] == 0.123
    plot.clear()
    drawn.clear()
    plot.show_snapshot(evaluated)
    assert len(drawn) == 3 and data(plot.test_curve)[1][-1] == 0.123


def test_clear_empties_every_curve(plot, snap):
    plot.show_snapshot(snap)
    plot.clear()
    for item in (plot.train_curve, plot.test_curve, plot.train_acc_curve,
                 plot.test_acc_curve):
        assert len(data(item)[1]) == 0
    assert plot.hover_text() == ""


def test_log_scale_puts_the_cost_axis_in_log_mode(qtbot, plot, snap):
    plot.show_snapshot(snap)
    plot.set_log_scale(True)
    assert plot.cost_plot.getAxis("left").logMode
    assert plot.log_check.isChecked() and plot.log_scale()
    np.testing.assert_allclose(data(plot.train_curve)[1], np.log10(snap.cost_y))
    with qtbot.waitSignal(plot.sigLogScaleChanged, check_params_cb=lambda on: on is False):
        plot.log_check.click()  # the checkbox drives the same state
    assert not plot.cost_plot.getAxis("left").logMode and not plot.log_scale()
    assert not plot.acc_plot.getAxis("left").logMode


def test_log_scale_with_a_zero_cost_does_not_warn(qtbot, plot, snap):
    y = snap.cost_y.copy()
    y[-1] = 0.0
    zero = dataclasses.replace(snap, cost_y=y)
    plot.set_log_scale(True)
    plot.show_snapshot(zero)
    shown(qtbot, plot).grab()  # paint and auto-range: warnings would be errors here
    assert np.isfinite(data(plot.train_curve)[1]).all()


@pytest.mark.parametrize("log", [False, True])
def test_hover_names_the_nearest_iteration_and_its_cost(qtbot, plot, snap, log):
    plot.set_log_scale(log)
    drawn(qtbot, plot, snap)
    k = 20
    x, y = snap.cost_x[k], snap.cost_y[k]
    pos = plot.cost_plot.vb.mapViewToScene(QPointF(x + 0.2, np.log10(y) if log else y))
    plot._on_mouse_moved(pos)
    assert plot.hover_text() == f"iteration {k}, cost {y:.4f}"
    assert plot.hover_label.text() == plot.hover_text()
    assert plot.cost_vline.value() == pytest.approx(x)


def test_hover_over_the_accuracy_plot_reads_the_evaluation(qtbot, plot, snap):
    drawn(qtbot, plot, snap)
    row = snap.evals[3]
    pos = plot.acc_plot.vb.mapViewToScene(QPointF(row[0], 0.5))
    plot._on_mouse_moved(pos)
    assert plot.hover_text() == (f"iteration {int(row[0])}, train accuracy {row[3]:.1%}, "
                                 f"test accuracy {row[4]:.1%}")


def test_mouse_moves_reach_the_hover_through_the_rate_limiter(qtbot, plot, snap):
    drawn(qtbot, plot, snap)
    pos = plot.cost_plot.vb.mapViewToScene(QPointF(snap.cost_x[7], snap.cost_y[7]))
    plot.graphics.scene().sigMouseMoved.emit(pos)
    qtbot.waitUntil(lambda: plot.hover_text().startswith("iteration 7,"), timeout=2000)


def test_markers_only_while_the_evaluations_are_few(plot, snap):
    few = dataclasses.replace(snap, evals=snap.evals[:MAX_MARKERS])
    plot.show_snapshot(few)
    assert plot.test_curve.opts["symbol"] == "o"
    many = np.repeat(snap.evals[:1], MAX_MARKERS + 1, axis=0)
    many[:, 0] = np.arange(MAX_MARKERS + 1)
    plot.show_snapshot(dataclasses.replace(snap, evals=many))
    assert plot.test_curve.opts["symbol"] is None
    assert plot.test_acc_curve.opts["symbol"] is None


def test_a_long_history_is_drawn_downsampled_on_the_same_items(plot, snap):
    # No timing assertion (shared, noisy machines): the speed comes from drawing a
    # downsampled curve on items made once, and that is what is checked.
    costs = 0.7 * np.exp(-np.arange(100_000) / 20_000.0) + 0.01
    x, y = downsample(costs)
    its = np.arange(0, 100_000, 400, dtype=np.float64)
    evals = np.column_stack([its, costs[its.astype(int)], costs[its.astype(int)] + 0.05,
                             np.full_like(its, 0.9), np.full_like(its, 0.85)])
    long = dataclasses.replace(snap, cost_x=x, cost_y=y, evals=evals)
    items = list(plot.cost_plot.items)
    for _ in range(3):
        plot.show_snapshot(long)
    assert list(plot.cost_plot.items) == items
    drawn_x, drawn_y = plot.train_curve.getOriginalDataset()
    assert len(drawn_x) <= MAX_CURVE_POINTS + 1 and drawn_x[-1] == 99_999
    np.testing.assert_array_equal(drawn_y, y)


def test_the_legend_sits_outside_the_plots_so_it_covers_no_curve(qtbot, plot, snap):
    # On the cat data the test cost rises into the top right and the accuracies run along
    # the top: no corner of either plot is free, so the legend is a row of its own.
    drawn(qtbot, plot, snap)
    assert plot.legend.names() == ["train", "test"]
    assert plot.legend.geometry().bottom() <= plot.graphics.geometry().top()


def test_hover_line_stays_one_line_when_narrow(qtbot):
    from PyQt6.QtGui import QFont

    from dnnviz.ui.views.cost_hover import HOVER_HINT
    from dnnviz.ui.views.cost_plot import CostPlot
    plot = CostPlot()
    qtbot.addWidget(plot)
    font = QFont(plot.hover_label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)  # presentation mode's text
    plot.hover_label.setFont(font)
    plot.resize(300, 400)
    plot.show()
    qtbot.waitExposed(plot)
    label = plot.hover_label
    assert not label.wordWrap()
    assert label.height() < 2 * label.fontMetrics().height()
    assert label.minimumSizeHint().width() <= 1  # never widens the pane
    assert label.text() == HOVER_HINT  # the whole text, elided only when painted
    assert label.toolTip() == label.text()


def test_without_penalty_the_training_curve_is_the_cost_with_lambd_zero(plot):
    """A regularised run: its curve is cross-entropy + λ/2m·Σ‖W‖² as the steps saw it;
    "Without penalty" draws the session's evaluations: the cost of the parameters with
    lambd = 0 (the last one at the parameters the run ended with)."""
    from dnnviz.nn import functional as F
    from dnnviz.nn.regularization import compute_cost_with_regularization

    s = Session(RunConfig(dataset="moons", hidden=(5, 3), iterations=40, learning_rate=0.5,
                          l2=0.7))
    s.run(iterations=39)
    seen = {k: v.copy() for k, v in s.net.parameters.items()}  # what step 40 saw
    s.run(iterations=1)
    plot.show_snapshot(make_snapshot(s, FrameRequest(), running=False))
    AL = F.L_model_forward(s.X, seen)[0]
    with_penalty = compute_cost_with_regularization(AL, s.Y, seen, 0.7)
    assert data(plot.train_curve)[1][-1] == pytest.approx(with_penalty)
    plot.set_data_cost(True)
    x, y = data(plot.train_curve)
    AL_now = F.L_model_forward(s.X, s.net.parameters)[0]
    assert y[-1] == pytest.approx(F.compute_cost(AL_now, s.Y), rel=1e-9)
    assert y[-1] < with_penalty - 0.01
    assert plot.legend.names()[0] == "train without penalty"
    plot.set_data_cost(False)
    assert data(plot.train_curve)[1][-1] == pytest.approx(with_penalty)


@pytest.mark.parametrize("log", [False, True])
def test_a_projectors_short_cost_axis_draws_three_readable_ticks(qtbot, snap, log):
    """Presentation mode's large type on a short cost plot (1024x768): not a lone "0.5"
    (a label at the very end of an axis is not drawn: it does not count)."""
    from PyQt6.QtGui import QImage, QPainter

    from dnnviz.ui import look as looks

    plot = CostPlot()
    qtbot.addWidget(plot)
    plot.restyle(looks.Look(presentation=True))
    plot.set_log_scale(log)
    plot.resize(500, 330)  # the cost scene's plot at 1024x768, presentation mode
    plot.show()
    qtbot.waitExposed(plot)
    plot.show_snapshot(snap)
    plot.grab()
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    texts = plot.cost_plot.getAxis("left").generateDrawSpecs(painter)[2]
    painter.end()
    labels = [text for _, _, text in texts if text]
    assert len(labels) >= 3, labels
    assert len(set(labels)) == len(labels)
    rects = sorted((rect for rect, _, text in texts if text), key=lambda r: r.top())
    assert all(not a.intersects(b) for a, b in zip(rects, rects[1:]))  # none overlap
