"""ReadableAxis: tick labels that never run into each other, whatever the font.

pyqtgraph spaces ticks by a fixed pixel density and always asks for two or more intervals,
so on a small histogram in presentation mode's larger text the labels collide ("-4-3-2-1 0
1 2 3 4"). Here the spacing comes from the font: the widest label the axis would write, plus
a gap, must fit between two ticks. Steps are 1, 2, 2.5 or 5 times a power of ten, and on
a held range (round ends) the ends fall on ticks, so both ends are labelled. An axis has at
least MIN_TICKS labels whenever they fit without touching: a short cost axis on a projector
showed a lone "0.5", which says nothing of the scale.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtGui import QFontMetricsF

STEPS = (1.0, 2.0, 2.5, 5.0)
GAP_EM = 1.2  # room between two labels, in widths of "M"
MIN_TICKS = 3  # at least this many labels where they fit
ROOMY_LINES, TIGHT_LINES = 2.5, 1.05  # a number every few lines; at worst, nearly touching


def nice_steps(span: float):
    """Candidate tick steps for a range of span, smallest first (about span/50 up)."""
    power = 10.0 ** math.floor(math.log10(span / 50.0))
    while True:
        for m in STEPS:
            yield m * power
        power *= 10.0


def format_tick(value: float, step: float) -> str:
    """value with as many decimals as the step needs ("0.25", "-4", "1e-07")."""
    if value == 0:
        return "0"
    if abs(value) >= 1e5 or abs(value) < 1e-4:
        return f"{value:.2g}".replace("e-0", "e-").replace("e+0", "e")
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if step * 10 ** decimals % 1 > 1e-6:  # 2.5 times a power of ten needs one more
        decimals += 1
    return f"{value:.{decimals}f}"


def tick_count(low: float, high: float, step: float) -> int:
    """How many multiples of step lie in low..high."""
    return int(math.floor(high / step + 1e-9) - math.ceil(low / step - 1e-9)) + 1


class ReadableAxis(pg.AxisItem):
    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.style["tickFont"] or self.font())

    def tickSpacing(self, minVal, maxVal, size):
        span = abs(maxVal - minVal)
        if not span > 0 or not math.isfinite(span) or size <= 0:
            return super().tickSpacing(minVal, maxVal, size)
        low = min(minVal, maxVal)
        high, fallback = low + span, None
        inset = self._inset(span, size)  # labels at the very ends are not drawn
        for step in nice_steps(span):
            if span / step * self._need(low, high, step, ROOMY_LINES) <= size or step >= span:
                break
            if tick_count(low + inset, high - inset, step) >= MIN_TICKS and \
                    span / step * self._need(low, high, step, TIGHT_LINES) <= size:
                fallback = step  # the sparsest so far that fits MIN_TICKS, in case
        if tick_count(low + inset, high - inset, step) < MIN_TICKS and fallback is not None:
            step = fallback
        return [(step, 0.0)]

    def _inset(self, span: float, size: float) -> float:
        """How far from each end (in values) a label's centre must be for pyqtgraph to draw
        it whole within the axis: half a line down the side, half a label along the bottom.
        Only an axis with a grid clips its labels to its plot (pyqtgraph's boundingRect);
        one without draws its end labels."""
        if self.grid is False:
            return 0.0
        metrics = self._metrics()
        half = metrics.height() / 2 if self.orientation in ("left", "right") else \
            metrics.horizontalAdvance("0.0") / 2
        return half / size * span

    def _need(self, low: float, high: float, step: float, lines: float) -> float:
        """Pixels from one label to the next: lines of text down the side, or the widest
        label and a gap (half a gap if tight) along the bottom."""
        metrics = self._metrics()
        if self.orientation in ("left", "right"):
            return metrics.height() * lines
        gap = GAP_EM * metrics.horizontalAdvance("M") * (1.0 if lines >= ROOMY_LINES else 0.5)
        labels = (format_tick(v, step) for v in (low, high, -step, step))
        return max(metrics.horizontalAdvance(s) for s in labels) + gap

    def tickValues(self, minVal, maxVal, size):
        low, high = sorted((minVal, maxVal))
        levels = []
        for spacing, offset in self.tickSpacing(low, high, size) or []:
            first = math.ceil((low - offset) / spacing - 1e-9) * spacing + offset
            count = int(math.floor((high - first) / spacing + 1e-9)) + 1
            values = [first + i * spacing for i in range(max(count, 0))]
            levels.append((spacing, [0.0 if abs(v) < spacing * 1e-9 else v for v in values]))
        return levels

    def tickStrings(self, values, scale, spacing):
        if self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [format_tick(v * scale, spacing * scale) for v in values]


class UnitAxis(ReadableAxis):
    """The units of a layer down the side, numbered from 1 at the centre of each row: every
    unit when there is room, else every 2nd, 5th, 10th..., always the last."""

    def __init__(self, orientation: str, n: int, **kwargs):
        super().__init__(orientation, **kwargs)
        self.n = n
        self.names: tuple[str, ...] | None = None  # a name for each unit (K outputs: classes)

    def tickValues(self, minVal, maxVal, size):
        room = self._metrics().height() * 1.1
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10**9)
                    if self.n / s * room <= max(size, 1) or s >= self.n)
        numbers = list(range(step, self.n + 1, step)) if step > 1 else list(range(1, self.n + 1))
        if numbers[-1:] != [self.n] and (not numbers or (self.n - numbers[-1]) * size / self.n
                                         >= room):
            numbers.append(self.n)
        if step > 1 and size / self.n * (numbers[0] - 1) >= room:
            numbers.insert(0, 1)
        return [(1.0, [k - 0.5 for k in numbers])]

    def tickStrings(self, values, scale, spacing):
        numbers = [int(round(v + 0.5)) for v in values]
        if self.names is not None and len(self.names) == self.n:
            return [self.names[k - 1] for k in numbers]
        return [str(k) for k in numbers]


class CostAxis(ReadableAxis):
    """A cost axis whose log mode labels round values only, as many as fit and at least
    MIN_TICKS where they fit: whole decades, then 1 and 3 times them, 1, 2 and 5 ... every digit,
    then (a range inside one decade, a slow run's 0.26 to 0.3) round steps of the value
    (pyqtgraph's own labelled every minor tick, 0.06, 0.07 ..., which overlapped, or one
    decade alone)."""

    def tickValues(self, minVal, maxVal, size):
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        low, high = sorted((minVal, maxVal))
        if not (high > low and math.isfinite(high - low) and size > 0):
            return []
        tight = self._need(low, high, 1.0, TIGHT_LINES)
        roomy = self._need(low, high, 1.0, ROOMY_LINES)
        fitting = []
        inset = self._inset(high - low, size)
        for values in log_candidates(low, high):
            gap = np.diff(values).min(initial=high - low) / (high - low) * size
            drawn = np.count_nonzero((values >= low + inset) & (values <= high - inset))
            if gap >= tight:
                fitting.append(values)
                if drawn >= MIN_TICKS or (gap < roomy and drawn > 1):
                    return [(1.0, values.tolist())]
        if not fitting:
            return []
        return [(1.0, max(fitting, key=lambda v: np.count_nonzero(
            (v >= low + inset) & (v <= high - inset))).tolist())]

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [log_label(10.0 ** v) for v in values]


def color_bar(**options) -> pg.ColorBarItem:
    """A colour bar for a view drawn every frame: its axis without SI prefixes (pyqtgraph
    otherwise remakes the axis label's HTML each time the levels change, every frame)."""
    bar = pg.ColorBarItem(interactive=False, colorMapMenu=False, **options)
    bar.axis.enableAutoSIPrefix(False)
    return bar


LOG_SERIES = ((1,), (1, 3), (1, 2, 5), (1, 2, 3, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9))


def log_candidates(low: float, high: float):
    """Sets of round values' log10 in low..high (log10 units), sparsest first: the series
    of LOG_SERIES, then round steps of the value itself, largest first."""
    decades = range(math.floor(low) - 1, math.ceil(high) + 1)
    for series in LOG_SERIES:
        logs = np.log10([m * 10.0 ** d for d in decades for m in series])
        yield logs[(logs >= low - 1e-9) & (logs <= high + 1e-9)]
    lo, hi = 10.0 ** low, 10.0 ** high
    steps = list(itertools.takewhile(lambda s: s < hi - lo, nice_steps(hi - lo)))
    for step in reversed(steps):
        first = math.ceil(lo / step - 1e-9)
        values = step * np.arange(first, math.floor(hi / step + 1e-9) + 1)
        yield np.log10(values[values > 0])


def log_label(value: float) -> str:
    """A log axis's label: "0.01", "0.25", "2", "1e-5"."""
    return f"{value:.3g}".replace("e-0", "e-").replace("e+0", "e")
