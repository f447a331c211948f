"""BoundaryView, drawn from real snapshots of a 2-D data set."""

from dataclasses import replace

import numpy as np
import pytest
from PyQt6.QtCore import QPointF
from PyQt6.QtWidgets import QBoxLayout
from window_helpers import trained

from dnnviz.training import RunConfig, Session
from dnnviz.training.snapshot import GRID_SIZE, PARTS, FrameRequest
from dnnviz.training.summaries import make_snapshot
from dnnviz.ui import look as looks
from dnnviz.ui.views.boundary import (
    MAX_UNIT_MAPS,
    UNIT_STEP,
    BoundaryView,
    best_columns,
)


def snapshot(session: Session):
    return make_snapshot(session, FrameRequest(parts=PARTS), running=False)


@pytest.fixture(scope="module")
def moons() -> Session:
    return trained(RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.5))


@pytest.fixture
def view(qtbot, moons) -> BoundaryView:
    widget = BoundaryView()
    qtbot.addWidget(widget)
    widget.set_dataset(moons.data, moons.layer_dims)
    return widget


# --- pure helpers ------------------------------------------------------------------------

def test_best_columns_fits_the_area():
    assert best_columns([16], width=2000, height=150) == 16
    assert best_columns([16, 16], width=300, height=800) <= 4


# --- BoundaryView ------------------------------------------------------------------------

def test_boundary_image_is_the_probability_grid_over_the_extent(view, moons):
    snap = snapshot(moons)
    view.show_snapshot(snap)
    np.testing.assert_array_equal(view.image.image, snap.grid_probs)
    xmin, xmax, ymin, ymax = snap.grid_extent
    # pixel centres sit on the grid's samples: first at (xmin, ymin), last at (xmax, ymax)
    first = view.image.mapToParent(QPointF(0.5, 0.5))
    last = view.image.mapToParent(QPointF(GRID_SIZE - 0.5, GRID_SIZE - 0.5))
    assert (first.x(), first.y()) == pytest.approx((xmin, ymin))
    assert (last.x(), last.y()) == pytest.approx((xmax, ymax))
    # the whole extent is in view, in its true shape (one unit is as long on both axes)
    (vx0, vx1), (vy0, vy1) = view.plot.viewRange()
    assert vx0 <= xmin + 1e-9 and vx1 >= xmax - 1e-9 and vy0 <= ymin + 1e-9 and vy1 >= ymax - 1e-9
    assert view.plot.vb.state["aspectLocked"] == 1.0
    assert view.bar.levels() == (0.0, 1.0)


def test_contour_follows_p_one_half(view, moons):
    snap = snapshot(moons)
    view.show_snapshot(snap)
    x, y = view.contour.getData()
    assert len(x) > 0 and len(x) % 2 == 0
    xmin, xmax, ymin, ymax = snap.grid_extent
    assert x.min() >= xmin and x.max() <= xmax and y.min() >= ymin and y.max() <= ymax


def test_scatter_points_are_the_data(view, moons):
    data = moons.data
    look = looks.current()
    for item, X, Y in ((view.points["train"], data.X_train, data.Y_train),
                       (view.points["test"], data.X_test, data.Y_test)):
        x, y = item.getData()
        np.testing.assert_array_equal(x, X[0])
        np.testing.assert_array_equal(y, X[1])
        colours = [b.color().name() for b in item.data["brush"]]
        assert colours == [look.class_color(int(v)).name() for v in Y.ravel()]
    assert view.points["train"].opts["symbol"] != view.points["test"].opts["symbol"]
    assert view.legend.names() == ["class 0 (train)", "class 1 (train)", "class 0 (test)",
                                   "class 1 (test)"]


def test_unit_maps_show_every_hidden_unit(view, moons):
    snap = snapshot(moons)
    view.show_snapshot(snap)
    rows = view.unit_rows
    assert len(rows) == len(snap.grid_units) == 2
    for row, maps in zip(rows, snap.grid_units):
        tiles, side = row.img.image, maps.shape[1]
        np.testing.assert_array_equal(tiles[:side, :side], maps[0][::-UNIT_STEP, ::UNIT_STEP])
        shown = np.isfinite(tiles).sum()
        assert shown == maps.shape[0] * side * side
        peak = max(maps.max(), 1e-6)
        assert peak <= row.bar.levels()[1] <= 1.25 * peak  # rounded up (pictures.nice_scale)


