"""walk(): one forward and backward pass stage by stage, against the network's fast path."""

import numpy as np
import pytest

from dnnviz.nn import HIDDEN_ACTIVATIONS, OPTIMIZERS
from dnnviz.nn.model import DeepNeuralNetwork
from dnnviz.nn.stepthrough import walk


def problem(dims, m=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return X, Y


def by_name(stages):
    return {stage.name: stage for stage in stages}


def test_stage_order_and_phases_for_three_layers():
    net = DeepNeuralNetwork((4, 5, 3, 1), seed=2)
    stages = walk(net, *problem(net.layer_dims))
    assert [s.name for s in stages] == [
        "Z[1]", "A[1]", "Z[2]", "A[2]", "Z[3]", "A[3]", "J", "dA[3]",
        "dZ[3]", "dW[3]", "db[3]", "dA[2]",
        "dZ[2]", "dW[2]", "db[2]", "dA[1]",
        "dZ[1]", "dW[1]", "db[1]", "dA[0]",
    ]
    assert [s.phase for s in stages[:6]] == ["forward"] * 6
    assert stages[6].phase == "cost"
    assert {s.phase for s in stages[7:]} == {"backward"}
    assert [s.layer for s in stages[8:]] == [3] * 4 + [2] * 4 + [1] * 4


def test_equations_fill_in_the_layer():
    net = DeepNeuralNetwork((4, 5, 3, 1), seed=2)
    stages = by_name(walk(net, *problem(net.layer_dims)))
    assert stages["Z[2]"].equation == "Z[2] = W[2]·A[1] + b[2]"
    assert stages["dW[1]"].equation == "dW[1] = 1/m · dZ[1]·A[0]ᵀ"
    assert stages["dA[1]"].equation == "dA[1] = W[2]ᵀ·dZ[2]"
    assert "relu" in stages["A[1]"].equation and "σ" in stages["A[3]"].equation
    assert all(s.explanation and "\n" not in s.explanation for s in stages.values())


@pytest.mark.parametrize("dims", [(4, 5, 3, 1), (12288, 20, 7, 5, 1), (2, 1)])
def test_shapes_follow_the_lesson(dims):
    net = DeepNeuralNetwork(dims, seed=1)
    X, Y = problem(dims, m=8)
    stages = by_name(walk(net, X, Y))
    L = len(dims) - 1
    for l in range(1, L + 1):
        n = dims[l]
        for name in (f"Z[{l}]", f"A[{l}]", f"dZ[{l}]", f"dA[{l}]"):
            assert stages[name].shape == (n, 8)
        assert stages[f"dW[{l}]"].shape == net.Ws[l - 1].shape
        assert stages[f"db[{l}]"].shape == net.bs[l - 1].shape
    assert stages["dA[0]"].shape == X.shape
    assert stages["J"].shape == (1, 1)
    assert all(s.array.dtype == np.float64 for s in stages.values())


@pytest.mark.parametrize("dims", [(4, 5, 3, 1), (6, 8, 1), (3, 4, 4, 4, 1)])
def test_values_equal_the_networks_forward_cost_and_gradients(dims):
    net = DeepNeuralNetwork(dims, seed=3)
    X, Y = problem(dims, m=8, seed=1)
    stages = by_name(walk(net, X, Y))
    AL, activations = net.forward(X, keep_activations=True)
    cost, dWs, dbs = net.gradients(X, Y)
    for l, A in enumerate(activations, start=1):
        np.testing.assert_allclose(stages[f"A[{l}]"].array, A, rtol=0, atol=1e-10)
    A_prev = X
    for l, (W, b) in enumerate(zip(net.Ws, net.bs), start=1):
        np.testing.assert_allclose(stages[f"Z[{l}]"].array, W @ A_prev + b, rtol=0, atol=1e-10)
        A_prev = activations[l - 1]
        np.testing.assert_allclose(stages[f"dW[{l}]"].array, dWs[l - 1], rtol=0, atol=1e-10)
        np.testing.assert_allclose(stages[f"db[{l}]"].array, dbs[l - 1], rtol=0, atol=1e-10)
    assert stages["J"].array[0, 0] == pytest.approx(cost, abs=1e-10)
    # the backward chain starts from the lesson's dA[L] = -(Y/A - (1-Y)/(1-A))
    np.testing.assert_allclose(stages[f"dA[{net.L}]"].array, -(Y / AL - (1 - Y) / (1 - AL)))


def test_accepts_the_course_dict_and_keeps_a_few_examples():
    net = DeepNeuralNetwork((4, 5, 1), seed=4)
    X, Y = problem(net.layer_dims, m=30)
    from_dict = walk(net.parameters, X, Y, max_examples=5)
    from_net = walk(net, X[:, :5], Y[:, :5])
    assert from_dict[0].shape == (5, 5)
    for a, b in zip(from_dict, from_net):
        assert a.name == b.name
        np.testing.assert_array_equal(a.array, b.array)


def test_walk_does_not_change_the_network():
    net = DeepNeuralNetwork((4, 5, 3, 1), seed=5, dtype="float32")
    before = net.parameters
    stages = walk(net, *problem(net.layer_dims))
    for key, value in net.parameters.items():
        np.testing.assert_array_equal(value, before[key])
        assert value.dtype == np.float32
    assert stages[0].array.dtype == np.float64


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_the_update_stages_are_the_networks_own_update(optimizer, activation):
    net = DeepNeuralNetwork((4, 5, 3, 1), seed=3, activation=activation, optimizer=optimizer,
                            l2=0.3, keep_prob=0.8)
    X, Y = problem(net.layer_dims, m=8)
    for _ in range(3):  # an optimiser state to start from
        net.step(X, Y, 0.05)
    before = net.step_state()
    stages = by_name(walk(net, X, Y, learning_rate=0.05))
    after = net.step_state()  # walking changed nothing
    assert after["t"] == before["t"] == 3
    for key in ("v", "s"):
        assert after[key].keys() == before[key].keys()
        for name, value in before[key].items():
            np.testing.assert_array_equal(after[key][name], value)
    cost = net.step(X, Y, 0.05)  # the step the walk showed: same examples, same masks
    assert stages["J"].array[0, 0] == pytest.approx(cost, rel=1e-12)
    for l in range(1, net.L + 1):
        assert stages[f"W[{l}]"].phase == "update"
        np.testing.assert_allclose(stages[f"W[{l}]"].array, net.Ws[l - 1], rtol=1e-10,
                                   atol=1e-13)
        np.testing.assert_allclose(stages[f"b[{l}]"].array, net.bs[l - 1], rtol=1e-10,
                                   atol=1e-13)


def test_dropout_and_update_stages_in_order():
    net = DeepNeuralNetwork((4, 5, 3, 1), seed=2, keep_prob=0.7, l2=0.1, optimizer="adam")
    stages = walk(net, *problem(net.layer_dims), learning_rate=0.01)
    assert [s.name for s in stages] == [
        "Z[1]", "D[1]", "A[1]", "Z[2]", "D[2]", "A[2]", "Z[3]", "A[3]", "J", "dA[3]",
        "dZ[3]", "dW[3]", "db[3]", "dA[2]", "dZ[2]", "dW[2]", "db[2]", "dA[1]",
        "dZ[1]", "dW[1]", "db[1]", "dA[0]",
        "W[1]", "b[1]", "W[2]", "b[2]", "W[3]", "b[3]",
    ]
    named = by_name(stages)
    assert set(np.unique(named["D[1]"].array)) <= {0.0, 1.0}
    assert "keep_prob" in named["A[2]"].equation and "D[1]" in named["dA[1]"].equation
    assert "λ" in named["J"].equation and "λ/m" in named["dW[2]"].equation
    assert "√s_corrected" in named["W[1]"].equation and "t = 1" in named["W[1]"].explanation
    assert all(s.explanation and "\n" not in s.explanation for s in stages)


def test_without_a_learning_rate_the_walk_ends_at_dA0():
    net = DeepNeuralNetwork((4, 5, 1), seed=2, optimizer="momentum")
    assert walk(net, *problem(net.layer_dims))[-1].name == "dA[0]"


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_each_activation_is_named_in_its_stages(activation):
    net = DeepNeuralNetwork((4, 5, 1), seed=2, activation=activation)
    stages = by_name(walk(net, *problem(net.layer_dims)))
    word = {"relu": "relu", "leaky_relu": "leaky_relu", "tanh": "tanh", "sigmoid": "σ"}
    assert word[activation] in stages["A[1]"].equation
    np.testing.assert_allclose(stages["A[2]"].array, net.forward(problem(net.layer_dims)[0]))
