"""Initialisation schemes, seeded with a local generator (never the global one).

For a given seed the draws are exactly those of `np.random.seed(seed)` followed by
`np.random.randn(n_l, n_{l-1})` layer by layer, as in the course.
"""

from __future__ import annotations

import numpy as np

INIT_SCHEMES = ("zeros", "small", "scaled", "he")

INIT_HELP = {
    "zeros": "all weights 0: every unit of a layer stays identical (the symmetry problem)",
    "small": "randn * 0.01, as in the course's 2-layer model",
    "scaled": "randn / sqrt(n_prev), as in the course's L-layer model",
    "he": "randn * sqrt(2 / n_prev), He et al. for ReLU layers",
}


def weight_scale(init: str, n_prev: int) -> float:
    """The factor randn is multiplied by for a layer with n_prev inputs."""
    if init == "small":
        return 0.01
    if init == "scaled":
        return 1.0 / np.sqrt(n_prev)
    if init == "he":
        return np.sqrt(2.0 / n_prev)
    if init == "zeros":
        return 0.0
    raise ValueError(f"unknown init scheme {init!r}; choose one of: {', '.join(INIT_SCHEMES)}")


def init_weights(layer_dims, init: str = "small", seed: int = 3, dtype=np.float64):
    """Return lists Ws, bs: W_l of shape (n_l, n_{l-1}), b_l of shape (n_l, 1), l = 1..L."""
    rng = np.random.RandomState(seed)
    Ws, bs = [], []
    for n_prev, n in zip(layer_dims[:-1], layer_dims[1:]):
        scale = weight_scale(init, n_prev)
        W = rng.randn(n, n_prev) * scale  # draw even for zeros, so later layers match seeds
        Ws.append(W.astype(dtype, copy=False))
        bs.append(np.zeros((n, 1), dtype=dtype))
    return Ws, bs
