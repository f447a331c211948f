"""The Teach menu and compared runs, used from the window: each checks what the tool shows
against the network as the training process has it."""

from __future__ import annotations

import numpy as np
from PyQt6.QtGui import QColor, QImage
from window_helpers import at_iteration, drawn, live, opened, send_steps

from dnnviz.ui.teach.own_image import image_to_input
from dnnviz.ui.window.menus import shortcuts_text


def trained_window(qtbot, make_window, steps=30, **changes):
    window = make_window(**changes)
    send_steps(window, steps)
    at_iteration(qtbot, window, steps)
    return window


def test_step_through_shows_the_live_networks_forward_pass(qtbot, make_window):
    window = trained_window(qtbot, make_window)
    assert window.teaching.step_through()
    dialog = opened(qtbot, window, "step")
    net = live(window).net
    X = live(window).X[:, :8]
    stage = dialog.current()
    assert stage.name == "Z[1]" and stage.shape == (net.layer_dims[1], 8)
    np.testing.assert_allclose(stage.array, net.Ws[0] @ X + net.bs[0], rtol=1e-12)
    # the example columns, too narrow for their class names, fall back to their labels
    # (y=1, then 1), which come with the walk from the training process
    dialog.resize(260, dialog.height())
    qtbot.waitUntil(lambda: dialog.plot.vb.size().width() < 200)
    dialog.go_to(0)
    ys = [int(y > 0.5) for y in live(window).Y[0, :8]]
    names = [name for _, name in dialog.plot.getAxis("bottom")._tickLevels[0]]
    assert any(names), names  # (every k-th named when even "1" is too wide for each)
    assert all(name in (f"y={y}", str(y), "") for name, y in zip(names, ys)), names
    dialog.next()
    assert dialog.current().name == "A[1]"
    np.testing.assert_array_equal(dialog.current().array, np.maximum(stage.array, 0))
    dialog.last()  # the pass ends with the update, at the run's learning rate
    rate = live(window).learning_rate
    assert dialog.current().name == f"b[{net.L}]" and f"α = {rate:g}" in dialog.windowTitle()
    dW1 = next(s.array for s in dialog.stages if s.name == "dW[1]")
    W1 = next(s.array for s in dialog.stages if s.name == "W[1]")
    np.testing.assert_allclose(W1, net.Ws[0] - rate * dW1, rtol=0, atol=1e-15)


def test_gradient_check_of_the_live_network_passes(qtbot, make_window):
    window = trained_window(qtbot, make_window)
    assert window.teaching.gradient_check()
    dialog = opened(qtbot, window, "gradcheck")
    assert dialog.result.passed
    assert dialog.verdict_label.text().startswith("PASS")


def test_gallery_shows_the_live_networks_predictions_mistakes_first(qtbot, make_window):
    window = trained_window(qtbot, make_window, dataset="shapes", hidden=(8,),
                            learning_rate=0.05, steps=20)
    assert window.teaching.gallery()
    dialog = opened(qtbot, window, "gallery")
    session = live(window)
    probs = session.net.forward(session.X_test).ravel()
    wrong = (probs > 0.5) != (session.Y_test.ravel() > 0.5)
    order = dialog.gallery.order()
    assert sorted(order) == list(range(session.X_test.shape[1]))
    assert all(wrong[order[: wrong.sum()]]) and not any(wrong[order[wrong.sum():]])
    assert f"{(~wrong).sum()} of {len(wrong)} right" in dialog.gallery.header_text()


def test_image_tools_on_2d_data_say_why_not(qtbot, window):
    assert not window.teaching.gallery()
    assert "needs image data" in window.controls.message.text()


