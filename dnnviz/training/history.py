"""A long cost history as few points that keep its shape: the one downsampler.

While a history is short (at most max_points values) every value is kept. Beyond that, the
values are cut into buckets of a power-of-two size and each bucket gives two points, its
smallest and its largest value, in the order they came: the drawn envelope is the true one,
spikes included (a stride would skip them). `PeakHistory` does the same incrementally, for
a run that grows every frame: only new values are read, so a frame costs the same at
iteration 100 as at iteration 10 million.
"""

from __future__ import annotations

import numpy as np

MAX_CURVE_POINTS = 4000


def bucket_size(n: int, max_points: int = MAX_CURVE_POINTS) -> int:
    """The smallest power of two such that n values in buckets give at most max_points."""
    size = 1
    while 2 * -(-n // size) > max_points:
        size *= 2
    return size


def _bucket_peaks(values: np.ndarray, start: int, size: int):
    """x and y of the min and max of each complete bucket of `values` (which starts at
    iteration `start`), in the order they occur."""
    k = len(values) // size
    if k == 0:
        return np.empty(0), np.empty(0)
    block = np.asarray(values[: k * size], dtype=np.float64).reshape(k, size)
    lo, hi = block.argmin(axis=1), block.argmax(axis=1)
    first, second = np.minimum(lo, hi), np.maximum(lo, hi)
    offsets = start + np.arange(k) * size
    x = np.stack([offsets + first, offsets + second], axis=1).ravel()
    rows = np.arange(k)
    y = np.stack([block[rows, first], block[rows, second]], axis=1).ravel()
    return x.astype(np.float64), y


def downsample(values, max_points: int = MAX_CURVE_POINTS):
    """(x, y): every value while there are at most max_points, else each bucket's peaks;
    the last value is always the last point."""
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    if n <= max_points:
        return np.arange(n, dtype=np.float64), values.copy()
    size = bucket_size(n, max_points)
    x, y = _bucket_peaks(values, 0, size)
    tail = n - len(values) // size * size
    tx, ty = _tail(values, n - tail)
    return np.concatenate([x, tx]), np.concatenate([y, ty])


def _tail(values: np.ndarray, start: int):
    """The partial last bucket (from `start`) as its min and max in order, ending with the
    last value so that the curve reaches the newest iteration."""
    part = np.asarray(values[start:], dtype=np.float64)
    if part.size == 0:
        return np.empty(0), np.empty(0)
    idx = sorted({int(part.argmin()), int(part.argmax()), part.size - 1})
    return (start + np.array(idx, dtype=np.float64)), part[idx]


class PeakHistory:
    """downsample() of a growing series, reading only what is new at each call."""

    def __init__(self, max_points: int = MAX_CURVE_POINTS):
        self.max_points = max_points
        self._reset()

    def _reset(self) -> None:
        self._size = 1
        self._done = 0  # values already in complete buckets
        self._x, self._y = np.empty(0), np.empty(0)
        self._seen_last = None

    def xy(self, values):
        """(x, y) for `values`, the whole series so far (a view is fine: it is not kept).

        A series that got shorter, or whose old values changed, is read afresh."""
        values = np.asarray(values)
        n = len(values)
        if n <= self.max_points:
            self._reset()
            return np.arange(n, dtype=np.float64), np.array(values, dtype=np.float64)
        if n < self._done or (self._done and values[self._done - 1] != self._seen_last):
            self._reset()
        size = bucket_size(n, self.max_points)
        if size != self._size:  # buckets double: rebuild from the start (rare)
            self._size, self._done = size, 0
            self._x, self._y = np.empty(0), np.empty(0)
        complete = n // size * size
        if complete > self._done:
            x, y = _bucket_peaks(values[self._done:complete], self._done, size)
            self._x, self._y = np.concatenate([self._x, x]), np.concatenate([self._y, y])
            self._done = complete
            self._seen_last = values[complete - 1]
        tx, ty = _tail(values, complete)
        return np.concatenate([self._x, tx]), np.concatenate([self._y, ty])
