"""Course 2's regularisation, for the L-layer network: L2 weight decay and inverted dropout.

    J = cross-entropy + λ/(2m) Σ_l ‖W[l]‖²,      dW[l] += (λ/m) W[l]
    dropout on the hidden layers: D[l] = (rand < keep_prob), A[l] = A[l] * D[l] / keep_prob,
    and the same D[l] / keep_prob on dA[l] going back; no dropout when evaluating.

The course writes these for its 3-layer network; here they take the lesson's L-layer caches
and a hidden activation (the lesson's L_model_forward keeps its relu: with keep_prob=1,
forward_propagation_with_dropout is the plain forward pass for any hidden activation).
The masks of a training pass come from dropout_masks(), seeded by (seed, iteration): a run
replays, and a saved run continues, with the very same masks, and nothing but the iteration
number needs keeping.
"""

from __future__ import annotations

import numpy as np

from dnnviz.nn.activations import get_activation
from dnnviz.nn.functional import compute_cost, linear_activation_forward, linear_backward


def l2_cost(Ws, lambd: float, m: int) -> float:
    """The L2 term of the cost: λ/(2m) Σ_l ‖W[l]‖² (sums in float64 for any dtype)."""
    total = sum(float(np.sum(np.square(W, dtype=np.float64))) for W in Ws)
    return (1 / m) * (lambd / 2) * total


def compute_cost_with_regularization(AL, Y, parameters, lambd):
    """Cross-entropy plus λ/(2m) Σ ‖W[l]‖² over every W in the course's dict."""
    L = len(parameters) // 2
    Ws = [parameters[f"W{l}"] for l in range(1, L + 1)]
    return compute_cost(AL, Y) + l2_cost(Ws, lambd, Y.shape[1])


def backward_propagation_with_regularization(AL, Y, caches, lambd, activation="relu"):
    """The gradients {"dA{l-1}", "dW{l}", "db{l}"} with (λ/m) W[l] added to every dW[l].

    caches: L_model_forward's (relu), or forward_propagation_with_dropout's with keep_prob=1.
    """
    return _L_backward(AL, Y, caches, activation, lambd)


def dropout_masks(sizes, m: int, keep_prob: float, seed: int, iteration: int) -> list:
    """D[l] = (rand(n_l, m) < keep_prob) for each hidden size n_l, as bool arrays.

    The numbers come from a generator seeded by (seed, iteration) alone, so the masks of an
    iteration are the same however the run got there (replayed, or continued after a load).
    """
    if int(iteration) < 0 or int(seed) < 0:
        raise ValueError(f"seed and iteration must be >= 0, not {seed} and {iteration}")
    rng = np.random.default_rng([int(seed), int(iteration)])
    return [rng.random((int(n), int(m))) < keep_prob for n in sizes]


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, activation="relu",
                                     seed=1, iteration=0):
    """L_model_forward with dropout on the hidden layers. Returns (AL, caches).

    Each cache is (linear_cache, Z, D): the lesson's cache and the layer's dropout mask
    (None for the output layer, and for every layer when keep_prob=1: no dropout). The
    masks are dropout_masks(.., seed, iteration)'s.
    """
    L = len(parameters) // 2
    sizes = [parameters[f"W{l}"].shape[0] for l in range(1, L)]
    masks = [None] * (L - 1)
    if keep_prob < 1:
        masks = dropout_masks(sizes, X.shape[1], keep_prob, seed, iteration)
    caches = []
    A = X
    for l in range(1, L):
        A, (linear_cache, Z) = linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        D = masks[l - 1]
        if D is not None:
            A = A * D  # shut down some units
            A = A / keep_prob  # scale the ones kept, so the expected value stays the same
        caches.append((linear_cache, Z, D))
    AL, (linear_cache, Z) = linear_activation_forward(
        A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append((linear_cache, Z, None))
    return AL, caches


def layer_backward_with_regularization(dA, cache, activation, lambd=0.0, keep_prob=1.0,
                                      D_prev=None):
    """One layer back, with course 2's changes. cache = (linear_cache, Z) as the lesson's.

    Returns (dZ, dA_prev, dW, db): dW has (λ/m)·W added; dA_prev is masked by the layer
    below's dropout mask D_prev, dA_prev * D_prev / keep_prob, when it is given.
    """
    linear_cache, Z = cache
    dZ = get_activation(activation).lesson_backward(dA, Z)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    if lambd:
        dW = dW + lambd / dZ.shape[1] * linear_cache[1]
    if D_prev is not None:
        dA_prev = dA_prev * D_prev  # the units shut down going forward pass nothing back
        dA_prev = dA_prev / keep_prob
    return dZ, dA_prev, dW, db


def backward_propagation_with_dropout(AL, Y, caches, keep_prob, activation="relu", lambd=0.0):
    """Gradients {"dA{l-1}", "dW{l}", "db{l}"} through the masks forward_propagation_with_dropout
    used: dA[l] = dA[l] * D[l] / keep_prob. With lambd, (λ/m) W[l] is added to dW[l] as well.
    """
    return _L_backward(AL, Y, caches, activation, lambd, keep_prob)


def _L_backward(AL, Y, caches, activation, lambd, keep_prob=1.0):
    """L_model_backward with course 2's changes; caches (linear_cache, Z[, D]) a layer."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        linear_cache, Z = caches[l - 1][:2]
        g = "sigmoid" if l == L else activation
        D_prev = caches[l - 2][2] if l > 1 and len(caches[l - 2]) > 2 else None
        _, dA_prev, dW, db = layer_backward_with_regularization(
            dA, (linear_cache, Z), g, lambd, keep_prob, D_prev)
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
        dA = dA_prev
    return grads