def test_a_second_snapshot_reuses_the_items(qtbot):
    session = trained(RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.5), steps=2)
    view = BoundaryView()
    qtbot.addWidget(view)
    view.set_dataset(session.data, session.layer_dims)
    view.show_snapshot(snapshot(session))
    items = [view.image, view.contour, view.points["train"]] + [r.img for r in view.unit_rows]
    session.step()
    second = snapshot(session)
    view.show_snapshot(second)
    items_after = [view.image, view.contour, view.points["train"]]
    assert items == items_after + [r.img for r in view.unit_rows]
    np.testing.assert_array_equal(view.image.image, second.grid_probs)


def test_set_dataset_with_another_shape_rebuilds_the_unit_maps(view, moons):
    session = trained(RunConfig(dataset="flower", hidden=(20, 8, 3), learning_rate=0.5), steps=2)
    view.set_dataset(session.data, session.layer_dims)
    rows = view.unit_rows
    assert [r.shown for r in rows] == [MAX_UNIT_MAPS, 8, 3]
    view.show_snapshot(snapshot(moons))  # a late snapshot of the old network: ignored
    assert rows[0].img.image is None
    snap = snapshot(session)
    view.show_snapshot(snap)
    side = GRID_SIZE // 2  # the snapshot holds every 2nd grid point
    assert np.isfinite(rows[0].img.image).sum() == MAX_UNIT_MAPS * side * side
    assert "first 16 of 20 units" in view._units.ci.getItem(0, 0).text
    labels = session.data.Y_train.ravel()
    colours = [b.color().name() for b in view.points["train"].data["brush"]]
    assert colours == [looks.current().class_color(int(v)).name() for v in labels]


def test_no_hidden_layer_shows_the_plane_only(view):
    session = trained(RunConfig(dataset="moons", hidden=(), learning_rate=0.5), steps=2)
    view.set_dataset(session.data, session.layer_dims)
    view.show_snapshot(snapshot(session))
    assert view.unit_rows == []
    np.testing.assert_array_equal(view.image.image, snapshot(session).grid_probs)


def test_nan_probabilities_draw_without_warnings(view, moons):
    snap = snapshot(moons)
    probs = snap.grid_probs.copy()
    probs[:10] = np.nan
    view.show_snapshot(replace(snap, grid_probs=probs))
    x, y = view.contour.getData()
    assert np.isfinite(x).all() and np.isfinite(y).all()
    view.resize(600, 400)
    view.show()
    view.grab()


def test_layout_follows_the_window_shape(qtbot, view, moons):
    view.show_snapshot(snapshot(moons))
    view.resize(1200, 700)
    view.show()
    qtbot.waitUntil(lambda: view.width() == 1200)
    assert view._box.direction() == QBoxLayout.Direction.LeftToRight
    view.resize(500, 1000)
    qtbot.waitUntil(lambda: view.width() == 500)
    assert view._box.direction() == QBoxLayout.Direction.TopToBottom
    # about square (presentation at 1024x768): beside it the plane is larger than above
    view.resize(640, 520)
    qtbot.waitUntil(lambda: view.width() == 640)
    assert view._box.direction() == QBoxLayout.Direction.LeftToRight
    qtbot.waitUntil(lambda: min(view._plane.width(), view._plane.height()) >= 360)
    assert view.toolTip() and view._units.toolTip()


def test_a_unit_rows_title_shrinks_to_stay_whole_in_a_narrow_column(view, qtbot):
    from PyQt6.QtGui import QFontMetricsF

    from dnnviz.ui.views.boundary import MIN_TITLE, TITLE_MARGIN

    row = view._rows[0]
    look = looks.current()
    full = look.pt(looks.TITLE_PT)
    needed = QFontMetricsF(look.font(looks.TITLE_PT)).horizontalAdvance(row.title.text)
    row.fit_title(needed * 2)
    assert row.title.opts["size"] == f"{full:.1f}pt"
    row.fit_title(needed * 0.85)  # a presentation column on a small screen
    shrunk = float(row.title.opts["size"][:-2])
    assert MIN_TITLE * full <= shrunk < full
    font = look.font(looks.TITLE_PT)
    font.setPointSizeF(shrunk)
    assert QFontMetricsF(font).horizontalAdvance(row.title.text) <= needed * 0.85 - TITLE_MARGIN + 1
    view.resize(300, 800)  # the view lays its rows out to the width it has
    view.show()
    qtbot.waitUntil(lambda: row.room is not None and row.room <= 300)
