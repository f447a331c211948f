"""The divergence verdict agrees with the lesson's own cost, both ways: a step is stopped as
"the cost became inf" exactly when the lesson's unclipped cost of an example, through the
lesson's own sigmoid, is not finite."""

import numpy as np
import pytest

from dnnviz.nn import DeepNeuralNetwork, DivergedError
from dnnviz.nn.divergence import lesson_cost_is_inf


def lessons_cost(z, y, dtype):
    """The course's code, as a student writes it: its sigmoid, its compute_cost."""
    Z = np.array([[z]], dtype=dtype)
    with np.errstate(all="ignore"):
        AL = 1 / (1 + np.exp(-Z))
        # one example: the term of its own label (the other is 0 * log(...), 0 in the maths;
        # NumPy makes it nan when that log is -inf, a confident *right* answer)
        term = np.log(AL) if y == 1 else np.log(1 - AL)
        return float(np.squeeze(-1 / 1 * np.sum(term)))


def one_one_net(z, dtype="float64"):
    """A 1-1 network whose single output is z before the sigmoid, for the input x = 1."""
    net = DeepNeuralNetwork((1, 1), init="zeros", dtype=dtype)
    net.Ws[0][:] = z
    return net


ZS = [-1000, -800, -745, -709, -100, -40, -36, -10, 0, 10, 16, 17, 30, 36, 36.5, 37, 40,
      100, 709, 800]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("z", ZS)
def test_a_step_stops_exactly_when_the_lessons_cost_is_not_finite(z, y, dtype):
    expected = lessons_cost(z, y, dtype)
    net = one_one_net(z, dtype)
    X, Y = np.ones((1, 1)), np.array([[y]])
    assert lesson_cost_is_inf(np.array([[z]], dtype=dtype), Y, dtype) == \
        (not np.isfinite(expected))
    if np.isfinite(expected):
        cost = net.step(X, Y, 0.0)  # not stopped
        # the network's own cost is the stable one; the lesson's rounds near saturation
        assert cost == pytest.approx(lessons_cost(z, y, "float64"),
                                     rel=1e-2 if abs(z) < 30 else 0.05, abs=1e-5)
    else:
        with pytest.raises(DivergedError):
            net.step(X, Y, 0.0)


def test_a_label_1_at_z_minus_40_costs_40_and_goes_on():
    net = one_one_net(-40.0)
    X, Y = np.ones((1, 1)), np.ones((1, 1))
    assert lessons_cost(-40.0, 1.0, "float64") == pytest.approx(40.0)
    assert net.step(X, Y, 0.1) == pytest.approx(40.0)
    assert net.Ws[0][0, 0] > -40.0  # it took the step, towards the label


def test_a_label_0_past_the_lessons_rounding_is_stopped_as_inf():
    net = one_one_net(40.0)
    with pytest.raises(DivergedError, match="the cost became inf"):
        net.step(np.ones((1, 1)), np.zeros((1, 1)), 0.1)
