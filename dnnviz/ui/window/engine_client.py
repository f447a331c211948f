"""EngineClient: the window's handle on the training process (see training/engine.py).

A QObject living in a QThread of its own, the relay: it reads what the process sends and
re-emits it as Qt signals, which reach the window in the GUI thread. Commands from the GUI
thread go into a queue that a sender thread writes to the process, so the GUI never blocks
on a pipe. Reading and writing in separate threads matters: the process may be blocked
sending a frame while a large command (a new session) is being written to it, and a single
thread doing both would deadlock.

Requests that want an answer (ask: a Fetch or a Call) carry an id and return at once; the
answer comes by signal (sigAnswer, with its id), and nothing in the GUI thread waits for it
(ui/window/requests.py keeps what is asked, shows it and drops answers nobody wants). A
process that dies is noticed within POLL_SECONDS: sigDied says so.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import signal
import threading
import time
from contextlib import contextmanager

from PyQt6.QtCore import QObject, pyqtSignal, pyqtSlot

from dnnviz.training import protocol as p
from dnnviz.training.engine import serve

POLL_SECONDS = 0.1  # data wakes the relay at once; the timeout only checks the process lives
QUIT_SECONDS = 5.0  # a process that has not finished this long after Quit is stopped (one
# stuck in a step: a student's endless loop waits for its time limit)
BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _blas_threads_for_child():
    """The training process's BLAS threads: every core on a 2-core machine, else all but
    one, left to the window. A thread count the user set in the environment is kept."""
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


class EngineClient(QObject):
    sigFrame = pyqtSignal(object)  # Snapshot
    sigStopped = pyqtSignal(object, object)  # tag, why training stopped (a stops.Stop)
    sigFailed = pyqtSignal(object, object)  # tag, the Failed message (text, own_code...)
    sigCheckpoint = pyqtSignal(object, object)  # tag, RunState
    sigAnswer = pyqtSignal(int, object, object)  # request id, value, error (one line) or None
    sigDied = pyqtSignal(str)  # the process ended unexpectedly: why, in one line
    sigFinished = pyqtSignal()  # the relay is done (after quit, or a death)

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
        self._ids = itertools.count(1)
        self.final = None  # Finished: the run as it was when the process quit
        self.dead = threading.Event()
        self._quitting = threading.Event()
        self._quit_at = float("inf")
        self._sender = threading.Thread(target=self._send_commands, daemon=True,
                                        name="dnnviz-commands")
        self._sender.start()

    # --- called from the GUI thread -------------------------------------------------------
    def send(self, command) -> None:
        """Queue a command (protocol.py) for the training process."""
        self._outbox.put(command)

    def ask(self, fn=None) -> int:
        """Ask the training process for fn(session), computed there between two iterations
        (fn must be picklable), or with no fn for the run's state (a RunState). Returns the
        request's id at once; the answer comes as sigAnswer(id, value, error)."""
        request_id = next(self._ids)
        self.send(p.Fetch(request_id) if fn is None else p.Call(request_id, fn))
        return request_id

    def quit(self) -> None:
        self._quit_at = time.monotonic()
        self._quitting.set()
        self.send(p.Quit())

    @property
    def alive(self) -> bool:
        return not self.dead.is_set() and self._process.is_alive()

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
        """The sender thread: writes queued commands to the process until Quit."""
        while True:
            command = self._outbox.get()
            try:
                self._commands.send(command)
            except (BrokenPipeError, OSError):
                return
            if isinstance(command, p.Quit):
                return

    def _relay_once(self) -> bool:
        try:
            if not self._results.poll(POLL_SECONDS):
                if time.monotonic() - self._quit_at > QUIT_SECONDS:
                    self._process.kill()  # stuck: the window must not wait for it
                return self._process.is_alive() or self._lost()
            message = self._results.recv()
        except (EOFError, OSError):
            return self._lost()
        return self._dispatch(message)

    def _dispatch(self, message) -> bool:
        if isinstance(message, p.Frame):
            self.sigFrame.emit(message.snapshot)
        elif isinstance(message, p.Stopped):
            self.sigStopped.emit(message.tag, message.reason)
        elif isinstance(message, p.Failed):
            self.sigFailed.emit(message.tag, message)
        elif isinstance(message, p.Checkpoint):
            self.sigCheckpoint.emit(message.tag, message.state)
        elif isinstance(message, p.Answer):
            self.sigAnswer.emit(message.request_id, message.value, message.error)
        elif isinstance(message, p.Finished):
            self.final = message
            return False
        return True

    def _lost(self) -> bool:
        self.dead.set()
        if not self._quitting.is_set():
            self._process.join(timeout=1.0)  # its pipe closed as it died: reap it
            code = self._process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 \
                else f"exit code {code}"
            self.sigDied.emit(f"the training process ended unexpectedly ({how})")
        return False

    def _close(self):
        self._outbox.put(p.Quit())  # the sender thread ends on it (or on a dead pipe)
        self._sender.join(timeout=5)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        self._commands.close()
        self._results.close()
