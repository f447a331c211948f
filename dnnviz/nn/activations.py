"""The activations, each in one place: the lesson's functions, and one record per activation.

The lesson's functions keep the course's names and signatures: each forward returns
(A, cache) with cache = Z; each backward takes (dA, cache) and returns dZ = dA * g'(Z), as in
the course's dnn_utils. The output layer is always sigmoid; a hidden layer is one of
HIDDEN_ACTIVATIONS (course 2 compares them).

ACTIVATIONS maps each name, once, to its `Activation` (as TensorFlow Playground's nn.ts maps
a name to its {output, der}): the fast forward the network's kernel runs, its derivative
read from the output, whether it has a kink, the lesson's two functions, and the formulas
the step-through shows. The kernel, the step-through, the gradient check and the lesson's
layer functions all look an activation up here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

LEAKY_SLOPE = 0.01  # leaky_relu(z) = z for z > 0, else 0.01 z


# --- the lesson's functions -------------------------------------------------------------------

def sigmoid(Z):
    """Return A = 1 / (1 + exp(-Z)) and the cache Z."""
    with np.errstate(over="ignore"):
        A = 1.0 / (1.0 + np.exp(-Z))
    return A, Z


def relu(Z):
    """Return A = max(0, Z) and the cache Z."""
    return np.maximum(0, Z), Z


def tanh(Z):
    """Return A = tanh(Z) and the cache Z."""
    return np.tanh(Z), Z


def leaky_relu(Z):
    """Return A = Z where Z > 0, else 0.01 Z, and the cache Z."""
    return np.where(Z > 0, Z, LEAKY_SLOPE * Z), Z


def sigmoid_backward(dA, cache):
    """dZ = dA * s * (1 - s), s = sigmoid(Z)."""
    s, _ = sigmoid(cache)
    return dA * s * (1 - s)


def relu_backward(dA, cache):
    """dZ = dA where Z > 0, else 0."""
    Z = cache
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def tanh_backward(dA, cache):
    """dZ = dA * (1 - tanh(Z)^2)."""
    t = np.tanh(cache)
    return dA * (1 - t * t)


def leaky_relu_backward(dA, cache):
    """dZ = dA where Z > 0, else 0.01 dA."""
    Z = cache
    return np.where(Z > 0, dA, LEAKY_SLOPE * dA)


# --- the fast forwards: into `out` when given (out=Z overwrites Z), in Z's dtype ----------------

def _sigmoid(Z, out=None):
    with np.errstate(over="ignore"):
        A = np.negative(Z, out=out)
        np.exp(A, out=A)
        A += 1.0
        return np.divide(1.0, A, out=A)


def _relu(Z, out=None):
    return np.maximum(Z, 0, out=out)


def _tanh(Z, out=None):
    return np.tanh(Z, out=out)


def _leaky_relu(Z, out=None):
    return np.maximum(Z, LEAKY_SLOPE * Z, out=out)


def _slope_where_positive(A, below):
    """`below` where A <= 0, else 1 (NaN too), in A's dtype."""
    return np.where(A <= 0, A.dtype.type(below), A.dtype.type(1))


# --- the record ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Activation:
    """One activation g: its forward, its derivative, and how the lesson and the
    step-through write it. The formulas hold {l}, the layer."""

    name: str
    forward: Callable  # forward(Z, out=None) -> g(Z), into out when given
    derivative_from_output: Callable  # (A) -> g'(Z) read from A = g(Z): what multiplies dA
    # in A's dtype (relu's is a bool mask, which multiplies as 1 and 0)
    kinked: bool  # g has a kink at z = 0, where it has no derivative
    lesson_forward: Callable  # the course's g(Z) -> (A, cache = Z)
    lesson_backward: Callable  # the course's g_backward(dA, cache) -> dZ
    formula: str  # A in terms of Z, "relu(Z[{l}]) = max(0, Z[{l}])"
    forward_text: str  # what the forward does, in words
    backward_formula: str  # "dZ[{l}] = dA[{l}] * ..."
    backward_text: str


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (
    Activation(
        "relu", _relu, lambda A: A > 0, True, relu, relu_backward,
        "relu(Z[{l}]) = max(0, Z[{l}])",
        "ReLU activation of hidden layer {l}: negative values become 0, positive ones pass "
        "unchanged.",
        "dZ[{l}] = dA[{l}] * g′(Z[{l}]),   g′(z) = 1 if z > 0 else 0",
        "Back through the ReLU: the gradient passes where the unit was active (Z > 0) and is "
        "0 where it was not."),
    Activation(
        "tanh", _tanh, lambda A: 1 - A * A, False, tanh, tanh_backward,
        "tanh(Z[{l}])",
        "tanh activation of hidden layer {l}: every value squashed into (−1, 1).",
        "dZ[{l}] = dA[{l}] * (1 − tanh²(Z[{l}]))",
        "Back through tanh: multiply by its derivative 1 − tanh²(Z), largest near Z = 0."),
    Activation(
        "sigmoid", _sigmoid, lambda A: A * (1 - A), False, sigmoid, sigmoid_backward,
        "σ(Z[{l}]) = 1 / (1 + e^(−Z[{l}]))",
        "Sigmoid activation of hidden layer {l}: every value squashed into (0, 1).",
        "dZ[{l}] = dA[{l}] * σ(Z[{l}])·(1 − σ(Z[{l}]))",
        "Back through the sigmoid: multiply by its derivative σ′(Z) = σ(Z)(1 − σ(Z))."),
    Activation(
        "leaky_relu", _leaky_relu, lambda A: _slope_where_positive(A, LEAKY_SLOPE), True,
        leaky_relu, leaky_relu_backward,
        "leaky_relu(Z[{l}]) = max(0.01·Z[{l}], Z[{l}])",
        "Leaky ReLU activation of hidden layer {l}: positive values pass unchanged, negative "
        "ones are multiplied by 0.01.",
        "dZ[{l}] = dA[{l}] * g′(Z[{l}]),   g′(z) = 1 if z > 0 else 0.01",
        "Back through the leaky ReLU: the gradient passes where the unit was active (Z > 0), "
        "and 0.01 of it where it was not."),
)}
HIDDEN_ACTIVATIONS = tuple(ACTIVATIONS)  # relu, tanh, sigmoid, leaky_relu


def get_activation(name: str) -> Activation:
    """The record of `name`; ValueError (one line) if it is not one of HIDDEN_ACTIVATIONS."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"activation must be one of {', '.join(HIDDEN_ACTIVATIONS)}, "
                         f"not {name!r}") from None


def check_activation(name: str) -> str:
    """The name itself if it is one of HIDDEN_ACTIVATIONS; ValueError (one line) if not."""
    return get_activation(name).name
