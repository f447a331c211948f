"""MainWindow, driven like a person would: buttons, keys, controls; effects on session and views.

Every wait is on a condition (qtbot.waitUntil on the drawn snapshot or the session), never a
sleep, and nothing asserts how fast anything is. The worker thread owns the session; the
tests read it only while the worker is idle (after a pause or a finished step) or read
plain counters (iteration, learning_rate) that are safe to read at any time.
"""

from __future__ import annotations

import copy
import math

import h5py
import numpy as np
import pytest
from PyQt6.QtCore import Qt
from window_helpers import (
    IMAGE_PAGE,
    LONG,
    PLANE_PAGE,
    WAIT_MS,
    at_iteration,
    click,
    drawn,
    fresh,
    front_tab,
    live,
    original,
    paused,
    send_steps,
    show_tab,
)

from dnnviz.training.config import IMAGE_SETTINGS, PLANAR_SETTINGS
from dnnviz.training.history import MAX_CURVE_POINTS
from dnnviz.training.stops import COMPLETED
from dnnviz.training.summaries import hist_bins, layer_histogram
from dnnviz.ui.window.controls import LR_MIN_EXP, LR_STEPS_PER_DECADE


def assert_views_show(window, snap) -> None:
    """The cost plot and histograms hold exactly the arrays of snap."""
    x, y = original(window.cost_plot.train_curve)
    np.testing.assert_array_equal(x, snap.cost_x)
    np.testing.assert_array_equal(y, snap.cost_y)
    if snap.iteration <= MAX_CURVE_POINTS:
        assert len(y) == snap.iteration  # every iteration's cost, not downsampled
    ex, ey = original(window.cost_plot.test_curve)
    np.testing.assert_array_equal(ex, snap.evals[:, 0])
    np.testing.assert_array_equal(ey, snap.evals[:, 2])
    if not window.histograms.isVisible():
        assert snap.hists is None  # behind a tab: neither computed nor drawn
        return
    assert window.histograms.plot_count() == len(snap.layer_dims) - 1 == len(snap.hists)
    for i, (curve, hist) in enumerate(zip(window.histograms._curves, snap.hists)):
        if hist.values is not None:  # a small layer: every value, as a strip of ticks
            np.testing.assert_array_equal(window.histograms.strip_values(i), hist.values)
            continue
        hx, hy = original(curve)
        np.testing.assert_array_equal(hx, hist.edges)
        np.testing.assert_array_equal(hy, hist.counts)


def assert_boundary_shows(window, snap) -> None:
    assert snap.grid_probs is not None
    np.testing.assert_array_equal(window.boundary.image.image, snap.grid_probs)
    x, _ = window.boundary.contour.getData()
    assert x is not None and len(x) > 0  # a p = 0.5 line somewhere on the plane
    rows = window.boundary.unit_rows
    assert len(rows) == len(snap.grid_units) == len(snap.layer_dims) - 2
    assert all(row.img.image is not None for row in rows)


def select_dataset(window, key: str) -> None:
    combo = window.controls.dataset
    index = combo.findData(key)
    assert index >= 0, f"{key} not offered"
    combo.setCurrentIndex(index)  # what choosing it in the list does: currentIndexChanged


# --- train, pause, step, reset -------------------------------------------------------------

@pytest.mark.parametrize("how", ["method", "button"])
def test_train_advances_and_feeds_every_view_and_pause_stops_it(qtbot, make_window, how):
    window = make_window(iterations=LONG)
    train = window.train_pause if how == "method" else \
        (lambda: click(qtbot, window.controls.train_button))
    assert window.controls.train_button.text() == "Train"
    train()
    assert window.running and window.controls.train_button.text() == "Pause"
    first = drawn(qtbot, window, lambda s: s.running and s.iteration >= 20)
    snap = drawn(qtbot, window, lambda s: s.iteration > first.iteration)  # still going
    # No event is processed between the wait and these checks: snap is what is shown.
    assert_views_show(window, snap)
    assert_boundary_shows(window, snap)
    assert snap.iteration <= live(window).iteration
    assert "iteration" in window.status.text()

    train()  # the same control pauses
    assert not window.running and window.controls.train_button.text() == "Train"
    stopped = paused(qtbot, window).iteration
    assert live(window).iteration == stopped
    for _ in range(2):  # two later snapshots: the count stays
        assert fresh(qtbot, window).iteration == stopped
    assert live(window).iteration == stopped


