"""Snapshot: one moment of a run, as the views draw it. Made in the training process.

Every figure of a snapshot belongs to the same iteration: the window draws all visible
views from one snapshot at a time, so the readout, the status bar, the cost plot and every
view agree. Heavy summaries (histograms, the plane's probabilities and contour, activation
maps) are computed in the training process, and only those a visible view needs: the
window says which in a FrameRequest, and the parts it does not ask for are None.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dnnviz.training.settings import ViewOptions

HIST_BINS = 40  # at most; about sqrt(n) bins for a layer of n values
STRIP_VALUES = 64  # a layer of at most this many values is drawn value by value
GRID_SIZE = 120

# The parts a view may ask for (FrameRequest.parts); the readout's figures and the cost
# history are always there.
PARTS = ("hists", "probs", "activations", "weights", "plane", "network", "distributions",
         "confusion")


@dataclass(frozen=True, eq=False)
class LayerHistogram:
    """One layer's values (W[l] or dW[l]) for the histograms view: counts over edges (of
    log10|value| in the log mode), their mean and standard deviation and how many there
    are; `values` holds every value of a layer of at most STRIP_VALUES (else None)."""

    counts: np.ndarray  # (bins,)
    edges: np.ndarray  # (bins + 1,)
    mean: float
    std: float
    size: int
    values: np.ndarray | None = None
    zeros: int = 0  # values left out of a log10|value| histogram (exactly 0)


@dataclass(frozen=True, eq=False)
class RunPictures:
    """What a run looked like when it ended, kept with it among the compared runs: its
    decision boundary (2-D data: p(class 1) on every 2nd point of the plane's grid, rows
    along y; None for pictures) and a LayerHistogram of each layer's weights."""

    boundary: np.ndarray | None
    hists: tuple


@dataclass(frozen=True)
class FrameRequest(ViewOptions):
    """What the visible views need (parts), and the view options: the choices that change
    what they show (gradients, split, index, hist_log; log_scale and test_points are the
    window's own)."""

    parts: frozenset = frozenset()

    def __post_init__(self):
        super().__post_init__()
        unknown = set(self.parts) - set(PARTS)
        if unknown:
            raise ValueError(f"unknown snapshot parts: {', '.join(sorted(unknown))}")
        object.__setattr__(self, "parts", frozenset(self.parts))


@dataclass(frozen=True, eq=False)
class ReferenceRun:
    """dnnviz's own run beside a run of someone else's functions (a student's: a network
    with reference_costs, as student.StudentNetwork), from the same start on the same data."""

    cost_x: np.ndarray  # the reference's costs, downsampled as Snapshot.cost_x
    cost_y: np.ndarray
    mismatch: object = None  # the first iteration the two parted (student.Mismatch), if any
    tolerance: float = 1e-9  # what counts as parting
    stopped: str | None = None  # why the reference stopped (it diverged), if it did

    def summary(self) -> str:
        """One line for the status: where the run left dnnviz's, or that it has not."""
        m = self.mismatch
        if m is None:
            return f"yours match dnnviz's to {self.tolerance:g}"
        return (f"yours differ from dnnviz's from iteration {m.iteration}: "
                f"{m.array} (layer {m.layer}) by {m.difference:.2g}")


@dataclass(frozen=True, eq=False)
class Snapshot:
    tag: int | None  # the window's tag of the session shown (stale ones are dropped)
    iteration: int
    target_iterations: int
    learning_rate: float
    layer_dims: tuple[int, ...]
    cost: float  # the last iteration's cost, nan before the first
    train_accuracy: float  # nan before the first iteration
    test_accuracy: float  # at the current weights
    exact: bool  # train accuracy at the current weights too (True when stopped or paused)
    cost_x: np.ndarray  # iteration numbers: every cost, or each bucket's min and max
    cost_y: np.ndarray
    evals: np.ndarray  # (k, 5): iteration, train cost, test cost, train acc, test acc
    iterations_per_second: float
    running: bool
    stopped_reason: object  # a stops.Stop, or None
    hist_kind: str = "W"  # "W" or "dW"
    hists: tuple | None = None  # per layer, a LayerHistogram
    hist_log: bool = False  # the hists are of log10|value|
    train_probs: np.ndarray | None = None  # (m_train,) p(label 1) at the last forward;
    test_probs: np.ndarray | None = None  # (m_test,); with K output units (K, m) each
    confusion_train: np.ndarray | None = None  # (K, K) counts: true class x predicted class
    confusion_test: np.ndarray | None = None
    selected: tuple[str, int] = ("test", 0)
    sample_activations: tuple | None = None  # per layer l = 1..L, (n_l,) of the selected example
    layer_maps: tuple = ()  # per layer, (n_l, k) units x examples, sorted by label
    map_labels: np.ndarray | None = None  # (k,) labels of the layer_maps columns
    first_weights: np.ndarray | None = None  # (units, h, w, c), W1 rows as images
    grid_extent: tuple[float, float, float, float] | None = None  # xmin, xmax, ymin, ymax
    grid_probs: np.ndarray | None = None  # (GRID_SIZE, GRID_SIZE), rows along y; (K, ...)
    contour: tuple | None = None  # (x, y) of the p = 0.5 line (K: the classes' borders),
    # as pairs of segment ends
    grid_units: tuple = field(default=())  # per hidden layer, (n_l, GRID_SIZE/2, GRID_SIZE/2)
    network: object | None = None  # diagram.DiagramFrame: the network view's units and links
    distributions: object | None = None  # distributions.DistributionFrame
    reference: ReferenceRun | None = None  # dnnviz's run beside a student's
    record: bool = False  # a frame to record (protocol.RecordEvery): training waits for it