def test_classifying_a_picture_gives_the_live_networks_probability(qtbot, make_window,
                                                                    tmp_path):
    window = trained_window(qtbot, make_window, dataset="shapes", hidden=(8,),
                            learning_rate=0.05, steps=10)
    image = QImage(90, 60, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 40, 40))
    path = tmp_path / "red.png"
    assert image.save(str(path))
    dialog = window.teaching.classify(str(path))
    qtbot.waitUntil(lambda: dialog.widget.result is not None)
    session = live(window)
    x = image_to_input(str(path), session.data.image_shape)
    expected = float(session.net.forward(x)[0, 0])
    assert dialog.widget.result is not None and dialog.widget.result.p == expected


def test_reset_keeps_the_run_on_the_cost_plot_and_in_the_table(qtbot, make_window):
    window = trained_window(qtbot, make_window, steps=40, learning_rate=0.5)
    finished = window.newest_snapshot()
    window.controls.lr.set_value(0.1)
    window.reset()
    assert window.runs_table.row_count() == 1
    assert "lr 0.5" in window.runs_table.cell_text(0, "run")
    x, y = window.cost_plot.run_curve(0).getOriginalDataset()
    np.testing.assert_array_equal(y, finished.cost_y)
    send_steps(window, 5)
    drawn(qtbot, window, lambda s: s.iteration == 5)
    window.reset()  # the second run is kept too, with its own settings
    assert window.runs_table.row_count() == 2
    assert "lr 0.1" in window.runs_table.cell_text(1, "run")


def test_a_snapshot_of_the_previous_session_is_not_drawn(qtbot, make_window):
    window = trained_window(qtbot, make_window, steps=25)
    stale = window.newest_snapshot()
    window.reset()
    window.frames.on_frame(stale)  # as if it had been on its way when Reset was pressed
    assert window.frames.latest is not stale
    snap = drawn(qtbot, window)
    assert snap.iteration == 0


def test_help_lists_every_shortcut_of_the_window(qtbot, window):
    text = shortcuts_text(window)
    actions = [a for a in window.actions() if a.shortcuts()]
    assert len(actions) >= 15
    for action in actions:
        keys = ", ".join(k.toString() for k in action.shortcuts())
        assert f"{keys}   {action.text().replace('&', '')}" in text
    assert "F11" in text and "step-through: next / previous stage" in text


def test_f11_and_ctrl_d_switch_presentation_and_dark(qtbot, window):
    from PyQt6.QtCore import Qt

    from dnnviz.ui import look as looks
    window.activateWindow()
    try:
        qtbot.keyClick(window, Qt.Key.Key_F11)
        assert looks.current() == looks.Look("light", True)
        assert not window.controls.advanced_visible()
        # the toolbar instead of the dock; the stage shows the cost plot large
        assert window.presentation.toolbar.isVisible() and not window.controls_dock.isVisible()
        assert window.central.currentWidget() is window.stage
        assert window.cost_plot.isVisible() and window.stage.isAncestorOf(window.cost_plot)
        qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert looks.current() == looks.Look("dark", True) and window.dark_action.isChecked()
    finally:
        window.set_theme("light")
        window.set_presentation(False)
    assert looks.current() == looks.Look("light", False) and window.controls.advanced_visible()
    assert window.controls_dock.isVisible() and not window.presentation.toolbar.isVisible()
    assert window.holders["cost"].isAncestorOf(window.cost_plot)  # back on the desk
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.controls_dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert window.controls_dock.isVisible()


def test_the_shortcuts_box_shows_every_line_unwrapped_and_fits_the_screen(qtbot, window):
    from PyQt6.QtWidgets import QLabel

    from dnnviz.ui.window.menus import show_shortcuts

    window.set_presentation(True)  # the larger type that wrapped a message box's lines
    try:
        dialog = show_shortcuts(window)
        qtbot.waitExposed(dialog)
        label = dialog.findChild(QLabel)
        lines = label.text().splitlines()
        assert len(lines) > 20 and not label.wordWrap()
        room = window.screen().availableGeometry()
        assert dialog.width() <= room.width() and dialog.height() <= room.height()
        assert dialog.width() >= min(label.sizeHint().width(), room.width() - 100)
        dialog.close()
    finally:
        window.set_presentation(False)
