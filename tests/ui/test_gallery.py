"""The predictions gallery and classifying your own picture."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt
from PyQt6.QtGui import QColor, QImage

from dnnviz.data import DataError, load_course_h5, load_dataset
from dnnviz.training import RunConfig, Session
from dnnviz.ui import look as looks
from dnnviz.ui.teach.gallery import (
    THUMB_PX,
    GalleryDialog,
    PredictionsGallery,
    image_to_input,
)
from dnnviz.ui.teach.own_image import ClassifyWidget, ImageReadError, classify_image

NAMES = ("non-cat", "cat")
# index:         0     1     2     3     4     5     6
LABELS = np.array([1, 0, 1, 0, 1, 0, 1])
PROBS = np.array([0.9, 0.8, 0.3, 0.05, 0.6, 0.95, 0.5])
# wrong: 1 (conf 0.80), 2 (0.70), 5 (0.95), 6 (p = 0.5 says class 0: conf 0.50)
# right: 0 (0.90), 3 (0.95), 4 (0.60)
EXPECTED_ORDER = [5, 1, 2, 6, 3, 0, 4]


def qimage_of(pixels: np.ndarray) -> QImage:
    """(h, w, 3) uint8 -> an RGB888 QImage holding its own copy of the pixels."""
    h, w, _ = pixels.shape
    data = np.ascontiguousarray(pixels)
    return QImage(data.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def solid(h: int, w: int, rgb: tuple[int, int, int]) -> np.ndarray:
    return np.broadcast_to(np.array(rgb, dtype=np.uint8), (h, w, 3)).copy()


def save(pixels: np.ndarray, path) -> str:
    assert qimage_of(pixels).save(str(path)), f"could not write {path}"
    return str(path)


@pytest.fixture
def gallery(qtbot) -> PredictionsGallery:
    widget = PredictionsGallery()
    qtbot.addWidget(widget)
    images = np.random.default_rng(0).integers(0, 256, (LABELS.size, 8, 8, 3), dtype=np.uint8)
    widget.show_predictions(images, LABELS, PROBS, NAMES)
    return widget


# ---- the gallery -------------------------------------------------------------------------

def test_mistakes_come_first_most_confident_first_and_header_counts(gallery):
    assert gallery.order() == EXPECTED_ORDER
    assert [t.index for t in gallery.tiles()] == EXPECTED_ORDER
    assert [t.wrong for t in gallery.tiles()] == [True] * 4 + [False] * 3
    assert gallery.header_text() == "3 of 7 right (43%) — 4 mistakes shown first"


def test_tile_text_names_predicted_class_its_probability_and_true_class(gallery):
    texts = {t.index: t.text() for t in gallery.tiles()}
    assert texts[5] == "✗ pred: cat 0.95 / true: non-cat"
    assert texts[2] == "✗ pred: non-cat 0.70 / true: cat"
    assert texts[6] == "✗ pred: non-cat 0.50 / true: cat"
    assert texts[0] == "pred: cat 0.90 / true: cat"
    assert texts[3] == "pred: non-cat 0.95 / true: non-cat"


def test_showing_again_replaces_everything(gallery, qtbot):
    images = np.zeros((3, 8, 8, 3))
    gallery.show_predictions(images, np.array([[0, 1, 1]]), np.array([[0.2, 0.7, 0.9]]), NAMES)
    assert gallery.order() == [2, 0, 1]
    assert len(gallery.findChildren(type(gallery.tiles()[0]))) == 3
    assert gallery.header_text() == "3 of 3 right (100%) — no mistakes"


def test_one_mistake_is_singular(qtbot):
    dialog = GalleryDialog()
    qtbot.addWidget(dialog)
    dialog.show_predictions(np.zeros((2, 4, 4)), [0, 1], [0.9, 0.9], NAMES)
    assert dialog.gallery.header_text() == "1 of 2 right (50%) — 1 mistake shown first"
    assert dialog.gallery.order() == [0, 1]


def test_mismatched_counts_are_refused(qtbot):
    widget = PredictionsGallery()
    qtbot.addWidget(widget)
    with pytest.raises(ValueError, match="counts must match"):
        widget.show_predictions(np.zeros((3, 4, 4, 3)), [0, 1], [0.1, 0.2, 0.3], NAMES)


def test_grid_uses_the_width_and_clips_no_tile(qtbot):
    dialog = GalleryDialog()
    qtbot.addWidget(dialog)
    dialog.show_predictions(np.zeros((20, 8, 8, 3)), np.zeros(20), np.full(20, 0.2), NAMES)
    dialog.show()
    qtbot.waitExposed(dialog)
    tiles = dialog.gallery.tiles()
    tops = {t.geometry().top() for t in tiles}
    assert 1 < len(tops) < len(tiles)  # several rows of several tiles
    visible = dialog.gallery.scroll.viewport().width()
    assert max(t.geometry().right() for t in tiles) < visible


def test_tile_shows_picture_upright_in_its_colours_and_frames_mistakes(qtbot):
    top_red_bottom_blue = np.zeros((2, 16, 16, 3))
    top_red_bottom_blue[:, :8, :, 0] = 1.0
    top_red_bottom_blue[:, 8:, :, 2] = 1.0
    widget = PredictionsGallery()
    qtbot.addWidget(widget)
    widget.show_predictions(top_red_bottom_blue, [1, 1], [0.2, 0.9], NAMES)
    wrong, right = widget.tiles()
    for tile in (wrong, right):
        image = tile.grab().toImage()
        x = tile.width() // 2
        assert image.pixelColor(x, 8 + THUMB_PX // 4) == QColor(255, 0, 0)
        assert image.pixelColor(x, 8 + 3 * THUMB_PX // 4) == QColor(0, 0, 255)
    # the frame has the true class's colour whether right or wrong; a mistake is marked
    # by a disc with a cross in the corner, in the "wrong" colour (never a class colour)
    look = looks.current()
    true_colour = look.class_color(1)
    for tile in (wrong, right):
        frame = tile.grab().toImage().pixelColor(tile.width() // 2, 8 + THUMB_PX + 3)
        assert frame == true_colour
    x = (wrong.width() + THUMB_PX) // 2 - 13 - 11  # in the disc, beside its cross
    corner_wrong = wrong.grab().toImage().pixelColor(x, 19)
    corner_right = right.grab().toImage().pixelColor(x, 19)
    assert corner_wrong == look.color("wrong")
    assert corner_right != look.color("wrong")
    assert look.color("wrong") not in (look.class_color(0), look.class_color(1))


def test_click_on_tile_reports_its_index(gallery, qtbot):
    tile = gallery.tiles()[2]
    with qtbot.waitSignal(gallery.sigPictureClicked) as blocker:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert blocker.args == [tile.index]


# ---- one picture as the network's input ---------------------------------------------------

@pytest.mark.parametrize("suffix, tolerance", [("png", 0.0), ("jpg", 0.02)])
def test_solid_red_picture_gives_ones_in_the_red_channel(qtbot, tmp_path, suffix, tolerance):
    path = save(solid(64, 64, (255, 0, 0)), tmp_path / f"red.{suffix}")
    x = image_to_input(path, (64, 64, 3))
    assert x.shape == (64 * 64 * 3, 1) and x.dtype == np.float64
    np.testing.assert_allclose(x[0::3], 1.0, atol=tolerance)
    np.testing.assert_allclose(x[1::3], 0.0, atol=tolerance)
    np.testing.assert_allclose(x[2::3], 0.0, atol=tolerance)


def test_flatten_order_matches_the_course_loader(qtbot, tmp_path):
    pattern = np.random.default_rng(3).integers(0, 256, (8, 8, 3), dtype=np.uint8)
    classes = np.array([b"non-cat", b"cat"])
    train, test = tmp_path / "train.h5", tmp_path / "test.h5"
    for path, split in ((train, "train"), (test, "test")):
        with h5py.File(path, "w") as f:
            f.create_dataset(f"{split}_set_x", data=pattern[np.newaxis])
            f.create_dataset(f"{split}_set_y", data=np.array([1]))
            f.create_dataset("list_classes", data=classes)
    data = load_course_h5(train, test)
    png = save(pattern, tmp_path / "pattern.png")
    np.testing.assert_array_equal(image_to_input(png, data.image_shape), data.X_train[:, :1])
    np.testing.assert_array_equal(image_to_input(qimage_of(pattern), (8, 8, 3)),
                                  data.X_test[:, :1])


def test_wide_picture_is_centre_cropped_then_scaled(qtbot, tmp_path):
    wide = solid(100, 200, (255, 0, 0))  # 200 wide: green left quarter, blue right quarter
    wide[:, :50] = (0, 255, 0)
    wide[:, 150:] = (0, 0, 255)
    x = image_to_input(save(wide, tmp_path / "wide.png"), (64, 64, 3))
    pixels = x.T.reshape(64, 64, 3)
    np.testing.assert_array_equal(pixels[..., 0], 1.0)  # only the red middle is left
    np.testing.assert_array_equal(pixels[..., 1:], 0.0)


def test_tall_picture_and_non_square_shape_give_the_right_size(qtbot, tmp_path):
    tall = save(solid(300, 100, (10, 20, 30)), tmp_path / "tall.png")
    assert image_to_input(tall, (64, 64, 3)).shape == (64 * 64 * 3, 1)
    x = image_to_input(tall, (4, 8, 3))
    assert x.shape == (4 * 8 * 3, 1)
    np.testing.assert_allclose(x.T.reshape(4, 8, 3)[0, 0], np.array([10, 20, 30]) / 255)
    grey = image_to_input(tall, (5, 5, 1))
    assert grey.shape == (25, 1) and np.ptp(grey) == 0.0


def test_transparent_parts_become_white(qtbot, tmp_path):
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    path = tmp_path / "clear.png"
    assert image.save(str(path))
    np.testing.assert_array_equal(image_to_input(path, (4, 4, 3)), 1.0)


def test_text_file_named_png_gives_one_line_error_naming_it(qtbot, tmp_path):
    fake = tmp_path / "holiday.png"
    fake.write_text("not a picture\nat all\n")
    with pytest.raises(ImageReadError) as info:
        image_to_input(fake, (64, 64, 3))
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert str(fake) in message and "\n" not in message and "not a readable picture" in message


@pytest.mark.parametrize("name, words", [("missing.jpg", "no such file"), ("", "folder")])
def test_missing_file_or_folder_gives_one_line_error(qtbot, tmp_path, name, words):
    path = tmp_path / name
    with pytest.raises(ImageReadError, match=words) as info:
        image_to_input(path, (64, 64, 3))
    assert str(path) in str(info.value) and "\n" not in str(info.value)


# ---- classifying with a trained network --------------------------------------------------

@pytest.fixture(scope="module")
def shapes_session() -> Session:
    data = load_dataset("shapes", n_samples=40, seed=0)
    session = Session(RunConfig(dataset="shapes", hidden=(4,), learning_rate=0.01,
                                iterations=15, init="scaled"), data)
    session.run()
    return session


def test_classify_gives_the_same_probability_as_forward(qtbot, tmp_path, shapes_session):
    net, data = shapes_session.net, shapes_session.data
    pixels = np.round(data.images("test")[0] * 255).astype(np.uint8)
    result = classify_image(net, data, save(pixels, tmp_path / "shape.png"))
    x = pixels.reshape(1, -1).T / 255  # the picture as a column, the way the data hold it
    assert result.p == float(net.forward(x)[0, 0])
    assert abs(result.p - float(net.forward(data.X_test[:, :1])[0, 0])) < 0.05
    predicted = data.classes[int(result.p > 0.5)]
    assert result.label_text == f"p({data.classes[1]}) = {result.p:.2f} → {predicted}"
    np.testing.assert_array_equal(result.image, pixels / 255)


def test_classify_refuses_point_data(qtbot, tmp_path, shapes_session):
    flower = load_dataset("flower")
    with pytest.raises(DataError, match="points"):
        classify_image(shapes_session.net, flower, save(solid(4, 4, (1, 2, 3)), tmp_path / "a.png"))


def test_classify_widget_shows_result_then_error(qtbot, tmp_path, shapes_session):
    widget = ClassifyWidget(shapes_session.net, shapes_session.data)
    qtbot.addWidget(widget)
    path = save(solid(80, 120, (200, 200, 40)), tmp_path / "yellow.jpg")
    with qtbot.waitSignal(widget.sigClassified) as blocker:
        result = widget.classify(path)
    assert blocker.args == [result.p]
    assert widget.result_label.text() == result.label_text
    assert widget.file_label.text() == "yellow.jpg"
    assert not widget.picture.pixmap().isNull()
    bad = tmp_path / "notes.jpg"
    bad.write_text("hello")
    assert widget.classify(bad) is None
    assert widget.result is None
    assert str(bad) in widget.note_label.text()
    assert widget.picture.pixmap().isNull()
