"""Draw your own digit: the pad reduces a drawing as the UCI set was made, the network reads
it in the training process, and a drawing can join the training set."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt
from window_helpers import trained

from dnnviz.data import make_dataset
from dnnviz.data.digits import PAD_CELLS, bitmap_to_counts, counts_to_input
from dnnviz.training import RunConfig
from dnnviz.training.drawing import read_drawing, with_example
from dnnviz.ui.teach.draw_digit import DrawDigitDialog, DrawPad

DIGITS = RunConfig(dataset="digits", hidden=(16,), learning_rate=0.1, iterations=300)


def bitmap_of(counts: np.ndarray) -> np.ndarray:
    """A 32x32 bitmap whose 4x4 blocks hold `counts` pixels each (the first ones, in order)."""
    bitmap = np.zeros((PAD_CELLS, PAD_CELLS), dtype=bool)
    for (r, c), n in np.ndenumerate(counts):
        block = np.zeros(16, dtype=bool)
        block[: int(n)] = True
        bitmap[4 * r: 4 * r + 4, 4 * c: 4 * c + 4] = block.reshape(4, 4)
    return bitmap


def test_a_drawing_is_counted_in_4x4_blocks_as_the_uci_pictures_were():
    bitmap = np.zeros((32, 32), dtype=bool)
    bitmap[0:4, 0:4] = True  # a full block: 16
    bitmap[5, 9] = bitmap[6, 10] = True  # two pixels of block (1, 2)
    counts = bitmap_to_counts(bitmap)
    assert counts[0, 0] == 16 and counts[1, 2] == 2 and counts.sum() == 18
    data = make_dataset("digits")
    picture = np.rint(data.X_train[:, 0] * 16).reshape(8, 8)
    assert np.array_equal(bitmap_to_counts(bitmap_of(picture)), picture)
    with pytest.raises(ValueError, match="32x32"):
        bitmap_to_counts(np.zeros((8, 8)))


def test_the_network_reads_a_drawn_training_picture_as_its_digit():
    session = trained(DIGITS, 300)
    data = session.data
    for i in range(5):  # the first few training pictures, drawn on the pad's cells
        counts = np.rint(data.X_train[:, i] * 16).reshape(8, 8)
        reading = read_drawing(counts_to_input(bitmap_to_counts(bitmap_of(counts))), session)
        out = session.net.forward(data.X_train[:, i:i + 1]).ravel()
        assert reading.label == int(np.argmax(out))
        np.testing.assert_allclose(reading.probs, out)
        assert [a.size for a in reading.activations] == [16, 10]


def test_the_pad_draws_strokes_undoes_and_clears(qtbot):
    pad = DrawPad()
    qtbot.addWidget(pad)
    pad.resize(320, 320)
    pad.show()
    changes = []
    pad.sigChanged.connect(lambda: changes.append(pad.bitmap.sum()))
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    qtbot.mouseMove(pad, QPoint(250, 50))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(250, 50))
    row = pad.bitmap[5]  # the cells under the drag, 10 px a cell: columns 5 to 25
    assert row[5:25].all() and not row[:3].any() and not pad.bitmap[15:].any()
    first = pad.bitmap.copy()
    pad.stroke([(5, 20), (25, 20)])
    assert pad.bitmap[20, 5:25].all()
    pad.undo()
    assert np.array_equal(pad.bitmap, first)
    pad.clear()
    assert not pad.bitmap.any()
    pad.undo()  # a clear is undone too
    assert np.array_equal(pad.bitmap, first)
    assert len(changes) == 5


def test_the_dialog_shows_the_networks_reading_and_offers_the_drawing(qtbot):
    session = trained(DIGITS, 100)
    calls = []

    def reader(fn, done):
        calls.append(fn)
        done(fn(session))

    dialog = DrawDigitDialog(reader, session.data.classes)
    qtbot.addWidget(dialog)
    dialog.timer.stop()
    dialog.pad.stroke([(16, 4), (16, 28)])  # a 1
    assert len(calls) == 1 and isinstance(calls[0], partial)
    reading = dialog.reading
    assert dialog.result.text().startswith(f"{reading.label}\np = ")
    np.testing.assert_allclose(dialog.bars.opts["height"], reading.probs)
    np.testing.assert_allclose(dialog.seen.image, dialog.pad.counts())
    added = []
    dialog.sigAddExample.connect(lambda counts, label: added.append((counts, label)))
    dialog.label_box.setCurrentIndex(1)
    dialog.add_button.click()
    assert added and added[0][1] == 1 and np.array_equal(added[0][0], dialog.pad.counts())


def test_a_drawing_joins_the_training_set_and_the_run_goes_on(tmp_path):
    session = trained(DIGITS, 20)
    counts = np.zeros((8, 8))
    counts[:, 3:5] = 16
    bigger = with_example(session, counts_to_input(counts), 1)
    assert bigger.data.m_train == session.data.m_train + 1
    assert bigger.data.Y_train[0, -1] == 1.0 and bigger.iteration == 20
    assert np.array_equal(bigger.data.X_train[:, -1], counts.ravel() / 16)
    assert all(np.array_equal(a, b) for a, b in zip(bigger.net.Ws, session.net.Ws))
    bigger.run(iterations=5)
    assert bigger.iteration == 25
    with pytest.raises(ValueError, match="label 10 is not a class"):
        with_example(session, counts_to_input(counts), 10)


@pytest.mark.timeout(120)
def test_the_teach_menu_opens_the_pad_for_the_digits_only(qtbot, make_window):
    window = make_window(RunConfig(dataset="moons", hidden=(3,), iterations=50))
    assert window.teaching.draw_digit() is None
    assert window.controls.message.text() == ("drawing a digit needs the digits data set: "
                                              "choose digits first")
    window = make_window(DIGITS)
    dialog = window.teaching.draw_digit()
    dialog.timer.stop()
    dialog.pad.stroke([(16, 4), (16, 28)])
    qtbot.waitUntil(lambda: dialog.reading is not None, timeout=10000)
    assert dialog.reading.probs.shape == (10,)
    m = window.session.data.m_train
    dialog.label_box.setCurrentIndex(1)
    dialog.add_button.click()
    qtbot.waitUntil(lambda: window.session.data.m_train == m + 1, timeout=10000)
    assert window.session.data.Y_train[0, -1] == 1.0


def test_the_dialog_shows_each_hidden_layers_activations_for_the_drawing(qtbot):
    session = trained(RunConfig(dataset="digits", hidden=(12, 6), learning_rate=0.1), 30)
    dialog = DrawDigitDialog(lambda fn, done: done(fn(session)), session.data.classes)
    qtbot.addWidget(dialog)
    dialog.timer.stop()
    dialog.pad.stroke([(8, 8), (24, 24)])
    strips = [strip.image.ravel() for strip in dialog._strips]
    assert [s.size for s in strips] == [12, 6]
    for strip, acts in zip(strips, dialog.reading.activations):
        np.testing.assert_allclose(strip, acts)
