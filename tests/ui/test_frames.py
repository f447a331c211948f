"""FrameScheduler: the window draws each frame as it comes and keeps no pace of its own
(the engine's frame_interval is the one pace); it reports what drawing costs instead."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from PyQt6.QtCore import QCoreApplication, QObject, pyqtSignal
from PyQt6.QtWidgets import QWidget

from dnnviz.training import protocol as p
from dnnviz.ui.window.frames import FrameScheduler

DRAW_CPU = 0.02  # seconds of CPU a view takes to draw a frame: what once slowed the window


class FakeClient(QObject):
    sigFrame = pyqtSignal(object)

    def __init__(self):
        super().__init__()
        self.sent = []

    def send(self, message):
        self.sent.append(message)


class CostlyView(QWidget):
    """A view that burns DRAW_CPU of the GUI thread's CPU on every frame."""

    name = "costly"
    parts = frozenset()

    def __init__(self):
        super().__init__()
        self.drawn = []

    def show_snapshot(self, snap):
        end = time.thread_time() + DRAW_CPU
        while time.thread_time() < end:
            pass
        self.drawn.append(snap.iteration)


def frame(iteration, record=False):
    return SimpleNamespace(tag=1, iteration=iteration, record=record, running=True)


@pytest.fixture
def scheduler(qtbot):
    view = CostlyView()
    qtbot.addWidget(view)
    view.resize(50, 50)
    view.show()
    frames = FrameScheduler([view])
    client = FakeClient()
    frames.set_client(client)
    frames.new_session(1)
    frames.set_running(True)
    frames.view, frames.fake_client = view, client
    yield frames
    frames.deleteLater()


def one_pass():
    """One turn of the event loop: what the GUI does as soon as it is free."""
    QCoreApplication.processEvents()


def test_each_frame_is_drawn_as_soon_as_it_comes_however_costly_drawing_is(scheduler):
    wants = []
    for iteration in range(1, 5):
        scheduler.fake_client.sigFrame.emit(frame(iteration))
        one_pass()
        assert scheduler.view.drawn[-1] == iteration  # no wait of the window's own
        wants += [m for m in scheduler.fake_client.sent if isinstance(m, p.WantFrame)]
        scheduler.fake_client.sent.clear()
    assert len(wants) == 4  # one frame in flight: the next is asked for once one is drawn
    assert wants[-1].draw_seconds >= 0.3 * DRAW_CPU  # what the engine's pace counts


def test_a_recorded_frame_is_drawn_even_when_a_newer_one_follows(scheduler):
    scheduler.fake_client.sigFrame.emit(frame(10, record=True))
    scheduler.fake_client.sigFrame.emit(frame(11))
    scheduler.fake_client.sigFrame.emit(frame(12))  # 11 was never drawn: the newest wins
    one_pass()
    assert scheduler.view.drawn == [10, 12]
