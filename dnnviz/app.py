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

from dnnviz.resource_files import ICON
from dnnviz.training.config import ConfigError, watch_speed
from dnnviz.training.report import run_report


def process_age() -> float | None:
    """Seconds since this process started (Linux /proc), to time the launch as a user sees it."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _install_signal_handlers(app):
    """Ctrl+C, SIGTERM and SIGHUP close the window cleanly (the run's files are written on
    the way out); a timer lets Python see the signal."""
    from PyQt6.QtCore import QTimer

    def on_signal(*_):
        app.closeAllWindows()
        app.quit()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    timer = QTimer(app, interval=200)
    timer.timeout.connect(lambda: None)
    timer.start()
    return timer


def run_app(config, args) -> NoReturn:
    """Open the window and run it; ends the process with the exit code (see the end)."""
    t0 = time.perf_counter()
    app = _make_application(getattr(args, "theme", "light"))
    window = _make_window(config, args)
    _show(window, args)
    _keep = _install_signal_handlers(app)
    runner = _Runner(window, args, t0)
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


def _make_application(theme: str):
    from PyQt6.QtGui import QIcon
    from PyQt6.QtWidgets import QApplication

    from dnnviz.ui import look as looks

    sys.setswitchinterval(0.001)  # the relay thread gets the GIL soon after data arrives
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("dnnviz")
    app.setDesktopFileName("dnnviz")
    app.setWindowIcon(QIcon(str(ICON)))
    app.setStyle("Fusion")  # the same widgets on every platform, every palette role honoured
    looks.set_current(looks.Look(theme))
    looks.configure_pyqtgraph()
    return app


def _make_window(config, args):
    """The window on the run the options ask for (a loaded model, a lesson, --view,
    --student); a run it cannot show is one line (ConfigError), the window shut down."""
    from dnnviz.ui.views.names import misfit
    from dnnviz.ui.window.main_window import MainWindow

    speed = getattr(args, "speed", "default")
    chosen = speed != "default"
    window = MainWindow(config, data_dir=args.data_dir,
                        speed=speed if chosen else watch_speed(config.is_image))
    window.speed_chosen = chosen
    window.student_run.configure(getattr(args, "student", None), getattr(args, "names", None),
                                 getattr(args, "time_limit", None))
    loaded = getattr(args, "loaded_session", None)
    lesson = getattr(args, "lesson", None)
    ok = window.apply_session(loaded) if loaded is not None else window.apply_config(config)
    if ok and lesson:
        ok = window.lessons.open(lesson)
    view = getattr(args, "view", None)
    if ok and view:
        data = window.session.data
        message = misfit(view, data.is_image, data.name, data.n_classes)
        ok = not message
        if message:
            window.controls.show_message(f"--view {view}: {message}")
    if not ok:
        message = window.controls.message.text()
        window.shutdown()
        raise ConfigError(message)  # cli.main reports it as one line, exit code 2
    window.apply_view(getattr(args, "view_options", None) or {})
    return window


def _show(window, args) -> None:
    """On the screen, in the look, mode and view asked for."""
    from dnnviz.ui.window import geometry
    from dnnviz.ui.window.layout import show_view

    window.set_theme(getattr(args, "theme", "light"))
    geometry.place(window)
    window.show()
    geometry.keep_inside(window)
    if getattr(args, "presentation", False):
        window.set_presentation(True)
    if getattr(args, "view", None):
        show_view(window, args.view)


class _Runner:
    """Carries out --autostart, --exit-after, --screenshot and --report."""

    def __init__(self, window, args, t0):
        from PyQt6.QtCore import QTimer
        self.window, self.args, self.t0 = window, args, t0
        self.exit_code = 0
        self.failure: str | None = None  # the training process died: the report says why
        self.start_iteration = 0  # where the run stood when --autostart set it going
        self.first_paint_s = None
        self._finished = False
        QTimer.singleShot(0, self._on_first_paint)
        if args.exit_after is not None:
            window.set_stop_at(max(1, args.exit_after))
            window.sigStopped.connect(self._on_stopped)

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
                    self.start_iteration = self.window.session.iteration
                    self.window.train_pause()

        timer = QTimer(self.window, interval=20)
        timer.timeout.connect(check)
        timer.start()

    def _on_first_paint(self):
        age = process_age()
        self.first_paint_s = age if age is not None else time.perf_counter() - self.t0

    def _on_stopped(self, reason: str):
        from PyQt6.QtCore import QTimer
        if reason.startswith("failed"):
            self.failure = reason
            self.exit_code = 1
        QTimer.singleShot(150, self.window.close)  # let the last frame be drawn

    def finish(self):
        from dnnviz.ui.window.files import save_png
        if self._finished:
            return
        self._finished = True
        window = self.window
        window.draw_pending()
        try:
            if self.args.screenshot:
                save_png(window, self.args.screenshot)
            if self.args.report:
                self._write_report()
        except OSError as exc:
            print(f"dnnviz: error: {exc}", file=sys.stderr)
            self.exit_code = 2

    def _write_report(self):
        from dnnviz.files import write_output
        window = self.window
        window.shutdown()  # the training process's last state is now the window's session
        session = window.session
        liveness = window.frames.liveness
        seconds = liveness.run_seconds(time.perf_counter())
        report = run_report(session, seconds)
        if self.failure:
            report["stopped_reason"] = self.failure
        if (student := window.student_run.report()) is not None:  # did it follow dnnviz's?
            report["student"] = student
        done = session.iteration - self.start_iteration
        report.update(
            iterations_per_second=done / seconds if seconds > 0 else 0.0,
            speed="max" if window.speed is None else window.speed,
            refresh_hz=liveness.refresh_hz(),
            frame_ms_p50=liveness.frame_ms(50), frame_ms_p95=liveness.frame_ms(95),
            ui_latency_ms_p99=liveness.latency_ms(99),
            run_seconds=seconds,
            first_paint_seconds=self.first_paint_s,
        )
        write_output(self.args.report, json.dumps(report, indent=1) + "\n")
