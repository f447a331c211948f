"""The forward pass, written once: DeepNeuralNetwork, the step-through and the gradient check
all run it (the lesson's own L_model_forward stays in functional.py, for students to read).

    Z[l] = W[l]·A[l−1] + b[l],   A[l] = g(Z[l]) for the hidden layers l < L,
    dropout (training only): A[l] = A[l] * D[l] / keep_prob,   the output Z[L] (sigmoid).

It computes in the dtype of the arrays it is given: float64 or float32 for the network,
np.longdouble for the gradient check's extended precision. Unless asked to keep Z, each Z is
overwritten by its activation: the fast path allocates one array a layer and copies nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dnnviz.nn.activations import LEAKY_SLOPE

KINKED = ("relu", "leaky_relu")  # g has a kink at z = 0, where it has no derivative


def sigmoid(Z, out=None):
    """1 / (1 + exp(−Z)) as an array (into `out` when given: out=Z works in place)."""
    with np.errstate(over="ignore"):
        A = np.negative(Z, out=out)
        np.exp(A, out=A)
        A += 1.0
        return np.divide(1.0, A, out=A)


def activate(Z, activation: str, out=None):
    """g(Z) for a hidden layer, into `out` when given (out=Z overwrites Z)."""
    if activation == "relu":
        return np.maximum(Z, 0, out=out)
    if activation == "tanh":
        return np.tanh(Z, out=out)
    if activation == "sigmoid":
        return sigmoid(Z, out=out)
    if activation == "leaky_relu":
        return np.maximum(Z, LEAKY_SLOPE * Z, out=out)
    raise ValueError(f"unknown activation {activation!r}")


def backprop_activation(dA, G, activation: str):
    """dZ = dA * g'(Z), with g'(Z) read from G = g(Z) (before dropout); dA is overwritten.

    relu: 1 where G > 0, else 0; leaky_relu: 1 where G > 0, else 0.01; tanh: 1 − G²;
    sigmoid: G (1 − G).
    """
    if activation == "relu":
        return np.multiply(dA, G > 0, out=dA)
    if activation == "leaky_relu":
        return np.multiply(dA, LEAKY_SLOPE, out=dA, where=G <= 0)
    if activation == "tanh":
        return np.multiply(dA, 1 - G * G, out=dA)
    if activation == "sigmoid":
        return np.multiply(dA, G * (1 - G), out=dA)
    raise ValueError(f"unknown activation {activation!r}")


@dataclass(eq=False)
class Pass:
    """What one forward pass leaves for the backward pass and for display."""

    As: list  # [A[0] = X, A[1], ..., A[L−1]]: each layer's input (after dropout, if any)
    ZL: np.ndarray  # the output layer's Z[L], (1, m)
    Gs: list  # [g(Z[1]), ..., g(Z[L−1])] before dropout: As[1:] itself when there is none
    Zs: list  # [Z[1], ..., Z[L−1]] when keep_Z, else []


def forward(Ws, bs, X, activation: str = "relu", *, masks=None, keep_prob: float = 1.0,
            keep_Z: bool = False) -> Pass:
    """One forward pass through the layers (Ws[k], bs[k]); the last one is the output.

    masks: dropout masks D[1..L−1] (bool, each (n_l, m)) for a training pass, else None.
    keep_Z: keep every hidden Z[l] (costs one array a layer more).
    """
    As, Gs, Zs = [X], [], []
    A = X
    for l, (W, b) in enumerate(zip(Ws[:-1], bs[:-1])):
        Z = W @ A
        Z += b
        if keep_Z:
            Zs.append(Z)
        A = activate(Z, activation, out=None if keep_Z else Z)
        Gs.append(A)
        if masks is not None:
            A = A * masks[l]
            A /= keep_prob
        As.append(A)
    ZL = Ws[-1] @ A
    ZL += bs[-1]
    return Pass(As, ZL, Gs, Zs)
