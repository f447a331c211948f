"""Where the network diagram puts things, and what hovering over them reads. No drawing.

Layer l is a column at x = l * gap; its drawn units are squares of side NODE, one per slot,
slots a unit apart and centred on y = 0 (y grows downward: slot 0 is at the top). A layer too
big to draw whole has one more slot, between its first and last units, for "... N more". A
picture input is one square of side PICTURE in column 0. The gap between columns follows the
shape of the pane (column_gap): a narrow pane gets narrow gaps, so the units stay large.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dnnviz.training.diagram import HEAD, MAX_DRAWN

COLUMN_GAP = 6.0  # the widest gap between two columns: a wide stage is filled
MIN_GAP = 1.8  # and the narrowest: room for a caption under each column
MARGIN = 3.0  # units of room around the diagram: captions below, buttons above
PICTURE_GAP = 2.8  # at least this from a picture input's centre to layer 1's
NODE = 0.8
PICTURE = 2.4
HALF = NODE / 2


@dataclass(frozen=True)
class Column:
    """One layer's column: x, the y of each drawn unit, and the y of the "more" slot."""

    layer: int
    n: int  # units of the layer
    x: float
    ys: np.ndarray  # (drawn,)
    more_y: float | None  # the "... N more" slot, if the layer is not drawn whole
    picture: bool = False

    @property
    def hidden_count(self) -> int:
        """Units not drawn."""
        return self.n - len(self.ys) if not self.picture else 0

    @property
    def half_width(self) -> float:
        return PICTURE / 2 if self.picture else HALF

    @property
    def top(self) -> float:
        return -PICTURE / 2 if self.picture else float(self.ys[0]) - HALF

    @property
    def bottom(self) -> float:
        return PICTURE / 2 if self.picture else float(self.ys[-1]) + HALF


def column_gap(layer_dims, width: float, height: float, picture: bool = False) -> float:
    """The gap between columns that gives the diagram the pane's shape (width x height
    pixels), from MIN_GAP to COLUMN_GAP."""
    if width <= 0 or height <= 0:
        return COLUMN_GAP
    L = max(len(layer_dims) - 1, 1)
    rows = min(max(layer_dims[1:], default=1), MAX_DRAWN) + MARGIN
    room = width / height * rows - MARGIN - (PICTURE_GAP if picture else 0.0)
    gap = room / max(L - picture, 1)
    return float(min(COLUMN_GAP, max(MIN_GAP, gap)))


def columns(layer_dims, picture: bool, gap: float = COLUMN_GAP) -> list[Column]:
    """The columns of layers 0..L (a picture input leaves PICTURE_GAP to layer 1)."""
    out = []
    first = max(gap, PICTURE_GAP) if picture else gap
    for l, n in enumerate(layer_dims):
        x = 0.0 if l == 0 else first + (l - 1) * gap
        if l == 0 and picture:
            out.append(Column(0, n, x, np.zeros(1), None, picture=True))
            continue
        whole = n <= MAX_DRAWN
        slots = n if whole else MAX_DRAWN
        y = np.arange(slots) - (slots - 1) / 2
        if whole:
            out.append(Column(l, n, x, y, None))
        else:  # slots: HEAD units, "more", the last units
            out.append(Column(l, n, x, np.delete(y, HEAD), float(y[HEAD])))
    return out


def slot_count(column: Column) -> int:
    return len(column.ys) + (column.more_y is not None)


def tile_stack(tiles: np.ndarray, column: Column, gap: int) -> np.ndarray:
    """The units' tiles (drawn, t, t) as one picture of the column, top to bottom, a gap of
    `gap` pixels between slots and an empty (NaN) slot for "more"."""
    drawn, t, _ = tiles.shape
    slots = slot_count(column)
    out = np.full((slots * (t + gap) - gap, t), np.nan, dtype=np.float32)
    slot = 0
    for k in range(drawn):
        if column.more_y is not None and slot == HEAD:
            slot += 1
        out[slot * (t + gap): slot * (t + gap) + t] = tiles[k]
        slot += 1
    return out


def stack_rect(column: Column) -> tuple[float, float, float, float]:
    """(x, y, width, height) of a column's tile_stack in diagram coordinates."""
    top = min(column.ys[0], column.more_y if column.more_y is not None else math.inf)
    return column.x - HALF, float(top) - HALF, NODE, slot_count(column) - 1 + NODE


def link_ends(cols: list[Column], layer: int, src, dst):
    """(x0, y0, x1, y1) of the links into `layer` from positions src of the column before
    to positions dst of its column."""
    before, after = cols[layer - 1], cols[layer]
    src_y = before.ys[np.zeros_like(src)] if before.picture else before.ys[src]
    return (np.full(len(src), before.x + before.half_width), src_y,
            np.full(len(dst), after.x - HALF), after.ys[dst])


