"""Course 2's functions: against the course's published test-case outputs, and the network's
fast path against them.

The expected numbers are the outputs printed in the course notebooks for their test cases
(inputs drawn with np.random.seed(1) and randn), not values produced by this code.
"""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dnnviz.nn import (
    HIDDEN_ACTIVATIONS,
    DeepNeuralNetwork,
    L_model_backward,
    L_model_forward,
    backward_propagation_with_dropout,
    backward_propagation_with_regularization,
    compute_cost,
    compute_cost_with_regularization,
    forward_propagation_with_dropout,
    initialize_adam,
    initialize_parameters_deep,
    initialize_velocity,
    leaky_relu,
    leaky_relu_backward,
    linear_activation_forward,
    tanh,
    tanh_backward,
    update_parameters,
    update_parameters_with_adam,
    update_parameters_with_momentum,
)

close = dict(rtol=0, atol=5e-9)


def test_compute_cost_with_regularization():
    np.random.seed(1)
    Y = np.array([[1, 1, 0, 1, 0]])
    W1, b1 = np.random.randn(2, 3), np.random.randn(2, 1)
    W2, b2 = np.random.randn(3, 2), np.random.randn(3, 1)
    W3, b3 = np.random.randn(1, 3), np.random.randn(1, 1)
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    A3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    cost = compute_cost_with_regularization(A3, Y, parameters, lambd=0.1)
    assert cost == pytest.approx(1.78648594516, abs=1e-11)


def _optimizer_case():
    np.random.seed(1)
    W1, b1 = np.random.randn(2, 3), np.random.randn(2, 1)
    W2, b2 = np.random.randn(3, 3), np.random.randn(3, 1)
    dW1, db1 = np.random.randn(2, 3), np.random.randn(2, 1)
    dW2, db2 = np.random.randn(3, 3), np.random.randn(3, 1)
    return ({"W1": W1, "b1": b1, "W2": W2, "b2": b2},
            {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2})


def test_update_parameters_with_momentum():
    parameters, grads = _optimizer_case()
    before = {k: v.copy() for k, v in parameters.items()}
    v = initialize_velocity(parameters)
    assert {k: a.shape for k, a in v.items()} == {"dW1": (2, 3), "db1": (2, 1), "dW2": (3, 3),
                                                   "db2": (3, 1)}
    new, v = update_parameters_with_momentum(parameters, grads, v, beta=0.9, learning_rate=0.01)
    np.testing.assert_allclose(new["W1"], [[1.62544598, -0.61290114, -0.52907334],
                                           [-1.07347112, 0.86450677, -2.30085497]], **close)
    np.testing.assert_allclose(new["b1"], [[1.74493465], [-0.76027113]], **close)
    np.testing.assert_allclose(v["dW1"], [[-0.11006192, 0.11447237, 0.09015907],
                                          [0.05024943, 0.09008559, -0.06837279]], **close)
    for key, value in parameters.items():  # the inputs are left alone
        np.testing.assert_array_equal(value, before[key])


def test_update_parameters_with_adam():
    parameters, grads = _optimizer_case()
    v, s = initialize_adam(parameters)
    new, v, s = update_parameters_with_adam(parameters, grads, v, s, t=2)
    np.testing.assert_allclose(new["W1"], [[1.63178673, -0.61919778, -0.53561312],
                                           [-1.08040999, 0.85796626, -2.29409733]], **close)
    np.testing.assert_allclose(v["dW1"], [[-0.11006192, 0.11447237, 0.09015907],
                                          [0.05024943, 0.09008559, -0.06837279]], **close)
    np.testing.assert_allclose(s["dW1"], [[0.00121136, 0.00131039, 0.00081287],
                                          [0.0002525, 0.00081154, 0.00046748]], **close)


def test_tanh_and_leaky_relu_and_their_derivatives():
    Z = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])
    A, cache = tanh(Z)
    np.testing.assert_allclose(A, [[np.tanh(-2.0), np.tanh(-0.5), 0.0, np.tanh(0.5),
                                    np.tanh(3.0)]])
    assert cache is Z
    np.testing.assert_array_equal(leaky_relu(Z)[0], [[-0.02, -0.005, 0.0, 0.5, 3.0]])
    dA = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    np.testing.assert_array_equal(leaky_relu_backward(dA, Z), [[0.01, 0.02, 0.03, 4.0, 5.0]])
    h = 1e-6  # the derivatives against central differences of the forward functions
    for forward, backward in ((tanh, tanh_backward), (leaky_relu, leaky_relu_backward)):
        Zs = np.array([[-1.3, -0.2, 0.4, 2.1]])
        numeric = (forward(Zs + h)[0] - forward(Zs - h)[0]) / (2 * h)
        np.testing.assert_allclose(backward(np.ones_like(Zs), Zs), numeric, rtol=1e-8)


