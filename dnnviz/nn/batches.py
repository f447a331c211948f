"""Mini-batches, as course 2 makes them: shuffle the examples each epoch, then cut them in order.

random_mini_batches(X, Y, size, seed) is the course's function: one epoch's batches.
batch_columns(m, size, seed, iteration) is the same thing one iteration at a time, for a
caller that takes one update per iteration (the app's Session): the columns of X and Y that
iteration `iteration` trains on, with epoch = iteration // batches_per_epoch and the batch
within the epoch = iteration % batches_per_epoch. Epoch e is shuffled exactly as
random_mini_batches(X, Y, size, seed + e) shuffles (the course adds 1 to its seed every epoch),
so a run replays from its seed, and a saved run continues, knowing only the iteration number.

    cols = batch_columns(m, batch_size, seed, iteration)
    net.step(X[:, cols], Y[:, cols], learning_rate, iteration=iteration)

A batch size of m or more is the lesson's batch gradient descent: every column, in order,
as slice(None), so X[:, cols] is X itself (a view, no copy) and the run is the plain one.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

SEEDS = 2**32  # np.random.RandomState takes seeds below this


def batches_per_epoch(m: int, batch_size: int) -> int:
    """ceil(m / batch_size): the last batch of an epoch holds what is left (m % batch_size)."""
    _check(m, batch_size)
    return math.ceil(m / batch_size)


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """[(mini_batch_X, mini_batch_Y), ...]: X and Y's columns shuffled together by
    RandomState(seed).permutation (as np.random.seed(seed); np.random.permutation in the
    course), then cut into batches of mini_batch_size, the last one smaller if need be."""
    m = X.shape[1]
    _check(m, mini_batch_size)
    permutation = np.random.RandomState(seed % SEEDS).permutation(m)
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    return [(shuffled_X[:, k:k + mini_batch_size], shuffled_Y[:, k:k + mini_batch_size])
            for k in range(0, m, mini_batch_size)]


def batch_columns(m: int, batch_size: int, seed: int, iteration: int):
    """The columns iteration `iteration` trains on: slice(None) (all, in order) when
    batch_size >= m, else an int array of at most batch_size column indices (read-only)."""
    _check(m, batch_size)
    if int(iteration) < 0:
        raise ValueError(f"iteration must be >= 0, not {iteration}")
    if batch_size >= m:
        return slice(None)
    epoch, k = divmod(int(iteration), batches_per_epoch(m, batch_size))
    permutation = _permutation(int(m), (int(seed) + epoch) % SEEDS)
    return permutation[k * batch_size:(k + 1) * batch_size]


@lru_cache(maxsize=4)
def _permutation(m: int, seed: int) -> np.ndarray:
    """An epoch's shuffle, computed once for all of its batches."""
    permutation = np.random.RandomState(seed).permutation(m)
    permutation.flags.writeable = False
    return permutation


def _check(m: int, batch_size: int) -> None:
    if int(m) < 1 or int(batch_size) < 1:
        raise ValueError(f"the number of examples and the batch size must be >= 1, "
                         f"not {m} and {batch_size}")
