"""Generators for the 2-D point sets: each draws class 0, then class 1, from a given RandomState.

Every generator has the signature `(rng, n0, n1, noise) -> X` with X of shape (2, n0 + n1),
float64: the first n0 columns are class 0, the last n1 are class 1. Splitting into train and
test and shuffling happen in builtin.py, so a generator only has to draw points.
"""

from __future__ import annotations

import numpy as np


def flower(rng: np.random.RandomState, n0: int, n1: int, noise: float) -> np.ndarray:
    """The lesson's planar petals (load_planar_dataset): radius a*sin(4t), a = 4.

    With RandomState(1), n0 = n1 = 200 and noise = 0.2 the points equal the course's own
    (before the train/test split), because the draws happen in the same order.
    """
    a = 4.0
    parts = []
    for j, n in enumerate((n0, n1)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.randn(n) * noise
        r = a * np.sin(4 * t) + rng.randn(n) * noise
        parts.append(np.stack([r * np.sin(t), r * np.cos(t)]))
    return np.concatenate(parts, axis=1)


def moons(rng: np.random.RandomState, n0: int, n1: int, noise: float) -> np.ndarray:
    """Two interleaving half circles of radius 1, centred on the origin."""
    t0 = rng.uniform(0.0, np.pi, n0)
    t1 = rng.uniform(0.0, np.pi, n1)
    upper = np.stack([np.cos(t0), np.sin(t0)])
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.concatenate([upper, lower], axis=1) - np.array([[0.5], [0.25]])
    return X + rng.randn(*X.shape) * noise


def circles(rng: np.random.RandomState, n0: int, n1: int, noise: float) -> np.ndarray:
    """An outer ring of radius 1 (class 0) around an inner ring of radius 0.5 (class 1)."""
    t = rng.uniform(0.0, 2 * np.pi, n0 + n1)
    r = np.concatenate([np.full(n0, 1.0), np.full(n1, 0.5)])
    X = np.stack([r * np.cos(t), r * np.sin(t)])
    return X + rng.randn(*X.shape) * noise


def xor(rng: np.random.RandomState, n0: int, n1: int, noise: float) -> np.ndarray:
    """Four squares around the origin; class 1 where x and y share a sign (x * y > 0).

    Points keep a margin of 0.1 from the axes before noise, as in the TensorFlow playground.
    """
    def quadrant_points(n: int, same_sign: bool) -> np.ndarray:
        sign = rng.choice([-1.0, 1.0], size=n)
        mag = rng.uniform(0.1, 1.0, size=(2, n))
        return np.stack([sign * mag[0], (sign if same_sign else -sign) * mag[1]])

    X = np.concatenate([quadrant_points(n0, False), quadrant_points(n1, True)], axis=1)
    return X + rng.randn(*X.shape) * noise


def spiral(rng: np.random.RandomState, n0: int, n1: int, noise: float,
           turns: float = 1.5) -> np.ndarray:
    """Two interleaved spiral arms of radius up to 1, the second turned by half a circle."""
    parts = []
    for j, n in enumerate((n0, n1)):
        u = rng.uniform(0.05, 1.0, n)
        t = 2 * np.pi * turns * u + j * np.pi
        parts.append(np.stack([u * np.sin(t), u * np.cos(t)]))
    X = np.concatenate(parts, axis=1)
    return X + rng.randn(*X.shape) * noise


def blobs(rng: np.random.RandomState, n0: int, n1: int, noise: float) -> np.ndarray:
    """Two round Gaussian blobs with standard deviation `noise`, centred at -/+(0.8, 0.8)."""
    centres = np.concatenate([np.full(n0, -0.8), np.full(n1, 0.8)])
    X = np.stack([centres, centres])
    return X + rng.randn(*X.shape) * noise


def spiral_arms(rng: np.random.RandomState, counts, noise: float,
                turns: float = 1.0) -> np.ndarray:
    """K spiral arms of radius up to 1, arm j turned by j/K of a circle (as in Stanford's
    CS231n notes): counts[j] points on arm j."""
    k = len(counts)
    parts = []
    for j, n in enumerate(counts):
        u = rng.uniform(0.05, 1.0, n)
        t = 2 * np.pi * turns * u + j * 2 * np.pi / k
        parts.append(np.stack([u * np.sin(t), u * np.cos(t)]))
    X = np.concatenate(parts, axis=1)
    return X + rng.randn(*X.shape) * noise


def blobs_around(rng: np.random.RandomState, counts, noise: float) -> np.ndarray:
    """K round Gaussian blobs with standard deviation `noise`, their centres evenly spaced
    on a circle of radius 1.1: counts[j] points in blob j."""
    k = len(counts)
    angles = np.pi / 4 + 2 * np.pi * np.arange(k) / k
    labels = np.repeat(np.arange(k), counts)
    X = 1.1 * np.stack([np.cos(angles[labels]), np.sin(angles[labels])])
    return X + rng.randn(*X.shape) * noise
