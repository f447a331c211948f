"""Nothing in the GUI thread waits on the training process: while a student's function
sleeps there, Save model and the Teach tools return at once, the event loop keeps turning,
the status line says what is awaited, Cancel abandons it, and the answers, when they come,
open the dialog and write the file."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest
from PyQt6.QtCore import QTimer
from window_helpers import WAIT_MS, opened, written

from dnnviz.training import RunConfig
from dnnviz.training.persist import load_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "student"))
from student_helpers import variant

CONFIG = RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.3, iterations=500, seed=2)
TURNS = 20  # turns of the event loop (a 10 ms timer's ticks) seen while the answer is out


def sleepy(tmp_path) -> tuple[Path, Path, Path]:
    """A student's file whose update_parameters sleeps until `wake` exists (30 s at most),
    saying when it has started sleeping (`asleep`): (file, asleep, wake)."""
    asleep, wake = tmp_path / "asleep", tmp_path / "wake"
    path = variant(tmp_path, f'''
import pathlib
import time

_theirs = update_parameters


def update_parameters(parameters, grads, learning_rate):
    pathlib.Path({str(asleep)!r}).touch()
    end = time.monotonic() + 30
    while not pathlib.Path({str(wake)!r}).exists() and time.monotonic() < end:
        time.sleep(0.01)
    return _theirs(parameters, grads, learning_rate)
''', name="sleepy.py")
    return path, asleep, wake


def ticking(qtbot):
    """A 10 ms timer in the GUI thread and its count of ticks: the event loop's turns."""
    ticks = [0]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(10)
    return timer, ticks


def turns(qtbot, ticks, count: int = TURNS) -> None:
    start = ticks[0]
    qtbot.waitUntil(lambda: ticks[0] >= start + count, timeout=WAIT_MS)


@pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise|grabbing)")
def test_a_sleeping_students_function_leaves_the_window_responsive(qtbot, make_window,
                                                                    tmp_path):
    path, asleep, wake = sleepy(tmp_path)
    window = make_window(CONFIG)
    window.student_run.configure(path, seconds=60)
    assert window.apply_config(window.config)
    window.step()
    qtbot.waitUntil(asleep.exists, timeout=WAIT_MS)  # their update sleeps now
    timer, ticks = ticking(qtbot)
    requests = window.requests

    # one request of a kind: a second replaces the first; Esc abandons what is awaited
    answers = []
    assert requests.ask("test", None, lambda state: answers.append("first"), waiting="a")
    assert requests.ask("test", None, lambda state: answers.append("second"), waiting="b")
    assert requests.busy == "b" and requests.escape.isEnabled()
    requests.escape.activated.emit()  # Esc, as the window's shortcut gives it
    assert not requests.busy and not requests.escape.isEnabled()
    assert requests.ask("test", None, lambda state: answers.append("third"))  # quiet
    assert not requests.busy and requests.waiting_for("test")

    # a Teach tool: asked, not waited for; the status line says so; Cancel abandons it
    assert window.teaching.gradient_check()
    assert "gradcheck" not in window.teaching.dialogs and not wake.exists()
    assert requests.busy == "the gradient check"
    assert requests.label.isVisible() and requests.cancel_button.isVisible()
    turns(qtbot, ticks)  # the event loop turns while the training process sleeps
    assert requests.waiting_for("gradcheck")
    requests.cancel_button.click()
    assert not requests.busy and not requests.cancel_button.isVisible()
    assert "cannot check the gradients: cancelled" in window.controls.message.text()

    # File ▸ Save model and another tool, both out at once; the menus still open
    saved = tmp_path / "run.h5"
    assert window.files.save_model(saved) and window.files.outcome is None
    assert window.teaching.step_through()
    assert requests.busy == "the run, to save the model; one iteration, step by step"
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(file_menu.isVisible, timeout=WAIT_MS)
    file_menu.hide()
    turns(qtbot, ticks)
    assert window.files.outcome is None and not saved.exists()

    wake.touch()  # their update returns: the answers come
    assert written(qtbot, window, True)
    assert load_model(saved).iteration == 1
    dialog = opened(qtbot, window, "step")
    assert dialog.stages and "iteration 1" in dialog.windowTitle()
    assert not requests.busy
    assert "gradcheck" not in window.teaching.dialogs  # its answer came too: dropped
    assert answers == ["third"]  # the replaced and the cancelled answers were dropped

    # a process that dies while asked answers nothing: the request ends, and says why
    asleep.unlink()
    wake.unlink()
    window.step()
    qtbot.waitUntil(asleep.exists, timeout=WAIT_MS)
    assert window.files.save_model(tmp_path / "never.h5")
    os.kill(window.process.client._process.pid, signal.SIGKILL)
    assert not written(qtbot, window, True)
    assert not requests.busy and "ended unexpectedly" in window.controls.message.text()
    wake.touch()  # their code, orphaned, ends
    timer.stop()
