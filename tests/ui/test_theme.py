"""Presentation mode and light / dark themes on a real MainWindow: what a person would see
change (fonts, line widths, hidden rows, colours), and that switching back restores it."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PyQt6.QtGui import QColor, QPalette
from PyQt6.QtWidgets import QApplication

from dnnviz.training import RunConfig
from dnnviz.ui import style, theme
from dnnviz.ui.views import thumbnails

FLOWER = RunConfig(dataset="flower", hidden=(4,), learning_rate=0.5, iterations=1000)
SHAPES = RunConfig(dataset="shapes").with_suggested(True)


@pytest.fixture
def make_window(make_window):
    """make_window(config=FLOWER) -> the shared fixture's window on that config."""
    return lambda config=FLOWER: make_window(config)


def look(window) -> dict:
    """What presentation mode changes, as plain values."""
    cost = window.cost_plot
    axis = cost.cost_plot.getAxis("left")
    form = window.controls._net_form
    return dict(
        curve_width=cost.train_curve.opts["pen"].widthF(),
        hist_width=[c.opts["pen"].widthF() for c in window.histograms._curves],
        tick_pt=axis.style["tickFont"].pointSizeF(),
        label_pt=axis.label.font().pointSizeF(),
        axis_width=axis.fixedWidth,
        app_pt=QApplication.font().pointSizeF(),
        window_pt=window.font().pointSizeF(),
        legend_size=[label.opts.get("size") for _, label in cost.cost_legend.items],
        advanced=[w.isVisible() for w in window.controls.advanced_widgets()],
        advanced_labels=[form.labelForField(w).isVisible()
                         for w in window.controls.advanced_widgets()],
        lr_visible=window.controls.lr.isVisible(),
        full_screen=window.isFullScreen(),
    )


def test_presentation_enlarges_thickens_hides_and_restores(make_window):
    window = make_window()
    before = look(window)
    assert before["advanced"] == [True] * 3 and not before["full_screen"]

    theme.set_presentation(window, True)
    on = look(window)
    assert theme.current(window) == ("light", True)
    assert on["curve_width"] == pytest.approx(2 * before["curve_width"])
    assert on["hist_width"] == pytest.approx([2 * w for w in before["hist_width"]])
    assert on["tick_pt"] == pytest.approx(1.5 * before["tick_pt"])
    assert on["label_pt"] == pytest.approx(1.5 * before["label_pt"])
    assert on["app_pt"] == pytest.approx(1.5 * before["app_pt"])
    assert on["window_pt"] > before["window_pt"]
    assert on["axis_width"] > before["axis_width"]  # room for the larger tick labels
    assert on["legend_size"] != before["legend_size"]
    assert on["advanced"] == [False] * 3 and on["advanced_labels"] == [False] * 3
    assert on["lr_visible"]
    assert on["full_screen"]

    theme.set_presentation(window, True)  # twice = once
    assert look(window) == on

    theme.set_presentation(window, False)
    assert look(window) == before
    assert theme.current(window) == ("light", False)


def test_titles_set_by_views_stay_large_in_presentation(make_window):
    window = make_window(SHAPES)
    theme.set_presentation(window, True)
    plot = window.activations.columns[-1].grid_plot
    plot.setTitle("output<br>sigmoid<br>p(circle)=0.50", size=style.TITLE_SIZE)  # as a view does
    assert plot.titleLabel.opts["size"] == "16.5pt"
    theme.set_presentation(window, False)
    assert plot.titleLabel.opts["size"] == style.TITLE_SIZE
    assert "setTitle" not in plot.__dict__  # nothing left behind


def test_refresh_applies_the_mode_to_plots_made_by_a_rebuild(make_window):
    window = make_window()
    normal_tick = window.histograms._plots[0].getAxis("bottom").style["tickFont"].pointSizeF()
    normal_width = window.histograms._curves[0].opts["pen"].widthF()
    theme.set_presentation(window, True)
    theme.set_theme(window, "dark")
    assert window.apply_config(FLOWER.with_changes(hidden=(5, 4, 3)))
    theme.refresh(window)
    assert window.histograms.plot_count() == 4  # new plots
    for plot, curve in zip(window.histograms._plots, window.histograms._curves):
        axis = plot.getAxis("bottom")
        assert axis.style["tickFont"].pointSizeF() == pytest.approx(1.5 * normal_tick)
        assert curve.opts["pen"].widthF() == pytest.approx(2 * normal_width)
        assert axis.textPen().color() == QColor(style.DARK_TEXT)
    theme.set_presentation(window, False)
    theme.set_theme(window, "light")
    curve = window.histograms._curves[-1]
    assert curve.opts["pen"].widthF() == pytest.approx(normal_width)
    assert curve.opts["pen"].color() == QColor(style.HIST_COLOR)


def _dark(color: QColor) -> bool:
    return color.lightnessF() < 0.3


