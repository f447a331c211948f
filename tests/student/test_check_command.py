"""`dnnviz check` and `dnnviz template` through the real command, in a subprocess."""

from __future__ import annotations

import ast
import inspect
import json

import pytest
from student_helpers import CORRECT, IMPLS, broken, check_report, run_dnnviz

from dnnviz.nn import functional
from dnnviz.student.spec import NAMES

# file, the one function that is wrong, words of its message, words of its hint
BROKEN = [
    ("undefined_z.py", "sigmoid_backward", "NameError: name 'z' is not defined",
     "which it never defines"),
    ("squeezed_db.py", "linear_backward", "db: wrong shape: expected (3, 1), got (3,)",
     "into a (3, 3) matrix"),
    ("rand_init.py", "initialize_parameters_deep", "W1: wrong values", "every weight is positive"),
    ("activation_first.py", "linear_activation_forward",
     "expected 2 values (A, cache), got a tuple of 3", "packed differently"),
    ("missing_one_over_m.py", "linear_backward", "dW: wrong values", "missing 1/m"),
    ("transposed_product.py", "linear_backward", "dW: wrong shape: expected (3, 5), got (5, 3)",
     "is transposed"),
    ("cache_order.py", "linear_forward", "cache: in the wrong order", "a cache in the wrong order"),
    ("relu_backward_in_place.py", "relu_backward", "changed its input dA in place",
     "np.array(dA, copy=True)"),
    ("update_adds.py", "update_parameters", "W1: wrong values", "adds the gradient"),
    ("output_relu.py", "L_model_forward", "AL: wrong values", "output layer must use sigmoid"),
    ("exits.py", "L_model_backward", "called exit() or sys.exit()", None),
    ("endless_loop.py", "update_parameters", "did not finish within 0.5 s", "an endless loop"),
]


@pytest.mark.parametrize("name", ["correct.py", "correct.ipynb"])
def test_a_correct_implementation_passes_every_function(tmp_path, name):
    done, report = check_report(tmp_path, IMPLS / name)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    assert set(report["functions"]) == set(NAMES)
    assert all(r == {"found": True, "passed": True, "message": ""}
               for r in report["functions"].values())
    assert "14 passed: all correct" in done.stdout


@pytest.mark.parametrize("file, wrong, message, hint", BROKEN, ids=[b[0] for b in BROKEN])
def test_each_broken_implementation_fails_exactly_where_it_is_wrong(tmp_path, file, wrong,
                                                                    message, hint):
    done, report = check_report(tmp_path, broken(tmp_path, file), "--time-limit", "0.5")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr == ""
    failed = [name for name, r in report["functions"].items() if not r["passed"]]
    assert failed == [wrong]
    assert all(r["found"] for r in report["functions"].values())
    assert message in report["functions"][wrong]["message"]
    if hint:
        assert hint in report["hints"][wrong]
        assert hint in done.stdout
    line = next(line for line in done.stdout.splitlines() if line.strip().startswith(wrong + " "))
    assert line.split()[1:3] == ["yes", "NO"]


def test_a_students_exception_shows_their_traceback_in_their_file(tmp_path):
    path = broken(tmp_path, "undefined_z.py")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "(-z)" in text)
    done, _ = check_report(tmp_path, path)
    assert f'File "{path}", line {line}, in sigmoid_backward' in done.stdout
    assert "NameError: name 'z' is not defined" in done.stdout
    assert "dnnviz/" not in done.stdout.split("Tracebacks:")[1]  # only their frames


def test_what_a_failing_function_printed_is_in_its_message(tmp_path):
    _, report = check_report(tmp_path, broken(tmp_path, "exits.py"))
    assert "it printed: grads: ['dA0', 'dA1'" in report["functions"]["L_model_backward"]["message"]


def test_a_notebook_with_a_broken_cell_fails_at_that_function(tmp_path):
    notebook = json.loads((IMPLS / "correct.ipynb").read_text())
    cell = next(c for c in notebook["cells"]
                if c["cell_type"] == "code" and "def linear_backward" in "".join(c["source"]))
    cell["source"] = [s.replace("axis=1, keepdims=True", "axis=1") for s in cell["source"]]
    path = tmp_path / "mine.ipynb"
    path.write_text(json.dumps(notebook))
    done, report = check_report(tmp_path, path)
    assert done.returncode == 1
    assert [n for n, r in report["functions"].items() if not r["passed"]] == ["linear_backward"]
    assert "broadcasts b" in report["hints"]["linear_backward"]


