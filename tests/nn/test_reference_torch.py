"""The network against an independent reference: PyTorch autograd in float64, with course 2's
update formulas written out, on the course's cat pictures from the course's scaled init.

torch is not a dependency of dnnviz: without it these tests are skipped, except under CI
(the CI variable set), where .ci/run installs it and a missing torch is a failure.
"""

import itertools
import os

import numpy as np
import pytest

from dnnviz.nn import DeepNeuralNetwork, batch_columns, dropout_masks


def _import_torch():
    if os.environ.get("CI"):
        import torch  # installed by .ci/run: an ImportError here fails the run

        return torch
    return pytest.importorskip("torch", exc_type=ImportError)


torch = _import_torch()

DIMS = (12288, 5, 3, 1)  # small hidden layers: the 12288 inputs cost enough
ITERATIONS = 20
SEED = 1
TOLERANCE = dict(rtol=1e-9, atol=1e-12)
ACTIVATIONS = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "leaky_relu": lambda Z: torch.nn.functional.leaky_relu(Z, negative_slope=0.01),
}


def _torch_update(optimizer, p, g, v, s, t, learning_rate):
    """Course 2's formulas, written out on torch tensors; returns the new (v, s)."""
    if optimizer == "gd":
        p -= learning_rate * g
    elif optimizer == "momentum":
        v = 0.9 * v + (1 - 0.9) * g
        p -= learning_rate * v
    else:
        v = 0.9 * v + (1 - 0.9) * g
        s = 0.999 * s + (1 - 0.999) * g * g
        v_hat, s_hat = v / (1 - 0.9 ** t), s / (1 - 0.999 ** t)
        p -= learning_rate * v_hat / (torch.sqrt(s_hat) + 1e-8)
    return v, s


def reference(X, Y, activation, l2, optimizer, learning_rate, keep_prob=1.0, batch_size=None):
    """(costs, [W1..WL, b1..bL]) after ITERATIONS updates: autograd's gradients of
    binary cross-entropy + λ/(2m) Σ‖W‖², the same masks and batches as the network's."""
    start = DeepNeuralNetwork(DIMS, init="scaled", seed=SEED)
    params = [torch.tensor(a, requires_grad=True) for a in (*start.Ws, *start.bs)]
    L = len(start.Ws)
    v = [torch.zeros_like(p) for p in params]
    s = [torch.zeros_like(p) for p in params]
    g = ACTIVATIONS[activation]
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    costs = []
    for t in range(1, ITERATIONS + 1):
        cols = np.arange(X.shape[1])
        if batch_size is not None:
            cols = np.array(batch_columns(X.shape[1], batch_size, SEED, t - 1))  # writable
        Xb, Yb = Xt[:, torch.from_numpy(cols)], Yt[:, torch.from_numpy(cols)]
        m = Xb.shape[1]
        A = Xb
        for l in range(L - 1):
            A = g(params[l] @ A + params[L + l])
            if keep_prob < 1:
                D = dropout_masks(DIMS[1:-1], m, keep_prob, SEED, t - 1)[l]
                A = A * torch.from_numpy(D) / keep_prob
        Z = params[L - 1] @ A + params[-1]
        cost = torch.nn.functional.binary_cross_entropy_with_logits(Z, Yb)
        cost = cost + l2 / (2 * m) * sum(torch.sum(W * W) for W in params[:L])
        grads = torch.autograd.grad(cost, params)
        with torch.no_grad():
            for k, (p, grad) in enumerate(zip(params, grads)):
                v[k], s[k] = _torch_update(optimizer, p, grad, v[k], s[k], t, learning_rate)
        costs.append(cost.item())
    return np.array(costs), [p.detach().numpy() for p in params]


def engine(X, Y, activation, l2, optimizer, learning_rate, keep_prob=1.0, batch_size=None):
    net = DeepNeuralNetwork(DIMS, init="scaled", seed=SEED, activation=activation, l2=l2,
                            keep_prob=keep_prob, optimizer=optimizer)
    costs = []
    for i in range(ITERATIONS):
        cols = slice(None) if batch_size is None else batch_columns(X.shape[1], batch_size,
                                                                    SEED, i)
        costs.append(net.step(X[:, cols], Y[:, cols], learning_rate, iteration=i,
                              full_batch=batch_size is None))
    return np.array(costs), [*net.Ws, *net.bs]


def _rate(optimizer):
    return 0.001 if optimizer == "adam" else 0.0075  # Adam's steps are about α each


def assert_agree(ours, theirs):
    (our_costs, our_params), (costs, params) = ours, theirs
    np.testing.assert_allclose(our_costs, costs, **TOLERANCE)
    for mine, reference_param in zip(our_params, params):
        np.testing.assert_allclose(mine, reference_param, **TOLERANCE)


@pytest.mark.parametrize("activation, l2, optimizer", list(itertools.product(
    ["tanh", "sigmoid", "relu", "leaky_relu"], [0.0, 0.7], ["gd", "momentum", "adam"])))
def test_full_batch_runs_agree_with_torch_autograd(cat, activation, l2, optimizer):
    X, Y = cat
    ours = engine(X, Y, activation, l2, optimizer, _rate(optimizer))
    theirs = reference(X, Y, activation, l2, optimizer, _rate(optimizer))
    assert_agree(ours, theirs)
    assert theirs[0][-1] < theirs[0][0]  # it learnt: the comparison is not of a still net


@pytest.mark.parametrize("keep_prob, batch_size, optimizer", [
    (0.8, None, "gd"), (0.8, None, "adam"), (1.0, 64, "momentum"), (0.7, 32, "adam")])
def test_dropout_and_mini_batch_runs_agree_with_torch_autograd(cat, keep_prob, batch_size,
                                                               optimizer):
    X, Y = cat
    args = (X, Y, "relu", 0.7, optimizer, _rate(optimizer), keep_prob, batch_size)
    assert_agree(engine(*args), reference(*args))
