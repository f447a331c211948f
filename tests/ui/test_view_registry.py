"""A new view is one module and one line: registered, it is made, placed in a tab, offered
in View ▸ Show, accepted by --view, given scenes, and drawn on with the parts it asks for.

This module is the new view's module (DummyView); the test adds its one registry line."""

from __future__ import annotations

import pytest
from PyQt6.QtWidgets import QLabel
from window_helpers import WAIT_MS

from dnnviz.cli import build_parser
from dnnviz.options import UsageError
from dnnviz.ui.views import names
from dnnviz.ui.window.presentation import scenes


class DummyView(QLabel):
    name = "dummy"
    parts = frozenset({"hists"})  # what it needs beyond the readout's figures

    def __init__(self):
        super().__init__("dummy")
        self.drawn = []

    def show_snapshot(self, snap) -> None:
        self.drawn.append(snap)

    def restyle(self, look) -> None:
        pass


@pytest.fixture
def registered(monkeypatch):
    line = names.ViewInfo("dummy", f"{__name__}:DummyView", "D&ummy", tab="Dummy")
    monkeypatch.setattr(names, "VIEWS", [*names.VIEWS, line])  # the one line


def test_a_registered_view_is_shown_offered_and_drawn_on(registered, window, qtbot):
    dummy = window.views["dummy"]
    assert isinstance(dummy, DummyView) and dummy in window.view_list()
    action = window.view_actions["dummy"]
    assert action.text() == "D&ummy" and action.isEnabled()
    action.trigger()  # View > Show > Dummy
    assert window.view_tabs.tabText(window.view_tabs.currentIndex()) == "Dummy"
    assert window.model.selection.view == "dummy"
    qtbot.waitUntil(lambda: any(s.hists is not None for s in dummy.drawn), timeout=WAIT_MS)
    assert ("dummy", ("dummy",)) in scenes(window)  # presentation mode: a scene of its own


def test_a_registered_view_is_a_name_the_command_line_takes(registered):
    assert build_parser(train=False).parse_args(["--view", "dummy"]).view == "dummy"
    assert names.misfit("dummy", is_image=True, data_name="cat") == ""


def test_an_unregistered_name_is_refused():
    with pytest.raises(UsageError, match="invalid choice: 'dummy'"):
        build_parser(train=False).parse_args(["--view", "dummy"])
