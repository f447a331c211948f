"""Frames: every visible view drawn from one snapshot at a time, and how live that was.

The training process sends a frame (a Snapshot) when the window has asked for one; the
FrameScheduler draws it on every visible view at once, as soon as the GUI thread is free, so
every figure on screen belongs to the same iteration, then asks for the next. The pace is
the engine's alone (training/engine.py, Engine.frame_interval): the scheduler keeps no clock
of its own, it only tells the engine, with each WantFrame, what drawing a frame costs the
GUI thread. A view behind a tab is neither computed nor drawn: the scheduler tells the
engine which parts the visible views need, again whenever a view is shown or hidden.

Liveness counts what a user sees while training: refreshes per second of each visible view,
the GUI thread's CPU time per frame, and the time spent training (the report's refresh_hz,
frame_ms_p50/p95 and run_seconds).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

import numpy as np
from PyQt6.QtCore import QEvent, QObject, QTimer, pyqtSignal

from dnnviz.training import protocol as p
from dnnviz.training.snapshot import FrameRequest


class Liveness:
    """Refreshes per view and GUI CPU per frame, counted while training. Pure Python.

    frame() is called as each frame starts drawing, with the names of the views it draws:
    the time since the previous frame counts as time those views were on screen while
    training, and the GUI thread's CPU time since then as the cost of the previous frame.
    """

    def __init__(self):
        self.refreshes: Counter = Counter()
        self.shown_seconds: Counter = Counter()
        self.frame_cpu_ms: list[float] = []
        self.late_ms: list[float] = []  # how late frames were drawn, against the plan
        self._last: tuple | None = None  # (wall, cpu, running, names)
        self._run_started: float | None = None
        self._run_seconds = 0.0

    def frame(self, wall: float, cpu: float, running: bool, names) -> None:
        names = tuple(names)
        if self._last is not None:
            last_wall, last_cpu, last_running, last_names = self._last
            if last_running and running:
                for name in last_names:
                    self.shown_seconds[name] += wall - last_wall
                for name in names:
                    self.refreshes[name] += 1
                self.frame_cpu_ms.append((cpu - last_cpu) * 1000.0)
        self._last = (wall, cpu, running, names)

    def set_running(self, wall: float, running: bool) -> None:
        if running and self._run_started is None:
            self._run_started = wall
        elif not running and self._run_started is not None:
            self._run_seconds += wall - self._run_started
            self._run_started = None
        if not running:
            self._last = None  # the next frame starts a new stretch

    def run_seconds(self, wall: float | None = None) -> float:
        ongoing = 0.0 if self._run_started is None or wall is None else wall - self._run_started
        return self._run_seconds + ongoing

    def refresh_hz(self) -> dict[str, float]:
        return {name: self.refreshes[name] / seconds
                for name, seconds in sorted(self.shown_seconds.items()) if seconds > 0}

    def frame_ms(self, percentile: float) -> float:
        return float(np.percentile(self.frame_cpu_ms, percentile)) if self.frame_cpu_ms else 0.0

    def late(self, ms: float, running: bool) -> None:
        """A frame was drawn ms later than planned: the GUI thread was busy meanwhile."""
        if running:
            self.late_ms.append(max(0.0, ms))

    def latency_ms(self, percentile: float) -> float:
        return float(np.percentile(self.late_ms, percentile)) if self.late_ms else 0.0


class FrameScheduler(QObject):
    """Draws the newest frame of the current session on every visible view."""

    sigDrawn = pyqtSignal(object)  # the snapshot just drawn

    def __init__(self, views, parent=None):
        super().__init__(parent)
        self.views = list(views)  # each: .name, .parts, .show_snapshot(snap), a QWidget
        self.client = None
        self.tag = None
        self.running = False
        self.request = FrameRequest()
        self.latest = None  # the newest frame not yet drawn
        self.pinned: set = set()  # views drawn even when not in sight (one being recorded)
        self.last_drawn = None
        self.liveness = Liveness()
        self._asked = False
        self._due = 0.0  # when the pending frame came: it is drawn as soon as the GUI is free
        self._frame_cpu = 0.0  # smoothed GUI CPU seconds per frame while training
        self._was_running = False
        self._cpu_mark = time.thread_time()
        self._timer = QTimer(self, singleShot=True, interval=0)  # frames that came meanwhile:
        self._timer.timeout.connect(self.draw)  # the newest is drawn
        self._parts_timer = QTimer(self, singleShot=True, interval=0)
        self._parts_timer.timeout.connect(self.send_parts)
        for view in self.views:
            view.installEventFilter(self)

    # --- wiring ---------------------------------------------------------------------------
    def set_client(self, client) -> None:
        self.client = client
        client.sigFrame.connect(self.on_frame)
        self._asked = False

    def new_session(self, tag: int) -> None:
        """Frames of any other session are dropped from now on."""
        self.tag = tag
        self.latest = self.last_drawn = None
        self._asked = False

    def set_running(self, running: bool) -> None:
        if running != self.running:
            self.running = running
            self.liveness.set_running(time.perf_counter(), running)

    def set_options(self, **changes) -> None:
        """View options (settings.ViewOptions: gradients, log_scale, split, index): what the
        views show (sent with the parts)."""
        self.request = replace(self.request, **changes)
        self.send_parts()

    def eventFilter(self, obj, event):
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._parts_timer.start()  # once, after the tab or page change settles
        return False

    def shown_views(self) -> list:
        return [v for v in self.views if v in self.pinned
                or (v.isVisible() and v.width() > 0 and v.height() > 0)]

    def send_parts(self) -> None:
        """Tell the engine what the visible views need (a change shows at once)."""
        parts = frozenset().union(*(v.parts for v in self.shown_views()))
        request = replace(self.request, parts=parts)
        if self.client is not None:
            self.request = request
            self.client.send(p.SetParts(request))
            self.ask()

    # --- frames ---------------------------------------------------------------------------
    def ask(self) -> None:
        if self.client is not None and not self._asked:
            self._asked = True
            self.client.send(p.WantFrame(draw_seconds=self._frame_cpu))

    def on_frame(self, snap) -> None:
        if snap.tag != self.tag:
            return  # sent before the last session change: not this run's
        if self.latest is not None and self.latest.record:
            self._timer.stop()
            self.draw()  # a frame to record is never skipped for a newer one
        self.latest = snap
        self._asked = False
        if not self._timer.isActive():
            self._due = time.perf_counter()
            self._timer.start()

    def draw(self) -> None:
        """Draw the newest frame on every visible view, then ask for the next."""
        snap, self.latest = self.latest, None
        if snap is None:
            return
        wall, cpu = time.perf_counter(), time.thread_time()
        self.liveness.late((wall - self._due) * 1000.0, self.running)
        shown = self.shown_views()
        running = self.running and snap.running
        self.liveness.frame(wall, cpu, running, [v.name for v in shown])
        if running and self._was_running:  # the GUI's CPU for one whole frame while training
            self._frame_cpu = 0.7 * self._frame_cpu + 0.3 * (cpu - self._cpu_mark)
        self._cpu_mark, self._was_running = cpu, running
        for view in shown:
            view.show_snapshot(snap)
        self.last_drawn = snap
        self.sigDrawn.emit(snap)
        self.ask()

    def draw_pending(self) -> None:
        """Draw a frame that has come but not been drawn yet (before a screenshot)."""
        if self.latest is not None:
            self._timer.stop()
            self.draw()
