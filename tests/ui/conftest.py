"""Fixtures for tests that drive a MainWindow: make_window(**changes) and window."""

from __future__ import annotations

import pytest
from window_helpers import CONFIG

from dnnviz.ui.main_window import MainWindow


@pytest.fixture
def make_window(qtbot):
    """make_window(**config changes) -> a shown MainWindow with its session applied."""
    made: list[MainWindow] = []

    def make(**changes) -> MainWindow:
        config = CONFIG.with_changes(**changes)
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
        window.close()  # joins the worker thread
        assert not window.thread_.isRunning()


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()
