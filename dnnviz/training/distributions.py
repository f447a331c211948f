"""Distributions over time: each layer's W and dW summarised every few iterations.

TensorBoard's two pictures of a run's weights, computed here in the training process:
percentile bands (the 0, 7, 16, 31, 50, 69, 84, 93 and 100th percentiles of every layer's
values, over iterations) and histograms stacked by iteration; and beside them each layer's
||dW|| / ||W||, where vanishing gradients show as orders of magnitude.

DistributionHistory records every `every` iterations into bounded memory: when it holds
CAPACITY records it keeps every second one and records half as often, so a run of any
length keeps about CAPACITY records spread evenly over it (the start included). It is
recorded by the Session, travels with its RunState and is saved in model files.
Pure NumPy: no Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PERCENTILES = (0, 7, 16, 31, 50, 69, 84, 93, 100)
BANDS = ((0, 8), (1, 7), (2, 6), (3, 5))  # pairs of PERCENTILES indices, outer to inner
MEDIAN = 4
CAPACITY = 256  # records kept at most (then thinned to half)
BINS = 24  # bins of each stacked histogram
MAX_SAMPLE = 8192  # percentiles of bigger layers are read from an even stride of values
STACKED = 32  # histograms a frame carries for the stacked view
KINDS = ("W", "dW")


def first_every(target_iterations: int, capacity: int = CAPACITY) -> int:
    """The smallest power of two that spreads the target run over at most capacity records."""
    every = 1
    while target_iterations / every > capacity:
        every *= 2
    return every


def sample(values: np.ndarray, max_values: int = MAX_SAMPLE) -> np.ndarray:
    """values as float64, flat: all of them, or an even stride of about max_values."""
    flat = np.asarray(values).ravel()
    stride = max(1, -(-flat.size // max_values))
    return flat[::stride].astype(np.float64)


def summarise(values: np.ndarray, bins: int = BINS):
    """(percentiles (9,), norm, counts (bins,), (low, high)) of one layer's values.

    The percentiles are exact (np.percentile) for up to MAX_SAMPLE values; beyond that the
    inner ones come from an even stride, and the 0th and 100th are the true min and max.
    Non-finite values (a diverging run) are left out; none left: NaN everywhere. A record
    of the cat net's five matrices and their gradients takes about a millisecond.
    """
    flat = np.asarray(values).ravel()
    with np.errstate(all="ignore"):
        low, high = (float(flat.min()), float(flat.max())) if flat.size else (np.nan, np.nan)
        if not (math.isfinite(low) and math.isfinite(high)):
            flat = flat[np.isfinite(flat)]
            if flat.size == 0:
                return (np.full(len(PERCENTILES), np.nan), np.nan, np.zeros(bins),
                        (np.nan, np.nan))
            low, high = float(flat.min()), float(flat.max())
        part = sample(flat)
        pct = np.percentile(part, PERCENTILES)
        pct[0], pct[-1] = low, high
        norm = float(np.linalg.norm(flat.astype(np.float64, copy=False)))
    if not high > low:
        pad = max(abs(low), 1e-12) * 1e-3
        low, high = low - pad, high + pad
    counts, _ = np.histogram(part, bins=bins, range=(low, high))
    return pct, norm, counts.astype(np.float64), (low, high)


@dataclass(frozen=True, eq=False)
class DistributionFrame:
    """What the distributions view draws, for one kind (W or dW); made by
    DistributionHistory.frame(). Arrays are float64 copies.

    iterations (k,); percentiles (k, L, 9); ratio (k, L): ||dW|| / ||W|| (NaN where there
    was no step yet); stacked_iterations (h,), stacked (h, L, BINS) counts and
    stacked_ranges (h, L, 2) of the histograms stacked by iteration (h <= STACKED)."""

    kind: str
    iterations: np.ndarray
    percentiles: np.ndarray
    ratio: np.ndarray
    stacked_iterations: np.ndarray
    stacked: np.ndarray
    stacked_ranges: np.ndarray

    @property
    def layers(self) -> int:
        return self.percentiles.shape[1]


class DistributionHistory:
    """Percentiles, norms and histograms of every W[l] and dW[l], every `every` iterations.

    Arrays (k records first): iterations (k,); for kind in W, dW: pct[kind] (k, L, 9),
    norm[kind] (k, L), counts[kind] (k, L, BINS), ranges[kind] (k, L, 2). dW is NaN (and
    its counts 0) at iteration 0, before any step.
    """

    def __init__(self, layers: int, every: int = 1, capacity: int = CAPACITY):
        if capacity < 2 or capacity % 2:
            raise ValueError(f"capacity must be an even number of at least 2, not {capacity}")
        self.layers, self.every, self.capacity = int(layers), int(every), int(capacity)
        self.size = 0
        self._iterations = np.zeros(capacity, dtype=np.int64)
        L = self.layers
        self._pct = {k: np.zeros((capacity, L, len(PERCENTILES))) for k in KINDS}
        self._norm = {k: np.zeros((capacity, L)) for k in KINDS}
        self._counts = {k: np.zeros((capacity, L, BINS), dtype=np.float32) for k in KINDS}
        self._ranges = {k: np.zeros((capacity, L, 2)) for k in KINDS}

    # --- reading --------------------------------------------------------------------------
    @property
    def iterations(self) -> np.ndarray:
        return self._iterations[: self.size]

    def pct(self, kind: str) -> np.ndarray:
        return self._pct[kind][: self.size]

    def norm(self, kind: str) -> np.ndarray:
        return self._norm[kind][: self.size]

    def counts(self, kind: str) -> np.ndarray:
        return self._counts[kind][: self.size]

    def ranges(self, kind: str) -> np.ndarray:
        return self._ranges[kind][: self.size]

    def ratio(self) -> np.ndarray:
        """(k, L): ||dW[l]|| / ||W[l]|| at each record (NaN before the first step)."""
        with np.errstate(all="ignore"):
            return self.norm("dW") / self.norm("W")

    def frame(self, kind: str, stacked: int = STACKED) -> DistributionFrame:
        """The view's copy for one kind, with at most `stacked` histograms, evenly spaced
        and ending at the newest."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}: W or dW")
        pick = np.unique(np.linspace(0, self.size - 1, min(stacked, self.size))
                         .round().astype(int))
        counts = self.counts(kind)[pick].astype(np.float64)
        return DistributionFrame(
            kind, self.iterations.astype(np.float64), self.pct(kind).copy(), self.ratio(),
            self.iterations[pick].astype(np.float64), counts, self.ranges(kind)[pick].copy())

    # --- writing --------------------------------------------------------------------------
    def due(self, iteration: int) -> bool:
        return iteration % self.every == 0 and (
            self.size == 0 or iteration > self._iterations[self.size - 1])

    def record(self, iteration: int, Ws, dWs=None) -> None:
        """Summarise Ws (and dWs, the last step's gradients; None before the first step)
        as the record of `iteration`."""
        if len(Ws) != self.layers or (dWs is not None and len(dWs) != self.layers):
            raise ValueError(f"expected {self.layers} layers, got {len(Ws)}")
        if self.size == self.capacity:
            self.thin()
        i = self.size
        self._iterations[i] = iteration
        for kind, arrays in (("W", Ws), ("dW", dWs)):
            for l in range(self.layers):
                if arrays is None:
                    pct, norm, counts, rng = (np.nan, np.nan, 0.0, (np.nan, np.nan))
                else:
                    pct, norm, counts, rng = summarise(arrays[l])
                self._pct[kind][i, l] = pct
                self._norm[kind][i, l] = norm
                self._counts[kind][i, l] = counts
                self._ranges[kind][i, l] = rng
        self.size += 1

    def thin(self) -> None:
        """Keep the records at multiples of twice `every` (the first always), and record
        half as often from now on."""
        self.every *= 2
        keep = np.flatnonzero(self.iterations % self.every == 0)
        if keep.size == 0 or keep[0] != 0:
            keep = np.union1d([0], keep)
        if keep.size > self.capacity // 2:  # records not on the grid (a restored history)
            keep = keep[np.linspace(0, keep.size - 1, self.capacity // 2).round().astype(int)]
        self._take(keep)

    def _take(self, keep: np.ndarray) -> None:
        n = keep.size
        self._iterations[:n] = self._iterations[keep]
        for kind in KINDS:
            for store in (self._pct, self._norm, self._counts, self._ranges):
                store[kind][:n] = store[kind][keep]
        self.size = n

    def cut(self, iteration: int) -> None:
        """Forget the records after `iteration` (a step that was undone)."""
        self.size = int(np.searchsorted(self.iterations, iteration, side="right"))

    # --- as plain arrays (model files, a run's state) -------------------------------------
    def arrays(self) -> dict:
        """Copies, by name: iterations, and W_pct, W_norm, W_counts, W_ranges, dW_...; the
        recording interval as `every` (a 0-d array)."""
        out = {"iterations": self.iterations.copy(), "every": np.array(self.every)}
        for kind in KINDS:
            out.update({f"{kind}_pct": self.pct(kind).copy(),
                        f"{kind}_norm": self.norm(kind).copy(),
                        f"{kind}_counts": self.counts(kind).copy(),
                        f"{kind}_ranges": self.ranges(kind).copy()})
        return out

    @classmethod
    def from_arrays(cls, arrays: dict, layers: int,
                    capacity: int = CAPACITY) -> DistributionHistory:
        """The history that arrays() gave; ValueError (one line) if they do not fit."""
        iterations = np.asarray(arrays["iterations"])
        k = iterations.shape[0] if iterations.ndim == 1 else -1
        if k < 0 or k > capacity or iterations.dtype.kind not in "iu":
            raise ValueError("distributions: 'iterations' should be at most "
                             f"{capacity} whole numbers")
        if k and (iterations.min() < 0 or np.any(np.diff(iterations) <= 0)):
            raise ValueError("distributions: 'iterations' should rise from 0 or more")
        every = int(np.asarray(arrays["every"]))
        if every < 1:
            raise ValueError(f"distributions: 'every' should be at least 1, not {every}")
        history = cls(layers, every, capacity)
        shapes = {"pct": (k, layers, len(PERCENTILES)), "norm": (k, layers),
                  "counts": (k, layers, BINS), "ranges": (k, layers, 2)}
        for kind in KINDS:
            for name, shape in shapes.items():
                value = np.asarray(arrays[f"{kind}_{name}"])
                if value.shape != shape:
                    raise ValueError(f"distributions: '{kind}_{name}' has shape "
                                     f"{value.shape}, expected {shape}")
                if value.dtype.kind not in "fiu":
                    raise ValueError(f"distributions: '{kind}_{name}' holds {value.dtype} "
                                     "values, expected numbers")
        history._iterations[:k] = iterations
        for kind in KINDS:
            history._pct[kind][:k] = arrays[f"{kind}_pct"]
            history._norm[kind][:k] = arrays[f"{kind}_norm"]
            history._counts[kind][:k] = arrays[f"{kind}_counts"]
            history._ranges[kind][:k] = arrays[f"{kind}_ranges"]
        history.size = k
        return history

    def copy(self) -> DistributionHistory:
        return DistributionHistory.from_arrays(self.arrays(), self.layers, self.capacity)


def arrays_from(group, layers: int, iteration: int) -> dict:
    """The arrays() of a history kept in group (a mapping of arrays, such as an h5py
    group), checked: ValueError (one line) for one missing, too big, or not fitting a
    network of `layers` layers at `iteration`."""
    names = DistributionHistory(1).arrays().keys()
    max_values = CAPACITY * layers * max(BINS, len(PERCENTILES))  # the biggest there is
    missing = [name for name in names if name not in group]
    if missing:
        raise ValueError(f"distributions lack {', '.join(missing)}")
    arrays = {}
    for name in names:
        node = group[name]
        if not hasattr(node, "shape") or int(np.prod(node.shape)) > max_values:
            raise ValueError(f"distributions {name!r} is not an array of at most "
                             f"{max_values:,} values")
        arrays[name] = np.asarray(node[()])
    DistributionHistory.from_arrays(arrays, layers)
    if arrays["iterations"].size and arrays["iterations"][-1] > iteration:
        raise ValueError(f"distributions go past iteration {iteration:,}")
    return arrays
