"""A student's own implementation in the window: trained in the training process beside
dnnviz's run, the first mismatch marked, their failures stopping only their run."""

from __future__ import annotations

import shutil
import signal
import sys
from pathlib import Path

import numpy as np
import pytest
from window_helpers import WAIT_MS, drawn, live, opened, paused, read, send_steps

from dnnviz.training import RunConfig, Session
from dnnviz.training.persist import save_model
from dnnviz.ui.views.reference import LABEL

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "student"))
from student_helpers import CORRECT, broken, variant

CONFIG = RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.3, iterations=500, seed=2)


@pytest.fixture
def student_window(make_window):
    """student_window(file, seconds=5.0, **changes): a window training with `file`."""
    def make(path, seconds=5.0, **changes):
        window = make_window(CONFIG.with_changes(**changes))
        window.student_run.configure(path, seconds=seconds)
        assert window.apply_config(window.config)
        return window
    return make


def failed_with(qtbot, window, words: str) -> str:
    qtbot.waitUntil(lambda: words in window.controls.message.text(), timeout=WAIT_MS)
    return window.controls.message.text()


def test_a_correct_implementation_matches_dnnvizs_run_in_the_window(qtbot, student_window):
    window = student_window(CORRECT)
    assert "correct.py" in window.windowTitle()
    send_steps(window, 30)
    snap = drawn(qtbot, window, lambda s: s.iteration == 30)
    plain = Session(CONFIG)
    plain.run(iterations=30)
    np.testing.assert_allclose(live(window).costs, plain.costs, rtol=0, atol=1e-9)
    ours = live(window).net.parameters
    for key, value in plain.net.parameters.items():
        np.testing.assert_allclose(ours[key], value, rtol=0, atol=1e-9)
    assert snap.reference.mismatch is None
    np.testing.assert_array_equal(snap.reference.cost_y, plain.costs)
    reference = window.cost_plot.reference
    assert reference.curve.isVisible() and not reference.line.isVisible()
    x, y = reference.curve.getOriginalDataset()
    np.testing.assert_array_equal(y, plain.costs)
    assert LABEL in window.cost_plot.legend.names()
    assert "yours match dnnviz's to 1e-09" in window.status.text()


def test_a_broken_update_marks_the_first_mismatch(qtbot, student_window, tmp_path):
    window = student_window(broken(tmp_path, "update_adds.py"))
    send_steps(window, 5)
    snap = drawn(qtbot, window, lambda s: s.iteration == 5)
    mismatch = snap.reference.mismatch
    assert mismatch.iteration == 0
    line = window.cost_plot.reference.line
    assert line.isVisible() and line.value() == 0
    label = window.cost_plot.reference.label
    assert label.isVisible() and label.text == f"{mismatch.array} differs\nfrom iteration 0"
    named = f"{mismatch.array} (layer {mismatch.layer}) differs from iteration 0"
    assert named in window.cost_plot.legend.names()
    assert f"yours differ from dnnviz's from iteration 0: {mismatch.array}" in \
        window.status.text()
    # back to dnnviz's own functions: no reference, no mark, no legend entries for them
    assert window.student_run.stop_using()
    send_steps(window, 2)
    snap = drawn(qtbot, window, lambda s: s.iteration == 2)
    assert snap.reference is None and not line.isVisible()
    assert not window.cost_plot.reference.curve.isVisible()
    assert not any("differs" in name or name == LABEL
                   for name in window.cost_plot.legend.names())
    assert window.windowTitle() == "dnnviz — watch a deep network learn"


def test_their_exception_stops_their_run_and_reset_reads_the_file_again(
        qtbot, student_window, tmp_path):
    mine = tmp_path / "mine.py"
    shutil.copy(broken(tmp_path, "undefined_z.py"), mine)
    window = student_window(mine)
    window.train_pause()
    text = failed_with(qtbot, window, "your L_model_backward raised NameError")
    assert text.startswith("training stopped: ") and "\n" not in text
    assert not window.running and window.process.thread.isRunning()
    dialog = window.student_run.dialogs["failure"]
    assert dialog.isVisible() and dialog.message.text() in text
    trace = dialog.trace.toPlainText()
    assert trace.startswith("Traceback") and f'File "{mine}"' in trace
    assert "NameError" in trace and "dnnviz/" not in trace.replace(str(tmp_path), "")
    assert live(window).iteration == 0
    shutil.copy(CORRECT, mine)  # the student fixes the file ...
    dialog.reset_button.click()  # ... and presses Reset in the dialog
    assert not dialog.isVisible()
    send_steps(window, 3)
    snap = drawn(qtbot, window, lambda s: s.iteration == 3)
    assert snap.reference.mismatch is None and window.controls.message.text() == ""


