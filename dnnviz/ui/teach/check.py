"""CheckDialog: File ▸ Check my implementation…: `dnnviz check` in the window.

It checks a student's .py or .ipynb in a process of its own (check_process.py): the window
never waits, a busy bar says which function is being checked, Cancel and closing stop it.
Then a table: each lesson function, found or not, passed or not, the first problem and a
named hint. Choosing a row shows that function's verdict in full: the problem, the hint,
for wrong values the expected, got and difference heatmaps, for an exception the student's
own traceback (in their file), and notes. "Train with it" trains the window's run with
the student's functions (when the four that train are in the file).
"""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QBrush, QFontDatabase
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnnviz.student.functions import CALL_SECONDS
from dnnviz.student.spec import TRAINING
from dnnviz.ui import look as looks
from dnnviz.ui.dialogs import fit_dialog
from dnnviz.ui.teach.check_process import CheckProcess
from dnnviz.ui.teach.heatmaps import Heatmaps
from dnnviz.ui.views.text import ElidedLabel

HEADERS = ("function", "found", "passed", "first problem", "hint")
SIZE = (1000, 760)  # at most; less on a smaller screen


def monospace(look: looks.Look, points: float):
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(look.pt(points))
    return font


def function_label(result) -> str:
    """"L_model_forward", or "L_model_forward (their_name)" under another name."""
    if not result.their_name or result.their_name == result.name:
        return result.name
    return f"{result.name} ({result.their_name})"


def verdict(result) -> str:
    return ("yes" if result.passed else "NO") if result.found else "–"


