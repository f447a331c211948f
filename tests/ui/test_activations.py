"""ThumbnailStrip and ActivationView, drawn from real snapshots of a few training steps."""

from dataclasses import replace

import numpy as np
import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QWidget
from window_helpers import trained

from dnnviz.training import RunConfig, Session
from dnnviz.training.snapshot import PARTS, FrameRequest
from dnnviz.training.summaries import make_snapshot
from dnnviz.ui import look as looks
from dnnviz.ui.views.activations import ActivationView
from dnnviz.ui.views.pictures import grid_shape, mosaic, symmetric_unit, unit_grid, unit_ticks
from dnnviz.ui.views.thumbnails import MAX_THUMBNAILS, ThumbnailStrip
from dnnviz.ui.views.weights import WeightsView


def snapshot(session: Session, split: str = "test", index: int = 3):
    request = FrameRequest(parts=PARTS, split=split, index=index)
    return make_snapshot(session, request, running=False)


@pytest.fixture(scope="module")
def shapes_session() -> Session:
    return trained(RunConfig(dataset="shapes", hidden=(8, 4), iterations=20, learning_rate=0.01))


@pytest.fixture
def strip(qtbot, shapes_session) -> ThumbnailStrip:
    widget = ThumbnailStrip()
    qtbot.addWidget(widget)
    widget.set_dataset(shapes_session.data)
    return widget


@pytest.fixture
def weights(qtbot, shapes_session) -> WeightsView:
    widget = WeightsView()
    qtbot.addWidget(widget)
    widget.set_layers(shapes_session.layer_dims, shapes_session.data)
    return widget


@pytest.fixture
def view(qtbot, shapes_session) -> ActivationView:
    widget = ActivationView()
    qtbot.addWidget(widget)
    widget.set_layers(shapes_session.layer_dims, shapes_session.data)
    return widget


# --- pure helpers ------------------------------------------------------------------------

def test_unit_grid_is_near_square_and_padded_with_nan():
    assert grid_shape(20) == (4, 5)
    assert grid_shape(1) == (1, 1)
    grid = unit_grid(np.arange(5.0))
    assert grid.shape == (2, 3)
    np.testing.assert_array_equal(grid.ravel()[:5], np.arange(5.0))
    assert np.isnan(grid.ravel()[5])


def test_symmetric_unit_puts_zero_at_grey_and_fills_the_range():
    w = np.random.default_rng(0).normal(size=(3, 4, 4, 3))
    w[2] = 0.0
    out = symmetric_unit(w)
    assert out.min() >= 0.0 and out.max() <= 1.0
    np.testing.assert_allclose(np.abs(out[:2] - 0.5).reshape(2, -1).max(axis=1), 0.5)
    np.testing.assert_array_equal(out[2], 0.5)


def test_mosaic_places_pictures_row_by_row():
    images = np.arange(5 * 2 * 2 * 1, dtype=float).reshape(5, 2, 2, 1)
    out = mosaic(images, cols=3, gap=1, fill=-1.0)
    assert out.shape == (2 * 3 - 1, 3 * 3 - 1, 1)
    np.testing.assert_array_equal(out[3:5, 0:2], images[3])
    assert out[2, 0, 0] == -1.0


def test_unit_ticks_number_rows_from_one():
    assert unit_ticks(3) == [(0.5, "1"), (1.5, "2"), (2.5, "3")]
    assert len(unit_ticks(100)) <= 10


# --- ThumbnailStrip ------------------------------------------------------------------------

def test_thumbnails_are_built_once_and_capped(strip, shapes_session):
    data = shapes_session.data
    assert strip.thumbnail_count("test") == min(MAX_THUMBNAILS, data.m_test)
    assert strip.thumbnail_count("train") == min(MAX_THUMBNAILS, data.m_train)
    assert f"first {MAX_THUMBNAILS} of {data.m_train}" in strip.tabs.tabText(1)
    assert strip.thumbnail("test", 2).label == data.classes[int(data.Y_test[0, 2])]
    assert strip.toolTip()


