"""DistributionsView: the percentile bands and the ratio drawn are the recorded ones, stacked
histograms rise with the iterations, W / dW follows the histograms' switch in the window."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtGui import QFontMetricsF
from window_helpers import drawn, send_steps, show_tab

from dnnviz.training import RunConfig, Session
from dnnviz.training.distributions import BANDS, BINS, MEDIAN
from dnnviz.training.snapshot import FrameRequest
from dnnviz.training.summaries import make_snapshot
from dnnviz.ui.views.band_plot import ridges
from dnnviz.ui.views.distributions import DistributionsView

PARTS = frozenset({"distributions"})
CIRCLES = RunConfig(dataset="circles", hidden=(10, 10, 5), learning_rate=0.1, iterations=200)


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session(CIRCLES)
    s.run(iterations=120)
    return s


@pytest.fixture
def view(qtbot) -> DistributionsView:
    widget = DistributionsView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


def snapshot(session, gradients=False):
    return make_snapshot(session, FrameRequest(parts=PARTS, gradients=gradients))


def test_bands_and_median_are_the_recorded_percentiles(view, session):
    view.show_snapshot(snapshot(session))
    history = session.distributions
    assert view.plot_count() == 4
    for l in range(1, 5):
        x, bands, median = view.band_data(l)
        np.testing.assert_array_equal(x, history.iterations)
        pct = history.pct("W")[:, l - 1]
        for (low, high), (i, j) in zip(bands, BANDS):
            np.testing.assert_array_equal(low, pct[:, i])
            np.testing.assert_array_equal(high, pct[:, j])
        np.testing.assert_array_equal(median, pct[:, MEDIAN])


def test_gradients_leave_out_the_start_and_the_ratio_is_drawn_per_layer(view, session):
    view.show_snapshot(snapshot(session, gradients=True))
    history = session.distributions
    x, bands, median = view.band_data(2)
    np.testing.assert_array_equal(x, history.iterations[1:])  # no dW before the first step
    np.testing.assert_array_equal(median, history.pct("dW")[1:, 1, MEDIAN])
    for l in range(1, 5):
        rx, ry = view.ratio_data(l)
        np.testing.assert_array_equal(rx, history.iterations[1:])
        np.testing.assert_allclose(ry, history.ratio()[1:, l - 1])


def test_stacked_histograms_rise_with_the_iterations(view, session):
    view.set_stacked(True)
    view.show_snapshot(snapshot(session))
    frame = snapshot(session).distributions
    x, y = view.ridge_data(1)
    want_x, want_y = ridges(frame.stacked_iterations, frame.stacked[:, 0],
                            frame.stacked_ranges[:, 0])
    np.testing.assert_array_equal(x, want_x)
    np.testing.assert_array_equal(y, want_y)
    bases = y.reshape(-1, BINS + 1)[:, :BINS].min(axis=1)  # each ridge sits on its iteration
    np.testing.assert_allclose(bases, frame.stacked_iterations)
    assert view.stacked_radio.isChecked()
    view.set_stacked(False)
    assert view.band_data(1)[0] is not None


def test_a_frame_without_a_new_record_draws_nothing_new(view, session):
    snap = snapshot(session)
    view.show_snapshot(snap)
    curve = view._layers[0].median
    before = curve.getData()[1].copy()
    curve.setData([0.0], [0.0])  # would be drawn over if the view drew again
    view.show_snapshot(snap)
    assert curve.getData()[1].tolist() == [0.0]
    assert len(before) == session.distributions.size


def test_the_window_shows_gradients_here_when_the_histograms_do(qtbot, make_window):
    window = make_window(CIRCLES)
    show_tab(window, window.distributions)
    send_steps(window, 20)
    snap = drawn(qtbot, window, lambda s: s.distributions is not None and s.iteration == 20)
    assert snap.distributions.kind == "W"
    window.grad_action.trigger()
    assert window.distributions.gradients() and window.histograms.gradients()
    snap = drawn(qtbot, window, lambda s: s.distributions is not None
                 and s.distributions.kind == "dW")
    x, _, median = window.distributions.band_data(1)
    np.testing.assert_array_equal(median, snap.distributions.percentiles[1:, 0, MEDIAN])
    window.distributions.weights_radio.click()  # its own switch moves the histograms' too
    assert not window.histograms.gradients() and not window.grad_action.isChecked()


@pytest.mark.parametrize("height, projector", [(700, False), (560, True)])  # the desk; 1024x768
def test_the_ratio_plots_layer_names_are_all_inside_it_and_apart(qtbot, view, session, height,
                                                                  projector):
    from dnnviz.ui import look as looks

    before = looks.current()
    looks.set_current(looks.Look("dark", projector))  # text 1.5x in presentation mode
    view.restyle(looks.current())
    looks.set_current(before)
    view.resize(1000, height)
    qtbot.waitUntil(lambda: view.height() == height)
    view.show_snapshot(snapshot(session, gradients=True))
    qtbot.wait(50)
    view.show_snapshot(snapshot(session, gradients=True))  # placed in the laid-out plot
    box = view._ratio_plot.vb
    inside = box.sceneBoundingRect()
    rects = [label.sceneBoundingRect() for label in view._ratio_labels if label.isVisible()]
    assert len(rects) == 4
    line = QFontMetricsF(view._ratio_labels[0].textItem.font()).height()  # one line of text
    for rect in rects:  # the text (a line about the label's centre) not cut at the top
        assert inside.top() - 1 <= rect.center().y() - line / 2
        assert rect.center().y() <= inside.bottom() + 1
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert abs(a.center().y() - b.center().y()) >= 0.95 * line
