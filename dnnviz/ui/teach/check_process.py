"""CheckProcess: `dnnviz check` for the window, in a process of its own, never in the GUI's.

Why a spawned process (student/remote.py) rather than a thread or `dnnviz check --report`:
a student's code may loop, exit, or crash Python, and a process can be killed (Cancel,
closing the dialog) where a thread cannot; the check's per-call time limit needs a main
thread, which the process has; and the CheckReport comes back whole, heatmap arrays and
tracebacks included, with no second format to keep in step with it. A timer reads the
pipe, so the GUI never waits on it.
"""

from __future__ import annotations

import multiprocessing

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from dnnviz.student.functions import CALL_SECONDS
from dnnviz.student.remote import serve_check

POLL_MS = 50


class CheckProcess(QObject):
    sigProgress = pyqtSignal(str, int, int)  # course ("" while loading), i, n
    sigReport = pyqtSignal(object)  # the CheckReport
    sigError = pyqtSignal(str)  # the file cannot be used, or the check died: one line

    def __init__(self, parent=None):
        super().__init__(parent)
        self._process = None
        self._conn = None
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def running(self) -> bool:
        return self._process is not None

    def start(self, path: str, names: dict | None = None,
              seconds: float | None = CALL_SECONDS) -> None:
        """Check `path` (a check already running is stopped first)."""
        self.cancel()
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=serve_check, args=(child, str(path), names, seconds),
                                    name="dnnviz-check", daemon=True)
        self._process.start()
        child.close()
        self._timer.start()

    def cancel(self) -> None:
        """Stop the check at once (its process is killed); nothing more is emitted."""
        if self._process is None:
            return
        self._timer.stop()
        process, self._process = self._process, None
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        self._conn.close()
        self._conn = None

    def _poll(self) -> None:
        try:
            while self._process is not None and self._conn.poll():
                self._handle(self._conn.recv())
        except (EOFError, OSError):
            self._died()
            return
        if self._process is not None and not self._process.is_alive() \
                and not self._conn.poll():
            self._died()

    def _handle(self, message) -> None:
        kind = message[0]
        if kind == "progress":
            self.sigProgress.emit(*message[1:])
            return
        self.cancel()  # done: the process ends by itself, or is stopped
        if kind == "report":
            self.sigReport.emit(message[1])
        else:
            self.sigError.emit(message[1])

    def _died(self) -> None:
        process = self._process
        self.cancel()
        code = process.exitcode if process is not None else None
        how = f"killed by signal {-code}" if code is not None and code < 0 \
            else f"exit code {code}"
        self.sigError.emit(f"the check stopped before its end ({how}): did your code crash "
                           "Python itself?")
