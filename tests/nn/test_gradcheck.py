"""gradient_check: passes on correct backprop, fails on broken backprop, never edits the net."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dnnviz.nn import HIDDEN_ACTIVATIONS, L_model_backward, L_model_forward
from dnnviz.nn.gradcheck import gradient_check, relative_difference, verdict
from dnnviz.nn.model import DeepNeuralNetwork

REPO = Path(__file__).resolve().parents[2]


def problem(dims, m=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return X, Y


def scaled_dW(layer, factor):
    """A backprop with one mistake: dW[layer] off by `factor`."""
    def gradients(net, X, Y):
        cost, dWs, dbs = net.gradients(X, Y)
        dWs = list(dWs)
        dWs[layer - 1] = dWs[layer - 1] * factor
        return cost, dWs, dbs
    return gradients


def lesson_gradients(net, X, Y):
    """The lesson's own L_model_forward / L_model_backward as the backprop under test."""
    AL, caches = L_model_forward(X, net.parameters)
    grads = L_model_backward(AL, Y, caches)
    layers = range(1, net.L + 1)
    return None, [grads[f"dW{l}"] for l in layers], [grads[f"db{l}"] for l in layers]


@pytest.mark.parametrize("dims", [(2, 8, 4, 1), (5, 3, 1), (3, 1), (4, 30, 30, 30, 1),
                                  (12288, 20, 7, 5, 1)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_passes_on_random_nets(dims, seed):
    net = DeepNeuralNetwork(dims, seed=seed)
    result = gradient_check(net, *problem(dims, seed=seed))
    assert result.verdict == "pass", result.message
    assert result.passed
    assert result.difference < 2e-7
    assert "backpropagation is correct" in result.message
    assert [layer.layer for layer in result.layers] == list(range(1, len(dims)))


def test_checks_a_subset_of_a_big_layer():
    dims = (12288, 20, 7, 5, 1)
    result = gradient_check(DeepNeuralNetwork(dims), *problem(dims), max_per_layer=50)
    first = result.layers[0]
    assert first.size_W == 12288 * 20
    assert first.checked_W + first.kinks <= 50 + 20
    assert result.layers[1].size_W == 140


@pytest.mark.parametrize("layer, factor", [(2, 1.01), (1, 0.9), (3, -1.0)])
def test_fails_when_backprop_is_broken(layer, factor):
    dims = (4, 6, 5, 1)
    net = DeepNeuralNetwork(dims, seed=1)
    result = gradient_check(net, *problem(dims), gradients=scaled_dW(layer, factor))
    assert result.verdict == "fail"
    assert not result.passed
    assert result.layers[layer - 1].verdict == "fail"
    assert f"dW[{layer}]" in result.message and "mistake" in result.message


def test_a_tiny_mistake_warns():
    dims = (4, 6, 5, 1)
    result = gradient_check(DeepNeuralNetwork(dims, seed=1), *problem(dims),
                            gradients=scaled_dW(2, 1.0001))
    assert result.verdict == "warn"


def test_the_lessons_backprop_passes():
    dims = (6, 5, 4, 1)
    result = gradient_check(DeepNeuralNetwork(dims, seed=2), *problem(dims),
                            gradients=lesson_gradients)
    assert result.verdict == "pass", result.message


def test_float32_net_is_checked_in_float64_and_left_unchanged():
    dims = (12288, 20, 7, 5, 1)
    net = DeepNeuralNetwork(dims, seed=3, dtype="float32")
    before = [W.copy() for W in net.Ws] + [b.copy() for b in net.bs]
    ids = [id(W) for W in net.Ws]
    result = gradient_check(net, *problem(dims))
    assert result.verdict == "pass", result.message
    for old, new in zip(before, net.Ws + net.bs):
        np.testing.assert_array_equal(old, new)
        assert new.dtype == np.float32
    assert ids == [id(W) for W in net.Ws]


def test_relu_kinks_are_left_out_not_failed():
    # every hidden unit's Z is exactly 0 on an all-zero example (b = 0 at init): a kink
    dims = (3, 4, 2, 1)
    X, Y = problem(dims)
    X[:, 0] = 0.0
    result = gradient_check(DeepNeuralNetwork(dims, seed=0), X, Y)
    assert result.kinks > 0
    assert result.verdict == "pass", result.message


def test_relative_difference_and_verdicts():
    assert relative_difference([0, 0], [0, 0]) == 0.0
    assert relative_difference([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert relative_difference([1.0], [3.0]) == pytest.approx(0.5)
    assert relative_difference([np.nan], [1.0]) == float("inf")
    assert [verdict(d) for d in (1e-9, 1e-5, 0.1, float("inf"))] == ["pass", "warn", "fail",
                                                                     "fail"]


def test_pure_modules_load_no_qt():
    code = ("import sys, dnnviz.nn.gradcheck, dnnviz.nn.stepthrough; "
            "assert not any(m.startswith(('PyQt', 'pyqtgraph')) for m in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("dims", [(4, 6, 5, 1), (12288, 20, 7, 5, 1)])
def test_passes_for_every_activation_with_l2_and_dropout_off(activation, dims):
    net = DeepNeuralNetwork(dims, seed=1, activation=activation, l2=0.7, keep_prob=0.5)
    result = gradient_check(net, *problem(dims))
    assert result.verdict == "pass", result.message
    assert (net.activation, net.l2, net.keep_prob) == (activation, 0.7, 0.5)  # untouched


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_a_backprop_without_the_l2_term_fails(activation):
    dims = (4, 6, 5, 1)
    X, Y = problem(dims)

    def without_l2(net, X, Y):
        cost, dWs, dbs = net.gradients(X, Y)
        return cost, [dW - net.l2 / X.shape[1] * W for dW, W in zip(dWs, net.Ws)], dbs

    net = DeepNeuralNetwork(dims, seed=1, activation=activation, l2=0.7)
    assert gradient_check(net, X, Y, gradients=without_l2).verdict == "fail"


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_smooth_activations_have_no_kinks(activation):
    dims = (3, 4, 2, 1)
    X, Y = problem(dims)
    X[:, 0] = 0.0  # every hidden Z is exactly 0 on this example: a kink for a ReLU only
    result = gradient_check(DeepNeuralNetwork(dims, seed=0, activation=activation), X, Y)
    assert result.kinks == 0 and result.verdict == "pass", result.message
    relu_like = gradient_check(DeepNeuralNetwork(dims, seed=0, activation="leaky_relu"), X, Y)
    assert relu_like.kinks > 0
