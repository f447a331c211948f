"""StudentNetwork: training with the student's functions, in lockstep with the reference."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from student_helpers import CORRECT, broken

from dnnviz.data import load_dataset
from dnnviz.nn import DeepNeuralNetwork, DivergedError
from dnnviz.student import StudentError, StudentNetwork
from dnnviz.student.network import largest_difference
from dnnviz.training import RunConfig, Session
from dnnviz.training.snapshot import PARTS, FrameRequest
from dnnviz.training.stops import COMPLETED
from dnnviz.training.summaries import make_snapshot

COURSE_DIMS = (12288, 20, 7, 5, 1)


def _problem(dims, m=12, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(dims[0], m)
    return X, (X[:1] * X[1:2] > 0).astype(float)


def _max_difference(a: dict, b: dict) -> float:
    return max(float(np.max(np.abs(a[k] - b[k]))) for k in a)


def test_the_course_run_matches_the_reference_to_1e_9(cat_dir):
    data = load_dataset("cat", data_dir=cat_dir)
    net = StudentNetwork(CORRECT, COURSE_DIMS, init="scaled", seed=1)
    alone = DeepNeuralNetwork(COURSE_DIMS, init="scaled", seed=1)  # not the net's own copy
    X, Y = net.as_input(data.X_train), net.as_input(data.Y_train)
    costs = [net.step(X, Y, 0.0075) for _ in range(150)]
    expected = [alone.step(X, Y, 0.0075) for _ in range(150)]
    assert costs[0] == pytest.approx(0.7717493284237686, abs=1e-9)  # the course's first cost
    np.testing.assert_allclose(costs, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(net.reference_costs, expected, rtol=0, atol=0)
    assert _max_difference(net.parameters, alone.parameters) <= 1e-9
    assert net.mismatch is None and net.iteration == 150


@pytest.mark.parametrize("file", ["missing_one_over_m.py", "update_adds.py", "output_relu.py"])
def test_a_wrong_step_is_caught_at_its_first_iteration_naming_the_array(tmp_path, file):
    dims = (4, 5, 3, 1)
    X, Y = _problem(dims)
    net = StudentNetwork(broken(tmp_path, file), dims, init="he", seed=2)
    alone = DeepNeuralNetwork(dims, init="he", seed=2)
    net.step(X, Y, 0.1)
    alone.step(X, Y, 0.1)
    mismatch = net.mismatch
    assert mismatch.iteration == 0
    student, reference = net.parameters, alone.parameters
    differences = {k: np.nan_to_num(float(np.max(np.abs(student[k] - reference[k]))), nan=np.inf)
                   for k in student}  # a nan (relu's AL of 0 gives Y / 0) is the worst
    assert mismatch.array == max(differences, key=differences.get)
    assert np.nan_to_num(mismatch.difference, nan=np.inf) == differences[mismatch.array]
    assert mismatch.layer == int(mismatch.array[1:])
    assert str(mismatch) == f"iteration 0: {mismatch.array} differs by {mismatch.difference:.2g}"


def test_a_late_mistake_is_found_at_its_iteration(tmp_path):
    """A student's update that goes wrong only from the third iteration on."""
    text = CORRECT.read_text() + '''

_calls = []


def update_parameters(params, grads, learning_rate):
    _calls.append(1)
    factor = 1.0 if len(_calls) < 3 else 1.5
    return {k: v - factor * learning_rate * grads["d" + k] for k, v in params.items()}
'''
    path = tmp_path / "late.py"
    path.write_text(text)
    dims = (3, 4, 1)
    X, Y = _problem(dims)
    net = StudentNetwork(path, dims)
    for _ in range(4):
        net.step(X, Y, 0.5)
    assert net.mismatch.iteration == 2  # the first, though iteration 3 differs too
    assert largest_difference(net.Ws, net.bs, net.reference)[1] > net.mismatch.difference


@pytest.mark.parametrize("file, kind, words", [
    ("undefined_z.py", "exception", "your L_model_backward raised NameError: name 'z'"),
    ("exits.py", "exit", "your L_model_backward called exit()"),
    ("squeezed_db.py", "result", "your update_parameters returned b1 of shape (5, 5); "
                                 "expected (5, 1)"),
    ("transposed_product.py", "exception", "your update_parameters raised ValueError"),
    ("endless_loop.py", "timeout", "your update_parameters did not finish within 0.3 s"),
])
def test_a_students_failure_is_one_error_and_leaves_the_network_as_it_was(tmp_path, file, kind,
                                                                          words):
    dims = (4, 5, 1)
    X, Y = _problem(dims)
    net = StudentNetwork(broken(tmp_path, file), dims, seconds=0.3)
    before = net.parameters
    with pytest.raises(StudentError) as info:
        net.step(X, Y, 0.1)
    assert info.value.kind == kind
    assert str(info.value).startswith(words)
    assert net.iteration == 0 and not net.has_gradients and not net.reference_costs
    assert _max_difference(net.parameters, before) == 0


def test_their_traceback_points_into_their_file(tmp_path):
    dims = (4, 5, 1)
    X, Y = _problem(dims)
    net = StudentNetwork(broken(tmp_path, "undefined_z.py"), dims)
    with pytest.raises(StudentError) as info:
        net.step(X, Y, 0.1)
    trace = info.value.traceback
    assert trace.count('File "') == 3  # L_model_backward -> linear_activation_backward -> ...
    assert "in sigmoid_backward" in trace and "dnnviz/" not in trace
    assert info.value.function == "L_model_backward"