def link_classes(links_by_layer, ends_by_layer, classes: int) -> dict:
    """(sign, strength) -> x and y of the links of that class as pairs of points: sign
    "positive" or "negative" by the weight, "muted" for a picture's links (no sign)."""
    out = {}
    for links, ends in zip(links_by_layer, ends_by_layer):
        strength = strength_class(links.weight, classes)
        positive = np.asarray(links.weight) >= 0
        for i in range(len(links.weight)):
            sign = "muted" if links.kind == "rms" else "positive" if positive[i] else "negative"
            xs, ys = out.setdefault((sign, int(strength[i])), ([], []))
            xs += (ends[0][i], ends[2][i])
            ys += (ends[1][i], ends[3][i])
    return {key: (np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64))
            for key, (xs, ys) in out.items()}


def outlines(cols: list[Column]):
    """x and y of a square round every drawn unit (and the picture), as pairs of points."""
    xs, ys = [], []
    for column in cols:
        half = column.half_width
        for y in column.ys if not column.picture else [0.0]:
            x0, x1, y0, y1 = column.x - half, column.x + half, y - half, y + half
            xs += [x0, x1, x1, x1, x1, x0, x0, x0]
            ys += [y0, y0, y0, y1, y1, y1, y1, y0]
    return np.array(xs), np.array(ys)


def strength_class(weights: np.ndarray, classes: int) -> np.ndarray:
    """0..classes-1 by |w| against the largest |w| of the same links."""
    size = np.abs(np.nan_to_num(np.asarray(weights, dtype=np.float64)))
    peak = size.max(initial=0.0)
    if peak <= 0:
        return np.zeros(len(size), dtype=np.int64)
    return np.minimum((size / peak * classes).astype(np.int64), classes - 1)


def unit_at(cols: list[Column], x: float, y: float):
    """(layer, position among the drawn units) of the unit under (x, y), or None."""
    for column in cols:
        if abs(x - column.x) > column.half_width:
            continue
        if column.picture:
            return (0, 0) if abs(y) <= PICTURE / 2 else None
        k = int(np.argmin(np.abs(column.ys - y)))
        return (column.layer, k) if abs(column.ys[k] - y) <= HALF else None
    return None


def nearest_link(ends, x: float, y: float, tolerance: float):
    """Index of the segment of ends (x0, y0, x1, y1 arrays) nearest (x, y) within
    tolerance, or None."""
    x0, y0, x1, y1 = (np.asarray(a, dtype=np.float64) for a in ends)
    if not len(x0):
        return None
    dx, dy = x1 - x0, y1 - y0
    length2 = np.maximum(dx * dx + dy * dy, 1e-12)
    t = np.clip(((x - x0) * dx + (y - y0) * dy) / length2, 0.0, 1.0)
    distance = np.hypot(x0 + t * dx - x, y0 + t * dy - y)
    best = int(np.argmin(distance))
    return best if distance[best] <= tolerance else None


PRETTY = {"x1^2": "x1²", "x2^2": "x2²", "x1x2": "x1·x2"}  # input features as written


def input_name(frame, k: int) -> str:
    """The name of drawn input k: its feature ("x1", "x1²" ...) or "x" and its number."""
    unit = int(frame.units[0][k])
    if unit < len(frame.input_names):
        name = frame.input_names[unit]
        return PRETTY.get(name, name)
    return f"x{unit + 1}"


def unit_name(layer: int, L: int) -> str:
    return "input" if layer == 0 else "output" if layer == L else f"layer {layer}"


def unit_text(frame, layer: int, k: int, classes) -> str:
    """What hovering over a unit reads: its activation for the selected example."""
    L = len(frame.layer_dims) - 1
    split, index = frame.selected
    example = f"{split} example #{index}"
    if layer == 0 and frame.picture:
        return f"input: {split} picture #{index} ({frame.layer_dims[0]:,} values)"
    unit = int(frame.units[layer][k]) + 1
    value = float(frame.values[layer][k])
    if layer == 0:
        return f"input {input_name(frame, k)} = {value:.3g} ({example})"
    if layer == L and len(frame.layer_dims) and frame.layer_dims[-1] > 1:
        name = classes[unit - 1] if unit - 1 < len(classes) else unit
        return f"output unit {unit}: p({name}) = {value:.3f} for {example}"
    if layer == L:
        return f"output: p({classes[1]}) = {value:.3f} for {example}"
    return f"layer {layer}, unit {unit}: a = {value:.3g} for {example}"


def link_text(frame, layer: int, i: int) -> str:
    """What hovering over a link reads: its weight, and which units it joins."""
    links = frame.links[layer - 1]
    dst = int(frame.units[layer][links.dst[i]]) + 1
    w = float(links.weight[i])
    if links.kind == "rms":
        return (f"layer 1, unit {dst}: its {frame.layer_dims[0]:,} input weights W1[{dst}, :] "
                f"have RMS {w:.3g}")
    src = int(frame.units[layer - 1][links.src[i]]) + 1
    source = f"input {input_name(frame, links.src[i])}" if layer == 1 else \
        f"unit {src} of layer {layer - 1}"
    return (f"W{layer}[{dst}, {src}] = {w:.3g}: from {source} to unit {dst} of "
            f"{unit_name(layer, len(frame.layer_dims) - 1)}")
