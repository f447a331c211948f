"""One forward and one backward pass, stage by stage, built from the lesson's own functions.

`walk(net_or_parameters, X, Y)` returns the list of Stages a student meets in the lesson:
Z[l] and A[l] for l = 1..L, the cost J, dA[L], then dZ[l], dW[l], db[l], dA[l−1] for
l = L..1. Every array is float64 and keeps its shape: Z, A, dZ, dA (n_l, m), dW (n_l, n_{l-1}),
db (n_l, 1), J (1, 1). Pure NumPy: no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dnnviz.nn.functional import (
    compute_cost,
    linear_backward,
    linear_forward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
)

MAX_EXAMPLES = 8  # a few columns: every number of a stage stays readable


@dataclass(frozen=True, eq=False)
class Stage:
    """One step of the pass: its name ("dW[2]"), phase, layer, equation, explanation, array."""

    name: str
    phase: str  # "forward", "cost" or "backward"
    layer: int  # the l of the equation; L for the cost
    equation: str
    explanation: str
    array: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.array.shape)


def as_parameters(net_or_parameters) -> dict:
    """The course's dict {"W1", "b1", ...} as float64 copies, from a network or a dict."""
    params = getattr(net_or_parameters, "parameters", net_or_parameters)
    return {key: np.array(value, dtype=np.float64) for key, value in params.items()}


def few_examples(X, Y, max_examples: int | None = MAX_EXAMPLES):
    """The first max_examples columns of X and Y as float64 (all when max_examples is None)."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64).reshape(1, -1)
    if max_examples is not None:
        X, Y = X[:, :max_examples], Y[:, :max_examples]
    return X, Y


def _forward(params, X, L):
    """Stages Z[l], A[l] for l = 1..L; returns (stages, caches) with the lesson's caches."""
    stages, caches = [], []
    A = X
    for l in range(1, L + 1):
        A_prev = A
        Z, linear_cache = linear_forward(A_prev, params[f"W{l}"], params[f"b{l}"])
        stages.append(Stage(
            f"Z[{l}]", "forward", l, f"Z[{l}] = W[{l}]·A[{l - 1}] + b[{l}]",
            f"Linear forward: each of the {Z.shape[0]} units of layer {l} takes a weighted sum "
            f"of the previous layer's activations, plus its bias; one column per example.", Z))
        if l < L:
            A, activation_cache = relu(Z)
            stages.append(Stage(
                f"A[{l}]", "forward", l, f"A[{l}] = relu(Z[{l}]) = max(0, Z[{l}])",
                f"ReLU activation of hidden layer {l}: negative values become 0, "
                "positive ones pass unchanged.", A))
        else:
            A, activation_cache = sigmoid(Z)
            stages.append(Stage(
                f"A[{l}]", "forward", l, f"A[{l}] = σ(Z[{l}]) = 1 / (1 + e^(−Z[{l}]))",
                f"Sigmoid output: A[{l}] is the predicted probability that y = 1 "
                "for each example.", A))
        caches.append((linear_cache, activation_cache))
    return stages, caches


def _cost_stages(AL, Y, L):
    cost = compute_cost(AL, Y)
    with np.errstate(divide="ignore", invalid="ignore"):
        dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    return [
        Stage("J", "cost", L,
              f"J = −1/m Σ ( Y·log A[{L}] + (1 − Y)·log(1 − A[{L}]) )",
              f"Cross-entropy cost: the average over the m = {Y.shape[1]} examples of how "
              "wrong each predicted probability is; small when A is close to Y.",
              np.array([[cost]])),
        Stage(f"dA[{L}]", "backward", L,
              f"dA[{L}] = −( Y / A[{L}] − (1 − Y) / (1 − A[{L}]) )",
              "Initialising backpropagation: the derivative of the cost with respect to "
              f"the output A[{L}].", dAL),
    ]


def _layer_backward(dA, cache, l, L):
    """Stages dZ[l], dW[l], db[l], dA[l−1]; returns (stages, dA_prev)."""
    linear_cache, activation_cache = cache
    if l == L:
        dZ = sigmoid_backward(dA, activation_cache)
        dz_eq = f"dZ[{l}] = dA[{l}] * σ(Z[{l}])·(1 − σ(Z[{l}]))"
        dz_text = "Back through the sigmoid: multiply by its derivative σ′(Z) = σ(Z)(1 − σ(Z))."
    else:
        dZ = relu_backward(dA, activation_cache)
        dz_eq = f"dZ[{l}] = dA[{l}] * g′(Z[{l}]),   g′(z) = 1 if z > 0 else 0"
        dz_text = ("Back through the ReLU: the gradient passes where the unit was active "
                   "(Z > 0) and is 0 where it was not.")
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    prev_text = ("The gradient passed on to layer " + str(l - 1) + ", whose activations fed "
                 "this layer." if l > 1 else
                 "The gradient with respect to the input X: no parameter uses it, so the "
                 "lesson computes it but never needs it.")
    stages = [
        Stage(f"dZ[{l}]", "backward", l, dz_eq, dz_text, dZ),
        Stage(f"dW[{l}]", "backward", l, f"dW[{l}] = 1/m · dZ[{l}]·A[{l - 1}]ᵀ",
              f"Gradient of the cost with respect to W[{l}]: same shape as W[{l}], "
              "averaged over the m examples.", dW),
        Stage(f"db[{l}]", "backward", l, f"db[{l}] = 1/m · Σ dZ[{l}]   (sum over the examples)",
              f"Gradient of the cost with respect to b[{l}]: each row of dZ[{l}] "
              "summed over the examples, divided by m.", db),
        Stage(f"dA[{l - 1}]", "backward", l, f"dA[{l - 1}] = W[{l}]ᵀ·dZ[{l}]", prev_text,
              dA_prev),
    ]
    return stages, dA_prev


def walk(net_or_parameters, X, Y, max_examples: int | None = MAX_EXAMPLES) -> list[Stage]:
    """Every stage of one forward and backward pass on the first max_examples examples.

    X (n_x, m) and Y (1, m); net_or_parameters is a DeepNeuralNetwork or the course's dict.
    Nothing is changed: the parameters are copied to float64 first.
    """
    params = as_parameters(net_or_parameters)
    X, Y = few_examples(X, Y, max_examples)
    L = len(params) // 2
    stages, caches = _forward(params, X, L)
    cost_stages = _cost_stages(stages[-1].array, Y, L)
    stages += cost_stages
    dA = cost_stages[-1].array
    for l in range(L, 0, -1):
        layer_stages, dA = _layer_backward(dA, caches[l - 1], l, L)
        stages += layer_stages
    return stages

