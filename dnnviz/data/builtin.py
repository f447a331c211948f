"""Data sets generated in code: deterministic for a seed, no files needed.

Every set is balanced (half label 0, half label 1) and split per class into train and test
(TEST_FRACTION of each class goes to test), so both classes appear in both splits.
Randomness comes only from a local generator made from `seed`, never the global one.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import points, shapes
from .dataset import DataError, Dataset

TEST_FRACTION = 0.25
MIN_TEST_FRACTION, MAX_TEST_FRACTION = 0.05, 0.9
MIN_SAMPLES = 4
MAX_SAMPLES = 100_000
MAX_NOISE = 10.0


@dataclass(frozen=True)
class BuiltinSpec:
    """What make_dataset needs to know about one generated set."""

    draw: Callable[..., np.ndarray]
    n_samples: int          # default total count, train + test
    noise: float            # default noise, in the set's own units
    description: str
    classes: tuple[str, str] = ("class 0", "class 1")
    max_samples: int = MAX_SAMPLES


SPECS: dict[str, BuiltinSpec] = {
    "flower": BuiltinSpec(points.flower, 400, 0.2, "the lesson's planar petals"),
    "moons": BuiltinSpec(points.moons, 400, 0.15, "two interleaving half circles"),
    "circles": BuiltinSpec(points.circles, 400, 0.1, "a ring around a smaller ring"),
    "xor": BuiltinSpec(points.xor, 400, 0.1, "class 1 where x and y share a sign"),
    "spiral": BuiltinSpec(points.spiral, 600, 0.05, "two interleaved spiral arms"),
    "blobs": BuiltinSpec(points.blobs, 400, 0.5, "two Gaussian blobs"),
    "shapes": BuiltinSpec(shapes.draw_shapes, 400, 0.05,
                          "64x64 pictures: a circle or another shape", shapes.CLASSES, 2000),
}

BUILTIN_DATASETS: tuple[str, ...] = tuple(SPECS)
POINT_DATASETS: tuple[str, ...] = tuple(n for n in SPECS if n != "shapes")


def make_dataset(name: str, *, n_samples: int | None = None, noise: float | None = None,
                 seed: int = 0, test_fraction: float | None = None) -> Dataset:
    """Generate the built-in set `name` with n_samples examples in all (train + test).

    Point sets: X_train (2, m_train), image_shape None. "shapes": X_train (12288, m_train),
    image_shape (64, 64, 3). Same arguments, same arrays. test_fraction: the share of each
    class kept for testing (default TEST_FRACTION). Raises DataError for a bad name,
    n_samples, noise, seed or test_fraction.
    """
    name, spec = _spec(name)
    n = _check_n_samples(name, spec, n_samples)
    sigma = _check_noise(noise, spec.noise)
    fraction = check_test_fraction(test_fraction)
    check_seed(seed)
    n0 = n // 2
    n1 = n - n0
    if name == "shapes":
        # Generator: several times faster than RandomState for millions of pixel normals.
        rng = np.random.default_rng(seed)
        x = spec.draw(rng, n0, n1, sigma)                    # (m, 64, 64, 3)
        image_shape = x.shape[1:]
        X = x.reshape(n, -1).T                               # the lesson's flattening
    else:
        # RandomState: its stream is frozen, and flower(seed=1) then matches the course.
        rng = np.random.RandomState(seed)
        X = spec.draw(rng, n0, n1, sigma)                    # (2, m)
        image_shape = None
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    train, test = split_classes(rng, y, fraction)
    return Dataset(
        name=name,
        X_train=np.ascontiguousarray(X[:, train], dtype=np.float64),
        Y_train=y[None, train],
        X_test=np.ascontiguousarray(X[:, test], dtype=np.float64),
        Y_test=y[None, test],
        classes=spec.classes,
        image_shape=image_shape,
    )


def dataset_defaults(name: str) -> tuple[int, float]:
    """(n_samples, noise) that make_dataset uses for `name` when they are not given."""
    _, spec = _spec(name)
    return spec.n_samples, spec.noise


def _spec(name: str) -> tuple[str, BuiltinSpec]:
    """The canonical (lower-case) name and its spec; DataError naming the choices if unknown."""
    key = name.strip().lower() if isinstance(name, str) else None
    if key not in SPECS:
        raise DataError(f"unknown data set {name!r}; choose one of: {', '.join(SPECS)}")
    return key, SPECS[key]


def split_classes(rng: np.random.RandomState | np.random.Generator, y: np.ndarray,
                  fraction: float = TEST_FRACTION) -> tuple[np.ndarray, np.ndarray]:
    """Shuffled train and test column indices: `fraction` of each class (at least 1, and
    at least 1 left to train on) to test. Every data set made or split here goes through it."""
    train, test = [], []
    for label in (0.0, 1.0):
        idx = rng.permutation(np.flatnonzero(y == label))
        n_test = min(max(1, round(fraction * idx.size)), idx.size - 1)
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _check_n_samples(name: str, spec: BuiltinSpec, n_samples: int | None) -> int:
    if n_samples is None:
        return spec.n_samples
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral):
        raise DataError(f"n_samples must be a whole number, got {n_samples!r}")
    if not MIN_SAMPLES <= n_samples <= spec.max_samples:
        raise DataError(f"n_samples for {name!r} must be between {MIN_SAMPLES} and "
                        f"{spec.max_samples}, got {n_samples}")
    return int(n_samples)


def _check_noise(noise: float | None, default: float) -> float:
    if noise is None:
        return default
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real):
        raise DataError(f"noise must be a number, got {noise!r}")
    if not (math.isfinite(noise) and 0.0 <= noise <= MAX_NOISE):
        raise DataError(f"noise must be between 0 and {MAX_NOISE:g}, got {noise}")
    return float(noise)


def check_test_fraction(fraction: float | None) -> float:
    """The share of each class kept for testing: TEST_FRACTION when not given."""
    if fraction is None:
        return TEST_FRACTION
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real) \
            or not (math.isfinite(fraction) and MIN_TEST_FRACTION <= fraction <= MAX_TEST_FRACTION):
        raise DataError(f"the test fraction must be between {MIN_TEST_FRACTION:g} and "
                        f"{MAX_TEST_FRACTION:g}, got {fraction!r}")
    return float(fraction)


def check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise DataError(f"seed must be a whole number, got {seed!r}")
    if not 0 <= seed < 2**32:
        raise DataError(f"seed must be between 0 and {2**32 - 1}, got {seed}")