def test_misclassified_thumbnails_get_a_red_frame(strip, shapes_session):
    snap = snapshot(shapes_session)
    labels = shapes_session.data.Y_test.ravel()
    probs = np.where(labels >= 0.5, 0.9, 0.1)
    probs[[0, 5]] = 1.0 - probs[[0, 5]]  # two confident mistakes
    probs[7] = 0.5  # exactly 0.5 predicts label 0, as the lesson's `p > 0.5`
    strip.show_snapshot(replace(snap, test_probs=probs))
    expected = (probs > 0.5) != (labels >= 0.5)
    for i in range(strip.thumbnail_count("test")):
        tile = strip.thumbnail("test", i)
        assert tile.wrong == expected[i], i
        assert tile.prob_text == f"p(circle)={probs[i]:.2f}"
    assert strip.wrong_count("test") == int(expected.sum())
    assert strip.wrong_label.text() == f"{int(expected.sum())} of {labels.size} wrong"
    strip.tabs.setCurrentIndex(1)  # the train split's count, with the train tab in front
    m_train = shapes_session.data.m_train
    assert strip.wrong_label.text() == f"{strip.wrong_count('train')} of {m_train} wrong"


def test_a_new_count_of_mistakes_repaints_only_its_label(qtbot, strip, shapes_session):
    """The count changes at almost every frame: it must not re-lay out the strip (a tab's
    new text did, and Qt repainted the whole Pictures page beneath it each frame)."""
    from PyQt6.QtCore import QEvent, QObject
    strip.show()
    qtbot.waitExposed(strip)
    snap = snapshot(shapes_session)
    labels = shapes_session.data.Y_test.ravel()
    painted = []

    class Paints(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                painted.append(obj)
            return False

    spy = Paints()
    strip.show_snapshot(snap)
    qtbot.wait(50)  # the first count's paints are done
    strip.tabs.installEventFilter(spy)
    strip.tabs.tabBar().installEventFilter(spy)
    strip.wrong_label.installEventFilter(spy)
    for wrong in (1, 2, 10, 3):
        probs = np.where(labels >= 0.5, 0.9, 0.1)
        probs[:wrong] = 1.0 - probs[:wrong]
        painted.clear()
        strip.show_snapshot(replace(snap, test_probs=probs))
        qtbot.waitUntil(lambda: strip.wrong_label in painted)  # Qt paints what changed
        assert strip.wrong_label.text().startswith(f"{wrong} of")
        assert strip.tabs not in painted and strip.tabs.tabBar() not in painted


def test_real_probabilities_mark_exactly_the_mistakes(strip, shapes_session):
    snap = snapshot(shapes_session)
    strip.show_snapshot(snap)
    labels = shapes_session.data.Y_train.ravel() >= 0.5
    wrong = (snap.train_probs > 0.5) != labels
    marked = [strip.thumbnail("train", i).wrong for i in range(strip.thumbnail_count("train"))]
    assert marked == list(wrong[: len(marked)])


def test_show_snapshot_makes_no_widgets(strip, shapes_session):
    before = len(strip.findChildren(QWidget))
    strip.show_snapshot(snapshot(shapes_session))
    strip.show_snapshot(snapshot(shapes_session, "train", 1))
    assert len(strip.findChildren(QWidget)) == before


def test_clicking_a_thumbnail_selects_it(qtbot, strip):
    strip.show()
    assert strip.thumbnail("test", 0).selected
    strip.tabs.setCurrentIndex(1)
    tile = strip.thumbnail("train", 4)
    with qtbot.waitSignal(strip.sigSampleSelected, timeout=1000) as blocker:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert blocker.args == ["train", 4]
    assert tile.selected and strip.selected == ("train", 4)
    assert not strip.thumbnail("test", 0).selected
    assert sum(t.selected for s in ("test", "train")
               for t in (strip.thumbnail(s, i) for i in range(strip.thumbnail_count(s)))) == 1


# --- ActivationView ------------------------------------------------------------------------

def test_activation_images_hold_the_snapshot_arrays(view, shapes_session):
    snap = snapshot(shapes_session)
    view.show_snapshot(snap)
    data = shapes_session.data
    np.testing.assert_array_equal(view.input_img.image, data.X_test[:, 3].reshape(64, 64, 3))
    assert len(view.rows) == len(snap.sample_activations) == 3
    for row, values, layer_map in zip(view.rows, snap.sample_activations, snap.layer_maps):
        # the selected picture's units as one column, beside the units x examples map
        np.testing.assert_array_equal(row.unit_img.image, values.reshape(-1, 1))
        np.testing.assert_array_equal(row.map_img.image, layer_map)
    assert view.rows[-1].unit_img.image.shape == (1, 1)
    title = view.rows[-1].title.text
    assert f"p(circle) = {snap.sample_activations[-1][0]:.2f}" in title


def test_units_are_numbered_down_the_side_of_each_layer(view, shapes_session):
    view.show_snapshot(snapshot(shapes_session))
    for row, n in zip(view.rows[:-1], shapes_session.layer_dims[1:-1]):
        axis = row.unit_plot.getAxis("left")
        height = axis._metrics().height()
        roomy = axis.tickValues(0, n, 2 * n * height)[0][1]  # room for every number
        assert axis.tickStrings(roomy, 1, 1) == [str(k) for k in range(1, n + 1)]
        tight = axis.tickValues(0, n, 3 * height)[0][1]  # room for three
        labels = axis.tickStrings(tight, 1, 1)
        assert labels[-1] == str(n) and len(labels) <= 3  # the last unit is always named
        assert row.unit_plot.vb.viewRange()[1] == [0, n]  # every unit, no empty cell


def test_hidden_colour_scale_covers_the_layer(view, shapes_session):
    snap = snapshot(shapes_session)
    view.show_snapshot(snap)
    row = view.rows[0]
    peak = max(snap.sample_activations[0].max(), snap.layer_maps[0].max(), 1e-6)
    low, top = row.bar.levels()
    assert low == 0.0 and peak <= top <= 1.25 * peak  # the layer's peak, rounded up
    assert float(f"{top:.2g}") == top  # to a round value that holds from frame to frame
    ends = [label for _, label in row.bar.axis._tickLevels[0]]
    assert ends == ["0", f"{top:.2g}"]  # one bar for the row, both ends named
    assert view.rows[-1].bar.levels() == (0.0, 1.0)


def test_units_x_examples_divides_the_classes(view, shapes_session):
    snap = snapshot(shapes_session)
    view.show_snapshot(snap)
    n0 = int(np.count_nonzero(snap.map_labels < 0.5))
    for row in view.rows:
        assert all(line.value() == n0 and line.isVisible() for line in row.dividers)
    # the class names once, under the last row, each under its own block
    last = view.rows[-1].map_plot.getAxis("bottom")
    assert [name for _, name in last._tickLevels[0]] == list(shapes_session.data.classes)
    assert all(not row.map_plot.getAxis("bottom").isVisible() for row in view.rows[:-1])


def test_first_layer_weights_are_shown_as_pictures(weights, shapes_session):
    snap = snapshot(shapes_session)
    weights.show_snapshot(snap)
    pictures = symmetric_unit(snap.first_weights)
    tiles = weights.weights_img.image
    assert tiles.shape[2] == 3
    np.testing.assert_allclose(tiles[:64, :64], pictures[0])
    _, cols = grid_shape(shapes_session.layer_dims[1])
    np.testing.assert_allclose(tiles, mosaic(pictures, cols, max(1, round(0.15 * 64))))
    before = looks.current()  # on the dark ground the gaps are dark, not a white grid
    try:
        looks.set_current(looks.Look("dark"))
        weights.restyle(looks.current())
        gap = weights.weights_img.image[:64, 64 + 2]  # between the first two tiles
        np.testing.assert_allclose(gap, np.broadcast_to(
            looks.current().color("background").getRgbF()[:3], gap.shape))
    finally:
        looks.set_current(before)


def test_a_second_snapshot_reuses_the_items(qtbot):
    session = trained(RunConfig(dataset="shapes", hidden=(8, 4), learning_rate=0.05), steps=3)
    view = ActivationView()
    qtbot.addWidget(view)
    view.set_layers(session.layer_dims, session.data)
    view.show_snapshot(snapshot(session, "test", 1))
    items = [view.input_img] + [r.unit_img for r in view.rows]
    session.step()
    second = snapshot(session, "train", 2)
    view.show_snapshot(second)
    assert items == [view.input_img] + [r.unit_img for r in view.rows]
    np.testing.assert_array_equal(view.rows[0].unit_img.image,
                                  second.sample_activations[0].reshape(-1, 1))
    assert "train picture #2" in view.input_title


def test_set_layers_with_another_shape_rebuilds(view, shapes_session):
    session = trained(RunConfig(dataset="shapes", hidden=(5,), learning_rate=0.01), steps=2)
    view.set_layers(session.layer_dims, session.data)
    assert len(view.rows) == 2
    view.show_snapshot(snapshot(shapes_session))  # a late snapshot of the old network
    assert view.rows[0].unit_img.image is None
    snap = snapshot(session)
    view.show_snapshot(snap)
    np.testing.assert_array_equal(view.rows[0].unit_img.image,
                                  snap.sample_activations[0].reshape(-1, 1))


def test_views_explain_themselves(view, weights):
    assert view.toolTip() and weights.toolTip()


def test_cat_data(qtbot, cat_dir):
    session = trained(RunConfig(dataset="cat", data_dir=str(cat_dir), hidden=(20, 7, 5),
                                init="scaled", learning_rate=0.0075), steps=3)
    strip, view, weights = ThumbnailStrip(), ActivationView(), WeightsView()
    for widget in (strip, view, weights):
        qtbot.addWidget(widget)
    strip.set_dataset(session.data)
    view.set_layers(session.layer_dims, session.data)
    weights.set_layers(session.layer_dims, session.data)
    snap = snapshot(session, "train", 5)
    for widget in (strip, view, weights):
        widget.show_snapshot(snap)
    assert strip.thumbnail_count("train") == MAX_THUMBNAILS
    assert strip.thumbnail_count("test") == 50
    assert view.rows[0].unit_img.image.shape == (20, 1)
    assert weights.weights_img.image.shape[2] == 3


def test_colour_bar_ticks_are_its_two_ends():
    from dnnviz.ui.views.pictures import scale_ticks
    assert scale_ticks(1.0) == [(0.0, "0"), (1.0, "1")]
    assert scale_ticks(2.6) == [(0.0, "0"), (2.6, "2.6")]
    assert scale_ticks(17.3) == [(0.0, "0"), (17.3, "17")]


def test_the_output_row_is_framed_where_p_half_is_the_grounds_colour(view, qtbot):
    """p = 0.5 is drawn white on the light ground (black on the dark): a frame shows the
    row even before the network has learned; the hidden rows' colours never match it."""
    view.resize(700, 700)
    view.show()
    image = view._graphics.grab().toImage()
    output = view.rows[-1]
    box = output.map_plot.vb.sceneBoundingRect().toRect()
    edge = image.pixelColor(box.center().x(), box.top())  # on the frame's top side
    assert edge.name() == looks.current().color("grid").name()
    assert all(row.map_plot.vb.border is None
               or row.map_plot.vb.border.style() == Qt.PenStyle.NoPen for row in view.rows[:-1])


def test_a_short_colour_bar_still_names_both_ends_in_large_type(qtbot):
    from PyQt6.QtGui import QImage, QPainter

    session = trained(RunConfig(dataset="shapes", hidden=(20, 7, 5), init="small"), steps=2)
    view = ActivationView()  # tiny activations: long labels such as 0.00042
    qtbot.addWidget(view)
    view.set_layers(session.layer_dims, session.data)
    before = looks.current()
    try:
        looks.set_current(looks.Look("light", True))  # presentation mode's larger text
        view.restyle(looks.current())
        view.resize(700, 330)  # rows about 50 px high
        view.show()
        view.show_snapshot(snapshot(session))
        qtbot.wait(50)
        for row in view.rows:
            image = QImage(20, 20, QImage.Format.Format_ARGB32)
            painter = QPainter(image)
            drawn = row.bar.axis.generateDrawSpecs(painter)[2]
            painter.end()
            wanted = [label for _, label in row.bar.axis._tickLevels[0]]
            assert sorted(text for *_, text in drawn) == sorted(wanted), row.title.text
    finally:
        looks.set_current(before)


def test_a_thumbnails_caption_fits_its_tile_whatever_the_class_name(qtbot, shapes_session):
    from dataclasses import replace

    from PyQt6.QtGui import QFontMetricsF

    name = "rectangles"  # a folder of pictures names the classes after its subfolders
    strip = ThumbnailStrip()
    qtbot.addWidget(strip)
    strip.set_dataset(replace(shapes_session.data, classes=("discs", name)))
    tiles = strip._tiles["test"]
    assert tiles
    for tile in tiles:
        caption = QFontMetricsF(tile.font()).horizontalAdvance(f"p({name})=0.50")
        assert caption <= tile.width() - 4, (name, caption, tile.width())


def test_a_colour_bar_drawn_every_frame_keeps_its_axis_label(qtbot):
    """New levels every frame must not remake the bar's axis label (SI prefixes off): a
    remade label is HTML laid out anew, at every frame, for every bar."""
    from dnnviz.ui.views.axes import color_bar
    bar = color_bar(values=(0, 1))
    label = bar.axis.label
    html = []
    real = label.setHtml
    label.setHtml = lambda text: (html.append(text), real(text))
    for top in (0.001, 0.5, 2.0, 3000.0):
        bar.setLevels((0.0, top))
    assert html == [] and bar.axis.autoSIPrefixScale == 1.0


def test_colour_scales_round_up_and_hold_still():
    """A colour scale's ends are round values covering the data: a small change of the
    peak between two frames leaves the scale (its colours and its axis) as it was."""
    from dnnviz.ui.views.pictures import nice_scale
    assert nice_scale(3.8) == (4.0, 0.0) and nice_scale(3.9) == (4.0, 0.0)
    assert nice_scale(0.081)[0] == pytest.approx(0.1)
    assert nice_scale(1.0) == (1.0, 0.0) and nice_scale(1.01) == (1.2, 0.0)
    assert nice_scale(0.72, -0.031) == (pytest.approx(0.8), pytest.approx(-0.035))
    for peak in np.geomspace(1e-6, 1e4, 200):
        top, _ = nice_scale(peak)
        assert peak <= top <= 1.25 * peak + 1e-15


def test_a_colour_scale_rises_at_once_and_falls_only_after_values_stay_low():
    """HeldScale: the brightest colour covers every frame's values from that frame on; a
    peak jumping between 0.07 and 1.5 from frame to frame (the cat run's second layer, early
    on) moves the scale once, not every frame; values that stay under half of it for
    HOLD_FRAMES frames bring it down to what they needed, not before."""
    from dnnviz.ui.views.pictures import HOLD_FRAMES, HeldScale, nice_scale
    held, scale, changes = HeldScale(), None, 0
    for i in range(200):
        peak = 1.5 if i % 2 else 0.07
        new = held.update(peak)
        if new is not None:
            scale, changes = new, changes + 1
        assert scale[0] >= peak
    assert changes == 2 and scale == nice_scale(1.5)  # 0.07, then 1.5, then held
    rng = np.random.default_rng(0)
    lows = rng.uniform(0.2, 0.5, HOLD_FRAMES)
    for i, peak in enumerate(lows):
        new = held.update(peak)
        if i < HOLD_FRAMES - 1:
            assert new is None  # still held
    assert new == nice_scale(lows.max())
    assert held.update(0.6)[0] >= 0.6  # up again at once
    assert held.update(0.3, -2.0) == (nice_scale(0.6)[0], -2.0)  # a value below: at once
    ups_and_downs = np.abs(rng.normal(1, 0.5, 500))
    for peak in ups_and_downs:
        held.update(peak)
        assert held.scale[0] >= peak


def test_axes_are_painted_from_a_picture_of_themselves_while_only_data_change(
        view, qtbot, shapes_session):
    """Frame after frame only the maps change: the axes beside them (units, class names,
    colour bars) are drawn from their cached pictures, not painted again; a new colour
    scale paints its bar's axis again."""
    import pyqtgraph as pg
    view.resize(600, 500)
    view.show()
    qtbot.waitExposed(view)
    snap = snapshot(shapes_session)
    view.show_snapshot(snap)
    qtbot.wait(50)
    painted = []
    original = pg.AxisItem.paint

    def counted(axis, *args):
        painted.append(axis)
        return original(axis, *args)

    rows = view.rows
    layer_map = [np.asarray(m) for m in snap.layer_maps]
    try:
        pg.AxisItem.paint = counted
        for k in range(3):  # the same scale, new values
            maps = tuple(m * (0.9 + 0.01 * k) for m in layer_map)
            view.show_snapshot(replace(snap, layer_maps=maps))
            view._graphics.viewport().repaint()
        assert painted == []
        top = rows[0].held.scale[0]
        maps = (layer_map[0] * 0 + 5 * top, *layer_map[1:])  # the first layer's scale rises
        view.show_snapshot(replace(snap, layer_maps=maps))
        view._graphics.viewport().repaint()
        assert rows[0].bar.axis in painted
        assert not any(row.bar.axis in painted for row in rows[1:])
    finally:
        pg.AxisItem.paint = original