def test_training_to_the_target_completes(qtbot, make_window):
    window = make_window(iterations=60)
    window.train_pause()
    snap = drawn(qtbot, window, lambda s: s.stopped_reason == COMPLETED)
    assert snap.iteration == live(window).iteration == 60
    qtbot.waitUntil(lambda: not window.running)
    assert window.controls.train_button.text() == "Train"
    assert window.controls.message.text() == ""
    assert_views_show(window, snap)


def test_step_button_and_keys_advance_one_iteration_per_press(qtbot, window):
    for n in (1, 2, 3):
        click(qtbot, window.controls.step_button)
        at_iteration(qtbot, window, n)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts need the active window
    for n, key in ((4, Qt.Key.Key_S), (5, Qt.Key.Key_Right), (6, Qt.Key.Key_S)):
        qtbot.keyClick(window, key)
        at_iteration(qtbot, window, n)
    snap = fresh(qtbot, window)
    now = live(window)
    assert snap.iteration == now.iteration == 6  # no extra step slipped in
    assert len(now.costs) == 6
    assert not window.running
    assert_views_show(window, snap)


def test_space_trains_and_pauses_and_r_resets(qtbot, make_window):
    window = make_window(iterations=LONG)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.running
    drawn(qtbot, window, lambda s: s.running and s.iteration > 10)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.running
    paused(qtbot, window)
    old = window.session
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert window.session is not old and window.session.iteration == 0
    assert drawn(qtbot, window, lambda s: s.iteration == 0).cost_x.size == 0


def test_lowering_the_iterations_while_training_stops_there(qtbot, make_window):
    window = make_window(iterations=LONG)
    session = window.session
    window.train_pause()
    at = drawn(qtbot, window, lambda s: s.running and s.iteration > 10).iteration
    window.controls.iterations.setValue(at + 5)  # what typing it + Enter does
    snap = drawn(qtbot, window, lambda s: s.stopped_reason == COMPLETED)
    assert window.session is session  # a live setting: no rebuild
    assert snap.target_iterations == at + 5
    assert snap.iteration == live(window).iteration >= at + 5  # it may already have been past
    qtbot.waitUntil(lambda: not window.running)
    assert window.controls.train_button.text() == "Train"


def test_reset_replays_the_run_exactly(qtbot, window):
    send_steps(window, 25)
    at_iteration(qtbot, window, 25)
    first_session = window.session
    run = live(window)
    costs, weights = run.costs.copy(), [W.copy() for W in run.net.Ws]
    assert np.all(np.isfinite(costs)) and costs[-1] < costs[0]

    click(qtbot, window.controls.reset_button)
    assert window.session is not first_session
    assert window.session.iteration == 0
    drawn(qtbot, window, lambda s: s.iteration == 0)  # the new session's first snapshot
    send_steps(window, 25)
    at_iteration(qtbot, window, 25)
    again = live(window)
    np.testing.assert_array_equal(again.costs, costs)
    for W, W0 in zip(again.net.Ws, weights):
        np.testing.assert_array_equal(W, W0)


def test_reset_after_training_to_the_target_replays_it(qtbot, make_window):
    window = make_window(iterations=80)
    window.train_pause()
    drawn(qtbot, window, lambda s: s.stopped_reason == COMPLETED)
    costs = live(window).costs.copy()
    window.reset()
    drawn(qtbot, window, lambda s: s.iteration == 0)
    window.train_pause()
    drawn(qtbot, window, lambda s: s.stopped_reason == COMPLETED)
    np.testing.assert_array_equal(live(window).costs, costs)


# --- live and structural settings ----------------------------------------------------------

