"""K classes on screen: the confusion matrices, the plane in K colours, the thumbnails, the
gallery's probability bars, and the digits trained live in the window."""

from __future__ import annotations

import numpy as np
import pytest
from window_helpers import drawn, send_steps, show_tab, trained

from dnnviz.training import RunConfig, Session
from dnnviz.training.snapshot import FrameRequest
from dnnviz.training.summaries import confusion, make_snapshot
from dnnviz.ui import look as looks
from dnnviz.ui.teach.gallery import PredictionsGallery
from dnnviz.ui.views.boundary import BoundaryView
from dnnviz.ui.views.confusion import ConfusionView
from dnnviz.ui.views.pictures import class_regions

BLOBS = RunConfig(dataset="blobs", n_classes=4, noise=0.3, hidden=(8,), iterations=200)


def test_confusion_counts_rows_by_true_class_and_columns_by_the_pick():
    probs = np.array([[0.7, 0.1, 0.2, 0.5],
                      [0.2, 0.8, 0.7, 0.1],
                      [0.1, 0.1, 0.1, 0.4]])
    counts = confusion(probs, np.array([[0, 1, 2, 2]]), 3)
    assert counts.tolist() == [[1, 0, 0], [0, 1, 0], [1, 1, 0]]
    lesson = confusion(np.array([0.9, 0.2, 0.6]), np.array([[1, 1, 0]]), 2)
    assert lesson.tolist() == [[0, 1], [1, 1]]


def test_the_confusion_view_shows_the_snapshots_counts(qtbot):
    session = trained(BLOBS, 40)
    snap = make_snapshot(session, FrameRequest(parts=frozenset({"confusion"})))
    view = ConfusionView()
    qtbot.addWidget(view)
    view.set_classes(session.data.classes)
    view.resize(800, 400)
    view.show()
    view.show_snapshot(snap)
    train, test = view.matrices
    assert np.array_equal(train.counts, snap.confusion_train)
    assert int(snap.confusion_test.sum()) == session.data.m_test
    shown = [t.toPlainText() for t in test.texts]
    assert shown == [str(int(c)) if c else "" for c in snap.confusion_test.ravel()]
    right = int(np.trace(snap.confusion_test))
    assert f"{right}/{session.data.m_test} right" in test.plot.titleLabel.text
    np.testing.assert_allclose(test.image.image.sum(axis=1)[snap.confusion_test.sum(axis=1) > 0],
                               1.0)


def test_the_plane_of_k_classes_is_coloured_by_the_likeliest_class(qtbot):
    look = looks.Look()
    probs = np.zeros((3, 2, 2))
    probs[0, 0, 0] = probs[1, 0, 1] = probs[2, 1, 0] = 1.0  # sure of 0, 1, 2
    probs[:, 1, 1] = 1 / 3  # undecided
    rgb = class_regions(probs, look, 1.0)
    for (i, j), c in (((0, 0), 0), ((0, 1), 1), ((1, 0), 2)):
        assert tuple(rgb[i, j]) == look.class_color(c).getRgb()[:3]
    assert tuple(rgb[1, 1]) == look.color("background").getRgb()[:3]
    session = trained(BLOBS, 60)
    view = BoundaryView()
    qtbot.addWidget(view)
    view.set_dataset(session.data, session.layer_dims)
    view.show_snapshot(make_snapshot(session, FrameRequest(parts=frozenset({"plane"}))))
    assert view.regions.isVisible() and not view.image.isVisible()
    assert view.regions.image.shape[2] == 3
    assert len(view.contour.getData()[0]) > 0  # the lines between the classes


