"""The window's side of a student's own implementation: File ▸ Check my implementation…,
File ▸ Train with my implementation… (`--student FILE`), and what happens when their code
fails.

While a StudentSetup is set, every new run of the window (Reset, a new network, other data,
a lesson's run) trains with the student's L_model_forward, compute_cost, L_model_backward
and update_parameters: adapt() gives the Session a StudentNetwork, made here (nothing of
the student's runs in the window's process; the training process loads their file at the
first step, and again after each Reset, so a fixed file is read afresh). Their failure
stops only their run: the window shows their message and their traceback, and Reset starts
again.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6 import sip
from PyQt6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from dnnviz.student import StudentFileError, StudentSetup
from dnnviz.student.loader import parse_student_file
from dnnviz.student.network import TRAIN_SECONDS
from dnnviz.training.config import ConfigError
from dnnviz.ui import look as looks
from dnnviz.ui.teach.check import CheckDialog, monospace
from dnnviz.ui.teach.teaching import open_dialog

STUDENT_FILES = "Python or Jupyter notebook (*.py *.ipynb)"
TITLE = "dnnviz — your functions from {file}"


class StudentRun:
    """Which file trains the window's runs (setup, None: dnnviz's own functions)."""

    def __init__(self, window, menu):
        self.window = window
        self.setup: StudentSetup | None = None
        self.names: dict = {}  # --name: the student's names for the lesson's functions
        self.seconds: float | None = TRAIN_SECONDS  # --time-limit, per call while training
        self.dialogs: dict[str, QDialog] = {}  # the open check and failure dialogs
        self.failure = ""  # the last failure of their code, for the report
        self._title = window.windowTitle()
        add = window.add_action
        menu.addSeparator()
        add(menu, "Check my &implementation…", self.check_dialog, "Ctrl+Shift+K")
        add(menu, "&Train with my implementation…", self.use_dialog)
        self.own_action = add(menu, "Train with dnnviz's own &functions", self.stop_using)
        self.own_action.setEnabled(False)

    # --- which functions train ------------------------------------------------------------
    def configure(self, path=None, names=None, seconds=None) -> None:
        """From the command line: --student, --name, --time-limit (before the first run)."""
        self.names = dict(names or {})
        self.seconds = TRAIN_SECONDS if seconds is None else seconds
        self._set(StudentSetup(str(Path(path).resolve()), self.names, self.seconds)
                  if path else None)

    def adapt(self, session):
        """`session` as it trains here: with the student's functions while a setup is set.
        None, with a message, when it cannot be (a saved model, another network)."""
        if self.setup is None:
            return session
        if session.iteration > 0:
            self.window.show_error("a saved model goes on with dnnviz's own functions: "
                                   "choose File ▸ Train with dnnviz's own functions first")
            return None
        try:
            session.net = self.setup.network(session.net, session.batch_size)
        except ConfigError as exc:
            self.window.show_error(str(exc))
            return None
        return session

    def report(self) -> dict | None:
        """For the window's --report: the student's file and whether their run followed
        dnnviz's (as the newest frame says); None without --student. matches_reference is
        true only when some iterations were compared and none parted; null, with `why`,
        when none was compared (their run stopped before its first step)."""
        if self.setup is None:
            return None
        snap = self.window.newest_snapshot()
        reference = None if snap is None else snap.reference
        compared = 0 if reference is None else snap.iteration
        mismatch = None if reference is None else reference.mismatch
        if mismatch is not None:
            matches, why = False, f"yours parted from dnnviz's at {mismatch}"
        elif compared == 0:
            stop = f": {self.failure}" if self.failure else ""
            matches, why = None, f"not compared: no iteration of yours was taken{stop}"
        else:
            matches, why = True, f"{compared} iterations compared"
        return {"file": self.setup.path, "matches_reference": matches, "why": why,
                "compared_iterations": compared,
                "mismatch": None if mismatch is None else str(mismatch),
                "tolerance": None if reference is None else reference.tolerance,
                "reference_final_cost": float(reference.cost_y[-1])
                if reference is not None and len(reference.cost_y) else None,
                "reference_stopped": None if reference is None else reference.stopped}

    def use(self, path) -> bool:
        """Train with the functions in `path` from now on: a new run starts (not trained)."""
        try:
            parse_student_file(path)  # a missing file or a syntax error: one line, now
        except StudentFileError as exc:
            self.window.show_error(str(exc))
            return False
        before = self.setup
        self._set(StudentSetup(str(Path(path).resolve()), self.names, self.seconds))
        if not self.window.apply_config(self.window.config):
            self._set(before)
            return False
        self.window.statusBar().showMessage(
            f"training with your functions from {self.setup.file_name}; press Train", 8000)
        return True

    def stop_using(self) -> bool:
        """Back to dnnviz's own functions: a new run starts."""
        before = self.setup
        self._set(None)
        if not self.window.apply_config(self.window.config):
            self._set(before)
            return False
        return True

    def _set(self, setup: StudentSetup | None) -> None:
        self.setup = setup
        self.own_action.setEnabled(setup is not None)
        self.window.setWindowTitle(TITLE.format(file=setup.file_name) if setup else self._title)

    def use_dialog(self) -> bool:
        path = self._ask("Your implementation to train with")
        return self.use(path) if path else False

    # --- checking -------------------------------------------------------------------------
    def check_dialog(self):
        path = self._ask("Your implementation to check")
        return self.check(path) if path else None

    def check(self, path) -> CheckDialog:
        """Open the check dialog on `path`; it checks at once, in a process of its own."""
        dialog = CheckDialog(path, self.names, parent=self.window)
        dialog.sigTrain.connect(self._train_checked)
        return self._open("check", dialog)

    def _train_checked(self, path: str) -> None:
        if self.use(path) and not self.window.running:
            self.window.train_pause()

    # --- their failures -------------------------------------------------------------------
    def on_failed(self, failed) -> None:
        """The run stopped (a protocol.Failed): the dialog when their own code failed."""
        if failed.own_code:
            self.failure = failed.text
            self.show_failure(failed.text, failed.traceback)

    def show_failure(self, text: str, traceback: str) -> QDialog:
        """Their run stopped: their message and traceback, Reset and Check at hand."""
        dialog = FailureDialog(text, traceback, self.setup, parent=self.window)
        dialog.reset_button.clicked.connect(self.window.reset)
        dialog.reset_button.clicked.connect(dialog.accept)
        if self.setup is not None:
            path = self.setup.path
            dialog.check_button.clicked.connect(lambda: self.check(path))
        return self._open("failure", dialog)

    def _open(self, key: str, dialog: QDialog) -> QDialog:
        return open_dialog(self.dialogs, key, dialog)

    def close(self) -> None:
        """Close the student's dialogs: a check still running in its own process is killed,
        not left behind when the window goes (the app leaves with os._exit, so a daemon
        process would outlive it)."""
        for dialog in list(self.dialogs.values()):
            if not sip.isdeleted(dialog):
                dialog.close()
        self.dialogs.clear()

    def _ask(self, title: str) -> str:
        start = str(Path(self.setup.path).parent) if self.setup else ""
        path, _ = QFileDialog.getOpenFileName(self.window, title, start, STUDENT_FILES)
        return path


