"""Correct work, as students have it, passes: the lesson written exactly as the course writes
it (unclipped cost, the course's sigmoid) as a .py, and whole notebooks of every version of
the course, one from Colab (impls/course/, written by impls/course/make.py)."""

from __future__ import annotations

import json

import pytest
from student_helpers import IMPLS, check_report, run_dnnviz

from dnnviz.student import check_file
from dnnviz.student.spec import NAMES

COURSE = IMPLS / "course"
NOTEBOOKS = sorted(p.name for p in COURSE.glob("step_by_step_*.ipynb")) + ["colab_v8a.ipynb"]
HELPERS = ("sigmoid", "relu", "relu_backward", "sigmoid_backward")  # dnn_utils: not in them


def test_every_version_of_the_course_is_here():
    assert NOTEBOOKS == ["step_by_step_W4A1.ipynb", "step_by_step_v3.ipynb",
                         "step_by_step_v4.ipynb", "step_by_step_v5.ipynb",
                         "step_by_step_v8a.ipynb", "colab_v8a.ipynb"]


def test_the_course_written_as_the_course_writes_it_passes(tmp_path):
    done, report = check_report(tmp_path, COURSE / "course_style.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert all(r["found"] and r["passed"] for r in report["functions"].values())
    assert "np.clip(AL, 1e-15, 1 - 1e-15)" in done.stdout  # advice, under compute_cost
    assert "compute_cost: it returns nan when an output is exactly 0 or 1" in done.stdout


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_course_notebook_passes(name):
    report = check_file(COURSE / name, seconds=2)
    assert report.exit_code == 0, report.summary()
    found = [n for n, r in report.results.items() if r.found]
    assert found == [n for n in NAMES if n not in HELPERS]
    assert all(r.passed for r in report.results.values() if r.found)
    assert any("advice, not a mistake" in note for note in report.results["compute_cost"].notes)


def test_the_older_courses_dA_numbering_is_its_own():
    source = "".join(c for cell in json.loads((COURSE / "step_by_step_v3.ipynb").read_text())
                     ["cells"] for c in cell["source"])
    assert 'grads["dA" + str(L)], grads["dW" + str(L)]' in source  # dA1..dAL, as v3 has it


def test_a_colab_notebook_with_its_automagics_passes_and_says_what_it_skipped(tmp_path):
    done = run_dnnviz("check", COURSE / "colab_v8a.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr
    notes = done.stdout.split("Notes:")[1]
    skipped = [line for line in notes.splitlines() if "statements skipped" in line]
    assert len(skipped) == 1
    for module in ("google", "testCases_v4a", "dnn_utils_v2"):
        assert module in skipped[0]
    assert "parse" not in notes  # cd '/content/drive/...', ls, pwd: skipped as IPython
    verbose = run_dnnviz("check", COURSE / "colab_v8a.ipynb", "--verbose").stdout
    assert "No module named 'google'" in verbose
    assert "name 'linear_forward_test_case' is not defined" in verbose
    assert "statements skipped" not in verbose


def test_a_notebook_cell_that_does_not_parse_is_one_note_not_a_refusal(tmp_path):
    notebook = json.loads((COURSE / "step_by_step_v8a.ipynb").read_text())
    notebook["cells"].insert(3, {"cell_type": "code", "metadata": {}, "outputs": [],
                                 "source": ["print 'hello'\n"]})
    notebook["cells"].insert(5, {"cell_type": "code", "metadata": {}, "outputs": [],
                                 "source": ["for i in range(3)\n", "    pass\n"]})
    path = tmp_path / "mine.ipynb"
    path.write_text(json.dumps(notebook))
    done, report = check_report(tmp_path, path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [n for n in report["notes"] if "parse" in n] == [
        "cells 4, 6 do not parse as Python, skipped (cell 4, line 1: Missing parentheses in "
        "call to 'print'. Did you mean print(...)?: print 'hello')"]


def test_an_unstable_sigmoid_passes_with_a_note_and_the_courses_without(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("import numpy as np\n\n\ndef sigmoid(Z):\n"
                    "    return np.exp(Z) / (1 + np.exp(Z)), Z\n")
    report = check_file(path)
    assert report.exit_code == 0 and report.results["sigmoid"].passed
    assert any("np.exp(Z) overflows" in n for n in report.results["sigmoid"].notes)
    course = check_file(COURSE / "course_style.py")
    assert course.results["sigmoid"].passed and not course.results["sigmoid"].notes
