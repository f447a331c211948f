"""The lesson's activation functions, forward and backward, for the hidden layers and the output.

Each forward returns (A, cache) with cache = Z; each backward takes (dA, cache) and returns
dZ = dA * g'(Z), as in the course's dnn_utils. The output layer is always sigmoid; a hidden
layer is one of HIDDEN_ACTIVATIONS (course 2 compares them).
"""

from __future__ import annotations

import numpy as np

HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu")
LEAKY_SLOPE = 0.01  # leaky_relu(z) = z for z > 0, else 0.01 z


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


FORWARD = {"relu": relu, "tanh": tanh, "sigmoid": sigmoid, "leaky_relu": leaky_relu}
BACKWARD = {"relu": relu_backward, "tanh": tanh_backward, "sigmoid": sigmoid_backward,
            "leaky_relu": leaky_relu_backward}


def check_activation(activation: str) -> str:
    """The name itself if it is one of HIDDEN_ACTIVATIONS; ValueError (one line) if not."""
    if activation not in FORWARD:
        raise ValueError(f"activation must be one of {', '.join(HIDDEN_ACTIVATIONS)}, "
                         f"not {activation!r}")
    return activation
