"""File ▸ Check my implementation…: the check runs in a process of its own and its report
is shown as a table, heatmaps and the student's traceback; it can be cancelled."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from window_helpers import WAIT_MS, drawn, send_steps

from dnnviz.student import check_file
from dnnviz.ui.teach.check import HEADERS, CheckDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "student"))
from student_helpers import CORRECT, broken, variant


def checked(qtbot, dialog: CheckDialog) -> CheckDialog:
    qtbot.waitUntil(lambda: dialog.report is not None or bool(dialog.error), timeout=WAIT_MS)
    return dialog


@pytest.fixture
def check(qtbot, make_window):
    """check(path) -> the window's check dialog on path, once its report is in."""
    window = make_window()

    def run(path, **names):
        dialog = window.student_run.check(path)
        qtbot.addWidget(dialog)
        return checked(qtbot, dialog)
    run.window = window
    return run


def row_of(dialog, name: str) -> int:
    return next(row for row in range(dialog.table.rowCount())
                if dialog.table.item(row, 0).text().split()[0] == name)


def cells(dialog, row: int) -> dict:
    return {header: dialog.table.item(row, col).text() for col, header in enumerate(HEADERS)}


def test_a_correct_implementation_passes_every_function(qtbot, check):
    dialog = check(CORRECT)
    expected = check_file(CORRECT)  # the same check, run here
    assert dialog.summary_label.text() == expected.summary() == \
        "14 of 14 functions found, 14 passed: all correct."
    assert dialog.table.rowCount() == len(expected.results)
    for name in expected.results:
        row = cells(dialog, row_of(dialog, name))
        assert (row["found"], row["passed"], row["first problem"]) == ("yes", "yes", "")
    assert not dialog.progress.isVisible() and not dialog.cancel_button.isVisible()
    assert dialog.train_button.isEnabled() and not dialog.heatmaps.isVisible()
    # all passed: every row in sight, no empty hint column
    qtbot.waitUntil(lambda: dialog.table.verticalScrollBar().maximum() == 0)
    assert dialog.table.isColumnHidden(HEADERS.index("hint"))


def test_wrong_values_show_expected_got_and_their_difference(qtbot, check, tmp_path):
    path = broken(tmp_path, "missing_one_over_m.py")
    dialog = check(path)
    expected = check_file(path)
    failed = [name for name, r in expected.results.items() if r.found and not r.passed]
    assert dialog.summary_label.text() == expected.summary()
    first = expected.results[failed[0]]
    assert dialog.table.currentRow() == row_of(dialog, failed[0])  # the first failure shown
    row = cells(dialog, dialog.table.currentRow())
    assert (row["passed"], row["first problem"], row["hint"]) == ("NO", first.message,
                                                                  first.hint)
    assert first.hint and dialog.hint_label.text() == f"Hint: {first.hint}"
    assert dialog.heatmaps.isVisible()
    shown_expected, shown_got, shown_difference = dialog.heatmaps.shown
    got = np.asarray(first.got, dtype=float)
    np.testing.assert_array_equal(shown_expected.ravel(), np.ravel(first.expected))
    np.testing.assert_array_equal(shown_got.ravel(), got.ravel())
    np.testing.assert_allclose(shown_difference.ravel(),
                               (got - np.asarray(first.expected)).ravel())
    levels = dialog.heatmaps.difference_bar.levels()
    assert levels[1] == -levels[0] == pytest.approx(np.abs(shown_difference).max())
    assert not dialog.trace.isVisible()
    passed = row_of(dialog, "linear_forward")
    dialog.table.setCurrentCell(passed, 0)  # a function that passed: no pictures
    assert dialog.detail_title.text() == "linear_forward: passed"
    assert not dialog.heatmaps.isVisible() and not dialog.hint_label.isVisible()


def test_non_finite_values_are_crossed_out(qtbot, check, tmp_path):
    path = variant(tmp_path, '''
def relu(Z):
    A = np.maximum(0, Z)
    A[0, 0] = np.nan
    return A, Z
''')
    dialog = check(path)
    dialog.table.setCurrentCell(row_of(dialog, "relu"), 0)
    assert "nan or inf" in dialog.problem_label.text()
    _, got, _ = dialog.heatmaps.shown
    assert np.isnan(got[0, 0])
    crosses = dialog.heatmaps.crosses[1].getData()
    assert list(zip(*crosses)) == [(0.5, 0.5)]  # the centre of cell (0, 0)


