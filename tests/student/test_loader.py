"""Loading a student's file or notebook, and running their code in its box (sandbox)."""

from __future__ import annotations

import json
import os
import signal
import threading

import numpy as np
import pytest

from dnnviz.student.loader import StudentFileError, load_student_file, without_ipython_lines
from dnnviz.student.sandbox import StudentError, run_student, time_limit


def _notebook(tmp_path, *cells, name="nb.ipynb"):
    path = tmp_path / name
    path.write_text(json.dumps({"nbformat": 4, "cells": [
        {"cell_type": kind, "source": source} for kind, source in cells]}))
    return path


def test_notebook_cells_run_in_order_skipping_ipython_lines(tmp_path):
    path = _notebook(
        tmp_path,
        ("markdown", "# text"),
        ("code", ["%matplotlib inline\n", "x = 1\n", "!pip install nothing\n"]),
        ("code", "for i in range(2):\n    %time y = 2\n    x += 1\n"),
        ("code", "%%writefile other.py\nprint('not python')\n"),
        ("code", "x *= 10"))
    loaded = load_student_file(path)
    assert loaded.namespace["x"] == 30
    assert loaded.notes == ["cell 4: a cell magic (%%writefile), skipped"]
    assert not (tmp_path / "other.py").exists()


def test_a_raising_cell_is_a_note_with_its_cell_and_line_and_the_rest_runs(tmp_path):
    path = _notebook(tmp_path, ("code", "%load_ext autoreload\nimport numpy as np\n"
                                "data = np.load('train.npy')\n"),
                     ("code", "def f():\n    return 1\n"))
    loaded = load_student_file(path)
    assert callable(loaded.namespace["f"])
    assert len(loaded.notes) == 1
    assert loaded.notes[0].startswith("the code at cell 1, line 3 raised FileNotFoundError")


def test_ipython_lines_become_pass_and_keep_line_numbers():
    source = "a = 1\n%timeit a\n  !ls\n?np.dot\nb = 2"
    assert without_ipython_lines(source) == "a = 1\npass\n  pass\npass\nb = 2\n"


def test_a_top_level_statement_that_runs_too_long_is_stopped_and_skipped(tmp_path):
    path = tmp_path / "slow.py"
    path.write_text("while True:\n    pass\n\ndef relu(Z):\n    return Z, Z\n")
    loaded = load_student_file(path, seconds=0.3)
    assert "relu" in loaded.namespace
    assert loaded.notes == ["the code at line 1 did not finish within 0.3 s (an endless loop?); "
                            "skipped, the rest was run"]


def test_a_notebook_tracebacks_show_the_cell_source(tmp_path):
    path = _notebook(tmp_path, ("code", "def f(x):\n    return x / undefined_name\n"))
    loaded = load_student_file(path)
    with pytest.raises(StudentError) as info:
        run_student(lambda: loaded.namespace["f"](1), loaded.filenames, seconds=1, what="f")
    assert f'File "{path}, cell 1", line 2, in f' in info.value.traceback
    assert "return x / undefined_name" in info.value.traceback


def test_notebook_cells_that_do_not_parse_are_skipped_with_one_note(tmp_path):
    path = _notebook(tmp_path, ("markdown", "x"), ("code", "ok = 1"),
                     ("code", "def f(:\n  pass"), ("code", "y = (1,\n"),
                     ("code", "def g():\n    return ok\n"))
    loaded = load_student_file(path)
    assert loaded.namespace["g"]() == 1 and "f" not in loaded.namespace
    assert loaded.notes == ["cells 3, 4 do not parse as Python, skipped (cell 3, line 1: "
                            "invalid syntax: def f(:)"]


