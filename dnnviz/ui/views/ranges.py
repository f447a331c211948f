"""Axis ranges held over a run: widened to take in new data, never shrunk frame by frame.

A range that follows every frame's data makes the axis relabel itself many times a second
(pyqtgraph recomputes and repaints its ticks on every change), and makes a shrinking
histogram look unchanged. A held range moves only when the data leaves it, and then to a
round number, so that changes are rare and the ticks stay put.
"""

from __future__ import annotations

import math

import numpy as np

NICE = (1.0, 2.0, 2.5, 5.0, 10.0)
MAX_RANGE = 1e300  # wider ranges overflow in the view's arithmetic (a diverging run)


def nice_ceil(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least value (> 0);
    near the top of the floats, where that would overflow, the largest float."""
    if not value > 0:
        return 1.0
    if not math.isfinite(value):
        return MAX_RANGE
    power = 10.0 ** math.floor(math.log10(value))
    nice = next(m * power for m in NICE if m * power >= value * (1 - 1e-12))
    return min(nice, MAX_RANGE)


class HeldRange:
    """low..high that only widens. Modes: "zero" (0 to a round top: costs, counts),
    "symmetric" (-a..a around 0: weights), "log" (whole decades, for values > 0)."""

    def __init__(self, mode: str = "zero", headroom: float = 1.05):
        if mode not in ("zero", "symmetric", "log"):
            raise ValueError(f"unknown range mode {mode!r}")
        self.mode = mode
        self.headroom = headroom
        self.low: float | None = None
        self.high: float | None = None

    def reset(self) -> None:
        self.low = self.high = None

    @property
    def empty(self) -> bool:
        return self.low is None

    def take(self, *arrays) -> bool:
        """Widen to hold the finite values of arrays; True when the range changed."""
        values = [np.asarray(a, dtype=np.float64).ravel() for a in arrays]
        values = np.concatenate(values) if values else np.empty(0)
        values = values[np.isfinite(values)]
        if self.mode == "log":
            values = values[values > 0]
        if values.size == 0:
            return False
        low, high = self._bounds(float(values.min()), float(values.max()))
        if self.low is not None:
            low, high = min(low, self.low), max(high, self.high)
        changed = (low, high) != (self.low, self.high)
        self.low, self.high = low, high
        return changed

    def _bounds(self, vmin: float, vmax: float) -> tuple[float, float]:
        with np.errstate(over="ignore"):
            top = np.float64(max(abs(vmin), abs(vmax), 0.0)) * self.headroom
        if self.mode == "zero":
            return 0.0, nice_ceil(float(np.float64(max(vmax, 0.0)) * self.headroom))
        if self.mode == "symmetric":
            top = nice_ceil(float(top))
            return -top, top
        return math.floor(math.log10(vmin)), max(math.ceil(math.log10(vmax)),
                                                 math.floor(math.log10(vmin)) + 1)
