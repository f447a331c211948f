"""Helpers for tests that drive a MainWindow: waits on drawn snapshots, the live session."""

from __future__ import annotations

import time

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtTest import QTest

from dnnviz.training import RunConfig, Session
from dnnviz.training.protocol import Step

WAIT_MS = 15_000  # generous: a loaded 2-core CI box; a pass takes milliseconds
CONFIG = RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.5, iterations=1000)
LONG = 1_000_000  # iterations for a run that must still be going when the test acts
IMAGE_PAGE, PLANE_PAGE = "Pictures", "Boundary"  # the right-hand tab in front


def drawn(qtbot, window, pred=lambda snap: True, timeout=WAIT_MS):
    """Wait until the last drawn snapshot satisfies pred; return that snapshot."""
    qtbot.waitUntil(lambda: window.last_drawn is not None and pred(window.last_drawn),
                    timeout=timeout)
    return window.last_drawn


def fresh(qtbot, window):
    """A snapshot made after every command sent so far (a paused training process answers
    a change with a frame at once): what the session looks like now."""
    before = window.last_drawn
    window.frames.send_parts()
    return drawn(qtbot, window, lambda snap: snap is not before)


def answer(window, fn=None):
    """What the training process answers to fn(session) (None: the run's state), waited for
    here, in the test, by turning the event loop: the window itself never waits."""
    client, got = window.process.client, {}

    def on_answer(request_id, value, error):
        if request_id == asked:
            got["answer"] = value, error

    client.sigAnswer.connect(on_answer)
    try:
        asked = client.ask(fn)
        deadline = time.monotonic() + WAIT_MS / 1000
        while "answer" not in got:
            assert time.monotonic() < deadline, "the training process did not answer"
            QTest.qWait(5)
    finally:
        client.sigAnswer.disconnect(on_answer)
    value, error = got["answer"]
    if error:
        raise RuntimeError(error)
    return value


def live(window):
    """The session as the training process has it now (window.session is the window's copy,
    made when the run was set up; training happens in another process), brought up to date."""
    window.session.set_state(answer(window))
    return window.session


def opened(qtbot, window, key: str):
    """The Teach tool's dialog `key` ("step", "gradcheck", ...), once its answer has come."""
    qtbot.waitUntil(lambda: key in window.teaching.dialogs
                    and window.teaching.dialogs[key].isVisible(), timeout=WAIT_MS)
    return window.teaching.dialogs[key]


def written(qtbot, window, started: bool) -> bool:
    """How a File ▸ Save model or Export costs ended, once it has: True if written, False if
    a message says why not."""
    if not started:
        return False
    qtbot.waitUntil(lambda: window.files.outcome is not None, timeout=WAIT_MS)
    return window.files.outcome


def at_iteration(qtbot, window, n: int):
    """Wait until a snapshot of iteration n is drawn, and check the session agrees."""
    snap = drawn(qtbot, window, lambda s: s.iteration == n)
    assert live(window).iteration == n
    return snap


def paused(qtbot, window):
    """Wait for the frame the training process sends on pausing (running=False)."""
    return drawn(qtbot, window, lambda s: not s.running)


def front_tab(window) -> str:
    """The name of the right-hand tab in front."""
    return window.view_tabs.tabText(window.view_tabs.currentIndex())


def show_tab(window, view) -> None:
    """Bring the right-hand tab holding view to the front (as a click on its tab does)."""
    tabs = window.view_tabs
    for i in range(tabs.count()):
        if tabs.widget(i).isAncestorOf(view):
            tabs.setCurrentIndex(i)
            return
    raise AssertionError(f"no tab holds {view}")


def send_steps(window, n: int) -> None:
    """Ask the training process for exactly n iterations, now (as the Step key does once)."""
    window.process.client.send(Step(n))


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def original(item):
    x, y = item.getOriginalDataset()
    return np.asarray(x), np.asarray(y)


def trained(config: RunConfig, steps: int = 20) -> Session:
    """A session (no window) trained for a few steps, for feeding views directly."""
    session = Session(config)
    session.run(iterations=steps)
    return session


def read(qtbot, window, started: bool) -> bool:
    """How a reading the window does off the GUI thread (a model, a picture folder) ended,
    once it has: True if its result is on screen, False if a message says why not."""
    assert started, window.controls.message.text()
    qtbot.waitUntil(lambda: not window.loading.busy, timeout=WAIT_MS)
    return window.loading.ok
