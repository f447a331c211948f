"""Session: live settings, exact replay, divergence, evaluation. Pure Python, no Qt."""

import numpy as np
import pytest

from dnnviz.nn import DeepNeuralNetwork
from dnnviz.training import ConfigError, RunConfig, Session
from dnnviz.training.config import parse_hidden
from dnnviz.training.session import EVAL_FIELDS, EvalPoint, eval_column
from dnnviz.training.stops import COMPLETED, INTERRUPTED


def _session(**changes):
    base = dict(dataset="moons", hidden=(6, 4), learning_rate=0.5, iterations=40, seed=3)
    base.update(changes)
    return Session(RunConfig(**base))


def test_changing_the_learning_rate_changes_the_next_update():
    s = _session()
    for _ in range(3):
        s.step()
    before = [W.copy() for W in s.net.Ws]
    ref, old_rate = (DeepNeuralNetwork(s.layer_dims, init="he", seed=3) for _ in range(2))
    ref.set_parameters(s.net.parameters)
    old_rate.set_parameters(s.net.parameters)
    s.learning_rate = 0.05
    s.step()
    ref.step(s.X, s.Y, 0.05)
    old_rate.step(s.X, s.Y, 0.5)
    for W, R, O, B in zip(s.net.Ws, ref.Ws, old_rate.Ws, before):
        np.testing.assert_array_equal(W, R)
        assert not np.array_equal(W, B) and not np.array_equal(W, O)
    assert s.learning_rate == 0.05


def test_a_new_session_with_the_same_config_replays_the_run_exactly():
    a, b = _session(), _session()
    a.run()
    b.run()
    np.testing.assert_array_equal(a.costs, b.costs)
    assert a.stopped_reason == b.stopped_reason == COMPLETED
    c = _session(seed=4)
    c.run()
    assert not np.array_equal(a.costs, c.costs)


def test_cost_history_grows_past_its_first_buffer():
    s = _session(iterations=20)
    s.run(iterations=5000)
    assert s.iteration == 5000 and len(s.costs) == 5000 and np.isfinite(s.costs).all()


def test_divergence_stops_with_a_clear_reason_and_keeps_finite_parameters():
    s = _session(iterations=500)
    s.run(iterations=5)
    s.net.Ws[-1] *= 1e308  # the next forward pass overflows: the cost becomes inf
    before_last_step = [W + s.learning_rate * dW for W, dW in zip(s.net.Ws, s.net.dWs)]
    s.run()
    assert s.diverged and s.iteration == 4  # the last step undone, and its cost with it
    for W, B in zip(s.net.Ws, before_last_step):
        np.testing.assert_allclose(W, B, rtol=1e-12)  # the last step undone, no new one
    assert all(np.isfinite(W).all() for W in (*s.net.Ws, *s.net.bs))
    assert str(s.stopped_reason).startswith("diverged at iteration 5: the cost became")
    assert str(s.stopped_reason).endswith("try a smaller learning rate")
    assert np.isfinite(s.costs).all()
    assert s.step() is None  # no more steps once diverged


def test_evaluations_are_recorded_during_the_run():
    s = _session(iterations=100)
    s.run()
    evals = s.eval_array()
    assert evals.shape[1] == 5 and len(evals) >= 2
    np.testing.assert_array_equal(evals[:, 1], s.costs[evals[:, 0].astype(int)])
    assert ((evals[:, 3:] >= 0) & (evals[:, 3:] <= 1)).all()


def test_eval_columns_are_read_by_the_names_of_the_evaluation_fields():
    s = _session(iterations=30)
    s.run()
    evals = s.eval_array()
    assert [EvalPoint.from_row(row) for row in evals] == s.evals
    for name in EVAL_FIELDS:
        np.testing.assert_array_equal(eval_column(evals, name),
                                      [getattr(e, name) for e in s.evals])
    with pytest.raises(ValueError):
        eval_column(evals, "accuracy")


def test_the_evaluations_array_follows_every_change_of_the_evaluations():
    """eval_array() is kept from frame to frame (a picture run's frames read it 30 times a
    second), and is made anew whenever the points change: a new evaluation, one taken back,
    a restored run."""
    s = _session(iterations=100)
    s.run(should_stop=lambda: s.iteration >= 40)
    first = s.eval_array()
    assert s.eval_array() is first  # nothing changed: the same array
    assert not first.flags.writeable  # shared between frames: nobody changes it
    s.run(should_stop=lambda: s.iteration >= 60)
    grown = s.eval_array()
    assert len(grown) > len(first) and [EvalPoint.from_row(r) for r in grown] == s.evals
    s.evals.pop()
    assert [EvalPoint.from_row(r) for r in s.eval_array()] == s.evals
    s.evals[-1] = EvalPoint(s.evals[-1].iteration, 9.0, 9.0, 0.5, 0.5)  # same length
    assert s.eval_array()[-1, 1] == 9.0
    other = _session(iterations=100)
    other.restore(s.net.parameters, s.costs, first, s.learning_rate, s.iteration)
    np.testing.assert_array_equal(other.eval_array(), first)


def test_should_stop_interrupts_the_run():
    s = _session(iterations=1000)
    s.run(should_stop=lambda: s.iteration >= 7)
    assert s.iteration == 7 and s.stopped_reason == INTERRUPTED


def test_live_settings_are_validated():
    s = _session()
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ConfigError):
            s.learning_rate = bad
    assert s.learning_rate == 0.5
    with pytest.raises(ConfigError):
        s.target_iterations = 0


def test_absurd_networks_are_refused_with_their_memory_need():
    with pytest.raises(ConfigError, match=r"GiB of memory"):
        Session(RunConfig(dataset="moons", hidden=(100_000, 100_000)))


@pytest.mark.parametrize("text, expected", [("20,7,5", (20, 7, 5)), (" 7 ", (7,)),
                                            ("none", ()), ("4 3", (4, 3))])
def test_parse_hidden(text, expected):
    assert parse_hidden(text) == expected


@pytest.mark.parametrize("text", ["", "0", "-2", "x", "3,,a", "1000001"])
def test_parse_hidden_refuses_bad_text(text):
    with pytest.raises(ConfigError):
        parse_hidden(text)


@pytest.mark.parametrize("changes", [dict(hidden=(0,)), dict(learning_rate=0.0),
                                     dict(iterations=0), dict(seed=-1), dict(init="x"),
                                     dict(dtype="int8"), dict(learning_rate="a"),
                                     dict(hidden=(True,)), dict(train_file="a.h5")])
def test_run_config_refuses_bad_values(changes):
    with pytest.raises(ConfigError):
        RunConfig(**changes)


def test_after_divergence_a_smaller_learning_rate_carries_on_from_the_last_good_step():
    config = RunConfig(dataset="moons", hidden=(8, 4), learning_rate=10, iterations=50,
                       init="he")
    session = Session(config)
    session.run()
    assert session.diverged and str(session.stopped_reason).startswith("diverged at iteration 2")
    assert session.iteration == 1  # the step that killed the layer is undone, history too
    unbroken = Session(config)
    unbroken.step()  # iteration 0, with the same big rate: the last good step
    for got, want in zip(session.net.Ws, unbroken.net.Ws):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    session.learning_rate = 0.3
    assert not session.diverged
    session.run()
    assert session.stopped_reason == COMPLETED and session.iteration == 50
    assert session.costs[-1] < session.costs[1]
