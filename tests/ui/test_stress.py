"""200 rapid train / pause / step / reset / change-dims cycles, then close while training:
no crash, no leaked thread or process, no deadlock (pytest-timeout guards the hang)."""

from __future__ import annotations

import random
import threading

import pytest
from PyQt6.QtWidgets import QApplication
from window_helpers import LONG, at_iteration, drawn, live

from dnnviz.ui.window.main_window import MainWindow

CYCLES = 200


@pytest.mark.timeout(240)
def test_two_hundred_rapid_cycles_then_close_while_training(qtbot, make_window):
    threads_before = _python_threads()
    window: MainWindow = make_window(iterations=LONG)
    rng = random.Random(0)
    hidden = [(6, 4), (3,), (5, 5, 2), ()]
    actions = [
        window.train_pause,
        window.step,
        window.reset,
        lambda: window.controls.lr.set_value(rng.choice([0.01, 0.1, 0.5])),
        lambda: (window.controls.layers.set_hidden(rng.choice(hidden)), window._on_rebuild()),
    ]
    for _ in range(CYCLES):
        rng.choice(actions)()
        QApplication.processEvents()
    # still answering: a known state, then exactly one step
    if window.running:
        window.train_pause()
    window.reset()
    window.step()
    at_iteration(qtbot, window, 1)
    assert live(window).layer_dims == window.session.layer_dims
    window.train_pause()
    drawn(qtbot, window, lambda s: s.running and s.iteration > 1)
    process = window.process.client._process
    window.close()  # while training
    assert not window.process.thread.isRunning()
    process.join(10)
    assert not process.is_alive()
    qtbot.waitUntil(lambda: not _python_threads() - threads_before, timeout=10_000)


def _python_threads() -> set:
    """Threads started from Python (the QThread shows as a _DummyThread, which Python never
    forgets; it is checked with isRunning instead)."""
    return {t for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}