def test_an_endless_loop_is_stopped_by_the_time_limit_and_the_window_goes_on(
        qtbot, student_window, tmp_path):
    window = student_window(broken(tmp_path, "endless_loop.py"), seconds=0.5)
    window.step()
    failed_with(qtbot, window, "did not finish within 0.5 s")
    dialog = window.student_run.dialogs["failure"]
    assert not dialog.trace.isVisible()  # a time-out has no traceback
    assert "endless_loop.py" in dialog.advice.text()
    assert window.student_run.use(CORRECT)
    send_steps(window, 2)
    assert drawn(qtbot, window, lambda s: s.iteration == 2).reference.mismatch is None


def test_closing_while_their_code_loops_does_not_wait_for_its_time_limit(
        qtbot, student_window, tmp_path):
    looping = tmp_path / "looping"
    mine = variant(tmp_path, f'''
def update_parameters(parameters, grads, learning_rate):
    open({str(looping)!r}, "w").close()
    while True:
        pass
''')
    window = student_window(mine, seconds=600)
    window.step()
    qtbot.waitUntil(looping.exists, timeout=WAIT_MS)  # their update_parameters loops now
    process = window.process.client._process
    window.close()
    assert not window.process.thread.isRunning()
    assert process.exitcode == -signal.SIGKILL  # stopped, not waited for (600 s)


def test_a_saved_model_is_refused_while_their_functions_train(qtbot, student_window,
                                                                tmp_path):
    saved = Session(CONFIG)
    saved.run(iterations=3)
    save_model(tmp_path / "m.h5", saved)
    window = student_window(CORRECT)
    before = window.session
    assert not read(qtbot, window, window.files.open_model(tmp_path / "m.h5"))
    assert "a saved model goes on with dnnviz's own functions" in \
        window.controls.message.text()
    assert window.session is before


@pytest.mark.parametrize("change, words", [
    ({"activation": "tanh"}, "another activation"),
    ({"optimizer": "adam"}, "another optimizer"),
    ({"batch_size": 64}, "mini-batches"),
])
def test_a_run_their_functions_cannot_train_is_refused_and_the_session_kept(
        qtbot, student_window, change, words):
    window = student_window(CORRECT)
    before = window.session
    assert not window.apply_config(window.config.with_changes(**change))
    assert f"your functions train the lesson's network, not one with {words}" in \
        window.controls.message.text()
    assert window.session is before and window.config == before.config


def test_a_file_that_cannot_be_used_is_one_line_and_changes_nothing(qtbot, make_window,
                                                                     tmp_path):
    window = make_window(CONFIG)
    bad = tmp_path / "bad.py"
    bad.write_text("def L_model_forward(X, parameters:\n    pass\n")
    before = window.session
    assert not window.student_run.use(bad)
    assert "syntax error in line 1" in window.controls.message.text()
    assert window.student_run.setup is None and window.session is before
    assert not window.student_run.use(tmp_path / "missing.py")
    assert "no such file" in window.controls.message.text()


def test_the_teach_tools_work_on_a_students_run(qtbot, student_window):
    window = student_window(CORRECT)
    send_steps(window, 2)
    paused(qtbot, window)
    drawn(qtbot, window, lambda s: s.iteration == 2)
    assert window.teaching.step_through() and window.teaching.gradient_check()
    assert opened(qtbot, window, "step").stages
    assert opened(qtbot, window, "gradcheck").result.verdict == "pass"


def test_the_course_run_with_a_correct_implementation_matches_dnnvizs(qtbot, make_window,
                                                                      cat_dir):
    config = RunConfig(dataset="cat", data_dir=str(cat_dir), hidden=(20, 7, 5),
                       init="scaled", learning_rate=0.0075, iterations=2500)
    window = make_window(config)
    window.student_run.configure(CORRECT)
    assert window.apply_config(config)
    send_steps(window, 12)
    snap = drawn(qtbot, window, lambda s: s.iteration == 12, timeout=4 * WAIT_MS)
    plain = Session(config)
    plain.run(iterations=12)
    assert live(window).costs[0] == pytest.approx(0.7717493284237686, abs=1e-9)  # the course's
    np.testing.assert_allclose(live(window).costs, plain.costs, rtol=0, atol=1e-9)
    assert snap.reference.mismatch is None
    np.testing.assert_array_equal(snap.reference.cost_y, plain.costs)


def test_l2_set_while_their_functions_train_stops_their_run_and_says_why(qtbot,
                                                                          student_window):
    window = student_window(CORRECT)
    send_steps(window, 2)
    drawn(qtbot, window, lambda s: s.iteration == 2)
    assert window.set_live("l2", 0.1)
    text = failed_with(qtbot, window, "this network trains the lesson's way only: no l2")
    assert text.startswith("training stopped: ")
    assert live(window).iteration == 2 and window.process.thread.isRunning()
    assert "failure" not in window.student_run.dialogs  # dnnviz refused it, not their code
