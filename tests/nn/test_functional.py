"""The lesson's functions against the course's published test-case values.

The expected numbers are the outputs printed in the course notebook for its test cases
(inputs drawn with np.random.seed(k) and randn), not values produced by this code.
"""

import numpy as np
import pytest

from dnnviz.nn import (
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters,
    initialize_parameters_deep,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    update_parameters,
)

close = dict(rtol=0, atol=5e-8)


def test_initialize_parameters_two_layer():
    p = initialize_parameters(3, 2, 1)
    np.testing.assert_allclose(p["W1"], [[0.01624345, -0.00611756, -0.00528172],
                                         [-0.01072969, 0.00865408, -0.02301539]], **close)
    np.testing.assert_allclose(p["W2"], [[0.01744812, -0.00761207]], **close)
    assert p["b1"].shape == (2, 1) and not p["b1"].any()
    assert p["b2"].shape == (1, 1) and not p["b2"].any()


def test_initialize_parameters_deep():
    p = initialize_parameters_deep([5, 4, 3])
    np.testing.assert_allclose(p["W1"], [
        [0.01788628, 0.0043651, 0.00096497, -0.01863493, -0.00277388],
        [-0.00354759, -0.00082741, -0.00627001, -0.00043818, -0.00477218],
        [-0.01313865, 0.00884622, 0.00881318, 0.01709573, 0.00050034],
        [-0.00404677, -0.0054536, -0.01546477, 0.00982367, -0.01101068]], **close)
    np.testing.assert_allclose(p["W2"], [
        [-0.01185047, -0.0020565, 0.01486148, 0.00236716],
        [-0.01023785, -0.00712993, 0.00625245, -0.00160513],
        [-0.00768836, -0.00230031, 0.00745056, 0.01976111]], **close)
    assert p["b1"].shape == (4, 1) and p["b2"].shape == (3, 1)


def test_initialization_leaves_the_global_generator_alone():
    np.random.seed(123)
    expected = np.random.rand()
    np.random.seed(123)
    initialize_parameters_deep([5, 4, 3], seed=7)
    assert np.random.rand() == expected


@pytest.mark.parametrize("init", ["small", "scaled", "he"])
def test_seeded_draws_match_the_global_randn_sequence(init):
    dims = [6, 5, 3, 1]
    p = initialize_parameters_deep(dims, seed=11, init=init)
    np.random.seed(11)
    for l in range(1, len(dims)):
        draw = np.random.randn(dims[l], dims[l - 1])
        scale = {"small": 0.01, "scaled": 1 / np.sqrt(dims[l - 1]),
                 "he": np.sqrt(2 / dims[l - 1])}[init]
        np.testing.assert_array_equal(p[f"W{l}"], draw * scale)


def test_linear_forward():
    np.random.seed(1)
    A, W, b = np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)
    Z, cache = linear_forward(A, W, b)
    np.testing.assert_allclose(Z, [[3.26295337, -1.23429987]], **close)
    assert cache[0] is A and cache[1] is W and cache[2] is b


def _activation_forward_case():
    np.random.seed(2)
    return np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)


def test_linear_activation_forward():
    A_prev, W, b = _activation_forward_case()
    A, ((A_c, W_c, b_c), Z) = linear_activation_forward(A_prev, W, b, "sigmoid")
    np.testing.assert_allclose(A, [[0.96890023, 0.11013289]], **close)
    assert A_c is A_prev and W_c is W and b_c is b and Z.shape == (1, 2)
    A, _ = linear_activation_forward(A_prev, W, b, "relu")
    np.testing.assert_allclose(A, [[3.43896131, 0.0]], **close)


def test_L_model_forward():
    np.random.seed(6)
    X = np.random.randn(5, 4)
    W1, b1 = np.random.randn(4, 5), np.random.randn(4, 1)
    W2, b2 = np.random.randn(3, 4), np.random.randn(3, 1)
    W3, b3 = np.random.randn(1, 3), np.random.randn(1, 1)
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    AL, caches = L_model_forward(X, params)
    np.testing.assert_allclose(AL, [[0.03921668, 0.70498921, 0.19734387, 0.04728177]], **close)
    assert len(caches) == 3
    assert caches[0][0][0] is X and caches[2][1].shape == (1, 4)


def test_compute_cost():
    cost = compute_cost(np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]]))
    assert isinstance(cost, float)
    assert cost == pytest.approx(0.2797765635793422, abs=1e-12)


def test_compute_cost_is_finite_when_the_output_saturates():
    Y = np.array([[1, 0, 1]])
    cost = compute_cost(np.array([[1.0, 1.0, 0.0]]), Y)
    assert np.isfinite(cost) and cost > 20  # confidently wrong costs a lot, but not inf


