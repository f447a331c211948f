"""TrainingWorker: the one Qt piece of training. A QObject living in a QThread.

Its loop owns the Session: every command from the GUI thread (run, pause, step, a new
session, view options, quit) goes through a queue and is carried out between steps, so
the session is never touched by two threads. Snapshots go out at most SNAPSHOT_HZ times
a second (wall clock), plus one after every command that changes what is shown.
"""

from __future__ import annotations

import queue
import time
import traceback

from PyQt6.QtCore import QObject, pyqtSignal, pyqtSlot

from dnnviz.training.snapshot import ViewOptions
from dnnviz.training.summaries import make_snapshot

SNAPSHOT_HZ = 30


class TrainingWorker(QObject):
    sigSnapshot = pyqtSignal(object)  # Snapshot
    sigStopped = pyqtSignal(str)  # why training stopped: completed, paused, diverged...
    sigError = pyqtSignal(str)  # an unexpected exception in the worker, as one line
    sigFinished = pyqtSignal()

    def __init__(self, session=None, options: ViewOptions | None = None):
        super().__init__()
        self._commands: queue.Queue = queue.Queue()
        self._session = session
        self._options = options or ViewOptions()
        self._running = False
        self._pending_steps = 0
        self._last_snapshot = 0.0
        self._rate = 0.0
        self._rate_mark = (time.perf_counter(), 0)

    # --- called from the GUI thread -------------------------------------------------------
    def start_training(self):
        self._commands.put(("run", None))

    def pause(self):
        self._commands.put(("pause", None))

    def step_once(self, n: int = 1):
        self._commands.put(("step", n))

    def set_session(self, session):
        self._commands.put(("session", session))

    def set_options(self, options: ViewOptions):
        self._commands.put(("options", options))

    def set_learning_rate(self, value: float):
        self._commands.put(("lr", value))

    def set_target(self, value: int):
        self._commands.put(("target", value))

    def call(self, fn):
        """Run fn(session) in the worker thread between steps (e.g. load parameters)."""
        self._commands.put(("call", fn))

    def quit(self):
        self._commands.put(("quit", None))

    # --- the worker thread -----------------------------------------------------------------
    @pyqtSlot()
    def loop(self):
        try:
            while self._handle_commands():
                if self._session is not None and (self._running or self._pending_steps):
                    self._train_one()
        finally:
            self.sigFinished.emit()

    def _handle_commands(self) -> bool:
        """Process queued commands; block while idle. Returns False on quit."""
        while True:
            idle = not (self._running or self._pending_steps) or self._session is None
            try:
                name, value = self._commands.get(timeout=0.1) if idle \
                    else self._commands.get_nowait()
            except queue.Empty:
                if idle:
                    continue
                return True
            if name == "quit":
                self._running = False
                return False
            try:
                self._apply(name, value)
            except Exception as exc:  # noqa: BLE001 - shown in the window, the app lives on
                self._fail(exc)

    def _apply(self, name, value):
        s = self._session
        if name == "run" and s is not None:
            if s.iteration >= s.target_iterations and not s.diverged:
                s.target_iterations = s.iteration + s.config.iterations
            self._running = not s.diverged
            self._rate_mark = (time.perf_counter(), s.iteration)
            if s.diverged:  # nothing to run: say so, or the window keeps showing "Pause"
                self.sigStopped.emit(s.stopped_reason)
        elif name == "pause":
            self._running, self._pending_steps = False, 0
        elif name == "step":
            self._running = False
            self._pending_steps += int(value)
        elif name == "session":
            self._session, self._running, self._pending_steps = value, False, 0
            self._rate = 0.0
        elif name == "options":
            self._options = value
        elif name == "lr" and s is not None:
            s.learning_rate = value
        elif name == "target" and s is not None:
            s.target_iterations = value
        elif name == "call" and s is not None:
            value(s)
        self._emit_snapshot()

    def _train_one(self):
        s = self._session
        try:
            cost = s.step()
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return
        if self._pending_steps:
            self._pending_steps -= 1
            if not self._pending_steps:
                self._emit_snapshot()
        if cost is None or (self._running and s.iteration >= s.target_iterations):
            self._running, self._pending_steps = False, 0
            if s.stopped_reason is None or not s.diverged:
                s.stopped_reason = "completed" if cost is not None else s.stopped_reason
            self._emit_snapshot()
            self.sigStopped.emit(s.stopped_reason or "stopped")
        elif time.perf_counter() - self._last_snapshot >= 1.0 / SNAPSHOT_HZ:
            self._emit_snapshot()

    def _fail(self, exc: Exception):
        self._running, self._pending_steps = False, 0
        last = traceback.extract_tb(exc.__traceback__)[-1:] or None
        where = f" (in {last[0].name})" if last else ""
        self.sigError.emit(f"{type(exc).__name__}: {exc}{where}")

    def _emit_snapshot(self):
        s = self._session
        if s is None:
            return
        now = time.perf_counter()
        mark_time, mark_iter = self._rate_mark
        if self._running and now - mark_time >= 0.5:
            self._rate = (s.iteration - mark_iter) / (now - mark_time)
            self._rate_mark = (now, s.iteration)
        try:
            snap = make_snapshot(s, self._options, rate=self._rate, running=self._running)
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)
            return
        self._last_snapshot = now
        self.sigSnapshot.emit(snap)