def test_a_py_with_a_syntax_error_cannot_be_used(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("ok = 1\ndef f(:\n  pass\n")
    with pytest.raises(StudentFileError, match="syntax error in line 2"):
        load_student_file(path)


@pytest.mark.parametrize("line", ["cd '/content/drive/MyDrive/Colab Notebooks/week4'", "ls",
                                  "ls -la", "pwd", "pip install h5py", "np.dot?",
                                  "load_ext autoreload", "matplotlib inline"])
def test_automagics_without_their_percent_are_skipped(line):
    assert without_ipython_lines(f"a = 1\n{line}\nb = 2") == "a = 1\npass\nb = 2\n"


@pytest.mark.parametrize("line", ["cd = 3", "ls(1)", "time.sleep(0)", "pwd - 1", "x = ls",
                                  "time = 5", "pip.main()"])
def test_python_that_starts_with_a_magics_name_stays(line):
    assert without_ipython_lines(line) == line + "\n"


def test_notes_of_cells_needing_missing_modules_collapse_into_one_line(tmp_path):
    path = _notebook(tmp_path, ("code", "from testCases_v4a import *\nimport public_tests\n"),
                     ("code", "A, W, b = linear_forward_test_case()\n"),
                     ("code", "linear_forward_test(linear_forward)\nz = 1 / 0\n"))
    loaded = load_student_file(path)
    assert loaded.notes == [
        "the code at cell 3, line 2 raised ZeroDivisionError: division by zero; skipped, the "
        "rest was run",
        "4 statements skipped: they need modules that are not here (testCases_v4a, "
        "public_tests) or names from them (test cells, helpers of the course); --verbose "
        "lists them"]
    assert len(loaded.all_notes) == 5
    assert "No module named 'testCases_v4a'" in loaded.all_notes[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "mine.py"
    os.mkfifo(path)
    with pytest.raises(StudentFileError, match=r"is a named pipe \(FIFO\)"):
        load_student_file(path)


@pytest.mark.parametrize("content", ['{"cells": 3}', "[]", '{"worksheets": []}'])
def test_json_that_is_not_a_notebook(tmp_path, content):
    path = tmp_path / "x.ipynb"
    path.write_text(content)
    with pytest.raises(StudentFileError, match="not a Jupyter notebook"):
        load_student_file(path)


def test_null_bytes_are_not_python(tmp_path):
    path = tmp_path / "x.py"
    path.write_text("x = 1\0\n")
    with pytest.raises(StudentFileError, match="not a Python file|syntax error"):
        load_student_file(path)


def test_the_time_limit_stops_an_endless_loop_and_restores_the_alarm():
    def previous(signum, frame):
        pass

    old = signal.signal(signal.SIGALRM, previous)
    try:
        with pytest.raises(StudentError) as info:
            run_student(lambda: [None for _ in iter(int, 1)], set(), seconds=0.2,
                        what="your loop")
        assert info.value.kind == "timeout"
        assert str(info.value) == "your loop did not finish within 0.2 s (an endless loop?)"
        assert signal.getsignal(signal.SIGALRM) is previous
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, old)


def test_their_except_exception_cannot_swallow_the_time_limit():
    def stubborn():
        while True:
            try:
                while True:
                    pass
            except Exception:
                continue

    with pytest.raises(StudentError, match="did not finish"):
        run_student(stubborn, set(), seconds=0.2)


def test_outside_the_main_thread_there_is_no_limit_but_it_still_runs():
    results = []

    def work():
        with time_limit(0.01):
            results.append(sum(range(3_000_000)))  # well past 0.01 s: not stopped

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert results == [sum(range(3_000_000))]


def test_exit_is_a_failure_and_ctrl_c_still_stops_dnnviz():
    with pytest.raises(StudentError) as info:
        run_student(lambda: exit(3), set(), seconds=1, what="your f")
    assert info.value.kind == "exit"

    def interrupt():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_student(interrupt, set(), seconds=1)


def test_numpy_random_state_is_put_back():
    np.random.seed(0)
    expected = np.random.RandomState(0).rand()
    run_student(lambda: np.random.seed(12345), set(), seconds=1)
    assert np.random.rand() == expected
