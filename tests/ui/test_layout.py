"""The window on the screens classrooms have: it fits, nothing is cut, nothing overlaps.

Each screen runs in a subprocess of its own, on Qt's offscreen platform given a screen of
that size (its configfile option), so the window sees the screen it would on a projector.
The script builds the window as the app does, in normal and presentation mode, light and
dark, and reports geometry as JSON; the test checks it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENS = {"1024x768": (1024, 768, 1), "1280x720": (1280, 720, 1), "1366x768": (1366, 768, 1),
           "1920x1080": (1920, 1080, 1), "3840x2160 at 2x": (3840, 2160, 2)}

SCRIPT = r"""
import json, sys
from PyQt6.QtCore import QRect
from PyQt6.QtWidgets import QApplication
from dnnviz.training.config import config_with_defaults
from dnnviz.ui import look as looks
from dnnviz.ui.window import geometry
from dnnviz.ui.window.main_window import MainWindow

app = QApplication([])
app.setStyle("Fusion")
looks.configure_pyqtgraph()
dataset = sys.argv[1]
window = MainWindow(config_with_defaults({"dataset": dataset}))
window.apply_config(window.config)
window.experiment.training.set_open(True)  # the dock at its widest: every section open
window.experiment.data.set_open(True)
geometry.place(window)
window.show()
geometry.keep_inside(window)
screen = window.screen()
out = {"screen": [screen.geometry().width(), screen.geometry().height()],
       "available": screen.availableGeometry().getRect(), "states": {}}

def settle():
    for _ in range(30):
        app.processEvents()

def rect_in_window(widget):
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]

def state():
    settle()
    views = {v.name: rect_in_window(v) for v in window.view_list() if v.isVisible()}
    from PyQt6.QtGui import QFontMetricsF
    # the widest values a run shows, in the font the readout gives each in its cell
    cell = window.readout.width() / len(window.readout.fields()) - 8
    room = min(cell - QFontMetricsF(window.readout.value_font(v, cell)).horizontalAdvance(v)
               for v in ("10,000 / 10,000", "0.6931", "100.0%"))
    controls = window.controls
    dock = window.controls_scroll
    return {"frame": window.frameGeometry().getRect(), "window": [window.width(),
            window.height()], "views": views, "readout_room": room,
            "dock_width": dock.width() if window.controls_dock.isVisible() else 0,
            "controls_need": max(w.minimumSizeHint().width()
                                 for w in (controls, window.experiment)),
            "dock_viewport": dock.viewport().width(),
            "toolbar": window.presentation.toolbar.isVisible(),
            "tabs_fit": window.view_tabs.tabBar().sizeHint().width()
            <= window.view_tabs.width(),
            "stage": window.central.currentWidget() is window.stage}

from dnnviz.ui.window.layout import show_view

def each_view():  # every view of every kind of data brought to the front: where it lands
    rects = {}
    for name in ("network", "histograms", "distributions"):
        show_view(window, name)
        settle()
        rects[name] = rect_in_window(window.holders[name].view)
    show_view(window, "activations" if window.session.data.is_image else "boundary")
    return rects

for theme in ("light", "dark"):
    window.set_theme(theme)
    out["states"][f"normal {theme}"] = state()
    out["states"][f"normal {theme}"]["each"] = each_view()
    window.set_presentation(True)
    out["states"][f"presentation {theme}"] = state()
    out["states"][f"presentation {theme}"]["each"] = each_view()
    window.presentation.show_scene(0)
    window.set_presentation(False)
