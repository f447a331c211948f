"""DeepNeuralNetwork's course 2 options: mini-batches, dropout, L2, momentum and Adam.

Exact replays, exact continuation through step_state(), the divergence undo of the optimiser,
and one clear error for every bad option or state.
"""

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dnnviz.nn import (
    HIDDEN_ACTIVATIONS,
    OPTIMIZERS,
    DeepNeuralNetwork,
    DivergedError,
    batch_columns,
)

SEED = 3


def problem(n_x=4, m=30, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    return X, (X[0:1] * X[1:2] + 0.3 * X[2:3] > 0).astype(float)


def train(net, X, Y, learning_rate, iterations, batch_size=None, start=0):
    """Steps as the app's Session takes them: iteration i trains on batch_columns(.., i)."""
    m = X.shape[1]
    costs = []
    for i in range(start, start + iterations):
        cols = batch_columns(m, batch_size or m, SEED, i)
        costs.append(net.step(X[:, cols], Y[:, cols], learning_rate, iteration=i,
                              full_batch=batch_size is None or batch_size >= m))
    return costs


def assert_same(a, b):
    """Two networks with exactly the same parameters (==, not close)."""
    for x, y in zip([*a.Ws, *a.bs], [*b.Ws, *b.bs]):
        np.testing.assert_array_equal(x, y)


def through_a_file(state: dict) -> dict:
    """step_state() written as plain named arrays (as a model file would) and read back."""
    flat = {}
    for key, value in state.items():
        if isinstance(value, list):
            flat.update({f"{key}/{k:03d}": np.asarray(a) for k, a in enumerate(value)})
            flat[f"{key}/n"] = np.array(len(value))
        elif isinstance(value, dict):
            flat.update({f"{key}:{name}": np.asarray(a) for name, a in value.items()})
            flat[f"{key}:"] = np.array(0)  # an empty dict keeps its key
        else:
            assert isinstance(value, (int, float, str)), (key, type(value))
            flat[key] = np.array(value)
    buffer = io.BytesIO()
    np.savez(buffer, **flat)
    buffer.seek(0)
    saved = np.load(buffer, allow_pickle=False)
    out = {}
    for name in saved.files:
        if "/" in name:
            key, index = name.split("/")
            out.setdefault(key, [None] * int(saved[f"{key}/n"]))
            if index != "n":
                out[key][int(index)] = saved[name]
        elif ":" in name:
            key, part = name.split(":")
            out.setdefault(key, {})
            if part:
                out[key][part] = saved[name]
        else:
            out[name] = saved[name].item()
    return out


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_batch_size_m_is_exactly_the_plain_run(cat, optimizer):
    X, Y = cat
    dims = (12288, 4, 3, 1)
    plain = DeepNeuralNetwork(dims, optimizer=optimizer, activation="tanh", l2=0.5)
    batched = DeepNeuralNetwork(dims, optimizer=optimizer, activation="tanh", l2=0.5)
    plain_costs = [plain.step(X, Y, 0.005) for _ in range(20)]
    costs = train(batched, X, Y, 0.005, 10, batch_size=X.shape[1])  # a batch of m
    costs += train(batched, X, Y, 0.005, 10, batch_size=10_000, start=10)  # and of more
    assert costs == plain_costs
    assert_same(plain, batched)


@given(activation=st.sampled_from(HIDDEN_ACTIVATIONS), optimizer=st.sampled_from(OPTIMIZERS),
       batch_size=st.integers(1, 40), keep_prob=st.sampled_from([1.0, 0.9, 0.5]),
       l2=st.sampled_from([0.0, 0.3]), seed=st.integers(0, 100))
@settings(max_examples=25, deadline=None)
def test_mini_batch_and_dropout_runs_replay_exactly(activation, optimizer, batch_size,
                                                    keep_prob, l2, seed):
    X, Y = problem(seed=seed)
    options = dict(seed=seed, activation=activation, optimizer=optimizer, keep_prob=keep_prob,
                   l2=l2)
    first, again = DeepNeuralNetwork((4, 6, 5, 1), **options), DeepNeuralNetwork((4, 6, 5, 1),
                                                                                 **options)
    costs = train(first, X, Y, 0.05, 15, batch_size)
    assert train(again, X, Y, 0.05, 15, batch_size) == costs
    assert_same(first, again)


def test_dropout_and_batches_change_the_run_and_follow_the_seed():
    X, Y = problem()
    runs = {}
    for name, keep_prob, batch_size, seed in [("plain", 1.0, None, 1), ("dropout", 0.8, None, 1),
                                              ("dropout seed 2", 0.8, None, 2),
                                              ("batches", 1.0, 8, 1)]:
        net = DeepNeuralNetwork((4, 6, 5, 1), seed=seed, keep_prob=keep_prob)
        if seed == 2:  # same weights as seed 1: only the masks' seed differs
            net.set_parameters(DeepNeuralNetwork((4, 6, 5, 1), seed=1).parameters)
        runs[name] = train(net, X, Y, 0.05, 10, batch_size)
    assert len({tuple(costs) for costs in runs.values()}) == len(runs)


def test_dropout_is_off_when_evaluating():
    X, Y = problem()
    net = DeepNeuralNetwork((4, 6, 5, 1), keep_prob=0.5)
    same = DeepNeuralNetwork((4, 6, 5, 1))
    np.testing.assert_array_equal(net.forward(X), same.forward(X))
    assert net.cost(X, Y) == same.cost(X, Y)
    assert net.step(X, Y, 0.1, iteration=0) != same.step(X, Y, 0.1)  # but on while training


@given(n=st.integers(0, 12), k=st.integers(1, 8), batch_size=st.integers(3, 40),
       optimizer=st.sampled_from(["adam", "momentum"]))
@settings(max_examples=20, deadline=None)
def test_a_saved_state_continues_exactly(n, k, batch_size, optimizer):
    """n + k steps equal n steps, step_state() through a file into a new network, k steps."""
    X, Y = problem(seed=n)
    options = dict(seed=SEED, optimizer=optimizer, keep_prob=0.8, l2=0.2, activation="relu")
    unbroken = DeepNeuralNetwork((4, 6, 5, 1), **options)
    costs = train(unbroken, X, Y, 0.02, n + k, batch_size)
    first = DeepNeuralNetwork((4, 6, 5, 1), **options)
    assert train(first, X, Y, 0.02, n, batch_size) == costs[:n]
    second = DeepNeuralNetwork((4, 6, 5, 1), **options)
    second.set_parameters(first.parameters)
    second.set_step_state(through_a_file(first.step_state()))
    assert train(second, X, Y, 0.02, k, batch_size, start=n) == costs[n:]
    assert_same(unbroken, second)
    assert second.step_state()["t"] == n + k


def test_the_cat_adam_run_with_mini_batches_and_dropout_continues_exactly(cat):
    X, Y = cat
    options = dict(seed=SEED, optimizer="adam", keep_prob=0.9, activation="leaky_relu")
    unbroken = DeepNeuralNetwork((12288, 4, 3, 1), **options)
    costs = train(unbroken, X, Y, 0.001, 12, batch_size=64)
    first = DeepNeuralNetwork((12288, 4, 3, 1), **options)
    train(first, X, Y, 0.001, 5, batch_size=64)
    second = DeepNeuralNetwork((12288, 4, 3, 1), **options)
    second.set_parameters(first.parameters)
    second.set_step_state(through_a_file(first.step_state()))
    assert train(second, X, Y, 0.001, 7, batch_size=64, start=5) == costs[5:]
    assert_same(unbroken, second)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_divergence_undoes_the_optimisers_update_exactly(optimizer):
    X, Y = problem()
    net = DeepNeuralNetwork((4, 6, 5, 1), optimizer=optimizer)
    train(net, X, Y, 0.05, 4)
    before = net.step_state()
    parameters = net.parameters
    train(net, X, Y, 0.05, 1, start=4)
    with pytest.raises(DivergedError) as info:  # inputs that overflow: the cost is inf
        net.step(X * 1e300, Y, 0.05)
    assert info.value.undone and net.updates == 4
    after = net.step_state()
    for key in ("t", "v", "s"):  # the optimiser's state exactly as before the undone step
        assert _plain(after[key]) == _plain(before[key])
    for key, value in net.parameters.items():  # the parameters to rounding
        np.testing.assert_allclose(value, parameters[key], rtol=1e-12, atol=1e-15)


def _plain(value):
    if isinstance(value, dict):
        return {k: v.tolist() for k, v in value.items()}
    return value


def test_a_ReLU_layer_dies_only_on_full_batches_without_dropout():
    X = np.random.RandomState(0).randn(2, 40)
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    with pytest.raises(DivergedError, match="died"):
        DeepNeuralNetwork((2, 3, 1), init="he", seed=16).fit(X, Y, 20, 30)
    for full_batch, activation, keep_prob in ((False, "relu", 1.0), (True, "relu", 0.9),
                                              (True, "leaky_relu", 1.0), (True, "tanh", 1.0)):
        net = DeepNeuralNetwork((2, 3, 1), init="he", seed=16, activation=activation,
                                keep_prob=keep_prob)
        for i in range(30):
            try:
                net.step(X, Y, 20, full_batch=full_batch)
            except DivergedError as exc:
                assert exc.dead_layer is None  # only an infinite cost stops these


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_the_last_steps_gradients_are_the_gradients_not_the_update(optimizer):
    X, Y = problem()
    net = DeepNeuralNetwork((4, 6, 1), optimizer=optimizer, l2=0.1)
    net.step(X, Y, 0.05)
    _, dWs, dbs = net.gradients(X, Y)
    net.step(X, Y, 0.05)
    assert net.has_gradients
    for mine, expected in zip([*net.dWs, *net.dbs], [*dWs, *dbs]):
        np.testing.assert_array_equal(mine, expected)


def test_l2_and_keep_prob_are_taken_as_they_change():
    X, Y = problem()
    net = DeepNeuralNetwork((4, 6, 5, 1), optimizer="momentum")
    train(net, X, Y, 0.05, 3)
    net.l2, net.keep_prob = 0.4, 0.7
    switched = DeepNeuralNetwork((4, 6, 5, 1), optimizer="momentum", l2=0.4, keep_prob=0.7)
    switched.set_parameters(net.parameters)
    switched.set_step_state(net.step_state())
    assert train(net, X, Y, 0.05, 3, start=3) == train(switched, X, Y, 0.05, 3, start=3)
    assert net.cost(X, Y) > net.cost(X, Y, regularized=False)


@pytest.mark.parametrize("option, value, match", [
    ("activation", "softmax", "activation"), ("optimizer", "rmsprop", "optimizer"),
    ("l2", -0.1, "l2"), ("l2", float("nan"), "l2"), ("keep_prob", 0.0, "keep_prob"),
    ("keep_prob", 1.5, "keep_prob"), ("beta", 1.0, "beta"), ("beta2", -0.5, "beta2"),
    ("epsilon", 0.0, "epsilon"), ("l2", "much", "l2"), ("keep_prob", True, "keep_prob")])
def test_a_bad_option_is_one_clear_error(option, value, match):
    with pytest.raises(ValueError, match=match) as info:
        DeepNeuralNetwork((3, 2, 1), **{option: value})
    assert "\n" not in str(info.value)


def test_a_bad_live_change_keeps_the_old_value():
    net = DeepNeuralNetwork((3, 2, 1), l2=0.3, keep_prob=0.8)
    for option, value in (("l2", -1), ("keep_prob", 2), ("keep_prob", None)):
        with pytest.raises(ValueError, match=option):
            setattr(net, option, value)
    assert (net.l2, net.keep_prob) == (0.3, 0.8)


def _trained(optimizer="adam"):
    X, Y = problem()
    net = DeepNeuralNetwork((4, 6, 5, 1), optimizer=optimizer)
    train(net, X, Y, 0.05, 3)
    return net


@pytest.mark.parametrize("change, match", [
    (lambda s: s.update(optimizer="momentum"), "for 'momentum'"),
    (lambda s: s["v"].update(dW1=np.zeros((2, 2))), "shape"),
    (lambda s: s["s"].pop("db2"), "expected"),
    (lambda s: s.update(t=-1), "whole number"),
    (lambda s: s.update(t=2.5), "whole number"),
    (lambda s: s.update(steps=s["steps"][:1]), "arrays"),
    (lambda s: s.update(alive=[True] * 5), "alive"),
    (lambda s: s["grads"].update(dW3=np.zeros(3)), "shape"),
])
def test_a_state_that_does_not_fit_is_refused_and_changes_nothing(change, match):
    net = _trained()
    state = net.step_state()
    change(state)
    before = through_a_file(net.step_state())
    with pytest.raises(ValueError, match=match):
        net.check_step_state(state)
    with pytest.raises(ValueError, match=match) as info:
        net.set_step_state(state)
    assert "\n" not in str(info.value)
    after = through_a_file(net.step_state())
    assert {k: _plain(v) for k, v in after.items() if not isinstance(v, list)} == \
        {k: _plain(v) for k, v in before.items() if not isinstance(v, list)}


def test_a_state_saved_before_optimisers_existed_continues_a_gd_run_exactly():
    X, Y = problem()
    unbroken = DeepNeuralNetwork((4, 6, 5, 1))
    costs = train(unbroken, X, Y, 0.1, 8)
    first = DeepNeuralNetwork((4, 6, 5, 1))
    train(first, X, Y, 0.1, 5)
    old = {key: first.step_state()[key]
           for key in ("steps", "bsteps", "step_lr", "alive", "last_cost")}
    second = DeepNeuralNetwork((4, 6, 5, 1))
    second.set_parameters(first.parameters)
    second.set_step_state(old)
    assert train(second, X, Y, 0.1, 3, start=5) == costs[5:]
    assert_same(unbroken, second)
