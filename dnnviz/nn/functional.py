"""The lesson "building a deep neural network step by step", one function per step.

Names, signatures and return conventions follow the course, so a student's test cases
run unchanged. Shapes: A_prev (n_{l-1}, m), W (n_l, n_{l-1}), b (n_l, 1), Z and A (n_l, m).
The course text's bugs are fixed here: sigmoid backward uses the cached Z, db keeps its
(n_l, 1) shape, weights are drawn with randn, and the cost stays finite when AL saturates.
"""

from __future__ import annotations

import numpy as np

from dnnviz.nn.activations import (
    get_activation,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
)
from dnnviz.nn.init import init_weights

__all__ = [  # the activations are the lesson's too: they live in activations.py
    "L_model_backward", "L_model_forward", "compute_cost", "initialize_parameters",
    "initialize_parameters_deep", "linear_activation_backward", "linear_activation_forward",
    "linear_backward", "linear_forward", "relu", "relu_backward", "sigmoid", "sigmoid_backward",
    "update_parameters",
]

_ONE_BELOW = np.nextafter(1.0, 0.0)


def initialize_parameters(n_x, n_h, n_y, *, seed=1):
    """W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1); W = randn * 0.01, b = 0."""
    return initialize_parameters_deep([n_x, n_h, n_y], seed=seed, init="small")


def initialize_parameters_deep(layer_dims, *, seed=3, init="small"):
    """Return {"W1", "b1", ..., "WL", "bL"} for layer_dims = [n_x, n_1, ..., n_L]."""
    Ws, bs = init_weights(layer_dims, init=init, seed=seed)
    parameters = {}
    for l, (W, b) in enumerate(zip(Ws, bs), start=1):
        parameters[f"W{l}"] = W
        parameters[f"b{l}"] = b
    return parameters


def linear_forward(A, W, b):
    """Z = W A + b; returns (Z, cache) with cache = (A, W, b)."""
    Z = W @ A + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b); returns (A, ((A_prev, W, b), Z)).

    activation: "relu" or "sigmoid" as in the lesson, or "tanh" or "leaky_relu".
    """
    g = get_activation(activation).lesson_forward
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = g(Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID. Returns (AL, caches), one cache a layer."""
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """Cross-entropy -1/m sum(Y log AL + (1 - Y) log(1 - AL)), finite even if AL is 0 or 1."""
    m = Y.shape[1]
    AL = np.clip(AL, np.finfo(np.float64).tiny, _ONE_BELOW)
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return float(np.squeeze(cost))


def linear_backward(dZ, cache):
    """From dZ (n_l, m): dA_prev = W^T dZ, dW = dZ A_prev^T / m, db = sum(dZ) / m as (n_l, 1)."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """Back through g, then through the linear step. Returns (dA_prev, dW, db)."""
    linear_cache, activation_cache = cache
    dZ = get_activation(activation).lesson_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """Gradients {"dA{l-1}", "dW{l}", "db{l}"} for every layer l = L..1."""
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA = dAL
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA_prev, dW, db = linear_activation_backward(dA, caches[l - 1], activation)
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
        dA = dA_prev
    return grads


def update_parameters(parameters, grads, learning_rate):
    """theta = theta - learning_rate * dtheta for every W and b; the input is not mutated."""
    L = len(parameters) // 2
    updated = {}
    for l in range(1, L + 1):
        updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return updated
