"""The compared runs: RunRecord (one run) and Runs (the kept ones and the current one).

Plain data with change signals (no Qt). Drawing them is the cost plot's (curves) and the
runs table's (rows), which follow these signals; this module draws nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dnnviz.training.history import downsample
from dnnviz.window_model.signal import Signal

MAX_RUNS = 12  # kept runs; the oldest goes first
RUN_CURVE_POINTS = 1000  # a kept curve is drawn thin and faint: this many points are plenty


def run_label(layer_dims, learning_rate: float, init: str, options: str = "") -> str:
    """'12288→20→7→5→1 · lr 0.0075 · scaled', and the run's options if any ('tanh · adam')."""
    dims = "→".join(str(int(n)) for n in layer_dims)
    return f"{dims} · lr {learning_rate:g} · {init}" + (f" · {options}" if options else "")


def format_accuracy(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.1%}"


@dataclass(eq=False)
class RunRecord:
    """One finished (or interrupted) run, as the comparison shows it. Arrays are copies."""

    label: str
    dataset: str
    layer_dims: tuple[int, ...]
    learning_rate: float
    init: str
    iterations: int
    cost_x: np.ndarray  # iteration numbers, downsampled
    cost_y: np.ndarray
    final_cost: float  # the last iteration's cost (nan before the first)
    train_accuracy: float | None  # at the run's last frame; None if there was none
    test_accuracy: float | None
    seed: int | None = None
    visible: bool = True
    color: int = -1  # an index into the look's run colours; Runs.keep picks a free one
    pictures: object | None = None  # RunPictures: its final boundary and histograms
    stopped_reason: str | None = None  # why it stopped (completed, diverged...), if it did
    evals: np.ndarray | None = None  # (k, 5) its evaluations: the test curves stay on the plot

    @classmethod
    def from_snapshot(cls, snap, init: str, dataset: str, seed: int | None = None,
                      max_points: int = RUN_CURVE_POINTS, label: str | None = None,
                      options: str = "", pictures=None) -> RunRecord:
        x, y = downsample(np.asarray(snap.cost_y, dtype=np.float64), max_points)
        x = np.asarray(snap.cost_x, dtype=np.float64)[x.astype(int)] if len(x) else x
        dims = tuple(int(n) for n in snap.layer_dims)
        train, test = float(snap.train_accuracy), float(snap.test_accuracy)
        return cls(
            label=label or run_label(dims, snap.learning_rate, init, options),
            dataset=str(dataset),
            layer_dims=dims, learning_rate=float(snap.learning_rate), init=str(init),
            iterations=int(snap.iteration), cost_x=x, cost_y=y, final_cost=float(snap.cost),
            train_accuracy=None if math.isnan(train) else train,
            test_accuracy=None if math.isnan(test) else test, seed=seed, pictures=pictures,
            stopped_reason=None if snap.stopped_reason is None else str(snap.stopped_reason),
            evals=np.array(snap.evals, dtype=np.float64).reshape(-1, 5))

    def as_report(self) -> dict:
        """The run as a report's "runs" list holds it."""
        return {"name": self.label, "iterations": self.iterations,
                "final_cost": self.final_cost, "train_accuracy": self.train_accuracy,
                "test_accuracy": self.test_accuracy, "stopped_reason": self.stopped_reason}

    def describe(self) -> str:
        """Every setting, one line: for a tooltip."""
        seed = "" if self.seed is None else f", seed {self.seed}"
        return (f"{self.dataset}: {self.label}{seed}, {self.iterations:,} iterations, "
                f"final cost {self.final_cost:.4f}")


class Runs:
    """The compared runs: the kept ones, oldest first (at most max_runs, the oldest dropped
    first), and the current run (the one on screen, None before its first step).

    Signals: kept(record, dropped: how many of the oldest went), visible_changed(i, on),
    cleared(), current_changed(record or None), pictures_came(record): a kept run's
    pictures, come after it was kept.
    """

    def __init__(self, max_runs: int = MAX_RUNS, colors: int = 6):
        self.max_runs = max(1, int(max_runs))
        self.colors = int(colors)
        self.records: list[RunRecord] = []
        self.current: RunRecord | None = None
        self.kept, self.visible_changed = Signal(), Signal()
        self.cleared, self.current_changed = Signal(), Signal()
        self.pictures_came = Signal()

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, i: int) -> RunRecord:
        return self.records[i]

    def keep(self, record: RunRecord) -> None:
        """Keep record (giving it a free colour if it has none)."""
        dropped = 0
        while len(self.records) >= self.max_runs:
            self.records.pop(0)
            dropped += 1
        if record.color < 0:
            record.color = self._free_color()
        self.records.append(record)
        self.kept.emit(record, dropped)

    def set_visible(self, i: int, on: bool) -> None:
        if self.records[i].visible != bool(on):
            self.records[i].visible = bool(on)
            self.visible_changed.emit(i, bool(on))

    def clear(self) -> None:
        self.records.clear()
        self.cleared.emit()

    def set_pictures(self, record: RunRecord, pictures) -> None:
        """A kept run's pictures (RunPictures), come after it was kept; nothing if the run
        is no longer kept."""
        record.pictures = pictures
        if record in self.records:
            self.pictures_came.emit(record)

    def set_current(self, record: RunRecord | None) -> None:
        self.current = record
        self.current_changed.emit(record)

    def all(self) -> list[RunRecord]:
        """Every run of the comparison, the kept ones and then the current one."""
        return [*self.records, *([self.current] if self.current is not None else [])]

    def _free_color(self) -> int:
        used = {r.color for r in self.records}
        free = [c for c in range(self.colors) if c not in used]
        return free[0] if free else len(self.records) % self.colors