print(json.dumps(out), flush=True)
window.close()
import os
os._exit(0)  # as the app leaves: no teardown of Qt objects in Python's own order
"""


def run_on_screen(tmp_path, width, height, dpr, dataset="flower") -> dict:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "screen", "x": 0, "y": 0, "width": width // dpr, "height": height // dpr,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": dpr}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                        os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", SCRIPT, dataset], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def inside(inner, outer) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_window_fits_the_screen_in_every_mode(tmp_path, screen):
    width, height, dpr = SCREENS[screen]
    result = run_on_screen(tmp_path, width, height, dpr)
    available = result["available"]
    for name, state in result["states"].items():
        window = [0, 0, *state["window"]]
        if name.startswith("presentation"):
            # the whole screen, a toolbar instead of the dock, the stage's views large
            assert state["frame"] == [0, 0, *result["screen"]], name
            assert state["toolbar"] and state["stage"] and state["dock_width"] == 0
            assert len(state["views"]) >= 3  # readout and two large views
            wide = [v for k, v in state["views"].items() if k != "readout"]
            assert all(w >= 0.3 * state["window"][0] for _, _, w, _ in wide), name
        else:
            assert inside(state["frame"], available), (name, state["frame"], available)
            assert state["window"][0] >= min(960, available[2])  # the documented minimum
            # the dock: wide enough for its controls, not a blank half-column
            assert state["controls_need"] <= state["dock_viewport"] + 1, name
            assert state["dock_width"] <= 0.4 * state["window"][0], name
            assert state["tabs_fit"], name  # every tab in sight, no scroll arrows
        views = list(state["views"].items()) + list(state["each"].items())
        for view, rect in views:  # nothing cut at the window's edges
            assert inside(rect, window), (name, view, rect, window)
            if view != "readout":  # a plot: room to read it
                assert rect[2] >= 200 and rect[3] >= 150, (name, view, rect)
        assert state["readout_room"] >= 0, name  # the headline numbers are whole


def test_views_do_not_overlap_on_the_smallest_screen(tmp_path):
    result = run_on_screen(tmp_path, 1024, 768, 1, dataset="shapes")  # the cat net's layers
    for name, state in result["states"].items():
        assert state["readout_room"] >= 0, name  # "667 / 2,500", not "667 / 2,…"
        assert state["dock_width"] <= 0.35 * state["window"][0], name  # room for the plots
        assert state["controls_need"] <= state["dock_viewport"] + 1, name
        assert state["tabs_fit"] or name.startswith("presentation"), name  # all six tabs
        rects = list(state["views"].items())
        for i, (a, ra) in enumerate(rects):
            for b, rb in rects[i + 1:]:
                ax, ay, aw, ah = ra
                bx, by, bw, bh = rb
                apart = ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
                assert apart, (name, a, ra, b, rb)


def test_the_window_remembers_its_size_and_place_when_it_still_fits(qtbot):
    from PyQt6.QtCore import QRect
    from PyQt6.QtWidgets import QMainWindow

    from dnnviz.ui.window import geometry
    first, second, third = QMainWindow(), QMainWindow(), QMainWindow()
    for w in (first, second, third):
        qtbot.addWidget(w)
    available = geometry.screen_of(first).availableGeometry()
    rect = QRect(available.x(), available.y() + 20, available.width(),
                 available.height() - 60)
    first.setGeometry(rect)
    geometry.remember(first)
    geometry.place(second)
    assert second.geometry() == rect
    # a remembered place that no longer fits (another screen): the screen's area instead
    geometry.settings().setValue("window/rect", QRect(-5000, 0, 99999, 800))
    geometry.place(third)
    assert available.contains(third.geometry())
    assert third.geometry() == geometry.fitted_rect(available)


def test_fitted_rect_fills_small_screens_and_keeps_the_minimum():
    from PyQt6.QtCore import QRect, QSize

    from dnnviz.ui.window.geometry import MIN_SIZE, PREFERRED, fitted_rect
    assert fitted_rect(QRect(0, 0, 1024, 768)) == QRect(0, 0, 1024, 768)
    big = fitted_rect(QRect(0, 0, 3000, 2000))
    assert big.size() == PREFERRED and big.center() == QRect(0, 0, 3000, 2000).center()
    assert fitted_rect(QRect(0, 0, 800, 500)).size() == QSize(800, 500)  # all there is
    assert MIN_SIZE.width() <= 1024 and MIN_SIZE.height() <= 720  # fits every projector


def test_more_hidden_layers_wrap_onto_rows_and_never_widen_the_panel(qtbot):
    from dnnviz.ui.window.controls import MAX_GUI_LAYERS, LayerEditor

    editor = LayerEditor()
    qtbot.addWidget(editor)
    editor.set_hidden((20, 7, 5))
    three = editor.minimumSizeHint()
    editor.set_hidden(tuple(range(1, MAX_GUI_LAYERS + 1)))
    assert editor.hidden() == tuple(range(1, MAX_GUI_LAYERS + 1))  # in order, row by row
    assert editor.minimumSizeHint().width() == three.width()
    assert editor.minimumSizeHint().height() > three.height()
    assert not editor._none.isVisibleTo(editor)
    editor.set_hidden(())  # logistic regression: said, not an empty row
    assert editor._none.isVisibleTo(editor) and editor.hidden() == ()


def test_the_readout_shrinks_a_value_to_fit_its_cell_before_eliding_it(qtbot):
    from PyQt6.QtGui import QFontMetricsF

    from dnnviz.ui.views.readout import MIN_SHRINK, Readout

    readout = Readout()
    qtbot.addWidget(readout)
    full = readout.value_font("0.1879", 1000)
    wide = QFontMetricsF(full).horizontalAdvance("667 / 2,500")
    narrow = readout.value_font("667 / 2,500", wide * 0.8)
    assert QFontMetricsF(narrow).horizontalAdvance("667 / 2,500") <= wide * 0.8
    assert narrow.pointSizeF() >= MIN_SHRINK * full.pointSizeF()
    assert readout.value_font("667 / 2,500", wide + 1).pointSizeF() == full.pointSizeF()
    tiny = readout.value_font("667 / 2,500", 10)  # never unreadably small: elided instead
    assert tiny.pointSizeF() == MIN_SHRINK * full.pointSizeF()


def test_the_readout_says_why_a_run_stopped_when_the_figures_would_look_paused(qtbot):
    from types import SimpleNamespace

    from dnnviz.training.stops import COMPLETED, Stop, Why, paused_at
    from dnnviz.ui.views.readout import Readout

    readout = Readout()
    qtbot.addWidget(readout)
    plain = readout.height()

    def snap(reason, running=False):
        return SimpleNamespace(iteration=1, target_iterations=2000, cost=0.7286,
                               train_accuracy=0.5, test_accuracy=0.5, running=running,
                               stopped_reason=reason)

    diverged = Stop(Why.DIVERGED, 2, "every unit of hidden layer 2 died")
    readout.show_snapshot(snap(diverged))
    assert readout.banner() == f"stopped: {diverged}"
    assert readout.height() > plain  # a line of its own, the figures keep their room
    for quiet in (snap(COMPLETED), snap(paused_at(1)), snap(None), snap(diverged, True)):
        readout.show_snapshot(quiet)
        assert readout.banner() == ""
        assert readout.height() == plain
