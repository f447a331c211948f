"""A student's run in the training process's Engine: the reference beside it in every frame,
the first mismatch, their failures as their own (no Qt, no process: the Engine is driven
command by command as in tests/training/test_engine.py)."""

from __future__ import annotations

import numpy as np
import pytest
from student_helpers import CORRECT, broken, variant

from dnnviz.nn import DeepNeuralNetwork
from dnnviz.student import StudentSetup
from dnnviz.training import ConfigError, RunConfig, Session
from dnnviz.training import protocol as p
from dnnviz.training.engine import Engine
from dnnviz.training.history import downsample
from dnnviz.training.summaries import make_snapshot

CONFIG = RunConfig(dataset="moons", hidden=(6, 4), learning_rate=0.3, iterations=40, seed=3)


def student_session(path, config=CONFIG, seconds=5.0) -> Session:
    session = Session(config)
    session.net = StudentSetup(str(path), seconds=seconds).network(session.net)
    return session


def engine_on(session) -> Engine:
    sent = []
    engine = Engine(sent.append)
    engine.sent = sent
    engine.handle(p.UseSession(session, tag=3))
    return engine


def messages(engine, kind):
    return [m for m in engine.sent if isinstance(m, kind)]


def steps(engine, n: int):
    """n iterations, then the frame of the last; returns that snapshot."""
    engine.handle(p.Step(n))
    for _ in range(n):
        engine.tick()
    return messages(engine, p.Frame)[-1].snapshot


def test_a_correct_implementation_follows_the_reference_frame_by_frame():
    engine = engine_on(student_session(CORRECT))
    plain = Session(CONFIG)
    plain.run(iterations=25)
    snap = steps(engine, 25)
    assert snap.iteration == 25 and messages(engine, p.Failed) == []
    reference = snap.reference
    assert reference.mismatch is None and reference.stopped is None
    np.testing.assert_allclose(snap.cost_y, plain.costs, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(reference.cost_y, plain.costs)  # dnnviz's own, exactly
    np.testing.assert_array_equal(reference.cost_x, np.arange(25))
    assert reference.summary() == "yours match dnnviz's to 1e-09"


def test_a_plain_run_has_no_reference():
    session = Session(CONFIG)
    session.run(iterations=2)
    assert make_snapshot(session).reference is None
    compared_off = student_session(CORRECT)
    compared_off.net = StudentSetup(str(CORRECT)).network(DeepNeuralNetwork((2, 6, 4, 1)))
    compared_off.net.reference = None  # a StudentNetwork(compare=False)
    assert make_snapshot(compared_off).reference is None


def test_a_broken_update_is_marked_at_its_first_iteration(tmp_path):
    engine = engine_on(student_session(broken(tmp_path, "update_adds.py")))
    snap = steps(engine, 5)
    mismatch = snap.reference.mismatch
    assert mismatch.iteration == 0 and mismatch.array[0] in "Wb"
    assert snap.cost_y[0] == snap.reference.cost_y[0]  # the same start: the first cost agrees
    assert snap.cost_y[-1] > snap.cost_y[0] > snap.reference.cost_y[-1]  # ascent vs descent
    assert snap.reference.summary() == (
        f"yours differ from dnnviz's from iteration 0: {mismatch.array} (layer "
        f"{mismatch.layer}) by {mismatch.difference:.2g}")


def test_a_mistake_that_starts_late_is_marked_where_it_starts(tmp_path):
    late = variant(tmp_path, '''
_calls = []


def update_parameters(parameters, grads, learning_rate):
    _calls.append(1)
    rate = learning_rate * (1.0 if len(_calls) <= 6 else 1.01)
    return {k: v - rate * grads["d" + k] for k, v in parameters.items()}
''')
    snap = steps(engine_on(student_session(late)), 10)
    assert snap.reference.mismatch.iteration == 6


def test_the_reference_curve_is_downsampled_as_the_costs_are():
    session = student_session(CORRECT, CONFIG.with_changes(iterations=10_000, hidden=(3,)))
    session.run(iterations=4100)  # more than a curve's 4000 points
    snap = make_snapshot(session)
    x, y = downsample(session.net.reference_costs)
    np.testing.assert_array_equal(snap.reference.cost_x, x)
    np.testing.assert_array_equal(snap.reference.cost_y, y)
    assert len(snap.reference.cost_x) == len(snap.cost_x) < 4100


def test_their_exception_is_their_message_and_their_traceback(tmp_path):
    mine = broken(tmp_path, "undefined_z.py")
    engine = engine_on(student_session(mine))
    engine.handle(p.Run())
    engine.tick()
    (failed,) = messages(engine, p.Failed)
    assert failed.own_code and failed.tag == 3 and not engine.running
    assert failed.text.startswith("your L_model_backward raised NameError: name 'z'")
    assert str(mine) in failed.traceback
    assert "dnnviz/" not in failed.traceback.replace(str(tmp_path), "")
    assert engine.session.iteration == 0  # nothing of the failed step was kept


def test_their_endless_loop_is_stopped_by_the_time_limit(tmp_path):
    engine = engine_on(student_session(broken(tmp_path, "endless_loop.py"), seconds=0.3))
    engine.handle(p.Step(1))
    engine.tick()
    (failed,) = messages(engine, p.Failed)
    assert failed.own_code and failed.traceback == ""
    assert "did not finish within 0.3 s" in failed.text


def test_dnnvizs_own_failure_is_not_taken_for_theirs():
    engine = engine_on(student_session(CORRECT))
    engine.session.net.step = lambda *a, **k: 1 / 0
    engine.handle(p.Step(1))
    engine.tick()
    (failed,) = messages(engine, p.Failed)
    assert not failed.own_code and failed.text.startswith("ZeroDivisionError")


def test_a_setup_makes_the_sessions_network_with_their_functions():
    session = Session(CONFIG.with_changes(init="scaled", seed=7))
    net = StudentSetup(str(CORRECT), names={"L_model_forward": "L_model_forward"},
                       seconds=2.0).network(session.net)
    assert (net.layer_dims, net.init, net.seed, str(net.dtype)) == \
        ((2, 6, 4, 1), "scaled", 7, "float64")
    assert net.seconds == 2.0 and net.names == {"L_model_forward": "L_model_forward"}
    for mine, theirs in zip(net.Ws, session.net.Ws):
        np.testing.assert_array_equal(mine, theirs)  # the same start


@pytest.mark.parametrize("change, words", [
    ({"activation": "tanh"}, "another activation"),
    ({"optimizer": "adam"}, "another optimizer"),
    ({"l2": 0.1}, "L2"),
    ({"keep_prob": 0.8}, "dropout"),
])
def test_a_network_the_lesson_does_not_train_is_refused(change, words):
    net = DeepNeuralNetwork((2, 3, 1), **change)
    with pytest.raises(ConfigError, match=f"not one with {words}"):
        StudentSetup(str(CORRECT)).network(net)


def test_steps_on_mini_batches_are_refused():
    with pytest.raises(ConfigError, match="not one with mini-batches"):
        StudentSetup(str(CORRECT)).network(DeepNeuralNetwork((2, 3, 1)), batch_size=32)
