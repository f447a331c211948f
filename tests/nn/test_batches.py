"""Mini-batches: the course's random_mini_batches, and batch_columns one iteration at a time."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dnnviz.nn import batch_columns, batches_per_epoch, random_mini_batches


def test_random_mini_batches_gives_the_courses_published_batches():
    # the course's test case: np.random.seed(1), X randn (12288, 148), batches of 64, seed 0;
    # the notebook prints the shapes and "mini batch sanity check: [0.90085595 -0.7612069
    # 0.2344157]"
    np.random.seed(1)
    X = np.random.randn(12288, 148)
    Y = np.random.randn(1, 148) < 0.5
    batches = random_mini_batches(X, Y, 64)
    assert [b[0].shape for b in batches] == [(12288, 64), (12288, 64), (12288, 20)]
    assert [b[1].shape for b in batches] == [(1, 64), (1, 64), (1, 20)]
    np.testing.assert_allclose(batches[0][0][0][0:3], [0.90085595, -0.7612069, 0.2344157],
                               rtol=0, atol=5e-9)


@given(m=st.integers(1, 300), size=st.integers(1, 300), seed=st.integers(0, 2**32 - 1),
       epoch=st.integers(0, 5))
@settings(max_examples=60, deadline=None)
def test_an_epochs_batches_are_the_courses_for_seed_plus_epoch(m, size, seed, epoch):
    X = np.arange(3 * m, dtype=float).reshape(3, m)
    Y = np.arange(m, dtype=float).reshape(1, m)
    n = batches_per_epoch(m, size)
    columns = [batch_columns(m, size, seed, epoch * n + k) for k in range(n)]
    if size >= m:
        assert columns == [slice(None)]
        return
    course = random_mini_batches(X, Y, size, seed + epoch)
    assert len(course) == n
    for cols, (course_X, course_Y) in zip(columns, course):
        np.testing.assert_array_equal(X[:, cols], course_X)
        np.testing.assert_array_equal(Y[:, cols], course_Y)
    together = np.concatenate(columns)  # every example once an epoch, in batches of `size`
    np.testing.assert_array_equal(np.sort(together), np.arange(m))
    assert [len(c) for c in columns] == [size] * (m // size) + ([m % size] if m % size else [])


@given(m=st.integers(2, 200), size=st.integers(1, 199), seed=st.integers(0, 1000))
@settings(max_examples=30, deadline=None)
def test_epochs_are_shuffled_anew(m, size, seed):
    size = min(size, m - 1)
    n = batches_per_epoch(m, size)
    first = np.concatenate([batch_columns(m, size, seed, k) for k in range(n)])
    second = np.concatenate([batch_columns(m, size, seed, n + k) for k in range(n)])
    np.testing.assert_array_equal(np.sort(first), np.sort(second))
    if m >= 6:  # 6! orders: two equal shuffles in a row would be a bug (or 1 in 720)
        assert not np.array_equal(first, second)


@pytest.mark.parametrize("size", [209, 210, 10**6])
def test_a_batch_of_every_example_is_the_data_itself_in_order(size):
    X = np.random.default_rng(0).random((5, 209))
    for iteration in (0, 1, 7):
        cols = batch_columns(209, size, 3, iteration)
        assert np.shares_memory(X[:, cols], X)
        np.testing.assert_array_equal(X[:, cols], X)


def test_batch_columns_cannot_be_changed_by_the_caller():
    cols = batch_columns(100, 10, 0, 3)
    with pytest.raises(ValueError):
        cols[0] = 5
    np.testing.assert_array_equal(batch_columns(100, 10, 0, 3), cols)


@pytest.mark.parametrize("args, match", [((0, 5, 1, 0), "examples"), ((10, 0, 1, 0), "batch"),
                                         ((10, 3, 1, -1), "iteration")])
def test_bad_arguments_are_one_clear_error(args, match):
    with pytest.raises(ValueError, match=match):
        batch_columns(*args)
