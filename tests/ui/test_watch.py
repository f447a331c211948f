"""Watching a run: the speed control, one moment on screen, a training process that dies.

No timing assertions: rates are the benchmark's business (benchmarks/bench_window.py).
These tests check what the speed and the frames do, not how fast.
"""

from __future__ import annotations

import os
import signal

import numpy as np
from window_helpers import CONFIG, WAIT_MS, drawn, live, paused

from dnnviz.training import Session
from dnnviz.training import protocol as p
from dnnviz.training.pacing import SPEEDS
from dnnviz.ui.views.readout import readout_fields
from dnnviz.ui.window.status import status_text


def test_the_speed_slider_and_keys_set_the_speed(qtbot, window):
    sent = []
    client = window.process.client
    client.send = lambda command, send=client.send: (sent.append(command), send(command))
    slider = window.controls.speed.slider
    slider.setValue(SPEEDS.index(30))
    assert window.speed == 30.0 and sent[-1] == p.SetSpeed(30.0)
    assert window.controls.speed.label.text() == "30 it/s"
    slider.setValue(len(SPEEDS) - 1)
    assert window.speed is None and sent[-1] == p.SetSpeed(None)
    window.set_speed(150.0)  # between two steps: shown as it is
    assert window.controls.speed.label.text() == "150 it/s"
    assert SPEEDS[slider.value()] == 100
    keys = {a.text().replace("&", ""): a for a in window.actions()}
    keys["Faster"].trigger()
    assert window.speed == 300.0
    keys["Slower"].trigger()
    keys["Slower"].trigger()
    assert window.speed == 30.0


def test_changing_the_speed_while_training_never_changes_the_numbers(qtbot, make_window):
    window = make_window(iterations=400)
    window.set_speed(100.0)
    window.train_pause()
    drawn(qtbot, window, lambda s: s.running and s.iteration >= 20)
    window.set_speed(None)  # max, mid-run
    drawn(qtbot, window, lambda s: s.iteration == 400 and not s.running)
    headless = Session(CONFIG.with_changes(iterations=400))
    headless.run()
    np.testing.assert_array_equal(live(window).costs, headless.costs)


def test_one_moment_on_screen_when_a_run_ends(qtbot, make_window):
    """The readout, the status line and the report agree: all at the final weights."""
    window = make_window(iterations=150)
    window.set_speed(None)
    window.train_pause()
    snap = drawn(qtbot, window, lambda s: s.iteration == 150 and not s.running)
    assert snap.exact
    final = live(window).evaluate()
    assert (snap.train_accuracy, snap.test_accuracy) == (final.train_accuracy,
                                                         final.test_accuracy)
    fields = dict(window.readout.fields())
    assert fields == dict(readout_fields(snap))
    assert fields["test accuracy"] == f"{final.test_accuracy:.1%}"
    assert window.status.text() == status_text(snap, window.session)
    assert f"test acc {final.test_accuracy:.1%}" in window.status.text()


def test_pausing_shows_the_paused_weights_exactly(qtbot, make_window):
    window = make_window(iterations=1_000_000)
    window.set_speed(300.0)
    window.train_pause()
    drawn(qtbot, window, lambda s: s.running and s.iteration > 10)
    window.train_pause()
    snap = paused(qtbot, window)
    session = live(window)
    assert snap.iteration == session.iteration and snap.exact
    assert snap.train_accuracy == session.evaluate().train_accuracy


def test_a_dead_training_process_is_noticed_and_train_starts_a_new_one(qtbot, make_window):
    window = make_window(iterations=1_000_000)
    window.set_speed(None)
    window.train_pause()
    drawn(qtbot, window, lambda s: s.running and s.iteration > 50)
    window.train_pause()
    held = paused(qtbot, window).iteration  # the window holds this state (a checkpoint)
    qtbot.waitUntil(lambda: window.session.iteration == held, timeout=WAIT_MS)
    os.kill(window.process.client._process.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: "ended unexpectedly" in window.controls.message.text(),
                    timeout=WAIT_MS)
    assert "killed by signal 9" in window.controls.message.text()
    assert not window.running
    # at once: nobody waits for a dead process
    assert not window.requests.session("file", "read the run", lambda session: None)
    assert not window.files.save_model(os.devnull + ".never")
    assert "cannot save the model" in window.controls.message.text()
    window.train_pause()  # a new process, from the state the window held
    snap = drawn(qtbot, window, lambda s: s.running)
    assert snap.iteration >= held and window.process.client.alive
    window.train_pause()
    assert paused(qtbot, window).iteration > held


def test_an_answer_that_comes_too_late_is_never_taken_for_the_next(qtbot, window):
    got = []
    assert window.requests.ask("test", None, lambda state: got.append(("first", state)))
    assert window.requests.ask("test", None, lambda state: got.append(("second", state)))
    window.process.client.sigAnswer.emit(0, "an answer to a request nobody made", None)
    qtbot.waitUntil(lambda: not window.requests.waiting_for("test"), timeout=WAIT_MS)
    assert [who for who, _ in got] == ["second"]  # the first was replaced: dropped
    assert got[0][1].iteration == window.session.iteration


def test_the_training_process_shares_the_machine_at_the_windows_priority(qtbot, window):
    """No thread of the training process (BLAS's neither) runs at a lower priority than the
    window: against other programs a niced trainer got a tenth of a core. The window stays
    smooth by asking for little (one frame in flight), not by starving training."""
    from pathlib import Path

    import pytest
    tasks = Path(f"/proc/{window.process.client._process.pid}/task")
    if not tasks.exists():
        pytest.skip("Linux /proc")
    window.train_pause()  # training: its BLAS threads are up
    qtbot.waitUntil(lambda: window.newest_snapshot() is not None
                    and window.newest_snapshot().iteration > 5, timeout=WAIT_MS)
    mine = _nice(Path(f"/proc/{os.getpid()}/task/{os.getpid()}"))
    assert [_nice(t) for t in tasks.iterdir()] == [mine] * len(list(tasks.iterdir()))


def _nice(task) -> int:
    fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])  # the 19th field of stat: nice
