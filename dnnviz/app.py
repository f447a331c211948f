"""Builds the QApplication and the MainWindow from parsed options, and runs it.

Also: --autostart, --exit-after N, --screenshot PNG, --report JSON, and a clean exit on
closing the window, Ctrl+C or SIGTERM (the worker thread is always joined first).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import NoReturn

import numpy as np

from dnnviz.training.config import ConfigError

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
LATENCY_MS = 10


class LatencyProbe:
    """How late a 10 ms QTimer fires while training: the GUI thread's responsiveness."""

    def __init__(self, window):
        from PyQt6.QtCore import QTimer
        self.window = window
        self.lateness: list[float] = []
        self._last = None
        self._timer = QTimer(window, interval=LATENCY_MS)
        self._timer.timeout.connect(self._on_tick)
        self._timer.start()

    def _on_tick(self):
        now = time.perf_counter()
        if self._last is not None and self.window.running:
            self.lateness.append(max(0.0, (now - self._last) * 1000 - LATENCY_MS))
        self._last = now

    def p99(self) -> float:
        return float(np.percentile(self.lateness, 99)) if self.lateness else 0.0


def process_age() -> float | None:
    """Seconds since this process started (Linux /proc), to time the launch as a user sees it."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _install_signal_handlers(app):
    """Ctrl+C and SIGTERM close the window cleanly; a timer lets Python see the signal."""
    from PyQt6.QtCore import QTimer

    def on_signal(*_):
        app.closeAllWindows()
        app.quit()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    timer = QTimer(app, interval=200)
    timer.timeout.connect(lambda: None)
    timer.start()
    return timer


def run_app(config, args) -> NoReturn:
    """Open the window and run it; ends the process with the exit code (see the end)."""
    from PyQt6.QtGui import QIcon
    from PyQt6.QtWidgets import QApplication

    from dnnviz.ui.style import configure_pyqtgraph
    from dnnviz.ui.window.main_window import MainWindow

    t0 = time.perf_counter()
    sys.setswitchinterval(0.001)  # the relay thread gets the GIL soon after data arrives
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("dnnviz")
    app.setDesktopFileName("dnnviz")
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "dnnviz.svg")))
    configure_pyqtgraph()
    window = MainWindow(config, data_dir=args.data_dir)
    loaded = getattr(args, "loaded_session", None)
    lesson = getattr(args, "lesson", None)
    ok = window.apply_session(loaded) if loaded is not None else window.apply_config(config)
    if ok and lesson:
        ok = window.lessons.open(lesson)
    if not ok:
        message = window.controls.message.text()
        window.shutdown()
        raise ConfigError(message)  # cli.main reports it as one line, exit code 2
    window.apply_view(getattr(args, "view_options", None) or {})
    if getattr(args, "theme", "light") != "light":
        window.set_theme(args.theme)
    if getattr(args, "presentation", False):
        window.set_presentation(True)
    window.resize(1500, 950)
    window.show()
    probe = LatencyProbe(window)
    _keep = _install_signal_handlers(app)
    runner = _Runner(window, args, probe, t0)
    app.aboutToQuit.connect(runner.finish)
    if args.autostart:
        runner.start_when_drawn()
    code = app.exec()
    window.shutdown()
    code = runner.exit_code or code
    # Everything is saved and the training process joined. Leave now: Python's own exit
    # destroys the remaining Qt and pyqtgraph objects in no set order, which crashed a
    # cleanly closed window once in CI (SIGSEGV after its report was written).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class _Runner:
    """Carries out --exit-after, --screenshot and --report."""

    def __init__(self, window, args, probe, t0):
        from PyQt6.QtCore import QTimer
        self.window, self.args, self.probe, self.t0 = window, args, probe, t0
        self.exit_code = 0
        self.started = None
        self.stopped = None  # when training stopped: the rate excludes closing and saving
        self.start_iteration = 0
        self.first_paint_s = None
        self._finished = False
        QTimer.singleShot(0, self._on_first_paint)
        if args.exit_after is not None:
            window.worker.set_target(max(1, args.exit_after))
            window.worker.sigStopped.connect(self._on_stopped)
        window.worker.sigSnapshot.connect(self._on_snapshot)

    def start_when_drawn(self, give_up_s: float = 3.0):
        """--autostart: train once every view has drawn the first snapshot. Starting at
        once made the training process race the window's first layout and paints (about
        a second of work on a small machine)."""
        from PyQt6.QtCore import QTimer
        deadline = time.perf_counter() + give_up_s

        def check():
            if self.window.last_drawn is not None or time.perf_counter() > deadline:
                timer.stop()
                if not self.window.running:
                    self.window.train_pause()

        timer = QTimer(self.window, interval=20)
        timer.timeout.connect(check)
        timer.start()

    def _on_first_paint(self):
        age = process_age()
        self.first_paint_s = age if age is not None else time.perf_counter() - self.t0

    def _on_snapshot(self, snap):
        if snap.running and self.started is None:
            self.started = time.perf_counter()
            self.start_iteration = snap.iteration

    def _on_stopped(self, _reason):
        from PyQt6.QtCore import QTimer
        self.stopped = time.perf_counter()
        QTimer.singleShot(150, self.window.close)  # let the last snapshot be drawn

    def finish(self):
        if self._finished:
            return
        self._finished = True
        window = self.window
        window._draw_latest(everything=True)
        try:
            if self.args.screenshot:
                if not window.grab().save(self.args.screenshot, "PNG"):
                    raise OSError(f"cannot write screenshot {self.args.screenshot}")
            if self.args.report:
                self._write_report()
        except OSError as exc:
            print(f"dnnviz: error: {exc}", file=sys.stderr)
            self.exit_code = 2

    def _write_report(self):
        from dnnviz.atomic import write_text
        window = self.window
        window.shutdown()
        session = window.worker.final_session or window.session
        end = self.stopped or time.perf_counter()
        seconds = end - self.started if self.started else 0.0
        report = session.report(seconds)
        done = session.iteration - self.start_iteration
        report["iterations_per_second"] = done / seconds if seconds > 0 else 0.0
        report["ui_latency_ms_p99"] = self.probe.p99()
        report["first_paint_seconds"] = self.first_paint_s
        write_text(self.args.report, json.dumps(report, indent=1) + "\n")