class FailureDialog(QDialog):
    """A student's function stopped their run: what it did, where in their file, and what
    to do next. Not modal: the window goes on working behind it."""

    def __init__(self, text: str, traceback: str, setup: StudentSetup | None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Your code stopped the run")
        self.message = QLabel(text, wordWrap=True)
        self.trace = QPlainTextEdit(traceback, readOnly=True)
        self.trace.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.trace.setVisible(bool(traceback))
        name = setup.file_name if setup else "your file"
        self.advice = QLabel(f"Fix it in {name}, then press Reset (R): dnnviz reads your file "
                             "again and starts the run over. Check my implementation finds "
                             "which function is wrong, and how.", wordWrap=True)
        self.check_button = QPushButton("Check my implementation")
        self.check_button.setEnabled(setup is not None)
        self.reset_button = QPushButton("Reset")
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.check_button, self.reset_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.trace, 1)
        layout.addWidget(self.advice)
        layout.addLayout(buttons)
        self.restyle(looks.current())
        self.resize(760, 420 if traceback else 200)

    def restyle(self, look: looks.Look) -> None:
        self.message.setFont(look.font(looks.TITLE_PT + 1, bold=True))
        self.message.setStyleSheet(f"color: {look.hex('error')};")
        self.trace.setFont(monospace(look, looks.LABEL_PT))
        self.advice.setFont(look.font(looks.LABEL_PT))
