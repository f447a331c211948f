"""Compare runs: earlier runs' cost curves kept on the cost plot, and a table of them.

RunRecord and RunHistory are plain data (no drawing); RunsTable lists them; RunComparison
keeps history, table and cost plot in step, so the window wires it with two lines:

    self.runs = connect_runs(RunsTable(), self.cost_plot)
    self.runs.keep_run(snapshot, config.init, config.data_label)  # before a reset/rebuild
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnnviz.training.session import EVAL_FIELDS, eval_column

if TYPE_CHECKING:
    from dnnviz.ui.views.cost_plot import CostPlot

MAX_RUNS = 12  # kept runs; the oldest goes first
RUN_CURVE_POINTS = 1000  # a kept curve is drawn thin and faint: this many points are plenty
# Okabe-Ito, colour-blind safe, without its yellow (faint on white) and its dark blue (too
# close to the live training curve's blue).
RUN_COLORS = ("#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
COLUMNS = ("shown", "", "run", "data", "iterations", "final cost", "train acc", "test acc")
COL_SHOWN, COL_COLOR, COL_LABEL = 0, 1, 2
EMPTY_HINT = ("Earlier runs are kept here when you reset or rebuild the network: "
              "their cost curves stay on the cost plot for comparison.")


def run_label(layer_dims, learning_rate: float, init: str) -> str:
    """'12288→20→7→5→1 · lr 0.0075 · scaled'"""
    dims = "→".join(str(int(n)) for n in layer_dims)
    return f"{dims} · lr {learning_rate:g} · {init}"


def _thin(x: np.ndarray, y: np.ndarray, max_points: int):
    """Copies of (x, y) with at most about max_points points, always keeping the last."""
    x = np.array(x, dtype=np.float64)
    y = np.array(y, dtype=np.float64)
    if len(x) <= max_points:
        return x, y
    keep = np.arange(0, len(x), -(-len(x) // max_points))
    if keep[-1] != len(x) - 1:
        keep = np.append(keep, len(x) - 1)
    return x[keep], y[keep]


def _accuracy(evals: np.ndarray, name: str) -> float | None:
    """The last evaluation's train_accuracy or test_accuracy; None if there was none."""
    return float(eval_column(evals, name)[-1]) if len(evals) else None


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
    train_accuracy: float | None  # from the last evaluation; None if there was none
    test_accuracy: float | None
    seed: int | None = None
    visible: bool = True
    color: str = ""  # "#rrggbb"; RunHistory.add picks one when empty

    @classmethod
    def from_snapshot(cls, snap, init: str, dataset: str, seed: int | None = None,
                      max_points: int = RUN_CURVE_POINTS) -> RunRecord:
        evals = np.asarray(snap.evals, dtype=np.float64).reshape(-1, len(EVAL_FIELDS))
        x, y = _thin(snap.cost_x, snap.cost_y, max_points)
        dims = tuple(int(n) for n in snap.layer_dims)
        return cls(
            label=run_label(dims, snap.learning_rate, init), dataset=str(dataset),
            layer_dims=dims, learning_rate=float(snap.learning_rate), init=str(init),
            iterations=int(snap.iteration), cost_x=x, cost_y=y, final_cost=float(snap.cost),
            train_accuracy=_accuracy(evals, "train_accuracy"),
            test_accuracy=_accuracy(evals, "test_accuracy"), seed=seed)

    def describe(self) -> str:
        """Every setting, one line: for a tooltip."""
        seed = "" if self.seed is None else f", seed {self.seed}"
        return (f"{self.dataset}: {self.label}{seed}, {self.iterations:,} iterations, "
                f"final cost {self.final_cost:.4f}")


class RunHistory:
    """The kept runs, oldest first; at most max_runs, the oldest dropped first."""

    def __init__(self, max_runs: int = MAX_RUNS, colors=RUN_COLORS):
        self.max_runs = max(1, int(max_runs))
        self.colors = tuple(colors)
        self.records: list[RunRecord] = []

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, i: int) -> RunRecord:
        return self.records[i]

    def add(self, record: RunRecord) -> list[RunRecord]:
        """Keep record (giving it a free colour if it has none); returns the dropped ones."""
        dropped = []
        while len(self.records) >= self.max_runs:
            dropped.append(self.records.pop(0))
        if not record.color:
            record.color = self._free_color()
        self.records.append(record)
        return dropped

    def remove(self, i: int) -> RunRecord:
        return self.records.pop(i)

    def clear(self) -> None:
        self.records.clear()

    def set_visible(self, i: int, on: bool) -> None:
        self.records[i].visible = bool(on)

    def _free_color(self) -> str:
        used = {r.color for r in self.records}
        free = [c for c in self.colors if c not in used]
        return free[0] if free else self.colors[len(self.records) % len(self.colors)]


