"""The output layer: the lesson's one sigmoid, K sigmoids (one per class) or a softmax.

    sigmoid, one unit (the lesson):  a = σ(z),  loss = −(y log a + (1 − y) log(1 − a))
    sigmoid, K units (one per class): the same on each unit, summed over the K units
    softmax, K units:  a_k = e^{z_k} / Σ_j e^{z_j},  loss = −Σ_k y_k log a_k
                       (computed as logsumexp(z) − Σ_k y_k z_k, after subtracting the
                       column's max: finite for any finite z)

In every case dZ[L] = A[L] − Y, with Y one-hot (K, m) when there are K units; the cost is
−1/m Σ_examples of the loss. Labels arrive as the data sets keep them, (1, m) of 0..K−1;
targets() makes the one-hot Y a K-unit layer trains on.
"""

from __future__ import annotations

import numpy as np

from dnnviz.nn.activations import ACTIVATIONS

OUTPUTS = ("sigmoid", "softmax")
OUTPUT_CHOICES = ("auto", *OUTPUTS)
MAX_CLASSES = 50


def check_output(output: str, units: int) -> str:
    """The output's name if it fits `units` output units; else ValueError (one line)."""
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; choose one of: {', '.join(OUTPUTS)}")
    if output == "softmax" and units < 2:
        raise ValueError("a softmax output needs at least two units (one per class)")
    return output


def output_units(output: str, n_classes: int) -> int:
    """Units of the output layer: the lesson's single sigmoid for two classes, else one a
    class. output: "auto" (sigmoid for two classes, softmax for more), "sigmoid", "softmax"."""
    if output not in OUTPUT_CHOICES:
        raise ValueError(f"unknown output {output!r}; choose one of: {', '.join(OUTPUT_CHOICES)}")
    if n_classes <= 2 and output in ("auto", "sigmoid"):
        return 1
    return max(2, n_classes)


def resolve_output(output: str, n_classes: int) -> str:
    """"auto" made concrete: sigmoid for two classes, softmax for more."""
    if output == "auto":
        return "sigmoid" if n_classes <= 2 else "softmax"
    return output


def output_layer(output: str, n_classes: int) -> tuple[int, str]:
    """(units, "sigmoid" or "softmax") of the output layer for `output` ("auto", "sigmoid"
    or "softmax") and n_classes classes."""
    return output_units(output, n_classes), resolve_output(output, n_classes)


def one_hot(labels, units: int, dtype=np.float64) -> np.ndarray:
    """(units, m) with a 1 in row labels[j] of column j."""
    labels = np.asarray(labels).reshape(-1).astype(np.int64)
    Y = np.zeros((units, labels.size), dtype=dtype)
    Y[labels, np.arange(labels.size)] = 1
    return Y


def targets(Y, units: int, dtype=np.float64) -> np.ndarray:
    """Y as the output layer compares it with A[L]: as it is for one unit or when already
    (units, m); one-hot from labels (1, m) otherwise."""
    Y = np.asarray(Y)
    if units == 1 or Y.shape[0] == units:
        return np.asarray(Y, dtype=dtype)
    return one_hot(Y, units, dtype)


def log_softmax(ZL) -> np.ndarray:
    """log a_k = z_k − logsumexp(z), column by column, after subtracting the column's max."""
    shifted = ZL - np.max(ZL, axis=0, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))


def softmax(ZL) -> np.ndarray:
    """a_k = e^{z_k} / Σ_j e^{z_j}, stable for large z."""
    shifted = ZL - np.max(ZL, axis=0, keepdims=True)
    E = np.exp(shifted)
    return E / np.sum(E, axis=0, keepdims=True)


def activate_output(ZL, output: str) -> np.ndarray:
    """A[L] from Z[L]."""
    if output == "softmax":
        return softmax(ZL)
    return ACTIVATIONS["sigmoid"].forward(ZL)  # one unit (the lesson's), or one a class


def losses(ZL, Y, output: str) -> np.ndarray:
    """Each example's loss, (1, m), from Z[L] and Y (as targets() makes it)."""
    if output == "softmax":
        return -np.sum(Y * log_softmax(ZL), axis=0, keepdims=True)
    each = np.logaddexp(0, ZL) - Y * ZL  # log(1 + e^z) − y z: binary cross-entropy from z
    return each if ZL.shape[0] == 1 else np.sum(each, axis=0, keepdims=True)


def predictions(ZL) -> np.ndarray:
    """The predicted label of each example, (1, m): z > 0 for one unit, else the largest z
    (the largest probability, with a softmax or with one sigmoid a class)."""
    if ZL.shape[0] == 1:
        return (ZL > 0).astype(np.int64)
    return np.argmax(ZL, axis=0).reshape(1, -1)


def label_row(Y) -> np.ndarray:
    """Labels (1, m) from Y given as labels (1, m) or one-hot (K, m)."""
    Y = np.asarray(Y)
    if Y.shape[0] == 1:
        return (Y > 0.5).astype(np.int64) if Y.size and Y.max() <= 1 else Y.astype(np.int64)
    return np.argmax(Y, axis=0).reshape(1, -1)
