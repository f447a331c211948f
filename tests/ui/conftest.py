"""Fixtures for tests that drive a MainWindow: make_window(**changes) and window."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from window_helpers import CONFIG

from dnnviz.training import RunConfig
from dnnviz.ui import look as looks
from dnnviz.ui.window.main_window import MainWindow

PG_OPTIONS = ("antialias", "background", "foreground", "imageAxisOrder")


@pytest.fixture
def make_window(qtbot):
    """make_window(config=None, **changes) -> a shown MainWindow with its session applied,
    styled as the app styles it; CONFIG with the changes when no config is given."""
    saved = {k: pg.getConfigOption(k) for k in PG_OPTIONS}
    looks.set_current(looks.Look())
    looks.configure_pyqtgraph()  # what app.run_app does
    made: list[MainWindow] = []

    def make(config: RunConfig | None = None, **changes) -> MainWindow:
        config = (config or CONFIG).with_changes(**changes)
        window = MainWindow(config)
        qtbot.addWidget(window)
        made.append(window)
        assert window.apply_config(config)
        window.resize(1300, 850)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for window in made:
        # the application font and palette and pyqtgraph's options are shared by later tests
        window.set_presentation(False)
        window.set_theme("light")
        window.close()  # joins the worker thread
        assert not window.process.thread.isRunning()
    pg.setConfigOptions(**saved)


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()