def test_learning_rate_reaches_the_running_session_without_a_reset(qtbot, make_window):
    window = make_window(iterations=LONG)
    session = window.session
    window.train_pause()
    before = drawn(qtbot, window, lambda s: s.running and s.iteration >= 10).iteration
    window.controls.lr.set_value(0.05)
    qtbot.waitUntil(lambda: live(window).learning_rate == 0.05)
    snap = drawn(qtbot, window, lambda s: s.learning_rate == 0.05 and s.iteration > before)
    assert window.session is session  # not rebuilt
    assert window.config.learning_rate == 0.05
    assert snap.iteration > before  # not reset to 0: the count went on
    assert window.running

    window.train_pause()
    it = paused(qtbot, window).iteration
    before_step = live(window)  # the training process is idle: a consistent copy
    reference, old_rate = before_step.net, copy.deepcopy(before_step.net)
    window.controls.lr.set_value(0.2)
    qtbot.waitUntil(lambda: live(window).learning_rate == 0.2)
    window.step()
    at_iteration(qtbot, window, it + 1)
    reference.step(before_step.X, before_step.Y, 0.2)
    old_rate.step(before_step.X, before_step.Y, 0.05)
    for W, R, O in zip(live(window).net.Ws, reference.Ws, old_rate.Ws):
        np.testing.assert_array_equal(W, R)
        assert not np.array_equal(W, O)
    position = round((math.log10(0.2) - LR_MIN_EXP) * LR_STEPS_PER_DECADE)
    assert window.controls.lr.slider.value() == position  # the slider follows the box


def test_changing_the_layers_rebuilds_the_network(qtbot, window):
    layers = window.controls.layers
    send_steps(window, 5)
    at_iteration(qtbot, window, 5)
    old = window.session

    click(qtbot, layers._add)  # a third hidden layer, as wide as the last
    assert window.session is not old
    assert window.session.layer_dims == (2, 6, 4, 4, 1)
    assert window.session.iteration == 0
    assert window.histograms.plot_count() == 4
    assert len(window.boundary.unit_rows) == 3

    layers._spins[0].setValue(9)  # what typing 9 + Enter does (no keyboard tracking)
    assert window.session.layer_dims == (2, 9, 4, 4, 1)
    assert window.config.hidden == (9, 4, 4)
    assert window.session.iteration == 0

    click(qtbot, layers._remove)
    click(qtbot, layers._remove)
    assert window.session.layer_dims == (2, 9, 1)
    assert window.histograms.plot_count() == 2
    assert len(window.boundary.unit_rows) == 1
    assert layers.hidden() == (9,)

    window.step()
    snap = drawn(qtbot, window, lambda s: s.iteration == 1 and s.layer_dims == (2, 9, 1))
    assert_views_show(window, snap)
    assert_boundary_shows(window, snap)
    show_tab(window, window.histograms)
    snap = drawn(qtbot, window, lambda s: s.hists is not None)
    assert_views_show(window, snap)
    assert [h.counts.shape for h in snap.hists] == [(hist_bins(18),), (hist_bins(9),)]
    assert [h.values.size for h in snap.hists] == [18, 9]  # small: every value drawn


