"""K classes against an independent reference: PyTorch autograd in float64 (its own
log-softmax cross-entropy, or binary cross-entropy on each of K sigmoids) with course 2's
update formulas written out, from the network's own scaled init, on K clusters of points.

As in test_reference_torch.py: skipped without torch, except under CI, where it must be there.
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

ITERATIONS = 20
SEED = 3
TOLERANCE = dict(rtol=1e-9, atol=1e-12)
HIDDEN = (7, 5)
N_X, M = 6, 240
ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh}


def clusters(K):
    """M points in N_X dimensions around K random centres; labels (1, M) of 0..K-1."""
    rng = np.random.default_rng(K)
    labels = np.arange(M) % K
    centres = rng.normal(0, 2, size=(N_X, K))
    X = centres[:, labels] + rng.normal(0, 1, size=(N_X, M))
    return X, labels.reshape(1, -1).astype(np.float64)


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


def _torch_cost(Z, labels, output):
    """Mean over examples of the output's loss, from torch's own functions."""
    if output == "softmax":
        return torch.nn.functional.cross_entropy(Z.T, labels)  # log-softmax + NLL, mean
    Y = torch.nn.functional.one_hot(labels, Z.shape[0]).T.to(Z.dtype)
    each = torch.nn.functional.binary_cross_entropy_with_logits(Z, Y, reduction="none")
    return each.sum() / Z.shape[1]


def reference(X, Y, dims, activation, l2, optimizer, learning_rate, output="softmax",
              keep_prob=1.0, batch_size=None):
    """(costs, [W1..WL, b1..bL]) after ITERATIONS updates, by autograd."""
    start = DeepNeuralNetwork(dims, init="scaled", seed=SEED, output=output)
    params = [torch.tensor(a, requires_grad=True) for a in (*start.Ws, *start.bs)]
    L = len(start.Ws)
    v = [torch.zeros_like(p) for p in params]
    s = [torch.zeros_like(p) for p in params]
    g = ACTIVATIONS[activation]
    Xt, labels = torch.from_numpy(X), torch.from_numpy(Y.ravel().astype(np.int64))
    costs = []
    for t in range(1, ITERATIONS + 1):
        cols = np.arange(X.shape[1])
        if batch_size is not None:
            cols = np.array(batch_columns(X.shape[1], batch_size, SEED, t - 1))
        Xb, yb = Xt[:, torch.from_numpy(cols)], labels[torch.from_numpy(cols)]
        m = Xb.shape[1]
        A = Xb
        for l in range(L - 1):
            A = g(params[l] @ A + params[L + l])
            if keep_prob < 1:
                D = dropout_masks(dims[1:-1], m, keep_prob, SEED, t - 1)[l]
                A = A * torch.from_numpy(D) / keep_prob
        Z = params[L - 1] @ A + params[-1]
        cost = _torch_cost(Z, yb, output)
        cost = cost + l2 / (2 * m) * sum(torch.sum(W * W) for W in params[:L])
        grads = torch.autograd.grad(cost, params)
        with torch.no_grad():
            for k, (p, grad) in enumerate(zip(params, grads)):
                v[k], s[k] = _torch_update(optimizer, p, grad, v[k], s[k], t, learning_rate)
        costs.append(cost.item())
    return np.array(costs), [p.detach().numpy() for p in params]


def ours(X, Y, dims, activation, l2, optimizer, learning_rate, output="softmax",
         keep_prob=1.0, batch_size=None):
    net = DeepNeuralNetwork(dims, init="scaled", seed=SEED, activation=activation, l2=l2,
                            keep_prob=keep_prob, optimizer=optimizer, output=output)
    costs = []
    for i in range(ITERATIONS):
        cols = slice(None) if batch_size is None else batch_columns(X.shape[1], batch_size,
                                                                    SEED, i)
        costs.append(net.step(X[:, cols], Y[:, cols], learning_rate, iteration=i,
                              full_batch=batch_size is None))
    return np.array(costs), [*net.Ws, *net.bs]


def _rate(optimizer):
    return 0.01 if optimizer == "adam" else 0.1


def assert_agree(mine, theirs):
    (my_costs, my_params), (costs, params) = mine, theirs
    np.testing.assert_allclose(my_costs, costs, **TOLERANCE)
    for p, q in zip(my_params, params):
        np.testing.assert_allclose(p, q, **TOLERANCE)


@pytest.mark.parametrize("K, activation, optimizer, l2", list(itertools.product(
    [3, 4, 10], ["relu", "tanh"], ["gd", "momentum", "adam"], [0.0, 0.7])))
def test_softmax_runs_agree_with_torch_autograd(K, activation, optimizer, l2):
    X, Y = clusters(K)
    args = (X, Y, (N_X, *HIDDEN, K), activation, l2, optimizer, _rate(optimizer))
    mine, theirs = ours(*args), reference(*args)
    assert_agree(mine, theirs)
    assert theirs[0][-1] < theirs[0][0]  # it learnt: the comparison is not of a still net


@pytest.mark.parametrize("K, keep_prob, batch_size, optimizer", [
    (3, 0.8, None, "gd"), (4, 1.0, 64, "momentum"), (10, 0.7, 32, "adam")])
def test_softmax_with_dropout_and_mini_batches_agrees_with_torch(K, keep_prob, batch_size,
                                                                 optimizer):
    X, Y = clusters(K)
    args = (X, Y, (N_X, *HIDDEN, K), "relu", 0.7, optimizer, _rate(optimizer), "softmax",
            keep_prob, batch_size)
    assert_agree(ours(*args), reference(*args))


@pytest.mark.parametrize("K, optimizer", [(3, "gd"), (10, "adam")])
def test_one_sigmoid_per_class_agrees_with_torch(K, optimizer):
    X, Y = clusters(K)
    args = (X, Y, (N_X, *HIDDEN, K), "tanh", 0.7, optimizer, _rate(optimizer), "sigmoid")
    assert_agree(ours(*args), reference(*args))


def test_softmax_is_stable_for_huge_outputs():
    """Z[L] of order 1e4: the cost and its gradients stay finite, and match the limit."""
    net = DeepNeuralNetwork((2, 3), output="softmax", seed=1)
    net.set_parameters({"W1": np.array([[1e4, 0], [0, 1e4], [0, 0]]), "b1": np.zeros(3)})
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    Y = np.array([[0.0, 0.0]])  # the second example is wrong by a margin of 1e4
    cost, dWs, dbs = net.gradients(X, Y)
    assert cost == pytest.approx(1e4 / 2)
    assert all(np.isfinite(d).all() for d in (*dWs, *dbs))
    Z = torch.tensor([[1e4, 0.0], [0.0, 1e4], [0.0, 0.0]], dtype=torch.float64)
    expected = torch.nn.functional.cross_entropy(Z.T, torch.tensor([0, 0])).item()
    assert cost == pytest.approx(expected, rel=1e-12)
