"""The forward pass, written once: DeepNeuralNetwork, the step-through and the gradient check
all run it (the lesson's own L_model_forward stays in functional.py, for students to read).

    Z[l] = W[l]·A[l−1] + b[l],   A[l] = g(Z[l]) for the hidden layers l < L,
    dropout (training only): A[l] = A[l] * D[l] / keep_prob,   the output Z[L].

It computes in the dtype of the arrays it is given: float64 or float32 for the network,
np.longdouble for the gradient check's extended precision. Unless asked to keep Z, each Z is
overwritten by its activation: the fast path allocates one array a layer and copies nothing.
Each activation g, its forward and its derivative, is the one record of activations.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dnnviz.nn.activations import get_activation


def backprop_activation(dA, G, activation: str):
    """dZ = dA * g'(Z), with g'(Z) read from G = g(Z) (before dropout); dA is overwritten."""
    return np.multiply(dA, get_activation(activation).derivative_from_output(G), out=dA)


@dataclass(eq=False)
class Pass:
    """What one forward pass leaves for the backward pass and for display."""

    As: list  # [A[0] = X, A[1], ..., A[L−1]]: each layer's input (after dropout, if any)
    ZL: np.ndarray  # the output layer's Z[L], (1, m)
    Gs: list  # [g(Z[1]), ..., g(Z[L−1])] before dropout: As[1:] itself when there is none
    Zs: list  # [Z[1], ..., Z[L−1]] when keep_Z, else []


def forward(Ws, bs, X, activation: str = "relu", *, masks=None, keep_prob: float = 1.0,
            keep_Z: bool = False, first=None) -> Pass:
    """One forward pass through the layers (Ws[k], bs[k]); the last one is the output.

    masks: dropout masks D[1..L−1] (bool, each (n_l, m)) for a training pass, else None.
    keep_Z: keep every hidden Z[l] (costs one array a layer more).
    first: W[1]·X when it is known already (first_layer.py), for a hidden first layer.
    """
    g = get_activation(activation).forward
    As, Gs, Zs = [X], [], []
    A = X
    for l, (W, b) in enumerate(zip(Ws[:-1], bs[:-1])):
        if l == 0 and first is not None:
            Z = first + b
        else:
            Z = W @ A
            Z += b
        if keep_Z:
            Zs.append(Z)
        A = g(Z, out=None if keep_Z else Z)
        Gs.append(A)
        if masks is not None:
            A = A * masks[l]
            A /= keep_prob
        As.append(A)
    ZL = Ws[-1] @ A
    ZL += bs[-1]
    return Pass(As, ZL, Gs, Zs)
