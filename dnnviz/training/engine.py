"""Engine: the training loop, run in a process of its own. Pure Python + NumPy (no Qt).

Why a process and not a thread: the views are drawn by Python code (pyqtgraph), and a
training thread in the same interpreter waits for the GIL after every BLAS call while the
GUI draws. Measured here on the cat net, that cut training to a quarter of its headless
speed and made the GUI stall for 100 ms. In its own process the loop trains at full speed,
a crash in it cannot take the window down, and the window stays responsive.

The loop owns the Session. Commands arrive on one pipe and are carried out between steps.
Snapshots leave on another, paced by the window: one after each command that changes
something, and one per "want" (the window asks again only when it has drawn the last),
at most SNAPSHOT_HZ a second. So the loop never makes a snapshot nobody will draw, and
never waits on a pipe that a busy window is slow to read.
Messages out: ("snapshot", Snapshot), ("stopped", reason), ("error", text),
("session", Session) on "fetch", and ("finished", Session) after "quit".
"""

from __future__ import annotations

import signal
import time
import traceback

from dnnviz.training.snapshot import ViewOptions
from dnnviz.training.summaries import make_snapshot

SNAPSHOT_HZ = 30


class Engine:
    def __init__(self, send):
        self.send = send
        self.session = None
        self.options = ViewOptions()
        self.running = False
        self.pending_steps = 0
        self._last_snapshot = 0.0
        self.wanted = False  # the window has drawn the last snapshot and wants the next
        self._dirty = True  # something changed since the last snapshot
        self._rate = 0.0
        self._rate_mark = (time.perf_counter(), 0)

    @property
    def busy(self) -> bool:
        return self.session is not None and (self.running or self.pending_steps > 0)

    def serve(self, commands) -> None:
        """Run until "quit" or until the other end goes away."""
        while True:
            if commands.poll(0 if self.busy else 0.1):
                try:
                    name, value = commands.recv()
                except (EOFError, OSError):
                    return
                if name == "quit":
                    self.send(("finished", self.session))
                    return
                self.handle(name, value)
            elif self.busy:
                self.train_one()
            if self.wanted and self._dirty and self._due():
                self.emit_snapshot()

    def _due(self) -> bool:
        return time.perf_counter() - self._last_snapshot >= 1.0 / SNAPSHOT_HZ

    def handle(self, name, value) -> None:
        if name == "want":
            self.wanted = True
            return
        try:
            self._apply(name, value)
        except Exception as exc:
            self.fail(exc)
            return
        if name != "fetch":
            self.emit_snapshot()

    def _apply(self, name, value) -> None:
        s = self.session
        if name == "session":
            self.session, self.running, self.pending_steps = value, False, 0
            self._rate = 0.0
        elif name == "options":
            self.options = value
        elif name == "fetch":
            self.send(("session", s))
        elif s is None:
            return
        elif name == "run":
            self._start(s)
        elif name == "pause":
            self.running, self.pending_steps = False, 0
        elif name == "step":
            self.running = False
            self.pending_steps += int(value)
        elif name == "lr":
            s.learning_rate = value
        elif name == "target":
            s.target_iterations = value
        elif name == "call":
            value(s)

    def _start(self, s) -> None:
        if s.iteration >= s.target_iterations and not s.diverged:
            s.target_iterations = s.iteration + s.config.iterations
        self.running = not s.diverged
        self._rate_mark = (time.perf_counter(), s.iteration)
        if s.diverged:  # nothing to run: say so, or the window keeps showing "Pause"
            self.send(("stopped", s.stopped_reason))

    def train_one(self) -> None:
        s = self.session
        try:
            cost = s.step()
        except Exception as exc:
            self.fail(exc)
            return
        self._dirty = True
        if self.pending_steps:
            self.pending_steps -= 1
            if not self.pending_steps:
                self.emit_snapshot()
        if cost is None or (self.running and s.iteration >= s.target_iterations):
            self.running, self.pending_steps = False, 0
            if cost is not None:
                s.stopped_reason = "completed"
            self.emit_snapshot()
            self.send(("stopped", s.stopped_reason or "stopped"))

    def fail(self, exc: Exception) -> None:
        self.running, self.pending_steps = False, 0
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" (in {last[0].name})" if last else ""
        self.send(("error", f"{type(exc).__name__}: {exc}{where}"))

    def emit_snapshot(self) -> None:
        s = self.session
        if s is None:
            return
        now = time.perf_counter()
        mark_time, mark_iter = self._rate_mark
        if self.running and now - mark_time >= 0.5:
            self._rate = (s.iteration - mark_iter) / (now - mark_time)
            self._rate_mark = (now, s.iteration)
        try:
            snap = make_snapshot(s, self.options, rate=self._rate, running=self.running)
        except Exception as exc:
            self.fail(exc)
            return
        self._last_snapshot = now
        self.wanted = self._dirty = False
        self.send(("snapshot", snap))


def serve(commands, results) -> None:
    """The child process's entry point. Ctrl+C is the window's to handle, not ours."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        Engine(results.send).serve(commands)
    except (BrokenPipeError, EOFError, OSError):
        pass  # the window has gone: nothing left to tell
