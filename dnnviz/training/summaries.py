"""Summaries for the views, computed in the training process: make_snapshot and its helpers.

Only the parts a FrameRequest asks for are computed: a view behind a tab costs nothing.
"""

from __future__ import annotations

import math

import numpy as np

from dnnviz.nn.output import activate_output
from dnnviz.training.contour import contour_segments
from dnnviz.training.diagram import diagram_frame
from dnnviz.training.history import PeakHistory
from dnnviz.training.snapshot import (
    GRID_SIZE,
    HIST_BINS,
    STRIP_VALUES,
    FrameRequest,
    LayerHistogram,
    ReferenceRun,
    RunPictures,
    Snapshot,
)

HIST_MAX_VALUES = 50_000
MAP_EXAMPLES = 64
MAX_WEIGHT_IMAGES = 64
MAX_UNIT_MAPS = 16  # per layer, in the 2-D view
UNIT_MAP_STEP = 2  # unit maps hold every 2nd grid point: they are drawn small


def hist_bins(n: int, cap: int = HIST_BINS) -> int:
    """About sqrt(n) bins for n values, at most cap: a few values get a few wide bins."""
    return int(min(cap, max(1, round(math.sqrt(n)))))


def layer_histogram(values: np.ndarray, log: bool = False) -> LayerHistogram:
    """A layer's values as the histograms view draws them: counts and edges (of
    log10|value| with log, zeros left out and counted), mean, standard deviation, and
    every value of a small layer. Long arrays are read with a stride; values whose range
    overflows float64 (a diverging run) are binned after scaling down.
    """
    flat = np.asarray(values).ravel()
    stride = max(1, flat.size // HIST_MAX_VALUES)
    sample = flat[::stride].astype(np.float64)
    sample = sample[np.isfinite(sample)]
    strip = flat.astype(np.float64) if flat.size <= STRIP_VALUES else None
    bins = hist_bins(flat.size)
    if sample.size == 0:
        return LayerHistogram(np.zeros(bins), np.linspace(-1, 1, bins + 1), math.nan,
                              math.nan, flat.size, strip)
    with np.errstate(all="ignore"):
        mean, std = float(np.mean(sample)), float(np.std(sample))
    zeros, all_zero = 0, False
    if log:
        nonzero = sample[sample != 0]
        zeros, all_zero = (sample.size - nonzero.size) * stride, nonzero.size == 0
        sample = np.log10(np.abs(nonzero)) if nonzero.size else np.zeros(1)
    peak = float(np.max(np.abs(sample)))
    scale = peak if peak > 1e300 else 1.0
    sample = sample / scale
    low, high = float(sample.min()), float(sample.max())
    if high - low < 1e-12:
        low, high = low - 0.5 * max(abs(low), 1e-3), high + 0.5 * max(abs(high), 1e-3)
    counts, edges = np.histogram(sample, bins=bins, range=(low, high))
    counts = counts.astype(np.float64) * stride
    if all_zero:
        counts[:] = 0.0  # every value was 0: nothing to draw on a log axis
    return LayerHistogram(counts, edges * scale, mean, std, flat.size, strip, zeros)


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
    """Indices of up to k examples, half from each class where possible, sorted by label
    (with more than two classes: as many of each as fit, in label order)."""
    labels = Y.ravel()
    if labels.size and labels.max() > 1:
        classes = int(labels.max()) + 1
        each = max(1, k // classes)
        return np.concatenate([np.flatnonzero(labels == c)[:each] for c in range(classes)])
    zeros, ones = np.flatnonzero(labels < 0.5), np.flatnonzero(labels >= 0.5)
    n1 = min(len(ones), max(k // 2, k - len(zeros)))
    n0 = min(len(zeros), k - n1)
    return np.concatenate([zeros[:n0], ones[:n1]])


def _last_train_probs(net, m):
    ZL = net.last_ZL
    if ZL is None or ZL.shape[1] != m:
        return None
    with np.errstate(all="ignore"):
        ZL = np.asarray(ZL, dtype=np.float64)
        return as_probs(activate_output(ZL, getattr(net, "output", "sigmoid")))


def as_probs(out) -> np.ndarray:
    """A[L] as the views read it: (m,) p(label 1) for one output unit, (K, m) for K."""
    out = np.asarray(out, dtype=np.float64)
    return out.ravel() if out.shape[0] == 1 else out


def predicted(probs: np.ndarray) -> np.ndarray:
    """(m,) predicted labels from as_probs(...)."""
    return (probs > 0.5).astype(np.int64) if probs.ndim == 1 else np.argmax(probs, axis=0)


def accuracy(probs: np.ndarray, Y) -> float:
    return float(np.mean(predicted(probs) == np.rint(np.asarray(Y).ravel())))


def confusion(probs: np.ndarray | None, Y, k: int) -> np.ndarray | None:
    """(k, k) counts: row = true class, column = predicted class."""
    if probs is None:
        return None
    labels = np.rint(np.asarray(Y).ravel()).astype(np.int64)
    return np.bincount(labels * k + predicted(probs), minlength=k * k).reshape(k, k)


def _as_f64(arrays):
    return tuple(np.array(a, dtype=np.float64) for a in arrays)


def _image_parts(session, request: FrameRequest, test_acts) -> dict:
    """The selected example's activations, unit x example maps, W1 as pictures."""
    net, data = session.net, session.data
    out = {}
    if "activations" in request.parts:
        selected, x = _selected_example(session, request)
        _, sample = net.forward(x, keep_activations=True)
        subset = session.map_subset
        out.update(selected=selected,
                   sample_activations=tuple(a.ravel() for a in _as_f64(sample)),
                   layer_maps=tuple(np.array(a[:, subset], dtype=np.float64)
                                    for a in test_acts),
                   map_labels=session.Y_test.ravel()[subset].astype(np.float64))
    if "weights" in request.parts:
        units = min(net.layer_dims[1], MAX_WEIGHT_IMAGES) if net.L > 1 else 1
        out["first_weights"] = np.array(net.Ws[0][:units], dtype=np.float32).reshape(
            units, *data.image_shape)
    return out


def _plane_parts(session, acts) -> dict:
    """Output probability over a grid of the plane, its p = 0.5 line, and the hidden
    units' maps on every 2nd point, at most MAX_UNIT_MAPS units a layer (small pictures:
    the snapshot stays small, and it crosses a pipe many times a second). acts: the
    net's activations A1..AL over the grid."""
    shape = (GRID_SIZE, GRID_SIZE)
    units = tuple(
        np.array(a[:MAX_UNIT_MAPS].reshape(-1, *shape)[:, ::UNIT_MAP_STEP, ::UNIT_MAP_STEP],
                 dtype=np.float32)
        for a in acts[:-1]
    )
    out = np.array(acts[-1], dtype=np.float64)
    xmin, xmax, ymin, ymax = session.extent
    xs, ys = np.linspace(xmin, xmax, GRID_SIZE), np.linspace(ymin, ymax, GRID_SIZE)
    if out.shape[0] == 1:
        probs = out.reshape(shape)
        return dict(grid_extent=session.extent, grid_probs=probs,
                    contour=contour_segments(probs, 0.5, xs, ys), grid_units=units)
    probs = out.reshape(-1, *shape)
    return dict(grid_extent=session.extent, grid_probs=probs,
                contour=class_borders(probs, xs, ys), grid_units=units)


def class_borders(probs: np.ndarray, xs, ys):
    """The lines between K classes' regions (probs (K, ny, nx)): where each class's
    probability meets the largest of the others'."""
    px, py = [], []
    for k in range(probs.shape[0]):
        others = np.max(np.delete(probs, k, axis=0), axis=0)
        x, y = contour_segments(probs[k] - others, 0.0, xs, ys)
        px.append(x)
        py.append(y)
    return np.concatenate(px), np.concatenate(py)


def _confusions(session, train_probs, test_probs) -> dict:
    k = session.data.n_classes
    return dict(confusion_train=confusion(train_probs, session.Y, k),
                confusion_test=confusion(test_probs, session.Y_test, k))


def _histograms(net, gradients: bool, log: bool) -> dict:
    use_grads = gradients and net.has_gradients
    arrays = net.dWs if use_grads else net.Ws
    return dict(hist_kind="dW" if use_grads else "W", hist_log=bool(log),
                hists=tuple(layer_histogram(a, log) for a in arrays))


def _selected_example(session, request: FrameRequest):
    """(split, index) of the selected example, the index kept in range, and its column."""
    X = session.X_test if request.split == "test" else session.X
    index = min(max(request.index, 0), X.shape[1] - 1)
    return (request.split, index), X[:, index:index + 1]


def _diagram(session, request: FrameRequest, grid_acts) -> dict:
    selected, x = _selected_example(session, request)
    data = session.data
    planar = data.is_planar and grid_acts is not None
    point, names = None, ()
    if data.is_planar:  # the example on the plane, and what the network reads of it
        raw = data.X_test if selected[0] == "test" else data.X_train
        point = (float(raw[0, selected[1]]), float(raw[1, selected[1]]))
        names = tuple(getattr(session.config, "features", ("x1", "x2")))
    return dict(network=diagram_frame(
        session.net, x, data.is_image, selected, session.grid if planar else None,
        grid_acts if planar else None, GRID_SIZE, session.extent, point, names))


def _distributions(session, request: FrameRequest) -> dict:
    kind = "dW" if request.gradients else "W"
    return dict(distributions=session.distributions.frame(kind))


def reference_run(net, history: PeakHistory | None = None) -> ReferenceRun | None:
    """The reference run beside a network that keeps one (reference_costs, mismatch,
    tolerance, reference_stopped: student.StudentNetwork); None for any other network."""
    if net.reference is None:
        return None
    x, y = (history or PeakHistory()).xy(net.reference_costs)
    return ReferenceRun(x, y, net.mismatch, net.tolerance, net.reference_stopped)


def make_snapshot(session, request: FrameRequest = FrameRequest(), *, tag=None,
                  rate: float = 0.0, running: bool = False, exact: bool | None = None,
                  history: PeakHistory | None = None,
                  reference_history: PeakHistory | None = None) -> Snapshot:
    """Everything the visible views draw, at the session's current iteration.

    exact: evaluate the train accuracy at the current weights (a pass over the training
    set) rather than take the one the last step saw; by default, when not running.
    history, reference_history: PeakHistory objects kept from frame to frame for the
    costs and the reference's costs (else they are read whole).
    """
    net, data = session.net, session.data
    exact = not running if exact is None else exact
    costs = session.costs
    cost_x, cost_y = (history or PeakHistory()).xy(costs)
    need_test_acts = data.is_image and "activations" in request.parts
    test_out, test_acts = net.forward(session.X_test, keep_activations=True) \
        if need_test_acts else (net.forward(session.X_test), ())
    test_probs = as_probs(test_out)
    test_accuracy = accuracy(test_probs, session.Y_test)
    train_probs = _train_probs(session, exact)
    train_accuracy = float("nan") if train_probs is None else \
        accuracy(train_probs, session.Y)
    parts = {}
    if "hists" in request.parts:
        parts.update(_histograms(net, request.gradients, request.hist_log))
    if "probs" in request.parts:
        parts.update(test_probs=test_probs, train_probs=train_probs)
    if "confusion" in request.parts:
        parts.update(_confusions(session, train_probs, test_probs))
    grid_acts = None
    if data.is_planar and request.parts & {"plane", "network"}:
        grid_acts = net.forward(session.grid, keep_activations=True)[1]
    if data.is_image:
        parts.update(_image_parts(session, request, test_acts))
    elif data.is_planar and "plane" in request.parts:
        parts.update(_plane_parts(session, grid_acts))
    if "network" in request.parts:
        parts.update(_diagram(session, request, grid_acts))
    if "distributions" in request.parts:
        parts.update(_distributions(session, request))
    return Snapshot(
        tag=tag, iteration=session.iteration, target_iterations=session.target_iterations,
        learning_rate=session.learning_rate, layer_dims=net.layer_dims,
        cost=float(costs[-1]) if len(costs) else float("nan"),
        train_accuracy=train_accuracy, test_accuracy=test_accuracy, exact=bool(exact),
        cost_x=cost_x, cost_y=cost_y, evals=session.eval_array(),
        iterations_per_second=rate, running=running, stopped_reason=session.stopped_reason,
        reference=reference_run(net, reference_history), **parts,
    )


def _train_probs(session, exact: bool) -> np.ndarray | None:
    """The training set's probabilities: those the last step saw (when it saw the training
    set as it is, and exact is not asked for), else a pass at the current weights; None
    before the first step."""
    net = session.net
    seen = not exact and session.plain_steps
    probs = _last_train_probs(net, session.X.shape[1]) if seen else None
    if probs is None and (session.iteration or exact):
        probs = as_probs(net.forward(session.X))
    return probs


def run_pictures(session) -> RunPictures:
    """The run's final look for the compared runs (small: it is kept with every run)."""
    boundary = None
    if session.data.is_planar:
        probs = session.net.forward(session.grid).reshape(-1, GRID_SIZE, GRID_SIZE)
        boundary = np.array(probs[:, ::UNIT_MAP_STEP, ::UNIT_MAP_STEP], dtype=np.float32)
        boundary = boundary[0] if boundary.shape[0] == 1 else boundary
    return RunPictures(boundary, tuple(layer_histogram(W) for W in session.net.Ws))


def run_pictures_now(session) -> tuple[int, RunPictures]:
    """(the iteration, run_pictures) of the run as it is now: asked for by the window, the
    answer says which moment it shows."""
    return int(session.iteration), run_pictures(session)
