"""The network diagram's summary, computed in the training process: which units and links
are drawn, the selected example's activations, and for 2-D data each unit's map.

A layer of up to MAX_DRAWN units is drawn whole; a bigger one as its first HEAD and last
TAIL units (the view writes "... N more" between them). The links into a layer are all of
them when the layer before has at most WIDE units drawn, else the STRONGEST largest |w| into
each drawn unit from the drawn units before it: the strongest few per unit. An image input
is one picture, linked to each drawn unit of layer 1 by the size of its weights,
||W1[j]|| / sqrt(n_x) (the root mean square of its 12288 weights, say). Pure NumPy: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_DRAWN = 10
HEAD, TAIL = 6, 3
WIDE = 8
STRONGEST = 4
MAP_STEP = 3  # unit maps hold every 3rd point of the plane's grid: drawn small


def drawn_units(n: int) -> np.ndarray:
    """Indices of the units of an n-unit layer that the diagram draws."""
    if n <= MAX_DRAWN:
        return np.arange(n)
    return np.concatenate([np.arange(HEAD), np.arange(n - TAIL, n)])


@dataclass(frozen=True, eq=False)
class Links:
    """The drawn links into one layer: positions among the drawn units of the layer before
    (src) and of this layer (dst), and the weight of each, W[l][unit dst, unit src]. For an
    image input src is 0 (the picture) and weight is the unit's RMS weight, kind "rms"."""

    src: np.ndarray  # (k,) int
    dst: np.ndarray  # (k,) int
    weight: np.ndarray  # (k,) float64
    kind: str = "weight"  # or "rms"


@dataclass(frozen=True, eq=False)
class DiagramFrame:
    """units[l]: indices of the drawn units of layer l = 0..L (layer 0: the inputs; empty
    for a picture); values[l]: their activations for the selected example (layer 0: its
    inputs); links[l - 1]: the Links into layer l; maps (2-D data, else None): per layer,
    (drawn units, s, s) float32, each unit's output over the plane, rows along y."""

    layer_dims: tuple[int, ...]
    picture: bool
    units: tuple
    values: tuple
    links: tuple
    selected: tuple[str, int]
    point: tuple[float, float] | None = None  # the selected example on the plane (2-D)
    maps: tuple | None = None
    extent: tuple[float, float, float, float] | None = None  # the maps' xmin, xmax, ymin, ymax
    input_names: tuple = ()  # 2-D data: the input features' names ("x1", "x2", "x1^2" ...)


def strongest_links(W: np.ndarray, src_units, dst_units) -> Links:
    """Links from the drawn src_units to the drawn dst_units of W (n_l, n_{l-1}): every
    one when at most WIDE sources are drawn, else the STRONGEST |w| into each unit."""
    sub = np.asarray(W, dtype=np.float64)[np.ix_(dst_units, src_units)]
    rows, cols = sub.shape
    if cols <= WIDE:
        dst, src = np.divmod(np.arange(rows * cols), cols)
    else:
        with np.errstate(invalid="ignore"):
            order = np.argsort(-np.nan_to_num(np.abs(sub), nan=-1.0), axis=1,
                               kind="stable")[:, :STRONGEST]
        dst, src = np.repeat(np.arange(rows), STRONGEST), order.ravel()
    return Links(src.astype(np.int64), dst.astype(np.int64), sub[dst, src])


def picture_links(W1: np.ndarray, dst_units) -> Links:
    """One link from the picture to each drawn unit of layer 1: its weights' RMS."""
    rows = np.asarray(W1, dtype=np.float64)[dst_units]
    with np.errstate(all="ignore"):
        rms = np.sqrt(np.mean(rows * rows, axis=1))
    dst = np.arange(len(dst_units))
    return Links(np.zeros_like(dst), dst, rms, kind="rms")


def diagram_frame(net, x: np.ndarray, picture: bool, selected, grid=None, grid_acts=None,
                  grid_size: int | None = None, extent=None, point=None,
                  input_names=()) -> DiagramFrame:
    """The diagram of `net` for the example x (n_x, 1: its input features); with grid
    (n_x, g*g), the inputs at g*g points of the plane (over extent), and the net's
    activations over them (grid_acts, A1..AL), each unit's map, and the example's point
    on the plane."""
    dims = tuple(int(n) for n in net.layer_dims)
    _, acts = net.forward(x, keep_activations=True)
    columns = [np.asarray(x, dtype=np.float64).ravel()] + \
        [np.asarray(a, dtype=np.float64).ravel() for a in acts]
    units = [np.zeros(0, np.int64) if picture else drawn_units(dims[0])]
    units += [drawn_units(n) for n in dims[1:]]
    values = tuple(column[u] for column, u in zip(columns, units))
    links = []
    for l, W in enumerate(net.Ws, start=1):
        if l == 1 and picture:
            links.append(picture_links(W, units[1]))
        else:
            links.append(strongest_links(W, units[l - 1], units[l]))
    maps = None
    if grid is not None and grid_acts is not None and not picture:
        size = grid_size or int(round(np.sqrt(grid.shape[1])))
        layers = [np.asarray(grid, dtype=np.float64)] + list(grid_acts)
        maps = tuple(np.array(a[u].reshape(-1, size, size)[:, ::MAP_STEP, ::MAP_STEP],
                              dtype=np.float32) for a, u in zip(layers, units))
    return DiagramFrame(dims, picture, tuple(units), values, tuple(links), tuple(selected),
                        None if point is None else tuple(point), maps,
                        None if maps is None else tuple(extent), tuple(input_names))
