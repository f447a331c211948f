"""check_file in-process: what each verdict carries, and the student's code kept in its box."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from student_helpers import CORRECT, broken, variant

from dnnviz.student import check_file
from dnnviz.student.spec import NAMES


def _failed(report):
    return {name: r for name, r in report.results.items() if not r.passed}


def test_values_that_differ_come_with_expected_got_and_difference(tmp_path):
    report = check_file(broken(tmp_path, "missing_one_over_m.py"))
    r = report.results["linear_backward"]
    assert r.where == "dW"
    assert r.expected.shape == r.got.shape == r.difference.shape == (3, 5)
    np.testing.assert_allclose(r.got, 4 * r.expected)  # the lesson's case has m = 4
    np.testing.assert_allclose(r.difference, r.got - r.expected)


def test_a_function_is_checked_with_dnnvizs_helpers_not_the_students(tmp_path):
    """A wrong linear_forward (cache order) fails itself only, not its callers."""
    report = check_file(broken(tmp_path, "cache_order.py"))
    assert list(_failed(report)) == ["linear_forward"]
    assert not report.results["linear_activation_forward"].notes


def test_a_caller_consistent_with_its_own_unlesson_like_helper_passes_with_a_note(tmp_path):
    report = check_file(broken(tmp_path, "activation_first.py"))
    assert list(_failed(report)) == ["linear_activation_forward"]
    forward = report.results["L_model_forward"]
    assert forward.passed
    assert forward.notes == ["passes with your own linear_activation_forward, which does not "
                             "follow the lesson (see there)"]
    assert "parameters are in the order linear_activation_forward(activation, A_prev, W, b)" \
        in report.results["linear_activation_forward"].notes[0]


def test_parameters_in_another_order_are_passed_by_name(tmp_path):
    path = variant(tmp_path, '''
def linear_backward(cache, dZ):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m
''', replace=[("linear_backward(dZ, linear_cache)", "linear_backward(cache=linear_cache, dZ=dZ)")])
    report = check_file(path)
    assert not _failed(report)
    assert "calls it by position" in report.results["linear_backward"].notes[0]


def test_other_parameter_names_are_passed_by_position(tmp_path):
    path = variant(tmp_path, '''
def linear_forward(inputs, weights, bias):
    return np.dot(weights, inputs) + bias, (inputs, weights, bias)
''')
    report = check_file(path)
    assert not _failed(report) and not report.results["linear_forward"].notes


def test_a_signature_that_cannot_take_the_lessons_arguments(tmp_path):
    path = variant(tmp_path, '''
def linear_activation_forward(A_prev, W, b):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = relu(Z)
    return A, (linear_cache, activation_cache)
''')
    r = check_file(path).results["linear_activation_forward"]
    assert r.found and not r.passed
    assert "cannot be called as the lesson's linear_activation_forward(A_prev, W, b, activation)" \
        in r.message


def test_the_older_courses_dA_numbering_is_accepted(tmp_path):
    path = variant(tmp_path, '''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l + 1)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \\
            linear_activation_backward(grads["dA" + str(l + 2)], caches[l], "relu")
    return grads
''')
    assert check_file(path).results["L_model_backward"].passed


def test_the_application_notebooks_scaled_initialisation_is_accepted(tmp_path):
    path = variant(tmp_path, '''
def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = (np.random.randn(layer_dims[l], layer_dims[l - 1])
                                    / np.sqrt(layer_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')
    assert check_file(path).results["initialize_parameters_deep"].passed


@pytest.mark.parametrize("extra, name, message, hint", [
    ("def compute_cost(AL, Y):\n    m = Y.shape[1]\n    AL = np.clip(AL, 1e-15, 1 - 1e-15)\n"
     "    return -np.dot(Y, np.log(AL).T) / m - np.dot(1 - Y, np.log(1 - AL).T) / m\n",
     "compute_cost", "wrong shape: expected a number (shape ()), got (1, 1)", "np.squeeze"),
    ("def compute_cost(AL, Y):\n    m = Y.shape[1]\n    AL = np.clip(AL, 1e-15, 1 - 1e-15)\n"
     "    return -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))\n",
     "compute_cost", "cost: wrong values", "missing 1/m"),
    ("def initialize_parameters(n_x, n_h, n_y):\n    np.random.seed(1)\n"
     "    return {'W1': np.random.randn(n_h, n_x) * 0.01, 'b1': np.ones((n_h, 1)),\n"
     "            'W2': np.random.randn(n_y, n_h) * 0.01, 'b2': np.zeros((n_y, 1))}\n",
     "initialize_parameters", "b1: wrong values", "biases start at zero"),
    ("def linear_activation_forward(A_prev, W, b, activation):\n"
     "    Z, linear_cache = linear_forward(A_prev, W, b)\n"
     "    A, activation_cache = relu(Z) if activation == 'sigmoid' else sigmoid(Z)\n"
     "    return A, (linear_cache, activation_cache)\n",
     "linear_activation_forward", "A: wrong values", "the other activation"),
    ("def L_model_backward(AL, Y, caches):\n    grads = {}\n    L = len(caches)\n"
     "    dA = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)\n"
     "    for l in reversed(range(L)):\n"
     "        act = 'sigmoid' if l == L - 1 else 'relu'\n"
     "        dA, grads['dW' + str(l + 1)], grads['db' + str(l + 1)] = \\\n"
     "            linear_activation_backward(dA, caches[l], act)\n"
     "        grads['dA' + str(l)] = dA\n    return grads\n",
     "L_model_backward", "wrong values", "dAL has the wrong sign"),
    ("def update_parameters(parameters, grads, learning_rate):\n"
     "    parameters = dict(parameters)\n    L = len(parameters) // 2\n"
     "    for l in range(1, L):\n"
     "        for p in 'Wb':\n"
     "            parameters[p + str(l)] = parameters[p + str(l)] - \\\n"
     "                learning_rate * grads['d' + p + str(l)]\n"
     "    return parameters\n",
     "update_parameters", "W2: wrong values", "the last layer is not updated"),
    ("def update_parameters(parameters, grads, learning_rate):\n"
     "    for key in parameters:\n        parameters[key] -= learning_rate * grads['d' + key]\n"
     "    return parameters\n",
     "update_parameters", "changed its input parameters['W1'] in place", "W = W - ..."),
    ("def linear_forward(A, W, b):\n    Z = np.dot(W, A) + b\n    cache = (A, W, b)\n",
     "linear_forward", "expected (Z, cache), got None (a missing return?)", ""),
])
def test_more_known_mistakes_have_their_hint(tmp_path, extra, name, message, hint):
    report = check_file(variant(tmp_path, extra))
    assert list(_failed(report)) == [name]
    assert message in report.results[name].message
    assert hint in report.results[name].hint


def test_replacing_dict_entries_is_not_changing_an_input(tmp_path):
    """The older course updated the dict it was given, entry by entry: allowed."""
    path = variant(tmp_path, '''
def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters
''')
    assert check_file(path).results["update_parameters"].passed


def test_missing_functions_are_reported_and_dnnvizs_stand_in(tmp_path):
    """A notebook that imported the helpers from the course's dnn_utils (absent here)."""
    text = CORRECT.read_text()
    for helper in ("sigmoid", "relu", "relu_backward", "sigmoid_backward"):
        start = text.index(f"\ndef {helper}(")
        text = text[:start] + text[text.index("\ndef ", start + 1):]
    path = tmp_path / "no_helpers.py"
    path.write_text("from dnn_utils import sigmoid, relu  # not here\n" + text)
    report = check_file(path)
    assert report.exit_code == 0
    assert [n for n, r in report.results.items() if not r.found] == \
        ["sigmoid", "relu", "relu_backward", "sigmoid_backward"]
    assert any("No module named 'dnn_utils'" in note for note in report.notes)
    assert any(note.startswith("not found: sigmoid, relu") for note in report.notes)


