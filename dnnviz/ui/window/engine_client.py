"""TrainingWorker: the window's handle on the training process (see engine.py for why).

A QObject living in a QThread. Commands from the GUI thread go into a queue that a sender
thread writes to the process, so the GUI never blocks on a pipe; the QThread only reads
what the process sends back and relays it as Qt signals. Reading and writing in separate
threads matters: the process may be blocked sending a snapshot while a large command (a
new session) is being written to it, and a single thread doing both would deadlock.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
from contextlib import contextmanager

from PyQt6.QtCore import QObject, pyqtSignal, pyqtSlot

from dnnviz.training.engine import serve
from dnnviz.training.snapshot import ViewOptions

POLL_SECONDS = 0.1  # data wakes the relay at once; the timeout only checks the process lives
BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _blas_threads_for_child():
    """The training process's BLAS threads: every core on a 2-core machine (the window
    then draws sparingly, see main_window.GUI_SHARE), else all but one, left to the window.
    A thread count the user set in the environment is kept.
    """
    if any(name in os.environ for name in BLAS_ENV):
        yield
        return
    cores = os.cpu_count() or 2
    threads = str(cores if cores <= 2 else cores - 1)
    os.environ.update({name: threads for name in BLAS_ENV})
    try:
        yield
    finally:
        for name in BLAS_ENV:
            os.environ.pop(name, None)


class TrainingWorker(QObject):
    sigSnapshot = pyqtSignal(object)  # Snapshot
    sigStopped = pyqtSignal(str)  # why training stopped: completed, diverged...
    sigError = pyqtSignal(str)  # an exception in the training process, as one line
    sigFinished = pyqtSignal()

    def __init__(self):
        super().__init__()
        ctx = multiprocessing.get_context("spawn")
        commands_in, self._commands = ctx.Pipe(duplex=False)
        self._results, results_out = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=serve, args=(commands_in, results_out),
                                    name="dnnviz-training", daemon=True)
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the child inherits "ignore"
        try:
            with _blas_threads_for_child():
                self._process.start()
        finally:
            signal.signal(signal.SIGINT, previous)
        commands_in.close()
        results_out.close()
        self._outbox: queue.Queue = queue.Queue()
        self._fetched = queue.Queue()
        self.final_session = None  # the session as it was when the process quit
        self._quitting = threading.Event()
        self._sender = threading.Thread(target=self._send_commands, daemon=True,
                                        name="dnnviz-commands")
        self._sender.start()

    # --- called from the GUI thread -------------------------------------------------------
    def start_training(self):
        self._outbox.put(("run", None))

    def pause(self):
        self._outbox.put(("pause", None))

    def step_once(self, n: int = 1):
        self._outbox.put(("step", n))

    def request_snapshot(self):
        """The window has drawn the last snapshot: send the next when there is news."""
        self._outbox.put(("want", None))

    def set_session(self, session):
        self._outbox.put(("session", session))

    def set_options(self, options: ViewOptions):
        self._outbox.put(("options", options))

    def set_learning_rate(self, value: float):
        self._outbox.put(("lr", value))

    def set_target(self, value: int):
        self._outbox.put(("target", value))

    def call(self, fn):
        """Run fn(session) in the training process between steps; fn must be picklable."""
        self._outbox.put(("call", fn))

    def fetch_session(self, timeout: float = 30.0):
        """A copy of the session as the training process has it now (blocks until it comes)."""
        self._outbox.put(("fetch", None))
        try:
            return self._fetched.get(timeout=timeout)
        except queue.Empty:
            return None

    def quit(self):
        self._quitting.set()
        self._outbox.put(("quit", None))

    # --- the relay thread ------------------------------------------------------------------
    @pyqtSlot()
    def loop(self):
        try:
            while self._relay_once():
                pass
        finally:
            self._close()
            try:
                self.sigFinished.emit()
            except RuntimeError:
                pass  # the window is already gone (a script that ended without closing it)

    def _send_commands(self):
        """The sender thread: writes queued commands to the process until "quit"."""
        while True:
            command = self._outbox.get()
            try:
                self._commands.send(command)
            except (BrokenPipeError, OSError):
                return
            if command[0] == "quit":
                return

    def _relay_once(self) -> bool:
        try:
            if not self._results.poll(POLL_SECONDS):
                return self._process.is_alive() or self._lost()
            kind, value = self._results.recv()
        except (EOFError, OSError):
            return self._lost()
        return self._dispatch(kind, value)

    def _dispatch(self, kind, value) -> bool:
        if kind == "snapshot":
            self.sigSnapshot.emit(value)
        elif kind == "stopped":
            self.sigStopped.emit(value)
        elif kind == "error":
            self.sigError.emit(value)
        elif kind == "session":
            self._fetched.put(value)
        elif kind == "finished":
            self.final_session = value
            return False
        return True

    def _lost(self) -> bool:
        if not self._quitting.is_set():
            code = self._process.exitcode
            self.sigError.emit(f"the training process ended unexpectedly (exit code {code})")
        return False

    def _close(self):
        self._outbox.put(("quit", None))  # the sender thread ends on it (or on a dead pipe)
        self._sender.join(timeout=5)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        self._commands.close()
        self._results.close()
