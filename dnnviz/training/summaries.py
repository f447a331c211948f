"""Summaries for the views, computed in the worker thread: make_snapshot and its helpers."""

from __future__ import annotations

import numpy as np

from dnnviz.nn.model import sigmoid
from dnnviz.training.snapshot import GRID_SIZE, HIST_BINS, Snapshot, ViewOptions

MAX_CURVE_POINTS = 4000
HIST_MAX_VALUES = 50_000
MAP_EXAMPLES = 64
MAX_WEIGHT_IMAGES = 64
MAX_UNIT_MAPS = 16  # per layer, in the 2-D view


def downsample(values: np.ndarray, max_points: int = MAX_CURVE_POINTS):
    """(x, y) with at most about max_points points, always keeping the last one."""
    n = len(values)
    if n <= max_points:
        return np.arange(n, dtype=np.float64), np.array(values, dtype=np.float64)
    stride = -(-n // max_points)
    x = np.arange(0, n, stride)
    if x[-1] != n - 1:
        x = np.append(x, n - 1)
    return x.astype(np.float64), np.asarray(values[x], dtype=np.float64)


def histogram(values: np.ndarray, bins: int = HIST_BINS):
    """Counts and edges of a layer's values; long arrays are read with a stride.

    Values whose range overflows float64 (a diverging run) are binned after scaling down.
    """
    flat = values.ravel()
    stride = max(1, flat.size // HIST_MAX_VALUES)
    sample = flat[::stride].astype(np.float64)
    sample = sample[np.isfinite(sample)]
    if sample.size == 0:
        return np.zeros(bins), np.linspace(-1, 1, bins + 1)
    peak = float(np.max(np.abs(sample)))
    scale = peak if peak > 1e300 else 1.0
    sample = sample / scale
    low, high = float(sample.min()), float(sample.max())
    if high - low < 1e-12:
        low, high = low - 0.5 * max(abs(low), 1e-3), high + 0.5 * max(abs(high), 1e-3)
    counts, edges = np.histogram(sample, bins=bins, range=(low, high))
    return counts.astype(np.float64) * stride, edges * scale


def plane_extent(X: np.ndarray, margin: float = 0.15):
    """A square-ish box around 2-D points X (2, m) with a margin."""
    lo, hi = X.min(axis=1), X.max(axis=1)
    pad = (hi - lo) * margin + 1e-9
    low, high = lo - pad, hi + pad
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def grid_points(extent, size: int = GRID_SIZE):
    """(2, size * size) points of a grid over extent; row-major along y, then x."""
    xmin, xmax, ymin, ymax = extent
    xs, ys = np.linspace(xmin, xmax, size), np.linspace(ymin, ymax, size)
    gx, gy = np.meshgrid(xs, ys)
    return np.vstack([gx.ravel(), gy.ravel()])


def label_sorted_subset(Y: np.ndarray, k: int = MAP_EXAMPLES):
    """Indices of up to k examples, half from each class where possible, sorted by label."""
    labels = Y.ravel()
    zeros, ones = np.flatnonzero(labels < 0.5), np.flatnonzero(labels >= 0.5)
    n1 = min(len(ones), max(k // 2, k - len(zeros)))
    n0 = min(len(zeros), k - n1)
    return np.concatenate([zeros[:n0], ones[:n1]])


def _probs(net, X):
    return np.asarray(net.forward(X), dtype=np.float64).ravel()


def _last_train_probs(net, m):
    ZL = net.last_ZL
    if ZL is None or ZL.shape[1] != m:
        return None
    with np.errstate(all="ignore"):
        return sigmoid(np.asarray(ZL, dtype=np.float64)).ravel()


def _as_f64(arrays):
    return tuple(np.array(a, dtype=np.float64) for a in arrays)


def _image_views(session, options: ViewOptions) -> dict:
    """Probabilities of every example, the selected sample's activations, maps, W1 images."""
    net, data = session.net, session.data
    X = session.X_test if options.split == "test" else session.X
    index = min(max(options.index, 0), X.shape[1] - 1)
    _, sample = net.forward(X[:, index:index + 1], keep_activations=True)
    # one pass over the test set gives both its probabilities and the units x examples maps
    test_out, test_acts = net.forward(session.X_test, keep_activations=True)
    subset = session.map_subset
    units = min(net.layer_dims[1], MAX_WEIGHT_IMAGES) if net.L > 1 else 1
    first = np.array(net.Ws[0][:units], dtype=np.float32).reshape(units, *data.image_shape)
    train_probs = _last_train_probs(net, session.X.shape[1])
    return dict(
        train_probs=train_probs if train_probs is not None else _probs(net, session.X),
        test_probs=np.asarray(test_out, dtype=np.float64).ravel(),
        selected=(options.split, index),
        sample_activations=tuple(a.ravel() for a in _as_f64(sample)),
        layer_maps=tuple(np.array(a[:, subset], dtype=np.float64) for a in test_acts),
        map_labels=session.Y_test.ravel()[subset].astype(np.float64),
        first_weights=first,
    )


def _plane_views(session) -> dict:
    """Output probability over a grid of the plane; hidden units' maps on every 2nd point.

    The unit maps are drawn small, so half the resolution and at most MAX_UNIT_MAPS units
    a layer keep the snapshot small (it crosses a pipe ~30 times a second).
    """
    net = session.net
    _, acts = net.forward(session.grid, keep_activations=True)
    shape = (GRID_SIZE, GRID_SIZE)
    units = tuple(
        np.array(a[:MAX_UNIT_MAPS].reshape(-1, *shape)[:, ::2, ::2], dtype=np.float32)
        for a in acts[:-1]
    )
    return dict(
        grid_extent=session.extent,
        grid_probs=np.array(acts[-1], dtype=np.float64).reshape(shape),
        grid_units=units,
    )


def make_snapshot(session, options: ViewOptions, *, rate: float, running: bool) -> Snapshot:
    net = session.net
    costs = session.costs
    cost_x, cost_y = downsample(costs)
    use_grads = options.gradients and net.has_gradients
    arrays = net.dWs if use_grads else net.Ws
    extra = {}
    if session.data.is_image:
        extra = _image_views(session, options)
    elif session.data.is_planar:
        extra = _plane_views(session)
    return Snapshot(
        iteration=session.iteration,
        target_iterations=session.target_iterations,
        learning_rate=session.learning_rate,
        layer_dims=net.layer_dims,
        cost=float(costs[-1]) if len(costs) else float("nan"),
        cost_x=cost_x, cost_y=cost_y,
        evals=session.eval_array(),
        iterations_per_second=rate,
        running=running,
        stopped_reason=session.stopped_reason,
        hist_kind="dW" if use_grads else "W",
        hists=tuple(histogram(a) for a in arrays),
        session_tag=session.tag,
        **extra,
    )
