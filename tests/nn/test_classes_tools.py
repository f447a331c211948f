"""The gradient check and the step-through with K output units (softmax, or one sigmoid a
class): the same numbers as the network's own step."""

import numpy as np
import pytest

from dnnviz.nn import DeepNeuralNetwork
from dnnviz.nn.gradcheck import gradient_check
from dnnviz.nn.stepthrough import walk


def _data(k=4, m=24):
    rng = np.random.default_rng(k)
    return rng.normal(size=(5, m)), (np.arange(m) % k).reshape(1, -1).astype(np.float64)


@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_the_gradient_check_passes_k_outputs_and_catches_a_wrong_backprop(output, activation):
    X, Y = _data()
    net = DeepNeuralNetwork((5, 6, 4, 4), activation=activation, output=output, l2=0.2, seed=3)
    assert gradient_check(net, X, Y).difference < 1e-7

    def off_by_a_bit(net64, X, Y):  # dZ[L] as if the output were the lesson's: A − Y scaled
        cost, dWs, dbs = net64.gradients(X, Y)
        return cost, [dWs[0], dWs[1], 1.01 * dWs[2]], dbs

    assert gradient_check(net, X, Y, gradients=off_by_a_bit).difference > 1e-3


@pytest.mark.parametrize("output, optimizer", [("softmax", "adam"), ("sigmoid", "momentum")])
def test_the_step_through_of_k_classes_is_the_networks_own_step(output, optimizer):
    X, Y = _data()
    net = DeepNeuralNetwork((5, 6, 4), activation="tanh", output=output, l2=0.3,
                            optimizer=optimizer)
    stages = {s.name: s for s in walk(net, X, Y, max_examples=None, learning_rate=0.05)}
    assert "dA[2]" not in stages and stages["dZ[2]"].equation == "dZ[2] = A[2] − Y"
    assert np.array_equal(stages["Y"].array.argmax(axis=0), Y.ravel())
    probs = stages["A[2]"].array
    if output == "softmax":
        assert "softmax" in stages["A[2]"].equation
        np.testing.assert_allclose(probs.sum(axis=0), 1.0)
    cost = net.step(X, Y, 0.05)
    np.testing.assert_allclose(stages["J"].array[0, 0], cost, rtol=1e-12)
    for l in (1, 2):
        np.testing.assert_allclose(stages[f"W[{l}]"].array, net.Ws[l - 1], rtol=1e-10)
        np.testing.assert_allclose(stages[f"b[{l}]"].array, net.bs[l - 1], rtol=1e-10,
                                   atol=1e-15)


def test_the_step_through_with_dropout_follows_the_networks_masks():
    X, Y = _data(3)
    net = DeepNeuralNetwork((5, 6, 3), output="softmax", keep_prob=0.7)
    stages = {s.name: s for s in walk(net, X, Y, max_examples=None, learning_rate=0.1)}
    cost = net.step(X, Y, 0.1, iteration=0)
    np.testing.assert_allclose(stages["J"].array[0, 0], cost, rtol=1e-12)
    np.testing.assert_allclose(stages["W[1]"].array, net.Ws[0], rtol=1e-10)