def test_gallery_tiles_of_k_classes_name_the_pick_and_draw_every_probability(qtbot):
    gallery = PredictionsGallery()
    qtbot.addWidget(gallery)
    images = np.zeros((3, 8, 8, 1))
    probs = np.array([[0.1, 0.6, 0.2], [0.7, 0.3, 0.2], [0.2, 0.1, 0.6]])
    gallery.show_predictions(images, np.array([1, 0, 0]), probs, ("zero", "one", "two"))
    tiles = {t.index: t for t in gallery.tiles()}
    assert gallery.order()[0] == 2  # the one mistake first: a "zero" read as "two"
    assert tiles[2].text() == "✗ pred: two 0.60 / true: zero"
    assert tiles[0].text() == "pred: one 0.70 / true: one"
    np.testing.assert_allclose(tiles[1].class_probs, probs[:, 1])
    assert gallery.header_text().startswith("2 of 3 right")


@pytest.mark.timeout(120)
def test_the_digits_train_in_the_window_with_every_view_fed(qtbot, make_window):
    window = make_window(RunConfig(dataset="digits", hidden=(16,), learning_rate=0.1,
                                   iterations=400))
    assert window.session.layer_dims == (64, 16, 10)
    show_tab(window, window.confusion)
    send_steps(window, 30)
    snap = drawn(qtbot, window, lambda s: s.iteration == 30 and s.confusion_test is not None)
    assert snap.confusion_test.shape == (10, 10)
    assert int(snap.confusion_test.sum()) == window.session.data.m_test
    show_tab(window, window.thumbnails)
    send_steps(window, 10)
    snap = drawn(qtbot, window, lambda s: s.iteration == 40 and s.test_probs is not None)
    assert snap.test_probs.shape == (10, window.session.data.m_test)
    picks = np.argmax(snap.test_probs, axis=0)
    qtbot.waitUntil(lambda: window.thumbnails._tiles["test"][0].prob_text != "")
    for tile in window.thumbnails._tiles["test"][:5]:  # "7: 0.93": the pick and its p
        digit, p = tile.prob_text.split(": ")
        assert digit == str(picks[tile.index])
        assert float(p) == pytest.approx(snap.test_probs[picks[tile.index], tile.index],
                                         abs=0.005)


def test_the_confusion_view_is_for_more_than_two_classes():
    from dnnviz.ui.views.names import fits, misfit

    assert fits("confusion", True, 10) and fits("confusion", False, 3)
    assert not fits("confusion", True, 2)
    assert misfit("confusion", False, "moons", 2) == ("the confusion view is for more than "
                                                      "two classes, and moons has two")
    assert misfit("boundary", False, "spiral", 3) == ""


def test_help_about_credits_the_digits(qtbot, window):
    from dnnviz.ui.window.menus import show_about

    box = show_about(window)
    assert "UCI Machine Learning Repository" in box.text() and "CC BY 4.0" in box.text()
    assert "Alpaydin" in box.text()
    box.close()


def test_the_activation_maps_of_k_classes_divide_and_name_every_class(qtbot):
    """The maps' examples come in a block a class (label order): a line between each two
    blocks and each class named under its own (the digits showed "0" and "1" only), and
    the K output units named by their classes."""
    from dnnviz.ui.views.activations import ActivationView, class_blocks
    session = Session(RunConfig(dataset="digits", hidden=(8,), iterations=5))
    session.run()
    snap = make_snapshot(session, FrameRequest(parts=frozenset({"activations"})))
    view = ActivationView()
    qtbot.addWidget(view)
    view.set_layers(session.layer_dims, session.data, "relu")
    view.show_snapshot(snap)
    blocks = class_blocks(snap.map_labels, 10)
    assert [c for c, _, _ in blocks] == list(range(10))  # every digit, in order
    output = view.rows[-1]
    shown = [line.value() for line in output.dividers if line.isVisible()]
    assert sorted(set(shown)) == [end for _, _, end in blocks[:-1]]  # nine borders
    ticks = output.map_plot.getAxis("bottom")._tickLevels[0]
    assert [name for _, name in ticks] == list(session.data.classes)
    axis = output.unit_plot.getAxis("left")
    assert axis.tickStrings([0.5, 9.5], 1, 1) == [session.data.classes[0],
                                                 session.data.classes[9]]
    assert class_blocks([0.1, 0.2, 0.9], 2) == [(0, 0, 2), (1, 2, 3)]  # two: p >= 0.5
