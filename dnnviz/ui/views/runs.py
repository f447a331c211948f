"""Compare runs: earlier runs' cost curves kept on the cost plot, and a table of them.

The compared runs themselves are the window model's (window_model.Runs: RunRecords, no
drawing); RunsTable lists them, each with small pictures of its final boundary and weight
histograms, and the current run last; RunComparison makes table and cost plot follow the
Runs' signals and sends what the user ticks or clears back to it:

    RunComparison(runs, table, cost_plot)
    runs.keep(RunRecord.from_snapshot(snapshot, ...))  # table and plot follow
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnnviz.ui import look as looks
from dnnviz.ui.views.run_pictures import RunCards
from dnnviz.window_model.runs import RunRecord, Runs, format_accuracy

if TYPE_CHECKING:
    from dnnviz.ui.views.cost_plot import CostPlot

# the lesson's payoff first: on a projector's narrow table the accuracies stay in sight
COLUMNS = ("shown", "", "run", "test acc", "train acc", "final cost", "iterations", "data")
COL_SHOWN, COL_COLOR, COL_LABEL = 0, 1, 2
SPARE = ("data", "iterations", "final cost")  # hidden in this order when the run's name
LABEL_SHARE = 0.3  # would get less than this share of a narrow table (a projector's)
CURRENT = "  (this run)"
EMPTY_HINT = ("Earlier runs are kept here when you reset or rebuild the network: "
              "their cost curves stay on the cost plot for comparison, and their final "
              "boundary and weight histograms as pictures.")


def _cell(text: str, tip: str = "", align=Qt.AlignmentFlag.AlignRight) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    if tip:
        item.setToolTip(tip)
    return item


class RunsTable(QWidget):
    """One row per kept run: shown, colour, label, data, iterations, final cost, accuracies."""

    name = "runs"  # as View > Show and --view name it
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
        self.cards = RunCards()
        self.hint = QLabel(EMPTY_HINT)
        self.hint.setWordWrap(True)
        self.clear_button = QPushButton("Clear runs")
        self.clear_button.setToolTip("Forget the kept runs: their curves leave the cost plot.")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, stretch=1)
        top_right = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight
        buttons.addWidget(self.clear_button, alignment=top_right)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.cards)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, stretch=1)
        layout.addLayout(buttons)
        self._records: list[RunRecord] = []
        self._current: RunRecord | None = None
        self.set_runs([])

    def restyle(self, look: looks.Look) -> None:
        """Swatches and pictures follow the theme."""
        self.set_runs(self._records, self._current)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Every column while the run's name keeps LABEL_SHARE of the width; on a narrower
        table (a projector's) the spare columns go, data first, so that the names and the
        accuracies stay readable (at 1024 px the names were cut to "ze...")."""
        table, header = self.table, self.table.horizontalHeader()
        room = table.viewport().width()
        for name in SPARE:
            table.setColumnHidden(COLUMNS.index(name), False)
        for name in SPARE:
            others = sum(header.sectionSize(c) for c in range(len(COLUMNS))
                         if c != COL_LABEL and not table.isColumnHidden(c))
            if room - others >= LABEL_SHARE * room:
                break
            table.setColumnHidden(COLUMNS.index(name), True)

    def column_shown(self, column: str) -> bool:
        return not self.table.isColumnHidden(COLUMNS.index(column))

    def set_runs(self, records, current: RunRecord | None = None) -> None:
        """Show these records, one row each, in order, and the current run last (no signal)."""
        self._records, self._current = list(records), current
        self.cards.set_runs(self._records, current)
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for record in self._records:
                self._append(record)
            if current is not None:
                self._append(current, current=True)
        finally:
            self.table.blockSignals(False)
        self.hint.setVisible(not records and current is None)
        self.clear_button.setEnabled(bool(records))
        self._fit_columns()

    def set_row_visible(self, row: int, on: bool) -> None:
        """Tick or untick a row's "shown" box without emitting sigVisibilityChanged."""
        item = self.table.item(row, COL_SHOWN)
        self.table.blockSignals(True)
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)

    def row_visible(self, row: int) -> bool:
        return self.table.item(row, COL_SHOWN).checkState() == Qt.CheckState.Checked

    def current(self) -> RunRecord | None:
        """The current run's record, shown as the last row (None: none)."""
        return self._current

    def set_current(self, record: RunRecord | None) -> None:
        """Show the current run as the last row, the kept ones as they are (no signal)."""
        self.table.blockSignals(True)
        try:
            if self._current is not None:
                self.table.removeRow(len(self._records))
            self._current = record
            if record is not None:
                self._append(record, current=True)
        finally:
            self.table.blockSignals(False)
        self.cards.set_current(record)
        self.hint.setVisible(not self._records and record is None)

    def row_count(self) -> int:
        """The kept runs' rows (the current run's row, when shown, comes after them)."""
        return len(self._records)

    def cell_text(self, row: int, column: str) -> str:
        return self.table.item(row, COLUMNS.index(column)).text()

    def current_text(self, column: str) -> str | None:
        """A cell of the current run's row (None when it is not shown)."""
        return None if self._current is None else self.cell_text(len(self._records), column)

    def pictures(self, row: int) -> tuple[bool, bool]:
        """Whether run `row` (the current run's: row_count()) shows its final boundary, and
        its weights, among the pictures below the table."""
        return self.cards.shows(row)

    def _append(self, record: RunRecord, current: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        look = looks.current()
        shown = QTableWidgetItem()
        if current:  # the live curve: always on the plot, in the train colour
            shown.setFlags(Qt.ItemFlag.ItemIsEnabled)
        else:
            shown.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            shown.setCheckState(Qt.CheckState.Checked if record.visible
                                else Qt.CheckState.Unchecked)
            shown.setToolTip("Show this run's cost curve on the cost plot")
        swatch = _cell("")
        swatch.setBackground(look.color("train") if current
                             else look.run_color(max(record.color, 0)))
        tip = record.describe()
        left = Qt.AlignmentFlag.AlignLeft
        label = _cell(record.label + (CURRENT if current else ""), tip, left)
        if current:
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        cells = (shown, swatch, label, _cell(format_accuracy(record.test_accuracy)),
                 _cell(format_accuracy(record.train_accuracy)),
                 _cell(f"{record.final_cost:.4f}"), _cell(f"{record.iterations:,}"),
                 _cell(record.dataset, tip, left))
        for column, item in enumerate(cells):
            self.table.setItem(row, column, item)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == COL_SHOWN:
            self.sigVisibilityChanged.emit(item.row(), item.checkState() == Qt.CheckState.Checked)

    def _on_clear_clicked(self) -> None:
        self.set_runs([], self._current)
        self.sigCleared.emit()


class RunComparison:
    """Keeps a RunsTable and the CostPlot's overlays in step with the compared runs."""

    def __init__(self, runs: Runs, table: RunsTable, cost_plot: CostPlot):
        self.runs, self.table, self.cost_plot = runs, table, cost_plot
        table.sigVisibilityChanged.connect(runs.set_visible)
        table.sigCleared.connect(runs.clear)
        cost_plot.sigRunVisibilityChanged.connect(self._on_plot_visibility)
        runs.kept.connect(self._on_kept)
        runs.visible_changed.connect(self._on_visible)
        runs.cleared.connect(self._on_cleared)
        runs.current_changed.connect(table.set_current)
        runs.pictures_came.connect(lambda _record: table.set_runs(runs.records, runs.current))
        for record in runs.records:
            cost_plot.add_run(record)
        table.set_runs(runs.records, runs.current)

    def _on_kept(self, record: RunRecord, dropped: int) -> None:
        for _ in range(dropped):
            self.cost_plot.remove_run(0)
        self.cost_plot.add_run(record)
        self.table.set_runs(self.runs.records, self.runs.current)

    def _on_visible(self, i: int, on: bool) -> None:
        self.cost_plot.set_run_visible(i, on)
        self.table.set_row_visible(i, on)

    def _on_cleared(self) -> None:
        self.cost_plot.clear_runs()
        self.table.set_runs([], self.runs.current)

    def _on_plot_visibility(self, i: int, on: bool) -> None:
        # Also reached by clicking a legend sample, which toggles the curve (and its record,
        # which it shares with the runs) by itself: the table is told here.
        if i < len(self.runs):
            self.runs.set_visible(i, on)
            self.table.set_row_visible(i, on)