def test_switching_data_sets_switches_the_page_and_feeds_the_image_views(qtbot, window):
    assert front_tab(window) == PLANE_PAGE
    select_dataset(window, "shapes")
    data = window.session.data
    assert data.is_image and window.config.dataset == "shapes"
    assert front_tab(window) == IMAGE_PAGE
    # From 2-D points to pictures: the network settings suited to images come along.
    hidden = IMAGE_SETTINGS["hidden"]
    assert window.session.layer_dims == (data.n_x, *hidden, 1)
    assert live(window).learning_rate == IMAGE_SETTINGS["learning_rate"]
    assert window.controls.layers.hidden() == hidden
    assert window.controls.lr.value() == IMAGE_SETTINGS["learning_rate"]
    assert window.session.iteration == 0
    assert window.histograms.plot_count() == len(hidden) + 1

    window.step()
    snap = drawn(qtbot, window, lambda s: s.iteration == 1 and s.layer_dims[0] == data.n_x)
    assert_views_show(window, snap)
    strip, name = window.thumbnails, data.classes[1]
    assert strip.thumbnail_count("test") > 0 and strip.thumbnail_count("train") > 0
    for split, probs in (("test", snap.test_probs), ("train", snap.train_probs)):
        assert probs is not None and len(probs) == strip._counts[split]
        for i in range(strip.thumbnail_count(split)):
            tile = strip.thumbnail(split, i)
            assert tile.prob_text == f"p({name})={probs[i]:.2f}"
            assert tile.wrong == bool((probs[i] > 0.5) != (data_labels(data, split)[i] >= 0.5))
    view = window.activations
    np.testing.assert_array_equal(view.input_img.image,
                                  data.X_test[:, 0].reshape(data.image_shape))
    for row, layer_map in zip(view.rows, snap.layer_maps):
        np.testing.assert_array_equal(row.map_img.image, layer_map)
    # The layer-1 weights are behind a tab: not computed, not drawn, until it is shown.
    assert snap.first_weights is None and window.weights.weights_img.image is None
    show_tab(window, window.weights)
    shown = drawn(qtbot, window, lambda s: s.first_weights is not None)
    assert shown.iteration == 1 and window.weights.weights_img.image is not None
    assert shown.layer_maps == () and shown.sample_activations is None  # now hidden
    assert shown.test_probs is None  # the thumbnails too: they share the Pictures tab

    select_dataset(window, "flower")
    assert front_tab(window) == PLANE_PAGE
    hidden = PLANAR_SETTINGS["hidden"]
    assert window.session.data.is_planar and window.session.layer_dims == (2, *hidden, 1)
    assert window.controls.layers.hidden() == hidden
    window.step()
    snap = drawn(qtbot, window, lambda s: s.iteration == 1 and s.grid_probs is not None
                 and s.grid_extent == window.session.extent)
    assert_boundary_shows(window, snap)
    assert window.controls.dataset.currentData() == "flower"


def data_labels(data, split):
    return (data.Y_test if split == "test" else data.Y_train).ravel()


def test_selecting_a_sample_reaches_later_snapshots(qtbot, window):
    select_dataset(window, "shapes")
    data = window.session.data
    window.thumbnails.sigSampleSelected.emit("train", 5)
    drawn(qtbot, window, lambda s: s.selected == ("train", 5))
    window.step()
    snap = drawn(qtbot, window, lambda s: s.iteration == 1)
    assert snap.selected == ("train", 5)
    np.testing.assert_array_equal(window.activations.input_img.image,
                                  data.X_train[:, 5].reshape(data.image_shape))
    probs = live(window).net.forward(data.X_train[:, 5:6]).ravel()
    np.testing.assert_allclose(snap.sample_activations[-1], probs)

    # A click on a thumbnail does the same, and lights that tile.
    tile = window.thumbnails.thumbnail("test", 3)
    click(qtbot, tile)
    assert tile.selected
    assert fresh(qtbot, window).selected == ("test", 3)


# --- bad settings keep what was there ------------------------------------------------------

def test_a_network_too_big_for_memory_is_refused_and_the_session_kept(qtbot, window):
    send_steps(window, 3)
    at_iteration(qtbot, window, 3)
    session, config = window.session, window.config
    assert not window.apply_config(config.with_changes(hidden=(100000, 100000)))
    assert "memory" in window.controls.message.text()
    assert window.session is session and session.layer_dims == (2, 6, 4, 1)
    assert window.config == config
    assert window.controls.layers.hidden() == (6, 4)
    assert live(window).iteration == 3
    window.step()  # the old session goes on from where it was
    at_iteration(qtbot, window, 4)


def test_a_too_big_layer_typed_in_the_controls_is_refused(qtbot, window):
    select_dataset(window, "shapes")  # 12288 inputs: W1 of 100000 units is ~29 GiB to train
    session = window.session
    window.controls.layers._spins[0].setValue(100000)
    assert "memory" in window.controls.message.text()
    assert window.session is session
    # the box shows what is in use again
    assert window.controls.layers.hidden() == session.layer_dims[1:-1] == IMAGE_SETTINGS["hidden"]
    window.step()
    at_iteration(qtbot, window, 1)


