"""The activation records (nn/activations.py): every one's forward, derivative and formulas
agree with the lesson's functions, the kernel and the step-through."""

import importlib
import pkgutil

import numpy as np
import pytest

import dnnviz.nn
from dnnviz.nn import ACTIVATIONS, HIDDEN_ACTIVATIONS, DeepNeuralNetwork
from dnnviz.nn.activations import get_activation, sigmoid
from dnnviz.nn.functional import linear_activation_backward, linear_activation_forward
from dnnviz.nn.kernel import backprop_activation, forward
from dnnviz.nn.stepthrough import walk

NAMES = sorted(ACTIVATIONS)


def values(seed=0, shape=(5, 40)):
    """Z with ordinary values, large ones of both signs and exact zeros."""
    Z = np.random.default_rng(seed).standard_normal(shape) * 3
    Z[0, :4] = (0.0, -0.0, 40.0, -40.0)
    return Z


def away_from_kinks(seed=1, shape=(5, 40)):
    Z = np.random.default_rng(seed).uniform(-4, 4, shape)
    return np.where(np.abs(Z) < 1e-2, 0.5, Z)


def test_every_hidden_activation_has_one_record_under_its_name():
    assert HIDDEN_ACTIVATIONS == ("relu", "tanh", "sigmoid", "leaky_relu")  # the menus' order
    assert all(ACTIVATIONS[name].name == name for name in HIDDEN_ACTIVATIONS)
    with pytest.raises(ValueError, match="activation must be one of relu, tanh"):
        get_activation("swish")


@pytest.mark.parametrize("name", NAMES)
def test_forward_is_the_lessons_function(name):
    g = ACTIVATIONS[name]
    Z = values()
    A, cache = g.lesson_forward(Z)
    assert cache is Z
    np.testing.assert_array_equal(g.forward(Z), A)
    in_place = Z.copy()
    assert g.forward(in_place, out=in_place) is in_place
    np.testing.assert_array_equal(in_place, A)
    assert g.forward(Z.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("name", NAMES)
def test_derivative_is_a_centred_difference_away_from_kinks(name):
    g = ACTIVATIONS[name]
    Z, h = away_from_kinks(), 1e-6
    difference = (g.forward(Z + h) - g.forward(Z - h)) / (2 * h)
    np.testing.assert_allclose(g.derivative_from_output(g.forward(Z)), difference,
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_kinked_says_whether_the_slopes_differ_at_zero(name):
    g = ACTIVATIONS[name]
    zero, h = np.zeros((1, 1)), 1e-6
    right = (g.forward(zero + h) - g.forward(zero)) / h
    left = (g.forward(zero) - g.forward(zero - h)) / h
    assert g.kinked == (not np.allclose(left, right, rtol=1e-4))


@pytest.mark.parametrize("name", NAMES)
def test_lesson_backward_is_dA_times_the_derivative(name):
    g = ACTIVATIONS[name]
    Z = values()
    dA = np.random.default_rng(2).standard_normal(Z.shape)
    np.testing.assert_allclose(g.lesson_backward(dA, Z),
                               dA * g.derivative_from_output(g.forward(Z)), rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", NAMES)
def test_kernel_and_lesson_layer_agree(name):
    rng = np.random.default_rng(3)
    W, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 1))
    W2, b2 = rng.standard_normal((1, 4)), rng.standard_normal((1, 1))
    X, dA = rng.standard_normal((3, 9)), rng.standard_normal((4, 9))
    run = forward([W, W2], [b, b2], X, name, keep_Z=True)
    A, cache = linear_activation_forward(X, W, b, name)
    np.testing.assert_allclose(run.Gs[0], A, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(run.Zs[0], cache[1], rtol=1e-15, atol=1e-15)
    dZ = backprop_activation(dA.copy(), run.Gs[0], name)
    _, dW, _ = linear_activation_backward(dA, cache, name)
    np.testing.assert_allclose(dZ @ X.T / X.shape[1], dW, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_step_through_shows_the_records_formulas_and_its_values(name):
    net = DeepNeuralNetwork((3, 4, 1), seed=5, activation=name)
    X = np.random.default_rng(4).standard_normal((3, 6))
    Y = np.array([[0, 1, 1, 0, 1, 0]], dtype=float)
    stages = {stage.name: stage for stage in walk(net, X, Y)}
    g = ACTIVATIONS[name]
    assert stages["A[1]"].equation == "A[1] = " + g.formula.format(l=1)
    assert stages["A[1]"].explanation == g.forward_text.format(l=1)
    assert stages["dZ[1]"].equation == g.backward_formula.format(l=1)
    assert stages["dZ[1]"].explanation == g.backward_text.format(l=1)
    Z1 = stages["Z[1]"].array
    np.testing.assert_array_equal(stages["A[1]"].array, g.lesson_forward(Z1)[0])
    np.testing.assert_allclose(stages["dZ[1]"].array,
                               g.lesson_backward(stages["dA[1]"].array, Z1), rtol=0, atol=0)


def test_sigmoid_is_exported_once_and_is_the_lessons():
    """One public sigmoid in the whole of dnnviz.nn: the course's, returning (A, cache)."""
    Z = np.array([[-1.0, 0.0, 2.0]])
    A, cache = dnnviz.nn.sigmoid(Z)
    assert cache is Z and A[0, 1] == 0.5
    for info in pkgutil.iter_modules(dnnviz.nn.__path__):
        module = importlib.import_module(f"dnnviz.nn.{info.name}")
        assert getattr(module, "sigmoid", sigmoid) is sigmoid, info.name