@pytest.mark.parametrize("text, kind, words", [
    (None, "file", "no such file"),
    ("def L_model_forward(X, parameters):\n    pass\n", "missing",
     "no compute_cost, L_model_backward, update_parameters"),
    ("def f(:\n", "file", "syntax error in line 1"),
])
def test_a_file_that_cannot_train_is_one_error(tmp_path, text, kind, words):
    path = tmp_path / "mine.py"
    if text is not None:
        path.write_text(text)
    net = StudentNetwork(path, (2, 3, 1))
    with pytest.raises(StudentError) as info:
        net.step(*_problem((2, 3, 1)), 0.1)
    assert info.value.kind == kind and words in str(info.value)


def test_the_template_cannot_train_yet(tmp_path):
    from dnnviz.student import template_text
    path = tmp_path / "my_dnn.py"
    path.write_text(template_text())
    with pytest.raises(StudentError, match="^your L_model_forward is not implemented yet$"):
        StudentNetwork(path, (2, 3, 1)).step(*_problem((2, 3, 1)), 0.1)


def test_a_cost_of_log_0_is_their_error_an_overflowing_output_divergence(tmp_path):
    dims = (2, 3, 1)
    X, Y = _problem(dims)
    net = StudentNetwork(broken(tmp_path, "log_zero_cost.py"), dims)
    net.set_parameters({k: v * (1e3 if k == "W2" else 1) for k, v in net.parameters.items()})
    with pytest.raises(StudentError, match="compute_cost returned nan"):
        net.step(X, Y, 0.1)
    with np.errstate(over="ignore"):
        net.set_parameters({k: v * 1e308 for k, v in net.parameters.items()})
    with pytest.raises(DivergedError):
        net.step(X, Y, 0.1)


def test_it_pickles_without_their_code_and_goes_on_exactly(tmp_path):
    dims = (3, 4, 1)
    X, Y = _problem(dims)
    net = StudentNetwork(CORRECT, dims, seed=5)
    for _ in range(3):
        net.step(X, Y, 0.3)
    copy = pickle.loads(pickle.dumps(net))
    assert copy._process is None
    assert [copy.step(X, Y, 0.3) for _ in range(3)] == [net.step(X, Y, 0.3) for _ in range(3)]
    assert _max_difference(copy.parameters, net.parameters) == 0


def test_constructing_does_not_run_their_code(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "mine.py"
    path.write_text(f"open({str(marker)!r}, 'w').close()\n" + CORRECT.read_text())
    net = StudentNetwork(path, (2, 3, 1))
    pickle.loads(pickle.dumps(net))
    assert not marker.exists()
    net.step(*_problem((2, 3, 1)), 0.1)
    assert marker.exists()


@pytest.mark.parametrize("dataset", ["moons", "shapes"])
def test_a_session_trains_it_as_it_trains_the_reference(dataset):
    config = RunConfig(dataset=dataset, hidden=(5, 3), learning_rate=0.1, iterations=12,
                       seed=4, n_samples=60)
    reference = Session(config)
    session = Session(config, reference.data)
    session.net = StudentNetwork(CORRECT, session.layer_dims, init=config.init,
                                 seed=config.seed)
    reference.run()
    session.run()
    assert session.stopped_reason == COMPLETED
    np.testing.assert_allclose(session.costs, reference.costs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(session.eval_array(), reference.eval_array(), rtol=0, atol=1e-12)
    for gradients in (False, True):
        request = FrameRequest(parts=PARTS, gradients=gradients)
        mine = make_snapshot(session, request, running=False)
        theirs = make_snapshot(reference, request, running=False)
        assert mine.hist_kind == theirs.hist_kind
        for h1, h2 in zip(mine.hists, theirs.hists):
            np.testing.assert_allclose(h1.edges, h2.edges, atol=1e-9)
    restored = Session(config, reference.data)
    restored.net = StudentNetwork(CORRECT, session.layer_dims, init=config.init,
                                  seed=config.seed)
    restored.restore(session.net.parameters, session.costs, session.evals,
                     config.learning_rate, 20, session.step_state())
    reference.target_iterations = 20
    restored.run()
    reference.run()
    np.testing.assert_allclose(restored.costs, reference.costs, rtol=0, atol=1e-12)


def test_their_code_cannot_reach_the_comparison(tmp_path):
    """Their file patches dnnviz's comparison and the reference: that happens in the
    process that runs their code, not where the comparison is made."""
    path = broken(tmp_path, "update_adds.py")
    path.write_text(path.read_text() + '''

import dnnviz.student.network as network
import dnnviz.nn.model as model
network.largest_difference = lambda Ws, bs, reference: ("W1", 0.0)
model.DeepNeuralNetwork.step = lambda self, X, Y, learning_rate, **k: 0.0
''')
    dims = (4, 5, 1)
    X, Y = _problem(dims)
    net = StudentNetwork(path, dims)
    net.step(X, Y, 0.1)
    assert net.mismatch is not None and net.mismatch.iteration == 0
    assert net.reference_costs[0] > 0
    net.close()