class CheckDialog(QDialog):
    sigTrain = pyqtSignal(str)  # train the window's run with the functions of this file

    def __init__(self, path, names: dict | None = None, parent=None,
                 seconds: float | None = CALL_SECONDS, start: bool = True):
        super().__init__(parent)
        self.path, self.names, self.seconds = str(path), dict(names or {}), seconds
        self.report = None
        self.error = ""  # why the last check could not be made
        self.process = CheckProcess(self)
        self.process.sigProgress.connect(self._on_progress)
        self.process.sigReport.connect(self._on_report)
        self.process.sigError.connect(self._on_error)
        self.setWindowTitle(f"Check my implementation: {Path(self.path).name}")
        self._build()
        self.restyle(looks.current())
        fit_dialog(self, *SIZE, grow=False)
        if start:
            self.run()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.file_label = ElidedLabel(self.path)
        self.again_button = self._button("Check again", self.run)
        self.again_button.setToolTip("Read the file again and check it (after you changed it)")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.cancel_button = self._button("Cancel", self.cancel)
        self.summary_label = QLabel(wordWrap=True)
        self.notes_label = QLabel(wordWrap=True)
        self.table = self._build_table()
        self.details = self._build_details()
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setSizes([300, 460])
        split.setChildrenCollapsible(False)
        self.train_button = self._button("Train with it", self._on_train)
        self.train_button.setToolTip("Train the window's run with your L_model_forward, "
                                     "compute_cost, L_model_backward and update_parameters, "
                                     "beside dnnviz's own")
        close = self._button("Close", self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(self._row(self.file_label, self.again_button, stretch=0))
        layout.addLayout(self._row(self.progress, self.progress_label, self.cancel_button,
                                   stretch=1))
        for widget in (self.summary_label, self.notes_label):
            layout.addWidget(widget)
        layout.addWidget(split, 1)
        layout.addLayout(self._row(self.train_button, QWidget(), close, stretch=1))

    def _button(self, text, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    @staticmethod
    def _row(*widgets, stretch: int) -> QHBoxLayout:
        row = QHBoxLayout()
        for i, widget in enumerate(widgets):
            row.addWidget(widget, 1 if i == stretch else 0)
        return row

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, len(HEADERS))
        table.setHorizontalHeaderLabels(HEADERS)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        table.currentCellChanged.connect(lambda row, *_: self.show_result(row))
        return table

    def _build_details(self) -> QWidget:
        self.detail_title = QLabel()
        self.problem_label = QLabel(wordWrap=True)
        self.hint_label = QLabel(wordWrap=True)
        self.where_label = QLabel()
        self.heatmaps = Heatmaps()
        self.trace = QPlainTextEdit(readOnly=True)
        self.trace.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.detail_notes = QLabel(wordWrap=True)
        for label in (self.problem_label, self.hint_label, self.detail_notes):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details = QWidget()
        column = QVBoxLayout(details)
        column.setContentsMargins(0, 4, 0, 0)
        for widget in (self.detail_title, self.problem_label, self.hint_label,
                       self.where_label):
            column.addWidget(widget)
        column.addWidget(self.heatmaps, 1)
        column.addWidget(self.trace, 1)
        column.addWidget(self.detail_notes)
        column.addStretch(0)
        return details

    # --- running the check ----------------------------------------------------------------
    def run(self) -> None:
        """Check the file (again), in a process of its own."""
        self.report, self.error = None, ""
        self.table.setRowCount(0)
        self.show_result(-1)
        self.summary_label.setText("")
        self.notes_label.setText("")
        self._busy(True, f"reading {Path(self.path).name}…")
        self.process.start(self.path, self.names, self.seconds)

    def cancel(self) -> None:
        if self.process.running:
            self.process.cancel()
            self._busy(False, "cancelled: Check again starts over")

    def _busy(self, on: bool, text: str) -> None:
        self.progress.setVisible(on)
        self.progress.setRange(0, 0)  # busy until the first function's number comes
        self.progress_label.setText(text)
        self.cancel_button.setVisible(on)
        self.again_button.setEnabled(not on)
        self.train_button.setEnabled(not on and self._can_train())

    def _on_progress(self, course: str, i: int, n: int) -> None:
        if not course:
            return
        self.progress.setRange(0, n)
        self.progress.setValue(i)
        self.progress_label.setText(f"checking {course} ({i + 1} of {n})…")

    def _on_report(self, report) -> None:
        self.report = report
        self._busy(False, "")
        self.progress_label.setVisible(False)
        self._fill(report)
        failed = [i for i, r in enumerate(report.results.values()) if r.found and not r.passed]
        row = failed[0] if failed else 0
        self.table.setCurrentCell(row, 0)
        self.table.scrollToItem(self.table.item(row, 0),
                                QAbstractItemView.ScrollHint.PositionAtCenter)

    def _on_error(self, text: str) -> None:
        self.error = text
        self._busy(False, "")
        self.summary_label.setText(text)
        self.restyle(looks.current())

    def _can_train(self) -> bool:
        return self.report is not None and all(self.report.results[c].found for c in TRAINING)

    def _on_train(self) -> None:
        if self._can_train():
            self.sigTrain.emit(self.path)

    # --- showing the results --------------------------------------------------------------
    def _fill(self, report) -> None:
        self.summary_label.setText(report.summary())
        self.notes_label.setText("\n".join(report.notes))
        self.notes_label.setVisible(bool(report.notes))
        results = list(report.results.values())
        self.table.setRowCount(len(results))
        for row, r in enumerate(results):
            cells = (function_label(r), "yes" if r.found else "no", verdict(r),
                     "" if r.passed else r.message, r.hint)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self.table.setColumnHidden(4, not any(r.hint for r in results))  # no hint: no column
        self.restyle(looks.current())
        if report.passed:  # every row in sight (once laid out in the look's fonts)
            QTimer.singleShot(0, self._show_every_row)

    def _show_every_row(self) -> None:
        """The table as tall as its rows; below it, a passed function's one line."""
        try:
            rows = self.table.verticalHeader().length() + self.table.horizontalHeader().height()
            total = sum(self.split.sizes()) or rows + 120
            self.split.setSizes([rows + 8, max(total - rows - 8, 60)])
        except RuntimeError:  # closed (and deleted) before the timer fired
            pass

    def _colour_rows(self, look: looks.Look) -> None:
        """A failed function's name and verdict in the error colour; one not found muted."""
        for row in range(self.table.rowCount()):
            r = self.result_at(row)
            role = "error" if r.found and not r.passed else "text" if r.found else "muted"
            for col in range(self.table.columnCount()):
                wanted = role if col in (0, 2) or role == "muted" else "text"
                self.table.item(row, col).setForeground(QBrush(look.color(wanted)))

    def result_at(self, row: int):
        if self.report is None or not 0 <= row < len(self.report.results):
            return None
        return list(self.report.results.values())[row]

    def show_result(self, row: int) -> None:
        """The verdict of the function in `row` in full (-1: none)."""
        r = self.result_at(row)
        self.details.setVisible(r is not None)
        if r is None:
            return
        state = "passed" if r.passed else "failed" if r.found else "not found"
        self.detail_title.setText(f"{function_label(r)}: {state}")
        self.problem_label.setText(r.message if not r.passed else
                                   "right on every case: the lesson's test case and random "
                                   "shapes")
        self.hint_label.setText(f"Hint: {r.hint}" if r.hint else "")
        self.hint_label.setVisible(bool(r.hint))
        drawn = r.expected is not None and self.heatmaps.show_arrays(r.expected, r.got)
        self.heatmaps.setVisible(drawn)
        self.where_label.setText(f"{r.where or 'the result'}, cell by cell:")
        self.where_label.setVisible(drawn)
        self.trace.setPlainText(r.traceback)
        self.trace.setVisible(bool(r.traceback))
        self.detail_notes.setText("\n".join(r.notes))
        self.detail_notes.setVisible(bool(r.notes))

    def restyle(self, look: looks.Look) -> None:
        failed = bool(self.error) or (self.report is not None and not self.report.passed)
        self.summary_label.setFont(look.font(looks.TITLE_PT + 2, bold=True))
        self.summary_label.setStyleSheet(f"color: {look.hex('error')};" if failed else "")
        self.detail_title.setFont(look.font(looks.TITLE_PT + 1, bold=True))
        for label in (self.problem_label, self.hint_label, self.notes_label,
                      self.detail_notes, self.where_label, self.progress_label):
            label.setFont(look.font(looks.LABEL_PT))
        self.hint_label.setStyleSheet(f"color: {look.hex('warning')};")
        self.trace.setFont(monospace(look, looks.LABEL_PT))
        self._colour_rows(look)

    # --- closing --------------------------------------------------------------------------
    def done(self, result: int) -> None:
        self.process.cancel()
        super().done(result)

    def closeEvent(self, event) -> None:
        self.process.cancel()
        super().closeEvent(event)
