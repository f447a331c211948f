"""A function is checked with the student's own helpers where those passed, and dnnviz's
stand-ins only where theirs failed, called as the student calls them; the messages are
about the student's mistake, where it is."""

from __future__ import annotations

from student_helpers import CORRECT, check_report, variant

from dnnviz.student import check_file
from dnnviz.student.spec import NAMES

# their own names and signatures: activation_forward(A_prev, W, b, activation_fn), and a
# model_forward that calls it by keyword
RENAMED = '''
def activation_forward(A_prev, W, b, activation_fn="relu"):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = sigmoid(Z) if activation_fn == "sigmoid" else relu(Z)
    return A, (linear_cache, activation_cache)


def model_forward(X, parameters):
    caches, A = [], X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)],
                                      activation_fn="sigmoid" if l == L else "relu")
        caches.append(cache)
    return A, caches
'''
NAMES_GIVEN = ("--name", "linear_activation_forward=activation_forward",
               "--name", "L_model_forward=model_forward")


def _failed(report):
    return [n for n, r in report["functions"].items() if r["found"] and not r["passed"]]


def test_their_own_passing_helper_is_used_with_their_own_signature(tmp_path):
    path = variant(tmp_path, RENAMED)
    done, report = check_report(tmp_path, path, *NAMES_GIVEN)
    assert done.returncode == 0, done.stdout
    assert not _failed(report)


def test_a_failing_helper_is_stood_in_for_as_they_call_it(tmp_path):
    wrong = RENAMED.replace("return A, (linear_cache, activation_cache)",
                            "return A * 2, (linear_cache, activation_cache)")
    done, report = check_report(tmp_path, variant(tmp_path, wrong), *NAMES_GIVEN)
    assert done.returncode == 1
    assert _failed(report) == ["linear_activation_forward"]  # model_forward is right
    assert "activation_fn" not in report["functions"]["L_model_forward"]["message"]


def test_one_function_named_for_another_is_checked_once(tmp_path):
    path = tmp_path / "mine.py"
    text = CORRECT.read_text()
    start = text.index("def initialize_parameters(n_x")
    end = text.index("def initialize_parameters_deep")
    path.write_text((text[:start] + text[end:]).replace(
        "def initialize_parameters_deep(", "def initialize_parameters("))
    done, report = check_report(tmp_path, path,
                                "--name", "initialize_parameters_deep=initialize_parameters")
    assert done.returncode == 0, done.stdout
    assert report["functions"]["initialize_parameters_deep"]["passed"]
    two_layer = report["functions"]["initialize_parameters"]
    assert not two_layer["found"] and "checked as initialize_parameters_deep" in \
        two_layer["message"]
    assert not any("initialize_parameters," in n for n in report["notes"])


def test_an_activation_cache_holding_A_is_named(tmp_path):
    path = variant(tmp_path, '''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (linear_cache, A)
''')
    report = check_file(path)
    failed = [n for n, r in report.results.items() if not r.passed]
    assert failed == ["linear_activation_forward"]  # L_model_forward: with the stand-in
    r = report.results["linear_activation_forward"]
    assert r.where == "cache → activation_cache"
    assert "holds A" in r.hint and "keeps Z" in r.hint


def test_a_squeezed_db_behind_their_own_assert_gets_the_squeezed_db_hint(tmp_path):
    path = variant(tmp_path, '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1) / m
    dA_prev = np.dot(W.T, dZ)
    assert (db.shape == b.shape)
    return dA_prev, dW, db
''')
    report = check_file(path)
    assert [n for n, r in report.results.items() if not r.passed] == ["linear_backward"]
    r = report.results["linear_backward"]
    assert "AssertionError" in r.message
    assert "db has shape (3,)" in r.hint and "keepdims=True" in r.hint


def test_every_function_is_in_the_report_once():
    assert list(check_file(CORRECT).results) == list(NAMES)