def test_an_unknown_activation_is_one_clear_error():
    with pytest.raises(ValueError, match="activation must be one of relu, tanh"):
        linear_activation_forward(np.ones((2, 1)), np.ones((1, 2)), np.ones((1, 1)), "swish")


def _problem(dims, m, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(dims[0], m)
    return X, (rng.rand(1, m) > 0.5).astype(float)


def _lesson_step(params, X, Y, activation, l2, keep_prob, iteration, seed):
    """The cost and the gradients of one step, from the lesson's functions only."""
    AL, caches = forward_propagation_with_dropout(X, params, keep_prob, activation, seed,
                                                  iteration)  # keep_prob 1: no dropout
    if keep_prob < 1:
        grads = backward_propagation_with_dropout(AL, Y, caches, keep_prob, activation, l2)
    else:
        grads = backward_propagation_with_regularization(AL, Y, caches, l2, activation)
    cost = compute_cost_with_regularization(AL, Y, params, l2) if l2 else compute_cost(AL, Y)
    return cost, grads


@given(seed=st.integers(0, 2**16), hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
       activation=st.sampled_from(HIDDEN_ACTIVATIONS), l2=st.sampled_from([0.0, 0.7]),
       keep_prob=st.sampled_from([1.0, 0.8]),
       optimizer=st.sampled_from(["gd", "momentum", "adam"]))
@example(seed=3035, hidden=[1, 3], activation="relu", l2=0.0, keep_prob=0.8, optimizer="gd")
@settings(max_examples=40, deadline=None)
def test_the_fast_path_agrees_with_course_2s_functions(seed, hidden, activation, l2,
                                                       keep_prob, optimizer):
    dims = [4, *hidden, 1]
    X, Y = _problem(dims, 7, seed)
    net = DeepNeuralNetwork(dims, init="scaled", seed=seed, activation=activation, l2=l2,
                            keep_prob=keep_prob, optimizer=optimizer)
    params = initialize_parameters_deep(dims, seed=seed, init="scaled")
    v, s = initialize_adam(params)
    lr = 0.01 if optimizer == "adam" else 0.1
    for t in range(1, 6):
        cost, grads = _lesson_step(params, X, Y, activation, l2, keep_prob, t - 1, seed)
        if optimizer == "gd":
            params = update_parameters(params, grads, lr)
        elif optimizer == "momentum":
            params, v = update_parameters_with_momentum(params, grads, v, 0.9, lr)
        else:
            params, v, s = update_parameters_with_adam(params, grads, v, s, t, lr)
        assert net.step(X, Y, lr) == pytest.approx(cost, rel=1e-12, abs=1e-14)
    for key, value in net.parameters.items():
        np.testing.assert_allclose(value, params[key], rtol=1e-10, atol=1e-12)


def test_dropout_masks_shut_down_units_and_scale_the_others():
    X, _ = _problem([4, 50, 1], 200, 0)
    params = initialize_parameters_deep([4, 50, 1], seed=1, init="scaled")
    AL, caches = forward_propagation_with_dropout(X, params, keep_prob=0.8)
    D = caches[0][2]
    assert D.dtype == bool and 0.75 < D.mean() < 0.85  # about keep_prob of them kept
    _, plain = L_model_forward(X, params)
    A1 = np.maximum(0, plain[0][1])  # relu(Z1) without dropout
    dropped = caches[1][0][0]  # the input of layer 2: A1 after dropout
    np.testing.assert_allclose(dropped, A1 * D / 0.8)
    assert caches[-1][2] is None
    grads = backward_propagation_with_dropout(AL, np.ones((1, 200)), caches, 0.8)
    assert not grads["dA1"][~D].any()  # no gradient reaches the units shut down


def test_backward_with_regularization_adds_lambda_over_m_W():
    X, Y = _problem([3, 4, 1], 5, 2)
    params = initialize_parameters_deep([3, 4, 1], seed=2, init="scaled")
    AL, caches = L_model_forward(X, params)
    plain = L_model_backward(AL, Y, caches)
    regularised = backward_propagation_with_regularization(AL, Y, caches, lambd=0.5)
    for l in (1, 2):
        np.testing.assert_allclose(regularised[f"dW{l}"],
                                   plain[f"dW{l}"] + 0.5 / 5 * params[f"W{l}"])
        np.testing.assert_array_equal(regularised[f"db{l}"], plain[f"db{l}"])