def test_their_exception_shows_their_traceback(qtbot, check, tmp_path):
    path = broken(tmp_path, "undefined_z.py")
    dialog = check(path)
    result = check_file(path).results["sigmoid_backward"]
    dialog.table.setCurrentCell(row_of(dialog, "sigmoid_backward"), 0)
    assert dialog.trace.isVisible() and dialog.trace.toPlainText() == result.traceback
    assert f'File "{path}"' in result.traceback and "NameError" in result.traceback
    assert not dialog.heatmaps.isVisible()


def test_a_wrong_shape_names_the_shapes_without_pictures(qtbot, check, tmp_path):
    dialog = check(broken(tmp_path, "squeezed_db.py"))
    dialog.table.setCurrentCell(row_of(dialog, "linear_backward"), 0)
    assert "db: wrong shape: expected (3, 1), got (3,)" in dialog.problem_label.text()
    assert "keepdims=True" in dialog.hint_label.text()
    assert not dialog.heatmaps.isVisible()


def test_a_file_that_cannot_be_used_is_one_line(qtbot, check, tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    dialog = check(bad)
    assert dialog.report is None and dialog.table.rowCount() == 0
    assert dialog.summary_label.text() == dialog.error
    assert "not a Jupyter notebook" in dialog.error and "\n" not in dialog.error
    assert not dialog.train_button.isEnabled() and dialog.again_button.isEnabled()


def test_a_long_check_can_be_cancelled_and_run_again(qtbot, make_window, tmp_path):
    mine = tmp_path / "mine.py"
    mine.write_text("while True:\n    pass\n")  # loads for ever (a cell that trains, say)
    window = make_window()
    dialog = CheckDialog(mine, parent=window)  # its own time limit: 10 s per statement
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.process.running and dialog.progress.isVisible()
    assert not dialog.again_button.isEnabled() and not dialog.train_button.isEnabled()
    process = dialog.process._process
    dialog.cancel_button.click()
    assert not dialog.process.running and not process.is_alive()
    assert dialog.progress_label.text().startswith("cancelled")
    assert dialog.again_button.isEnabled() and dialog.report is None
    mine.write_text(CORRECT.read_text())  # fixed: check again
    dialog.again_button.click()
    checked(qtbot, dialog)
    assert dialog.report.passed


def test_closing_the_dialog_stops_its_check(qtbot, make_window, tmp_path):
    mine = tmp_path / "mine.py"
    mine.write_text("while True:\n    pass\n")
    dialog = CheckDialog(mine, parent=make_window())
    dialog.show()
    process = dialog.process._process
    dialog.close()
    assert not process.is_alive() and not dialog.process.running


def test_train_with_it_trains_the_window_with_their_functions(qtbot, check, tmp_path):
    mine = broken(tmp_path, "update_adds.py")
    dialog = check(mine)
    window = check.window
    dialog.train_button.click()
    assert window.student_run.setup.path == str(mine)
    assert window.running and "update_adds.py" in window.windowTitle()
    snap = drawn(qtbot, window, lambda s: s.reference is not None and s.iteration > 0)
    assert snap.reference.mismatch.iteration == 0
    window.train_pause()


def test_train_with_it_needs_the_four_functions_that_train(qtbot, check, tmp_path):
    only = tmp_path / "only.py"
    only.write_text("import numpy as np\n\n\ndef relu(Z):\n    return np.maximum(0, Z), Z\n")
    dialog = check(only)
    assert dialog.report.results["relu"].passed
    assert not dialog.train_button.isEnabled()
    send_steps(check.window, 1)  # the window, meanwhile, trains as it did
    assert drawn(qtbot, check.window, lambda s: s.iteration == 1).reference is None


def test_a_check_running_when_the_window_goes_is_killed_with_it(qtbot, make_window, tmp_path):
    """The app leaves with os._exit, which would leave a daemon check process behind."""
    mine = tmp_path / "mine.py"
    mine.write_text("while True:\n    pass\n")
    window = make_window()
    dialog = window.student_run.check(mine)
    process = dialog.process._process
    assert process.is_alive()
    window.shutdown()
    assert not process.is_alive() and not dialog.process.running
