"""The window's experiment controls: training options (live where they may be), the data
knobs, input features, drawing points, own CSV points and picture folders."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtGui import QColor, QImage
from window_helpers import (
    at_iteration,
    drawn,
    fresh,
    live,
    opened,
    read,
    send_steps,
    show_tab,
    written,
)

from dnnviz.nn.stepthrough import walk
from dnnviz.training import RunConfig, Session


def stepped(qtbot, window, n):
    """Train n more iterations, now; the snapshot of the last."""
    target = live(window).iteration + n
    send_steps(window, n)
    return at_iteration(qtbot, window, target)


def test_the_sections_open_and_close_and_hide_in_presentation(window):
    e = window.experiment
    assert not e.training.content.isVisible() and not e.data.content.isVisible()
    e.training.button.click()
    assert e.training.is_open() and e.activation.isVisible()
    window.set_presentation(True)
    assert e.isHidden()
    window.set_presentation(False)
    assert not e.isHidden() and e.activation.isVisible()


def test_a_new_activation_builds_a_new_network_and_names_its_units(qtbot, window):
    before = window.process.tag
    window.experiment.activation.setCurrentIndex(window.experiment.activation.findData("tanh"))
    assert window.process.tag == before + 1 and window.config.activation == "tanh"
    assert live(window).net.activation == "tanh"
    assert all("(tanh)" in row.title.text for row in window.boundary.unit_rows)
    stepped(qtbot, window, 4)
    window.experiment.l2.setValue(0.5)
    window.experiment.activation.setCurrentIndex(window.experiment.activation.findData("relu"))
    kept = window.model.runs.records[-1]  # the tanh run, compared under its options
    assert kept.label.endswith("· tanh · L2 0.5") and kept.iterations == 4


def test_l2_and_keep_prob_change_the_running_session_without_a_new_one(qtbot, window):
    stepped(qtbot, window, 5)
    tag = window.process.tag
    window.experiment.l2.setValue(0.25)
    window.experiment.keep_prob.setValue(0.6)
    assert window.process.tag == tag and (window.config.l2, window.config.keep_prob) == (0.25, 0.6)
    net = live(window).net
    assert (net.l2, net.keep_prob) == (0.25, 0.6) and live(window).iteration == 5
    send_steps(window, 3)
    at_iteration(qtbot, window, 8)  # carries on, now with the L2 term and dropout
    unbroken = Session(window.config.with_changes(l2=0.0, keep_prob=1.0))
    unbroken.run(5)
    unbroken.set_live("l2", 0.25)
    unbroken.set_live("keep_prob", 0.6)
    unbroken.run(3)
    np.testing.assert_array_equal(live(window).costs, unbroken.costs)


def test_the_optimiser_shows_its_own_settings_and_a_bad_epsilon_is_one_line(qtbot, window):
    e = window.experiment
    e.training.set_open(True)
    e.optimizer.setCurrentIndex(e.optimizer.findData("adam"))
    assert window.config.optimizer == "adam" and live(window).net.optimizer == "adam"
    assert e.beta1.isVisible() and e.epsilon.isVisible() and not e.beta.isVisible()
    e.epsilon.setText("tiny")
    e.epsilon.editingFinished.emit()
    assert "epsilon must be a number, not 'tiny'" in window.controls.message.text()
    assert window.config.epsilon == 1e-8 and e.epsilon.text() == "1e-08"
    e.optimizer.setCurrentIndex(e.optimizer.findData("momentum"))
    assert e.beta.isVisible() and not e.beta1.isVisible()
    e.batch.setValue(32)
    assert window.config.batch_size == 32 and live(window).batch_size == 32


def test_noise_samples_split_and_a_new_sample_make_new_data(qtbot, window):
    e = window.experiment
    points = window.session.data.X_train.copy()
    e.samples.setValue(200)
    assert window.session.data.m_train + window.session.data.m_test == 200
    e.test_share.setValue(50)
    assert window.session.data.m_test == 100 and window.config.test_fraction == 0.5
    e.noise.setValue(0.05)
    assert window.config.noise == 0.05
    seeded = window.session.data.X_train.copy()
    e.new_sample.click()
    assert window.config.data_seed == 1
    assert window.session.data.X_train.tobytes() != seeded.tobytes() != points.tobytes()
    window.controls.dataset.setCurrentIndex(window.controls.dataset.findData("spiral"))
    assert window.config.noise is None and window.config.n_samples is None  # the set's own
    assert window.config.test_fraction == 0.5  # the split stays


def test_features_feed_the_network_and_at_least_one_stays(qtbot, window):
    boxes = window.experiment.features
    boxes["x1^2"].setChecked(True)
    boxes["sin x2"].setChecked(True)
    assert window.config.features == ("x1", "x2", "x1^2", "sin x2")
    assert live(window).layer_dims[0] == 4
    snap = fresh(qtbot, window)
    assert snap.grid_probs.shape == (120, 120)  # the boundary: still over the plane
    for name in ("x1", "x2", "x1^2"):
        boxes[name].setChecked(False)
    assert window.config.features == ("sin x2",)
    boxes["sin x2"].setChecked(False)
    assert "at least one input feature" in window.controls.message.text()
    assert window.config.features == ("sin x2",) and boxes["sin x2"].isChecked()


def _click(qtbot, view, x, y, shift=False):
    """A click on the plane at data coordinates (x, y)."""
    scene = view.plot.vb.mapViewToScene(QPointF(x, y))
    at = view._plane.mapFromScene(scene)
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(view._plane.viewport(), Qt.MouseButton.LeftButton, modifier, QPoint(at))


def test_drawing_points_trains_on_them_and_clear_goes_back(qtbot, window):
    view = window.boundary
    show_tab(window, view)
    fresh(qtbot, window)
    tag = window.process.tag
    _click(qtbot, view, 0.5, 0.5)
    _click(qtbot, view, -0.5, -0.25, shift=True)
    assert window.process.tag == tag and window.config.dataset == "moons"  # too few: waiting
    pending = window.own_data.pending
    assert [label for _, _, label in pending] == [1, 0]
    assert np.allclose([p[:2] for p in pending], [(0.5, 0.5), (-0.5, -0.25)], atol=0.05)
    assert "draw at least 2 of each class" in window.controls.message.text()
    assert view.clear_button.isVisible()
    _click(qtbot, view, 0.75, 0.5)
    _click(qtbot, view, -0.75, -0.25, shift=True)
    assert window.config.dataset == "drawn" and len(window.config.drawn_points) == 4
    assert window.controls.dataset.currentText() == "drawn points"
    data = window.session.data
    assert data.m_train + data.m_test == 4 and window.own_data.pending == []
    _click(qtbot, view, 0.0, 1.0)
    assert len(window.config.drawn_points) == 5 and window.session.data.m_train == 3
    view.clear_button.click()
    assert window.config.dataset == "moons" and window.config.drawn_points is None
    assert not view.clear_button.isVisible()


def test_drawing_while_training_goes_on_training(qtbot, window):
    for x, y, label in ((0, 0, 0), (1, 0, 0), (0, 1, 1), (1, 1, 1)):
        window.own_data.add_point(x, y, label)
    window.train_pause()
    assert window.running
    window.own_data.add_point(2, 2, 1)
    assert window.running and len(window.config.drawn_points) == 5
    drawn(qtbot, window, lambda s: s.iteration > 0 and s.tag == window.process.tag)


def test_the_test_points_can_be_hidden(qtbot, window):
    view = window.boundary
    assert view.points["test"].isVisible() and len(view.legend.names()) == 4
    view.show_test.setChecked(False)
    assert not view.points["test"].isVisible()
    assert all("test" not in name for name in view.legend.names())


def test_a_csv_of_points_is_trained_on_and_a_bad_one_keeps_the_run(qtbot, window, tmp_path):
    good = tmp_path / "mine.csv"
    good.write_text("x1,x2,label\n" + "".join(f"{i},{i % 4},{i % 2}\n" for i in range(20)))
    assert window.own_data.open_points(str(good))
    assert window.config.points_file == str(good) and window.session.data.name == "mine"
    assert window.controls.dataset.currentText() == "mine"
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,1\n3,4,7.5\n")
    session = window.session
    assert not window.own_data.open_points(str(bad))
    assert "bad.csv: line 2: the label must be a class number" in window.controls.message.text()
    assert window.session is session and window.controls.dataset.currentText() == "mine"
    window.controls.dataset.setCurrentIndex(window.controls.dataset.findData("xor"))
    assert window.config.points_file is None and window.session.data.name == "xor"
    window.controls.dataset.setCurrentIndex(window.controls.dataset.findData(f"points:{good}"))
    assert window.session.data.name == "mine"


def _pictures(folder, broken=False):
    for name, color in (("apples", "red"), ("plums", "blue")):
        (folder / name).mkdir(parents=True)
        for i in range(4):
            image = QImage(30 + i, 20, QImage.Format.Format_RGB32)
            image.fill(QColor(color))
            image.save(str(folder / name / f"{name}{i}.png"))
    if broken:
        (folder / "plums" / "torn.jpg").write_bytes(b"not a picture")
    return folder


def test_a_folder_of_pictures_is_read_by_qt_and_trained_on(qtbot, window, tmp_path):
    bad = _pictures(tmp_path / "broken", broken=True)
    assert not read(qtbot, window, window.own_data.open_pictures(str(bad)))
    assert "1 picture could not be read: plums/torn.jpg" in window.controls.message.text()
    assert window.config.dataset == "moons"
    assert read(qtbot, window, window.own_data.open_pictures(str(_pictures(tmp_path / "fruit"))))
    data = window.session.data
    assert data.classes == ("apples", "plums") and data.image_shape == (64, 64, 3)
    assert window.config.hidden == (20, 7, 5)  # the picture net, as for the course's
    red = data.images("train")[data.Y_train.ravel() == 0][0]
    assert np.allclose(red[..., 0], 1.0) and np.allclose(red[..., 2], 0.0)
    assert window.thumbnails.thumbnail_count("train") == data.m_train


def test_picture_tiles_are_remade_in_place_on_a_reset(qtbot, make_window):
    window = make_window(RunConfig(dataset="shapes", n_samples=20, hidden=(3,)))
    window.reset()
    qtbot.waitUntil(lambda: window.thumbnails.thumbnail("test", 0).x() < 50)


def test_the_step_through_ends_with_the_optimisers_update(qtbot, make_window):
    window = make_window(optimizer="adam", l2=0.1, activation="tanh")
    stepped(qtbot, window, 3)
    assert window.teaching.step_through()
    dialog = opened(qtbot, window, "step")
    names = [stage.name for stage in dialog.stages]
    assert names[-2:] == ["W[3]", "b[3]"]
    update = dialog.stages[-2]
    assert "Adam, update t = 4" in update.explanation and "α = 0.5" in update.explanation
    session = live(window)  # the walk of the network as it is, at its learning rate
    expected = walk(session.net, session.X[:, :8], session.Y[:, :8], learning_rate=0.5)
    np.testing.assert_array_equal(update.array, expected[-2].array)


def test_the_gradient_check_passes_with_l2_and_dropout(qtbot, make_window):
    window = make_window(activation="sigmoid", l2=0.3, keep_prob=0.5)
    stepped(qtbot, window, 2)
    assert window.teaching.gradient_check()
    dialog = opened(qtbot, window, "gradcheck")
    assert dialog.result.passed, dialog.result.message
    text = dialog.settings_label.text()
    assert "L2 term (λ = 0.3)" in text and "sigmoid units" in text and "dropout off" in text


def test_a_saved_adam_mini_batch_run_continues_exactly_in_the_window(qtbot, make_window,
                                                                    tmp_path):
    options = dict(optimizer="adam", batch_size=50, keep_prob=0.8, learning_rate=0.01)
    first = make_window(**options)
    stepped(qtbot, first, 23)
    path = tmp_path / "adam.h5"
    assert written(qtbot, first, first.files.save_model(path))
    second = make_window(dataset="xor")
    assert read(qtbot, second, second.files.open_model(path))
    drawn(qtbot, second, lambda s: s.iteration == 23)
    send_steps(second, 17)
    at_iteration(qtbot, second, 40)
    unbroken = Session(first.config)
    unbroken.run(40)
    np.testing.assert_array_equal(live(second).costs, unbroken.costs)
