"""Data sets generated in code: deterministic for a seed, no files needed.

Every set is balanced (half label 0, half label 1; or as even as K classes allow for blobs
and spiral with n_classes, and the digits as the UCI set has them) and split per class into
train and test (TEST_FRACTION of each class goes to test), so every class is in both splits.
Randomness comes only from a local generator made from `seed`, never the global one.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import digits, points, shapes
from .dataset import MAX_CLASSES, DataError, Dataset, class_names

TEST_FRACTION = 0.25
MIN_TEST_FRACTION, MAX_TEST_FRACTION = 0.05, 0.9
MIN_SAMPLES = 4
MAX_SAMPLES = 100_000
MAX_NOISE = 10.0
MIN_DIGITS = 20  # two of each digit: one to train on, one to test with


@dataclass(frozen=True)
class BuiltinSpec:
    """What make_dataset needs to know about one generated set."""

    draw: Callable[..., np.ndarray]
    n_samples: int          # default total count, train + test
    noise: float            # default noise, in the set's own units
    description: str
    classes: tuple[str, ...] = ("class 0", "class 1")
    max_samples: int = MAX_SAMPLES
    draw_classes: Callable[..., np.ndarray] | None = None  # (rng, counts, noise): K classes
    min_samples: int = MIN_SAMPLES


SPECS: dict[str, BuiltinSpec] = {
    "flower": BuiltinSpec(points.flower, 400, 0.2, "the lesson's planar petals"),
    "moons": BuiltinSpec(points.moons, 400, 0.15, "two interleaving half circles"),
    "circles": BuiltinSpec(points.circles, 400, 0.1, "a ring around a smaller ring"),
    "xor": BuiltinSpec(points.xor, 400, 0.1, "class 1 where x and y share a sign"),
    "spiral": BuiltinSpec(points.spiral, 600, 0.05, "two interleaved spiral arms (or K)",
                          draw_classes=points.spiral_arms),
    "blobs": BuiltinSpec(points.blobs, 400, 0.5, "two Gaussian blobs (or K)",
                         draw_classes=points.blobs_around),
    "shapes": BuiltinSpec(shapes.draw_shapes, 400, 0.05,
                          "64x64 pictures: a circle or another shape", shapes.CLASSES, 2000),
    "digits": BuiltinSpec(None, digits.COUNT, 0.0,
                          "8x8 handwritten digits 0-9 (UCI, CC BY 4.0)", digits.CLASSES,
                          digits.COUNT, min_samples=MIN_DIGITS),
}

BUILTIN_DATASETS: tuple[str, ...] = tuple(SPECS)
POINT_DATASETS: tuple[str, ...] = tuple(n for n in SPECS if n not in ("shapes", "digits"))
CLASS_DATASETS: tuple[str, ...] = tuple(n for n, s in SPECS.items() if s.draw_classes)


def make_dataset(name: str, *, n_samples: int | None = None, noise: float | None = None,
                 seed: int = 0, test_fraction: float | None = None,
                 n_classes: int | None = None) -> Dataset:
    """Generate the built-in set `name` with n_samples examples in all (train + test).

    Point sets: X_train (2, m_train), image_shape None. "shapes": X_train (12288, m_train),
    image_shape (64, 64, 3). Same arguments, same arrays. test_fraction: the share of each
    class kept for testing (default TEST_FRACTION). n_classes: K classes of the sets in
    CLASS_DATASETS (blobs, spiral; None: two). "digits": the UCI digits (n_samples of the
    1797 picked by the seed), X (64, m) of counts / 16, image_shape (8, 8, 1), ten classes.
    Raises DataError for a bad name, n_samples, noise, seed, test_fraction or n_classes.
    """
    name, spec = _spec(name)
    n = _check_n_samples(name, spec, n_samples)
    sigma = _check_noise(noise, spec.noise)
    fraction = check_test_fraction(test_fraction)
    check_seed(seed)
    k = _check_classes(name, spec, n_classes, n)
    if name == "digits":
        return _digits(n, sigma, seed, fraction)
    if k != 2:
        return _classes_dataset(name, spec, n, k, sigma, seed, fraction)
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


def _check_classes(name: str, spec: BuiltinSpec, n_classes, n: int) -> int:
    own = len(spec.classes)
    if n_classes is None or n_classes == own:
        return own
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral):
        raise DataError(f"the number of classes must be a whole number, got {n_classes!r}")
    if spec.draw_classes is None:
        raise DataError(f"{name!r} has {own} classes; --classes is for "
                        f"{' and '.join(CLASS_DATASETS)}")
    if not 2 <= n_classes <= MAX_CLASSES:
        raise DataError(f"the number of classes must be between 2 and {MAX_CLASSES}, "
                        f"got {n_classes}")
    if n < 2 * n_classes:
        raise DataError(f"{n} points cannot make {n_classes} classes of at least 2 each")
    return int(n_classes)


def _classes_dataset(name, spec, n, k, sigma, seed, fraction) -> Dataset:
    """K classes of 2-D points, as even as n allows."""
    rng = np.random.RandomState(seed)
    counts = [n // k + (j < n % k) for j in range(k)]
    X = spec.draw_classes(rng, counts, sigma)
    y = np.repeat(np.arange(k, dtype=np.float64), counts)
    return _split_dataset(name, X, y, rng, fraction, class_names(k), None)


def _digits(n, sigma, seed, fraction) -> Dataset:
    """The UCI digits (n of them), counts / 16, plus Gaussian noise of sigma if asked."""
    counts, labels = digits.read_digits()
    rng = np.random.RandomState(seed)
    keep = digits.pick_digits(rng, labels, n)
    X = counts[keep].T / digits.LEVELS
    if sigma:
        X = X + rng.randn(*X.shape) * sigma
    return _split_dataset("digits", X, labels[keep].astype(np.float64), rng, fraction,
                          digits.CLASSES, digits.SHAPE)


def _split_dataset(name, X, y, rng, fraction, classes, image_shape) -> Dataset:
    train, test = split_classes(rng, y, fraction)
    return Dataset(name=name, X_train=np.ascontiguousarray(X[:, train], dtype=np.float64),
                   Y_train=y[None, train], X_test=np.ascontiguousarray(X[:, test],
                                                                      dtype=np.float64),
                   Y_test=y[None, test], classes=classes, image_shape=image_shape)


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
    for label in range(max(2, int(y.max()) + 1 if y.size else 0)):
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
    if not spec.min_samples <= n_samples <= spec.max_samples:
        raise DataError(f"n_samples for {name!r} must be between {spec.min_samples} and "
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
