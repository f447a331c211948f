"""DeepNeuralNetwork: gradients against finite differences, agreement with the lesson's path."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dnnviz.nn import (
    INIT_SCHEMES,
    DeepNeuralNetwork,
    DivergedError,
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters_deep,
    update_parameters,
)


def _problem(dims, m, seed):
    rng = np.random.RandomState(seed)
    X = rng.randn(dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    return X, Y


def _cost64(net, Ws, bs, X, Y):
    """The cost in float64 of the given parameters, written out independently of the class."""
    A = X
    for W, b in zip(Ws[:-1], bs[:-1]):
        A = np.maximum(W @ A + b, 0)
    Z = Ws[-1] @ A + bs[-1]
    # -[y log s(z) + (1 - y) log(1 - s(z))]
    # with log s(z) = -log(1 + e^-z) and log(1 - s(z)) = -log(1 + e^z)
    return float(np.mean(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)))


def _numeric_gradients(net, X, Y, eps=1e-6):
    Ws = [W.astype(np.float64) for W in net.Ws]
    bs = [b.astype(np.float64) for b in net.bs]
    grads = []
    for arr in [*Ws, *bs]:
        g = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + eps
            plus = _cost64(net, Ws, bs, X, Y)
            arr[idx] = old - eps
            minus = _cost64(net, Ws, bs, X, Y)
            arr[idx] = old
            g[idx] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def _relative_difference(a, b):
    a, b = np.ravel(a), np.ravel(b)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else np.linalg.norm(a - b) / denom


@pytest.mark.parametrize("init", INIT_SCHEMES)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@given(seed=st.integers(0, 2**16), hidden=st.lists(st.integers(1, 5), min_size=0, max_size=3))
@settings(max_examples=8, deadline=None)
def test_gradients_match_central_differences(init, dtype, seed, hidden):
    dims = (3, *hidden, 1)
    X, Y = _problem(dims, 6, seed)
    net = DeepNeuralNetwork(dims, init=init, seed=seed, dtype=dtype)
    if init == "small":  # make the check sensitive: small weights give tiny gradients
        net.Ws = [W * 50 for W in net.Ws]
    # nonzero biases keep every Z off the ReLU kink at exactly 0, where no derivative exists
    rng = np.random.RandomState(seed + 1)
    net.bs = [(rng.rand(*b.shape) + 0.1).astype(dtype) for b in net.bs]
    cost, dWs, dbs = net.gradients(X, Y)
    numeric = _numeric_gradients(net, X, Y)
    analytic = [*dWs, *dbs]
    tol = 1e-6 if dtype == "float64" else 2e-3
    diff = _relative_difference(np.concatenate([np.ravel(g) for g in analytic]),
                                np.concatenate([np.ravel(g) for g in numeric]))
    assert diff < tol
    assert cost == pytest.approx(_cost64(net, net.Ws, net.bs, X, Y), rel=1e-5)
    assert all(g.dtype == np.dtype(dtype) for g in analytic)


@given(seed=st.integers(0, 2**16), hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
       init=st.sampled_from(["small", "scaled", "he"]))
@example(seed=147, hidden=[1], init="he")  # the two costs' roundings differ by 2.7e-12
@settings(max_examples=20, deadline=None)
def test_fast_path_agrees_with_the_lessons_functions(seed, hidden, init):
    # The fast path takes the cost from Z (logaddexp), the lesson's from the clipped A:
    # the same number, rounded on two roads, so agreement to 1e-10 (the course's runs are
    # held to 1e-9), not to the last few bits.
    dims = [4, *hidden, 1]
    X, Y = _problem(dims, 7, seed)
    net = DeepNeuralNetwork(dims, init=init, seed=seed)
    params = initialize_parameters_deep(dims, seed=seed, init=init)
    for _ in range(5):
        AL, caches = L_model_forward(X, params)
        expected_cost = compute_cost(AL, Y)
        params = update_parameters(params, L_model_backward(AL, Y, caches), 0.1)
        assert net.step(X, Y, 0.1) == pytest.approx(expected_cost, rel=1e-10, abs=1e-14)
    for key, value in net.parameters.items():
        np.testing.assert_allclose(value, params[key], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(net.forward(X), L_model_forward(X, params)[0], rtol=1e-10)


def test_forward_keeps_every_layers_activations():
    net = DeepNeuralNetwork((3, 4, 2, 1), seed=2)
    X, _ = _problem(net.layer_dims, 5, 0)
    AL, activations = net.forward(X, keep_activations=True)
    assert [a.shape for a in activations] == [(4, 5), (2, 5), (1, 5)]
    assert activations[-1] is AL and (activations[0] >= 0).all()
    np.testing.assert_array_equal(net.predict(X), (AL > 0.5).astype(int))


def test_zeros_init_keeps_units_of_a_layer_identical():
    X, Y = _problem((3, 4, 1), 8, 1)
    net = DeepNeuralNetwork((3, 4, 4, 1), init="zeros", seed=1)
    net.fit(X, Y, 0.5, 20)
    for W in net.Ws:
        assert np.all(W == W[:1])  # symmetry is never broken


def test_float32_trains_like_float64():
    X, Y = _problem((5, 6, 1), 30, 3)
    c64 = DeepNeuralNetwork((5, 6, 3, 1), seed=4).fit(X, Y, 0.1, 50)
    net32 = DeepNeuralNetwork((5, 6, 3, 1), seed=4, dtype="float32")
    c32 = net32.fit(X, Y, 0.1, 50)
    assert all(W.dtype == np.float32 for W in net32.Ws)
    np.testing.assert_allclose(c32, c64, rtol=1e-4)


def test_cost_is_finite_for_saturated_outputs():
    net = DeepNeuralNetwork((2, 1), init="zeros")
    net.Ws[0][:] = 1e4  # outputs are 0 or 1 to machine precision
    X, Y = np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([[0.0, 1.0]])
    cost = net.cost(X, Y)
    assert np.isfinite(cost) and cost == pytest.approx(2e4)


def test_divergence_raises_and_keeps_the_last_finite_parameters():
    net = DeepNeuralNetwork((2, 3, 1), seed=0)
    X, Y = _problem((2, 3, 1), 4, 0)
    net.Ws[0][:] = 1e300
    net.Ws[1][:] = 1e300
    before = net.parameters
    with pytest.raises(DivergedError) as info:
        net.fit(X, Y, 0.1, 10)
    assert not np.isfinite(info.value.cost) and info.value.costs == []
    for key, value in net.parameters.items():
        np.testing.assert_array_equal(value, before[key])


def test_bad_construction_is_refused():
    with pytest.raises(ValueError, match="init"):
        DeepNeuralNetwork((2, 1), init="glorot")
    with pytest.raises(ValueError, match="dtype"):
        DeepNeuralNetwork((2, 1), dtype="float16")
    with pytest.raises(ValueError, match="positive"):
        DeepNeuralNetwork((2, 0, 1))


def test_set_parameters_checks_shapes():
    net = DeepNeuralNetwork((3, 2, 1))
    other = DeepNeuralNetwork((3, 2, 1), seed=9)
    net.set_parameters(other.parameters)
    np.testing.assert_array_equal(net.Ws[0], other.Ws[0])
    with pytest.raises(ValueError, match="layer 1"):
        net.set_parameters(DeepNeuralNetwork((4, 2, 1)).parameters)


def test_nn_never_imports_qt():
    import subprocess
    import sys
    code = ("import sys, dnnviz.nn, dnnviz.data, dnnviz.training.session; "
            "bad = [m for m in sys.modules if m.startswith(('PyQt6', 'pyqtgraph'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def _xor_points():
    rng = np.random.RandomState(0)
    X = rng.randn(2, 40)
    return X, (X[0:1] * X[1:2] > 0).astype(float)


def test_a_step_that_kills_a_layer_counts_as_divergence_and_is_undone():
    X, Y = _xor_points()
    net = DeepNeuralNetwork((2, 3, 1), init="he", seed=16)
    with pytest.raises(DivergedError) as info:
        net.fit(X, Y, 20, 30)
    assert info.value.dead_layer == 1 and "hidden layer 1 died" in str(info.value)
    good = len(info.value.costs) - 1  # the last step taken killed the layer: undone
    replay = DeepNeuralNetwork((2, 3, 1), init="he", seed=16)
    replay.fit(X, Y, 20, good)
    for key, value in net.parameters.items():
        np.testing.assert_allclose(value, replay.parameters[key], rtol=1e-12, atol=1e-12)
    # the undone parameters train on with a smaller learning rate
    assert np.isfinite(net.fit(X, Y, 0.1, 5)).all()


def test_a_layer_dead_from_the_start_is_not_divergence():
    X, Y = _xor_points()
    net = DeepNeuralNetwork((2, 3, 1), init="zeros")  # zeros: every ReLU outputs 0 at once
    costs = net.fit(X, Y, 0.5, 20)
    assert len(costs) == 20 and not net.Ws[0].any()


def test_a_confidently_wrong_example_makes_the_lessons_cost_inf():
    net = DeepNeuralNetwork((2, 1), init="zeros")
    net.Ws[0][:] = 40.0  # p(y=1) of the first example rounds to 1.0: -log(1 - 1.0) = inf
    X, Y = np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([[0.0, 0.0]])
    with pytest.raises(DivergedError) as info:
        net.step(X, Y, 0.1)
    assert info.value.cost == float("inf") and str(info.value) == "the cost became inf"