def test_opening_a_bad_h5_pair_shows_why_and_keeps_the_session(qtbot, window, tmp_path):
    bad_train, bad_test = tmp_path / "x.h5", tmp_path / "y.h5"
    bad_train.write_text("not an HDF5 file\n")
    bad_test.write_text("nor this\n")
    session, config = window.session, window.config
    entries = window.controls.dataset.count()
    assert not window.own_data.open_pair(str(bad_train), str(bad_test))
    assert "x.h5" in window.controls.message.text()
    assert window.session is session and window.config == config
    assert window.controls.dataset.count() == entries  # nothing added to the list
    assert window.controls.dataset.currentData() == "moons"
    assert front_tab(window) == PLANE_PAGE
    assert not window.own_data.open_pair(str(tmp_path / "missing.h5"), str(bad_test))
    assert window.session is session
    window.step()
    at_iteration(qtbot, window, 1)


def test_opening_a_good_h5_pair_adds_it_to_the_list(qtbot, window, tmp_path):
    rng = np.random.default_rng(0)
    paths = []
    for split, m in (("train", 20), ("test", 10)):
        path = tmp_path / f"{split}_dots.h5"
        with h5py.File(path, "w") as f:
            f[f"{split}_set_x"] = rng.integers(0, 256, (m, 8, 8, 3), dtype=np.uint8)
            f[f"{split}_set_y"] = np.arange(m) % 2
            f["list_classes"] = np.array([b"no", b"yes"])
        paths.append(str(path))
    assert window.own_data.open_pair(*paths)
    assert window.session.data.image_shape == (8, 8, 3)
    assert front_tab(window) == IMAGE_PAGE
    assert window.controls.dataset.currentData() == f"file:{paths[0]}"
    window.step()
    snap = at_iteration(qtbot, window, 1)
    assert snap.test_probs is not None and len(snap.test_probs) == 10
    select_dataset(window, "moons")  # back, and the opened pair stays in the list
    assert front_tab(window) == PLANE_PAGE
    assert window.controls.dataset.findData(f"file:{paths[0]}") >= 0


# --- failures surface in the window --------------------------------------------------------

def diverge(session) -> None:
    """An infinite output bias: Z_L = +inf, so the next step's cost is not finite."""
    session.net.bs[-1].fill(np.inf)


def test_divergence_shows_the_reason(qtbot, window):
    window.process.client.ask(diverge)
    window.step()
    qtbot.waitUntil(lambda: "diverged at iteration" in window.controls.message.text(),
                    timeout=WAIT_MS)
    now = live(window)
    assert now.diverged and now.iteration == 0
    assert not window.running and window.controls.train_button.text() == "Train"
    # Train on a diverged run does not start it: the window must not say "Pause".
    window.train_pause()
    qtbot.waitUntil(lambda: not window.running, timeout=WAIT_MS)
    assert window.controls.train_button.text() == "Train"
    assert "diverged at iteration" in window.controls.message.text()
    # Reset clears the message and trains again.
    window.reset()
    assert window.controls.message.text() == ""
    window.step()
    at_iteration(qtbot, window, 1)


def huge_weights(session) -> None:
    """Finite weights so large that the next forward pass overflows."""
    session.net.Ws[-1] *= 1e308


def test_a_smaller_learning_rate_carries_a_diverged_run_on(qtbot, make_window):
    window = make_window(learning_rate=10, hidden=(8, 4), init="he", iterations=50)
    window.train_pause()
    qtbot.waitUntil(lambda: "diverged at iteration 2" in window.controls.message.text(),
                    timeout=WAIT_MS)
    assert live(window).iteration == 1  # back to the last good step
    window.controls.lr.set_value(0.3)
    window.train_pause()  # carries on from there: no Reset needed
    snap = drawn(qtbot, window, lambda s: s.iteration == 50 and not s.running)
    assert snap.stopped_reason == COMPLETED and live(window).learning_rate == 0.3


def failing_step(*args, **kwargs):
    return 1 / 0


def break_the_steps(session) -> None:
    """From now on every step of the network raises (as a bug in the engine would)."""
    session.net.step = failing_step


