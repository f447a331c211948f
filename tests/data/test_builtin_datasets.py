"""Generated data sets: deterministic, balanced, split per class, parameters checked."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dnnviz.data import (
    BUILTIN_DATASETS,
    POINT_DATASETS,
    DataError,
    dataset_defaults,
    make_dataset,
)
from dnnviz.data.builtin import TEST_FRACTION


def arrays(ds) -> tuple[np.ndarray, ...]:
    return ds.X_train, ds.Y_train, ds.X_test, ds.Y_test


def test_names_in_display_order() -> None:
    assert BUILTIN_DATASETS == ("flower", "moons", "circles", "xor", "spiral", "blobs",
                                "shapes", "digits")
    assert POINT_DATASETS == BUILTIN_DATASETS[:-2]


@pytest.mark.parametrize("name", POINT_DATASETS)
def test_point_set_shapes_and_labels(name: str) -> None:
    ds = make_dataset(name)
    n_samples, _ = dataset_defaults(name)
    assert ds.name == name
    assert ds.is_planar and not ds.is_image and ds.image_shape is None
    assert ds.n_x == 2
    assert ds.m_train + ds.m_test == n_samples
    assert ds.m_test == round(TEST_FRACTION * n_samples)
    for X, Y in ((ds.X_train, ds.Y_train), (ds.X_test, ds.Y_test)):
        assert X.dtype == np.float64 and Y.dtype == np.float64
        assert X.shape == (2, Y.shape[1]) and Y.shape[0] == 1
        assert np.isfinite(X).all()
        assert set(np.unique(Y)) == {0.0, 1.0}              # both classes in both splits
        assert abs(Y.mean() - 0.5) < 0.02                    # balanced


def test_shapes_is_an_image_set() -> None:
    ds = make_dataset("shapes", n_samples=40)
    assert ds.is_image and ds.image_shape == (64, 64, 3)
    assert ds.classes == ("other", "circle")
    assert ds.X_train.shape == (12288, 30) and ds.X_test.shape == (12288, 10)
    assert ds.X_train.dtype == np.float64
    assert 0.0 <= ds.X_train.min() and ds.X_train.max() <= 1.0
    assert set(np.unique(ds.Y_train)) == set(np.unique(ds.Y_test)) == {0.0, 1.0}
    assert ds.images("test").shape == (10, 64, 64, 3)


def test_shapes_default_size() -> None:
    ds = make_dataset("shapes")
    assert (ds.m_train, ds.m_test) == (300, 100)


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
def test_same_seed_same_arrays_other_seed_other_arrays(name: str) -> None:
    n = 40 if name == "shapes" else None
    a, b = make_dataset(name, n_samples=n, seed=3), make_dataset(name, n_samples=n, seed=3)
    for x, y in zip(arrays(a), arrays(b)):
        assert np.array_equal(x, y)
    c = make_dataset(name, n_samples=n, seed=4)
    assert not np.array_equal(a.X_train, c.X_train)


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
def test_the_global_generator_is_left_alone(name: str) -> None:
    n = 20 if name == "shapes" else None
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    make_dataset(name, n_samples=n)
    assert np.array_equal(np.random.rand(3), expected)


@pytest.mark.parametrize("name", POINT_DATASETS)
def test_noise_zero_and_more_noise_spreads_points(name: str) -> None:
    quiet = make_dataset(name, noise=0.0, seed=1)
    loud = make_dataset(name, noise=1.0, seed=1)
    assert np.isfinite(quiet.X_train).all()
    assert loud.X_train.std() > quiet.X_train.std()


def test_noise_zero_points_lie_on_their_curves() -> None:
    circles = make_dataset("circles", noise=0.0)
    radius = np.hypot(*circles.X_train)
    assert np.allclose(radius[circles.Y_train[0] == 0], 1.0)
    assert np.allclose(radius[circles.Y_train[0] == 1], 0.5)
    blobs = make_dataset("blobs", noise=0.0)
    assert np.allclose(blobs.X_train, np.where(blobs.Y_train == 1, 0.8, -0.8))
    xor = make_dataset("xor", noise=0.0)
    assert np.array_equal(np.prod(xor.X_train, axis=0) > 0, xor.Y_train[0] == 1)


def test_flower_with_seed_1_holds_the_lessons_points() -> None:
    # The course's load_planar_dataset, written out with its global seed 1.
    rng = np.random.RandomState(1)
    expected = []
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, 200) + rng.randn(200) * 0.2
        r = 4 * np.sin(4 * t) + rng.randn(200) * 0.2
        expected.append(np.c_[r * np.sin(t), r * np.cos(t)])
    ds = make_dataset("flower", seed=1)
    got = np.concatenate([ds.X_train, ds.X_test], axis=1).T
    assert {tuple(p) for p in got} == {tuple(p) for p in np.concatenate(expected)}


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(POINT_DATASETS), n=st.integers(4, 3000),
       noise=st.floats(0.0, 10.0), seed=st.integers(0, 2**32 - 1))
def test_any_valid_parameters_give_a_sound_split(name, n, noise, seed) -> None:
    ds = make_dataset(name, n_samples=n, noise=noise, seed=seed)
    assert ds.m_train + ds.m_test == n
    assert ds.Y_train.sum() + ds.Y_test.sum() == n - n // 2
    for Y in (ds.Y_train, ds.Y_test):
        assert set(np.unique(Y)) == {0.0, 1.0}
    assert np.isfinite(ds.X_train).all() and np.isfinite(ds.X_test).all()


def test_names_are_case_and_space_insensitive() -> None:
    assert make_dataset(" Moons ").name == "moons"


@pytest.mark.parametrize("name", ["cat", "", "moon", "SHAPES!", None, 3])
def test_unknown_names(name) -> None:
    with pytest.raises(DataError, match=r"^unknown data set .*; choose one of: flower, "
                                        r"moons, circles, xor, spiral, blobs, shapes, digits$"):
        make_dataset(name)


@pytest.mark.parametrize("n, problem", [
    (3, r"between 4 and 100000, got 3"), (0, r"got 0"), (-5, r"got -5"),
    (100_001, r"got 100001"), (10.5, r"whole number"), (True, r"whole number"),
    ("40", r"whole number"),
])
def test_bad_n_samples(n, problem: str) -> None:
    with pytest.raises(DataError, match=r"^n_samples .*" + problem):
        make_dataset("moons", n_samples=n)


def test_shapes_has_a_lower_ceiling() -> None:
    with pytest.raises(DataError, match=r"n_samples for 'shapes' must be between 4 and 2000"):
        make_dataset("shapes", n_samples=2001)


@pytest.mark.parametrize("noise", [-0.1, math.nan, math.inf, 10.5, "0.1", True])
def test_bad_noise(noise) -> None:
    with pytest.raises(DataError, match=r"^noise must be"):
        make_dataset("circles", noise=noise)


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, None])
def test_bad_seed(seed) -> None:
    with pytest.raises(DataError, match=r"^seed must be"):
        make_dataset("xor", seed=seed)


def test_smallest_set_still_has_both_classes_in_both_splits() -> None:
    for name in BUILTIN_DATASETS:
        if name == "digits":
            continue
        ds = make_dataset(name, n_samples=4)
        assert (ds.m_train, ds.m_test) == (2, 2)
        assert set(np.unique(ds.Y_train)) == set(np.unique(ds.Y_test)) == {0.0, 1.0}
    ds = make_dataset("digits", n_samples=20)  # two of each digit
    assert (ds.m_train, ds.m_test) == (10, 10)
    assert set(np.unique(ds.Y_train)) == set(np.unique(ds.Y_test)) == set(range(10))
    with pytest.raises(DataError, match="n_samples for 'digits' must be between 20 and 1797"):
        make_dataset("digits", n_samples=19)


def test_defaults_are_exposed() -> None:
    assert dataset_defaults("shapes") == (400, 0.05)
    with pytest.raises(DataError, match="unknown data set"):
        dataset_defaults("nope")
