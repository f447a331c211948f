"""ReadableAxis: tick labels that never run into each other, whatever the font.

pyqtgraph spaces ticks by a fixed pixel density and always asks for two or more intervals,
so on a small histogram in presentation mode's larger text the labels collide ("-4-3-2-1 0
1 2 3 4"). Here the spacing comes from the font: the widest label the axis would write, plus
a gap, must fit between two ticks. Steps are 1, 2, 2.5 or 5 times a power of ten, and on
a held range (round ends) the ends fall on ticks, so both ends are labelled.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PyQt6.QtGui import QFontMetricsF

STEPS = (1.0, 2.0, 2.5, 5.0)
GAP_EM = 1.2  # room between two labels, in widths of "M"


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
        metrics = self._metrics()
        gap = GAP_EM * metrics.horizontalAdvance("M")
        for step in nice_steps(span):
            if self.orientation in ("left", "right"):
                need = metrics.height() * 2.5  # a number every few lines, not every line
            else:
                labels = (format_tick(v, step) for v in (minVal, maxVal, -step, step))
                need = max(metrics.horizontalAdvance(s) for s in labels) + gap
            if span / step * need <= size or step >= span:
                return [(step, 0.0)]

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
        return [str(int(round(v + 0.5))) for v in values]


class CostAxis(ReadableAxis):
    """A cost axis whose log mode labels only 1, 2 and 5 times a power of ten
    (pyqtgraph labels every minor tick, 0.06, 0.07 ..., which overlap)."""

    def logTickStrings(self, values, scale, spacing):
        strings = super().logTickStrings(values, scale, spacing)
        return [s if _leading_digit(v) in (1, 2, 5) else "" for v, s in zip(values, strings)]


def _leading_digit(log_value: float) -> int:
    digit = round(10.0 ** (log_value - math.floor(log_value + 1e-9)))
    return 1 if digit >= 10 else digit


def color_bar(**options) -> pg.ColorBarItem:
    """A colour bar for a view drawn every frame: its axis without SI prefixes (pyqtgraph
    otherwise remakes the axis label's HTML each time the levels change, every frame)."""
    bar = pg.ColorBarItem(interactive=False, colorMapMenu=False, **options)
    bar.axis.enableAutoSIPrefix(False)
    return bar
