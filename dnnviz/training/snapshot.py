"""Snapshot: what the worker hands the views, made in the worker thread. Copies only.

Heavy summaries (histograms, the 2-D probability grid, activation maps) are computed here,
never in the GUI thread. ViewOptions says which of them the window currently shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

HIST_BINS = 40
GRID_SIZE = 120


@dataclass(frozen=True)
class ViewOptions:
    """What the window shows: the worker computes only that."""

    gradients: bool = False  # histograms of dW instead of W
    split: str = "test"  # the selected sample: "train" or "test"
    index: int = 0


@dataclass(frozen=True, eq=False)
class Snapshot:
    iteration: int
    target_iterations: int
    learning_rate: float
    layer_dims: tuple[int, ...]
    cost: float  # the last iteration's cost, nan before the first
    cost_x: np.ndarray  # iteration numbers, downsampled when long
    cost_y: np.ndarray
    evals: np.ndarray  # (k, 5): iteration, train cost, test cost, train acc, test acc
    iterations_per_second: float
    running: bool
    stopped_reason: str | None
    hist_kind: str  # "W" or "dW"
    hists: tuple  # per layer (counts (HIST_BINS,), edges (HIST_BINS + 1,)); empty: none yet
    train_probs: np.ndarray | None = None  # (m_train,) p(label 1) at the last forward
    test_probs: np.ndarray | None = None  # (m_test,)
    selected: tuple[str, int] = ("test", 0)
    sample_activations: tuple = ()  # per layer l = 1..L, (n_l,) for the selected sample
    layer_maps: tuple = ()  # per layer, (n_l, k) units x examples, sorted by label
    map_labels: np.ndarray | None = None  # (k,) labels of the layer_maps columns
    first_weights: np.ndarray | None = None  # (units, h, w, c), W1 rows as images
    grid_extent: tuple[float, float, float, float] | None = None  # xmin, xmax, ymin, ymax
    grid_probs: np.ndarray | None = None  # (GRID_SIZE, GRID_SIZE), rows along y
    grid_units: tuple = field(default=())  # per hidden layer, (n_l, GRID_SIZE, GRID_SIZE)
    session_tag: object = None  # the window's tag of the session it shows (stale ones: drop)