def mend_the_steps(session) -> None:
    del session.net.step


def test_divergence_from_huge_weights_shows_the_reason(qtbot, window):
    window.process.client.ask(huge_weights)
    window.step()
    qtbot.waitUntil(lambda: window.controls.message.text() != "", timeout=WAIT_MS)
    assert "diverged at iteration" in window.controls.message.text()


def test_an_exception_in_the_worker_is_shown_and_the_app_keeps_working(qtbot, make_window):
    # A long run: a short one could finish between two redraws, and a wait for a running
    # snapshot would then never be met (only the latest snapshot is drawn).
    window = make_window(iterations=LONG)
    send_steps(window, 2)
    at_iteration(qtbot, window, 2)
    window.process.client.ask(break_the_steps)
    window.train_pause()
    qtbot.waitUntil(lambda: window.controls.message.text().startswith(
        "training stopped: ZeroDivisionError"), timeout=WAIT_MS)
    assert not window.running
    assert window.process.thread.isRunning()
    window.process.client.ask(mend_the_steps)
    window.step()
    at_iteration(qtbot, window, 3)
    window.train_pause()  # and training still runs
    drawn(qtbot, window, lambda s: s.running and s.iteration > 3)
    window.train_pause()
    paused(qtbot, window)


# --- view options -------------------------------------------------------------------------

def test_gradient_histograms_toggle(qtbot, window):
    show_tab(window, window.histograms)
    send_steps(window, 2)
    at_iteration(qtbot, window, 2)
    assert window.last_drawn.hist_kind == "W"
    window.grad_action.trigger()
    assert window.grad_action.isChecked() and window.histograms.gradients_radio.isChecked()
    window.step()
    snap = drawn(qtbot, window, lambda s: s.iteration == 3 and s.hist_kind == "dW")
    for hist, dW in zip(snap.hists, live(window).net.dWs):
        want = layer_histogram(dW)
        np.testing.assert_array_equal(hist.counts, want.counts)
        np.testing.assert_array_equal(hist.edges, want.edges)
        np.testing.assert_array_equal(hist.values, want.values)
    assert_views_show(window, snap)
    assert all(t.startswith("dW") for t in window.histograms.titles())

    click(qtbot, window.histograms.weights_radio)  # the view's own switch, back to W
    assert not window.grad_action.isChecked()
    snap = fresh(qtbot, window)
    assert snap.hist_kind == "W"
    for hist, W in zip(snap.hists, live(window).net.Ws):
        np.testing.assert_array_equal(hist.counts, layer_histogram(W).counts)


def test_log_action_and_checkbox_stay_in_step(qtbot, window):
    send_steps(window, 5)
    at_iteration(qtbot, window, 5)
    plot = window.cost_plot
    window.log_action.trigger()
    assert window.log_action.isChecked()
    assert plot.log_scale() and plot.log_check.isChecked()
    assert plot.cost_plot.getAxis("left").logMode
    assert plot.train_curve.opts["logMode"][1]
    plot.log_check.setChecked(False)  # the plot's own box turns the menu item off
    assert not window.log_action.isChecked()
    assert not plot.cost_plot.getAxis("left").logMode


def test_closing_while_training_joins_the_worker(qtbot, make_window):
    window = make_window(iterations=LONG)
    window.train_pause()
    drawn(qtbot, window, lambda s: s.running and s.iteration > 5)
    window.close()
    assert not window.process.thread.isRunning()


def test_the_blas_threads_menu_reaches_the_training_process(qtbot, window):
    """Run > BLAS threads: the steps after a choice run on that many threads (the training
    process's own count of its steps, given back when it quits)."""
    window.threads_actions["2"].trigger()
    send_steps(window, 5)
    at_iteration(qtbot, window, 5)
    window.threads_actions["1"].trigger()
    send_steps(window, 3)
    at_iteration(qtbot, window, 8)
    window.shutdown()
    assert window.process.threads_used == {"setting": "1", "steps_on": {"1": 3, "2": 5}}
    assert window.threads_actions["1"].isChecked()