def test_the_notebooks_skipped_cells_are_noted(tmp_path):
    done, report = check_report(tmp_path, IMPLS / "correct.ipynb")
    notes = "\n".join(report["notes"])
    assert "ModuleNotFoundError: No module named 'testCases'" in notes
    assert "a cell magic (%%time), skipped" in notes
    assert "Notes:" in done.stdout


def test_the_template_says_every_function_is_not_implemented_yet(tmp_path):
    done = run_dnnviz("template")
    assert done.returncode == 0 and done.stderr == ""
    path = tmp_path / "my_dnn.py"
    path.write_text(done.stdout)
    checked, report = check_report(tmp_path, path)
    assert checked.returncode == 1
    assert all(r == {"found": True, "passed": False, "message": "not implemented yet"}
               for r in report["functions"].values())
    assert "Traceback" not in checked.stdout and checked.stderr == ""


def test_the_template_has_the_lessons_signatures_and_docstrings(tmp_path):
    tree = ast.parse(run_dnnviz("template").stdout)
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert list(defs) == list(NAMES)
    for name, node in defs.items():
        lesson = inspect.signature(getattr(functional, name)).parameters.values()
        positional = [p.name for p in lesson if p.kind == p.POSITIONAL_OR_KEYWORD]
        assert [a.arg for a in node.args.args] == positional, name
        assert "Returns:" in ast.get_docstring(node)
        assert isinstance(node.body[-1], ast.Raise)


def test_name_maps_a_function_of_another_name(tmp_path):
    text = CORRECT.read_text().replace("L_model_forward", "L_model_fp")
    path = tmp_path / "renamed.py"
    path.write_text(text)
    done, report = check_report(tmp_path, path)
    assert done.returncode == 0  # every function found passes
    assert report["functions"]["L_model_forward"]["found"] is False
    done, report = check_report(tmp_path, path, "--name", "L_model_forward=L_model_fp")
    assert done.returncode == 0
    assert report["functions"]["L_model_forward"] == {"found": True, "passed": True,
                                                      "message": ""}
    assert "L_model_forward (L_model_fp)" in done.stdout


def test_a_file_with_none_of_the_functions_fails(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("x = 1\n")
    done, report = check_report(tmp_path, path)
    assert done.returncode == 1
    assert not any(r["found"] for r in report["functions"].values())
    assert "none of the lesson's functions" in done.stdout


@pytest.mark.parametrize("name, content, words", [
    ("missing.py", None, "no such file"),
    ("notes.txt", "def sigmoid(Z): pass\n", "not a Python file or a Jupyter notebook"),
    ("binary.py", b"\x89PNG\r\n\x1a\n\x00\xff", "not a Python file"),
    ("broken.py", "import numpy as np\n\ndef sigmoid(Z:\n    return Z\n",
     "syntax error in line 3"),
    ("notjson.ipynb", "{not json", "not a Jupyter notebook"),
    ("folder.py", "folder", "is a folder"),
])
def test_a_file_that_cannot_be_used_is_one_line_and_exit_2(tmp_path, name, content, words):
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    done, report = check_report(tmp_path, path)
    assert done.returncode == 2
    assert report is None and done.stdout == ""
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args, words", [
    ([], "required: FILE"),
    ([CORRECT, "--name", "L_model_forward"], "expected COURSE=THEIRS"),
    ([CORRECT, "--name", "forward=f"], "not one of the lesson's functions"),
    ([CORRECT, "--time-limit", "0"], "--time-limit must be more than 0"),
    ([CORRECT, "--time-limit", "soon"], "is not a float"),
    ([CORRECT, "--report", "/nonexistent/folder/r.json"], "r.json"),
    ([CORRECT, "--bogus"], "unrecognized arguments"),
])
def test_bad_usage_is_one_line_and_exit_2(args, words):
    done = run_dnnviz("check", *args)
    assert done.returncode == 2
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_template_takes_no_arguments():
    done = run_dnnviz("template", "extra")
    assert done.returncode == 2 and "unrecognized arguments" in done.stderr
