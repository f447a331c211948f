"""The look: light and dark, desk and projector. Text readable (WCAG AA, 4.5:1) where it is
drawn, every colour from the palette, presentation mode larger and back again."""

from __future__ import annotations

from collections import Counter

import pyqtgraph as pg
import pytest
from PyQt6.QtCore import QPoint
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import QCheckBox, QLabel, QStyle, QStyleOptionButton
from window_helpers import drawn, send_steps, show_tab

from dnnviz.training import RunConfig
from dnnviz.ui import look as looks
from dnnviz.ui.look import DARK, LIGHT, Look, contrast
from dnnviz.ui.views.legend import Legend

AA = 4.5
FLOWER = RunConfig(dataset="flower", hidden=(4,), learning_rate=0.5, iterations=1000)
SHAPES = RunConfig(dataset="shapes").with_suggested(True)
TEXT_ROLES = ("text", "muted", "train", "test", "error", "warning", "accent")


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_every_text_colour_of_the_palette_reads_on_its_backgrounds(palette):
    for role in TEXT_ROLES:
        for ground in ("background", "panel", "base"):
            assert contrast(palette[role], palette[ground]) >= AA, (role, ground)


def test_class_colours_differ_from_each_other_and_from_wrong():
    for theme in ("light", "dark"):
        look = Look(theme)
        colours = {look.class_color(0).name(), look.class_color(1).name(),
                   look.color("wrong").name()}
        assert len(colours) == 3


def sampled_contrast(image, rect) -> float:
    """In rect of image: the background (the commonest colour) against the pixel that
    stands out most from it, i.e. the core of the text's glyphs."""
    pixels = [image.pixelColor(x, y) for x in range(rect.left(), rect.right())
              for y in range(rect.top(), rect.bottom())]
    ground = QColor(Counter(p.name() for p in pixels).most_common(1)[0][0])
    return max(contrast(p, ground) for p in pixels)


def axis_rects(view):
    """The tick-label areas of every visible axis of a pyqtgraph widget, in its pixels."""
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem) and item.isVisible() and item.style["showValues"]:
            rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            rect = rect.intersected(view.rect())
            if rect.width() > 4 and rect.height() > 4:
                yield item, rect


def check_view_contrast(widget) -> int:
    """Every axis and label drawn in widget reads at 4.5:1 or better; how many were seen."""
    seen = 0
    for view in widget.findChildren(pg.GraphicsView):
        if not view.isVisible():
            continue
        image = view.grab().toImage()
        for axis, rect in axis_rects(view):
            assert sampled_contrast(image, rect) >= AA, (type(widget).__name__, axis)
            seen += 1
    for label in widget.findChildren(QLabel):
        if label.isVisible() and label.text().strip() and label.width() > 4:
            image = label.grab().toImage()
            assert sampled_contrast(image, label.rect()) >= AA, label.text()
            seen += 1
    for legend in widget.findChildren(Legend):  # an entry's name: the right of its cell
        if legend.isVisible():  # (see-through: read on what is drawn beneath it)
            image = widget.grab().toImage()
            at = legend.viewport().mapTo(widget, QPoint(0, 0))
            for i in range(legend.count()):
                cell = legend.visualItemRect(legend.item(i)).translated(at)
                name = cell.adjusted(cell.width() * 3 // 5, 0, 0, 0)
                assert sampled_contrast(image, name) >= AA, legend.item(i).text()
                seen += 1
    for box in widget.findChildren(QCheckBox):  # an unticked box is seen too (3:1)
        if box.isVisible():
            option = QStyleOptionButton()
            box.initStyleOption(option)
            mark = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option,
                                              box).adjusted(-3, -3, 3, 3)
            mark = mark.translated(box.mapTo(widget, QPoint(0, 0)))  # on what is beneath
            image = widget.grab().toImage()
            assert sampled_contrast(image, mark.intersected(widget.rect())) >= 3, box.text()
            seen += 1
    return seen


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("config", [FLOWER, SHAPES], ids=["points", "pictures"])
def test_text_reads_in_every_view(qtbot, make_window, theme, config):
    window = make_window(config)
    window.set_theme(theme)
    send_steps(window, 3)
    drawn(qtbot, window, lambda s: s.iteration == 3)
    seen = check_view_contrast(window.readout) + check_view_contrast(window.holders["cost"])
    views = [window.histograms, window.network, window.distributions] + (
        [window.thumbnails, window.activations, window.weights]
        if window.session.data.is_image else [window.boundary])
    for view in views:
        show_tab(window, view)
        drawn(qtbot, window, lambda s: s.iteration == 3 and all(
            getattr(s, part) is not None for part in ("hists", "network", "distributions")
            if part in view.parts))
        qtbot.wait(20)
        seen += check_view_contrast(view)
    assert seen >= 10  # it did look at the axes and labels


def test_dark_changes_every_plot_background_and_back(qtbot, window):
    views = [v for v in window.findChildren(pg.GraphicsView)]
    window.set_theme("dark")
    dark = looks.current().color("background")
    assert all(v.backgroundBrush().color() == dark for v in views)
    window.set_theme("light")
    light = looks.current().color("background")
    assert all(v.backgroundBrush().color() == light for v in views)


def test_presentation_enlarges_text_and_lines_and_restores(qtbot, window):
    axis = window.cost_plot.cost_plot.getAxis("left")

    def sizes():
        return (axis.style["tickFont"].pointSizeF(),
                window.cost_plot.train_curve.opts["pen"].widthF(),
                window.readout._fonts()[1].pointSizeF())
    before = sizes()
    window.set_presentation(True)
    during = sizes()
    assert during[0] == pytest.approx(1.5 * before[0])
    assert during[1] == pytest.approx(2 * before[1])
    assert during[2] == pytest.approx(1.5 * before[2])  # the headline numbers too
    window.set_presentation(False)
    assert sizes() == pytest.approx(before)


def test_v_cycles_the_stage_through_its_views(qtbot, window):
    from dnnviz.ui.window.presentation import scenes
    window.set_presentation(True)
    count = len(scenes(window))
    seen = []
    for _ in range(count + 1):
        seen.append(tuple(h.view.name for h in window.stage.holders))
        window.presentation.next_scene()
    assert seen[0] == ("cost", "boundary") and seen[count] == seen[0]
    assert len(set(seen[:count])) == count
    assert {"network", "distributions", "histograms"} <= {n for s in seen for n in s}
    window.set_presentation(False)
    assert all(h.isAncestorOf(h.view) for h in window.holders.values())


def test_an_unknown_theme_is_refused():
    with pytest.raises(ValueError, match="unknown theme 'blue'"):
        Look("blue")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_layer_colours_read_as_text_on_the_background(theme):
    look = Look(theme)
    for layers in (2, 4, 7):
        colours = [look.layer_color(l, layers) for l in range(1, layers + 1)]
        assert len({c.name() for c in colours}) == layers
        assert all(contrast(c, look.color("background")) >= AA for c in colours)