def test_the_students_own_modules_import_from_their_folder(tmp_path):
    (tmp_path / "my_utils.py").write_text("import numpy as np\n\ndef sigmoid(Z):\n"
                                          "    return 1 / (1 + np.exp(-Z)), Z\n")
    path = tmp_path / "mine.py"
    path.write_text("from my_utils import sigmoid\n")
    report = check_file(path)
    assert report.results["sigmoid"].passed
    assert "my_utils" not in sys.modules and str(tmp_path) not in sys.path


def test_a_name_that_is_not_a_function(tmp_path):
    path = tmp_path / "mine.py"
    path.write_text("sigmoid = 3\n")
    r = check_file(path).results["sigmoid"]
    assert r.found and not r.passed and r.message == "sigmoid is int, not a function"


def test_exit_at_the_top_level_is_a_note_and_the_rest_still_runs(tmp_path):
    path = variant(tmp_path, "if True:\n    print('training...')\n    exit()\n\n"
                   "def relu(Z):\n    return Z, Z\n")
    report = check_file(path)
    assert any("called exit() or sys.exit()" in n and "it printed: training..." in n
               for n in report.notes)
    assert not report.results["relu"].passed  # defined after the exit(): it ran


def test_a_main_block_does_not_run(tmp_path):
    marker = tmp_path / "ran"
    path = variant(tmp_path, f"if __name__ == '__main__':\n    open({str(marker)!r}, 'w')\n")
    assert check_file(path).exit_code == 0 and not marker.exists()


def test_printing_is_captured_and_only_its_first_lines_quoted(tmp_path, capsys):
    path = variant(tmp_path, "def relu(Z):\n    for i in range(100000):\n        print(i)\n"
                   "    raise ValueError('no')\n")
    r = check_file(path).results["relu"]
    assert capsys.readouterr().out == ""
    assert r.message.endswith("; it printed: 0 | 1 | 2 | 3 | 4 | ...")


def test_the_global_random_state_and_stdin_are_left_alone(tmp_path):
    path = variant(tmp_path, "np.random.seed(99)\nname = input('your name? ')\n")
    np.random.seed(5)
    expected = np.random.RandomState(5).rand(3)
    report = check_file(path)
    np.testing.assert_array_equal(np.random.rand(3), expected)
    assert any("EOFError" in note for note in report.notes)


def test_a_strange_result_is_a_failure_not_a_crash(tmp_path):
    path = variant(tmp_path, "class Odd:\n    def __array__(self, *a, **k):\n"
                   "        raise RuntimeError('odd')\n\n"
                   "def sigmoid_backward(dA, cache):\n    return Odd()\n")
    r = check_file(path).results["sigmoid_backward"]
    assert not r.passed and "got an object of type Odd" in r.message


def test_every_course_name_is_in_the_report():
    report = check_file(CORRECT)
    assert list(report.results) == list(NAMES)
    assert report.to_dict()["functions"]["sigmoid"] == {"found": True, "passed": True,
                                                        "message": ""}


def test_the_student_package_never_imports_qt():
    code = ("import sys, dnnviz.student, dnnviz.student.cli; "
            "bad = [m for m in sys.modules if m.startswith(('PyQt6', 'pyqtgraph'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