def test_linear_backward():
    np.random.seed(1)
    dZ, A = np.random.randn(3, 4), np.random.randn(5, 4)
    W, b = np.random.randn(3, 5), np.random.randn(3, 1)
    dA_prev, dW, db = linear_backward(dZ, (A, W, b))
    np.testing.assert_allclose(dA_prev, [
        [-1.15171336, 0.06718465, -0.3204696, 2.09812712],
        [0.60345879, -3.72508701, 5.81700741, -3.84326836],
        [-0.4319552, -1.30987417, 1.72354705, 0.05070578],
        [-0.38981415, 0.60811244, -1.25938424, 1.47191593],
        [-2.52214926, 2.67882552, -0.67947465, 1.48119548]], **close)
    np.testing.assert_allclose(dW, [
        [0.07313866, -0.0976715, -0.87585828, 0.73763362, 0.00785716],
        [0.85508818, 0.37530413, -0.59912655, 0.71278189, -0.58931808],
        [0.97913304, -0.24376494, -0.08839671, 0.55151192, -0.10290907]], **close)
    np.testing.assert_allclose(db, [[-0.14713786], [-0.11313155], [-0.13209101]], **close)


def _activation_backward_case():
    np.random.seed(2)
    dA, A = np.random.randn(1, 2), np.random.randn(3, 2)
    W, b, Z = np.random.randn(1, 3), np.random.randn(1, 1), np.random.randn(1, 2)
    return dA, ((A, W, b), Z)


def test_linear_activation_backward_sigmoid():
    dA, cache = _activation_backward_case()
    dA_prev, dW, db = linear_activation_backward(dA, cache, "sigmoid")
    np.testing.assert_allclose(dA_prev, [[0.11017994, 0.01105339], [0.09466817, 0.00949723],
                                         [-0.05743092, -0.00576154]], **close)
    np.testing.assert_allclose(dW, [[0.10266786, 0.09778551, -0.01968084]], **close)
    np.testing.assert_allclose(db, [[-0.05729622]], **close)


def test_linear_activation_backward_relu():
    dA, cache = _activation_backward_case()
    dA_prev, dW, db = linear_activation_backward(dA, cache, "relu")
    np.testing.assert_allclose(dA_prev, [[0.44090989, 0.0], [0.37883606, 0.0],
                                         [-0.2298228, 0.0]], **close)
    np.testing.assert_allclose(dW, [[0.44513824, 0.37371418, -0.10478989]], **close)
    np.testing.assert_allclose(db, [[-0.20837892]], **close)


def test_L_model_backward():
    np.random.seed(3)
    AL, Y = np.random.randn(1, 2), np.array([[1, 0]])
    A1, W1, b1, Z1 = (np.random.randn(4, 2), np.random.randn(3, 4), np.random.randn(3, 1),
                      np.random.randn(3, 2))
    A2, W2, b2, Z2 = (np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1),
                      np.random.randn(1, 2))
    caches = [((A1, W1, b1), Z1), ((A2, W2, b2), Z2)]
    grads = L_model_backward(AL, Y, caches)
    np.testing.assert_allclose(grads["dW1"], [
        [0.41010002, 0.07807203, 0.13798444, 0.10502167], [0, 0, 0, 0],
        [0.05283652, 0.01005865, 0.01777766, 0.0135308]], **close)
    np.testing.assert_allclose(grads["db1"], [[-0.22007063], [0.0], [-0.02835349]], **close)
    np.testing.assert_allclose(grads["dA1"], [[0.12913162, -0.44014127],
                                              [-0.14175655, 0.48317296],
                                              [0.01663708, -0.05670698]], **close)
    assert set(grads) == {"dA0", "dA1", "dW1", "dW2", "db1", "db2"}


def test_update_parameters():
    np.random.seed(2)
    W1, b1 = np.random.randn(3, 4), np.random.randn(3, 1)
    W2, b2 = np.random.randn(1, 3), np.random.randn(1, 1)
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    np.random.seed(3)
    grads = {"dW1": np.random.randn(3, 4), "db1": np.random.randn(3, 1),
             "dW2": np.random.randn(1, 3), "db2": np.random.randn(1, 1)}
    before = {k: v.copy() for k, v in params.items()}
    new = update_parameters(params, grads, 0.1)
    np.testing.assert_allclose(new["W1"], [
        [-0.59562069, -0.09991781, -2.14584584, 1.82662008],
        [-1.76569676, -0.80627147, 0.51115557, -1.18258802],
        [-1.0535704, -0.86128581, 0.68284052, 2.20374577]], **close)
    np.testing.assert_allclose(new["b1"], [[-0.04659241], [-1.28888275], [0.53405496]], **close)
    np.testing.assert_allclose(new["W2"], [[-0.55569196, 0.0354055, 1.32964895]], **close)
    np.testing.assert_allclose(new["b2"], [[-0.84610769]], **close)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_update_keeps_bias_columns_for_wide_layers():
    params = initialize_parameters_deep([4, 6, 1], seed=1)
    X, Y = np.random.RandomState(0).randn(4, 5), np.array([[1, 0, 1, 1, 0]])
    AL, caches = L_model_forward(X, params)
    grads = L_model_backward(AL, Y, caches)
    new = update_parameters(params, grads, 0.5)
    assert grads["db1"].shape == (6, 1) and new["b1"].shape == (6, 1)