def test_dark_theme_and_back(make_window):
    window = make_window(SHAPES)
    axis = window.cost_plot.cost_plot.getAxis("left")
    title = window.histograms._plots[0].titleLabel
    views = window.findChildren(pg.GraphicsView)
    assert views and all(v.backgroundBrush().color() == QColor("white") for v in views)
    light_text, light_curve = axis.textPen().color(), window.cost_plot.train_curve.opts["pen"]

    theme.set_theme(window, "dark")
    assert theme.current(window) == ("dark", False)
    assert all(_dark(v.backgroundBrush().color()) for v in views)
    assert not _dark(axis.textPen().color()) and not _dark(axis.pen().color())
    assert not _dark(pg.mkColor(title.opts["color"]))
    assert _dark(window.palette().color(QPalette.ColorRole.Window))
    assert not _dark(window.palette().color(QPalette.ColorRole.WindowText))
    # the dark blue training curve is lit up to read on the dark background
    assert theme._contrast(window.cost_plot.train_curve.opts["pen"].color()) >= 4.0
    # thumbnails paint their captions in the palette's colours: light text on dark
    tile = window.thumbnails.thumbnail("test", 1)
    tile.set_state("p(circle)=0.30", wrong=False)
    assert not _dark(tile.text_color())
    tile.set_state("p(circle)=0.90", wrong=True)
    assert theme._contrast(tile.text_color()) >= 4.0  # the wrong colour, lit up

    theme.set_theme(window, "dark")  # twice = once
    assert all(_dark(v.backgroundBrush().color()) for v in views)

    theme.set_theme(window, "light")
    assert all(v.backgroundBrush().color() == QColor("white") for v in views)
    assert axis.textPen().color() == light_text
    assert window.cost_plot.train_curve.opts["pen"] == light_curve
    assert window.palette().color(QPalette.ColorRole.Window) == \
        QApplication.style().standardPalette().color(QPalette.ColorRole.Window)
    tile.set_state("p(circle)=0.30", wrong=False)
    assert tile.text_color() == window.palette().color(QPalette.ColorRole.WindowText)
    assert _dark(tile.text_color())


def test_unknown_theme_is_refused(make_window):
    window = make_window()
    with pytest.raises(ValueError, match="unknown theme"):
        theme.set_theme(window, "blue")
    assert theme.current(window) == ("light", False)


def _presentation_at(window, qtbot, width: int, height: int) -> None:
    """Presentation mode on a width x height screen (offscreen: resize instead of full
    screen), its layouts settled."""
    theme.set_presentation(window, True)
    window.showNormal()
    window.resize(width, height)
    qtbot.wait(50)
    QApplication.processEvents()
    qtbot.wait(50)


def test_presentation_activation_columns_fit_at_1280(make_window, qtbot):
    window = make_window(SHAPES)
    view = window.activations
    assert view.form == 0  # full titles at 1300 px, normal mode
    _presentation_at(window, qtbot, 1280, 720)
    right = view._act.width()
    for column in view.columns:
        for item in (column.grid_plot, column.bar, column.map_plot):
            assert item.sceneBoundingRect().right() <= right + 1
    # titles, in the larger text, shortened to fit, and not cut at the top
    assert view.form > 0
    for plot in [view.input_plot] + [c.grid_plot for c in view.columns]:
        assert plot.titleLabel.itemRect().height() <= plot.titleLabel.maximumHeight()
    theme.set_presentation(window, False)
    window.resize(1500, 950)
    qtbot.wait(50)
    QApplication.processEvents()
    assert view.form == 0


def test_presentation_cost_hint_stays_one_line(make_window, qtbot):
    window = make_window()
    label = window.cost_plot.hover_label
    normal = label.height()
    _presentation_at(window, qtbot, 1280, 720)
    line = label.fontMetrics().height()
    assert label.height() < 2 * line  # one line, however narrow
    assert label.height() <= 2 * normal
    assert not label.wordWrap()


def test_presentation_boundary_fits_its_view(make_window, qtbot):
    window = make_window()
    _presentation_at(window, qtbot, 1280, 720)
    view = window.boundary
    right = view._plane.width()
    for item in (view.plot, view.bar, view.legend):
        assert item.sceneBoundingRect().right() <= right + 1
    assert view.bar.axis.sceneBoundingRect().right() <= right + 1


def test_thumbnail_captions_follow_the_font(make_window, qtbot):
    window = make_window(SHAPES)
    tile = window.thumbnails.thumbnail("test", 0)
    normal = tile.size()
    assert (normal.width(), normal.height()) == (thumbnails.TILE_W, thumbnails.TILE_H)
    theme.set_presentation(window, True)
    assert tile.font().pointSizeF() == pytest.approx(1.5 * style.SMALL_FONT_PT)
    assert tile.height() > normal.height() and tile.width() > normal.width()
    theme.set_presentation(window, False)
    assert tile.size() == normal