def _cell(text: str, tip: str = "", align=Qt.AlignmentFlag.AlignRight) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    if tip:
        item.setToolTip(tip)
    return item


class RunsTable(QWidget):
    """One row per kept run: shown, colour, label, data, iterations, final cost, accuracies."""

    sigVisibilityChanged = pyqtSignal(int, bool)  # row, shown (the user ticked the box)
    sigCleared = pyqtSignal()  # the user pressed "Clear runs"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no current-cell frame; mouse only
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_LABEL, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._on_item_changed)
        self.hint = QLabel(EMPTY_HINT)
        self.hint.setWordWrap(True)
        self.clear_button = QPushButton("Clear runs")
        self.clear_button.setToolTip("Forget the kept runs: their curves leave the cost plot.")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, stretch=1)
        top_right = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight
        buttons.addWidget(self.clear_button, alignment=top_right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, stretch=1)
        layout.addLayout(buttons)
        self.set_runs([])

    def set_runs(self, records) -> None:
        """Show these records, one row each, in order (no signal)."""
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for record in records:
                self._append(record)
        finally:
            self.table.blockSignals(False)
        self.hint.setVisible(not records)
        self.clear_button.setEnabled(bool(records))

    def set_row_visible(self, row: int, on: bool) -> None:
        """Tick or untick a row's "shown" box without emitting sigVisibilityChanged."""
        item = self.table.item(row, COL_SHOWN)
        self.table.blockSignals(True)
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)

    def row_visible(self, row: int) -> bool:
        return self.table.item(row, COL_SHOWN).checkState() == Qt.CheckState.Checked

    def row_count(self) -> int:
        return self.table.rowCount()

    def cell_text(self, row: int, column: str) -> str:
        return self.table.item(row, COLUMNS.index(column)).text()

    def _append(self, record: RunRecord) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        shown = QTableWidgetItem()
        shown.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        shown.setCheckState(Qt.CheckState.Checked if record.visible else Qt.CheckState.Unchecked)
        shown.setToolTip("Show this run's cost curve on the cost plot")
        swatch = _cell("")
        swatch.setBackground(QColor(record.color or "#888888"))
        tip = record.describe()
        left = Qt.AlignmentFlag.AlignLeft
        cells = (shown, swatch, _cell(record.label, tip, left), _cell(record.dataset, tip, left),
                 _cell(f"{record.iterations:,}"), _cell(f"{record.final_cost:.4f}"),
                 _cell(format_accuracy(record.train_accuracy)),
                 _cell(format_accuracy(record.test_accuracy)))
        for column, item in enumerate(cells):
            self.table.setItem(row, column, item)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == COL_SHOWN:
            self.sigVisibilityChanged.emit(item.row(), item.checkState() == Qt.CheckState.Checked)

    def _on_clear_clicked(self) -> None:
        self.set_runs([])
        self.sigCleared.emit()


class RunComparison:
    """Keeps a RunHistory, a RunsTable and the CostPlot's overlays in step."""

    def __init__(self, table: RunsTable, cost_plot: CostPlot, history: RunHistory | None = None):
        self.table, self.cost_plot = table, cost_plot
        self.history = RunHistory() if history is None else history
        table.sigVisibilityChanged.connect(self._on_table_visibility)
        table.sigCleared.connect(self.clear)
        cost_plot.sigRunVisibilityChanged.connect(self._on_plot_visibility)
        for record in self.history.records:
            cost_plot.add_run(record)
        table.set_runs(self.history.records)

    def keep_run(self, snapshot, init: str, dataset: str, seed: int | None = None):
        """Keep the run that snapshot shows (None and nothing kept before its first step)."""
        if snapshot is None or snapshot.iteration < 1 or not len(snapshot.cost_y):
            return None
        record = RunRecord.from_snapshot(snapshot, init, dataset, seed=seed)
        for _ in self.history.add(record):
            self.cost_plot.remove_run(0)
        self.cost_plot.add_run(record)
        self.table.set_runs(self.history.records)
        return record

    def set_visible(self, i: int, on: bool) -> None:
        self.history.set_visible(i, on)
        self.cost_plot.set_run_visible(i, on)  # -> sigRunVisibilityChanged -> the table

    def clear(self) -> None:
        self.history.clear()
        self.cost_plot.clear_runs()
        self.table.set_runs([])

    def _on_table_visibility(self, i: int, on: bool) -> None:
        self.set_visible(i, on)

    def _on_plot_visibility(self, i: int, on: bool) -> None:
        # Also reached by clicking a legend sample, which toggles the curve by itself.
        if i < len(self.history):
            self.history.set_visible(i, on)
            self.table.set_row_visible(i, on)


def connect_runs(table: RunsTable, cost_plot: CostPlot,
                 history: RunHistory | None = None) -> RunComparison:
    return RunComparison(table, cost_plot, history)
