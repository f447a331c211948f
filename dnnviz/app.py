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

from dnnviz.options import HEADLESS_SIZE
from dnnviz.resource_files import ICON
from dnnviz.training.config import ConfigError, watch_speed
from dnnviz.training.report import run_report
from dnnviz.training.stops import INTERRUPTED, Why
from dnnviz.training.threads import BlasThreads


def process_age() -> float | None:
    """Seconds since this process started (Linux /proc), to time the launch as a user sees it."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _install_signal_handlers(app, runner):
    """Ctrl+C, SIGTERM and SIGHUP close the window cleanly (the run's files are written on
    the way out, its stopped reason "interrupted") and the exit code is 128 + the signal's
    number, as `dnnviz train`'s; a timer lets Python see the signal."""
    from PyQt6.QtCore import QTimer

    def close():
        app.closeAllWindows()
        app.quit()

    def on_signal(signum, _frame):  # Python runs this between any two bytecodes of the GUI
        runner.interrupted(signum)  # thread, even inside a Qt callback: close from the
        QTimer.singleShot(0, close)  # event loop

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
    data, splash_s = _read_pictures_first(config, args, t0)
    window = _make_window(config, args, data)
    _show(window, args)
    runner = _Runner(window, args, t0, first_paint_s=splash_s)
    _keep = _install_signal_handlers(app, runner)
    app.aboutToQuit.connect(runner.finish)
    if getattr(args, "play_all", False):
        runner.play_all()
    elif args.autostart:
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
    BlasThreads(1)  # the window only draws: no BLAS threads of its own spinning beside training
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("dnnviz")
    app.setDesktopFileName("dnnviz")
    app.setWindowIcon(QIcon(str(ICON)))
    app.setStyle("Fusion")  # the same widgets on every platform, every palette role honoured
    looks.set_current(looks.Look(theme))
    looks.configure_pyqtgraph()
    return app


def _read_pictures_first(config, args, t0):
    """--image-folder: the pictures read before the window is made, off the GUI thread, a
    splash saying so meanwhile. (data, seconds to the splash's paint), or (None, None)."""
    if getattr(args, "loaded_session", None) is not None or not config.image_folder:
        return None, None
    from dnnviz.starting import interrupted
    from dnnviz.training import load_data
    from dnnviz.ui.teach.own_image import image_to_pixels
    from dnnviz.ui.window.loading import read_before_window

    painted = []
    data = read_before_window(f"reading the pictures in {config.image_folder}",
                              lambda: load_data(config, image_to_pixels), interrupted,
                              on_shown=lambda: painted.append(_seconds_since(t0)))
    return data, painted[0] if painted else None


def _seconds_since(t0: float) -> float:
    """Seconds since the process started (as a user waits), else since t0; rounded: /proc
    counts in clock ticks, no float noise."""
    age = process_age()
    return round(age if age is not None else time.perf_counter() - t0, 3)


def _make_window(config, args, data=None):
    """The window on the run the options ask for (a loaded model, a lesson, --view,
    --student); a run it cannot show is one line (ConfigError), the window shut down.
    data: the data set already read (_read_pictures_first), else the config's."""
    from dnnviz.ui.views.names import misfit
    from dnnviz.ui.window.main_window import MainWindow

    speed = getattr(args, "speed", "default")
    chosen = speed != "default"
    window = MainWindow(config, data_dir=args.data_dir,
                        speed=speed if chosen else watch_speed(config.is_image),
                        threads=getattr(args, "threads", None), speed_chosen=chosen,
                        fixed_size=_window_size(args))
    window.student_run.configure(getattr(args, "student", None), getattr(args, "names", None),
                                 getattr(args, "time_limit", None))
    loaded = getattr(args, "loaded_session", None)
    lesson = getattr(args, "lesson", None)
    if loaded is not None:
        ok = window.apply_session(loaded)
    else:
        ok = window.apply_config(config) if data is None else window.apply_data(config, data)
    if ok:  # the config file's view options; then a lesson's run may ask for its own
        window.apply_view(getattr(args, "view_options", None) or {})
    if ok and lesson:
        ok = window.lessons.open(lesson)
    view = getattr(args, "view", None)
    if ok and view:
        data = window.session.data
        message = misfit(view, data.is_image, data.name, data.n_classes)
        ok = not message
        if message:
            window.controls.show_message(f"--view {view}: {message}")
    record_view = getattr(args, "record_view", None)
    if ok and record_view:
        message = misfit(record_view, window.session.data.is_image, window.session.data.name)
        ok = not message
        if message:
            window.controls.show_message(f"--record-view {record_view}: {message}")
    if not ok:
        message = window.controls.message.text()
        window.shutdown()
        raise ConfigError(message)  # cli.main reports it as one line, exit code 2
    return window


def _window_size(args) -> tuple[int, int] | None:
    """--window-size, or the headless size offscreen; None: placed on the screen."""
    size = getattr(args, "window_size", None)
    if size is None and os.environ.get("QT_QPA_PLATFORM", "").strip() == "offscreen":
        size = HEADLESS_SIZE
    return size


def _show(window, args) -> None:
    """On the screen, in the look, mode and view asked for."""
    from dnnviz.ui.window import geometry
    from dnnviz.ui.window.layout import show_view

    window.set_theme(getattr(args, "theme", "light"))
    size = window.fixed_size
    if size is None:
        geometry.place(window)
    else:
        geometry.set_size(window, size)
    window.show()
    if size is None:
        geometry.keep_inside(window)
    if getattr(args, "presentation", False):
        window.set_presentation(True)
    if getattr(args, "view", None):
        show_view(window, args.view)
    if getattr(args, "record", None):
        _start_recording(window, args)


def _start_recording(window, args) -> None:
    """--record FILE, from the start; the default pace from the run's length: --exit-after,
    or with --play-all the whole lesson's (else the run's iterations). A recording that
    cannot start is one line, exit code 2."""
    from dnnviz.recording import default_every
    every = args.record_every
    if every is None and getattr(args, "play_all", False):
        every = default_every(sum(run.config.iterations for run in window.lessons.lesson.runs))
    elif every is None and args.exit_after is not None:
        every = default_every(args.exit_after)
    if not window.recorder.start(args.record, every, args.record_view, args.record_size):
        print(f"dnnviz: error: {window.recorder.failure}", file=sys.stderr)
        window.shutdown()
        os._exit(2)


class _Runner:
    """Carries out --autostart, --exit-after, --screenshot and --report."""

    def __init__(self, window, args, t0, first_paint_s=None):
        from PyQt6.QtCore import QTimer
        self.window, self.args, self.t0 = window, args, t0
        self.exit_code = 0
        self.failure = None  # a stops.Stop: why the run ended early (the report says so)
        self.start_iteration = 0  # where the run stood when --autostart set it going
        self.first_paint_s = first_paint_s  # a splash's, while pictures were read
        self._finished = False
        QTimer.singleShot(0, self._on_first_paint)
        if args.exit_after is not None:
            window.set_stop_at(max(1, args.exit_after))
            window.sigStopped.connect(self._on_stopped)

    def play_all(self):
        """--play-all: the lesson's runs one after another, then quit; a run that fails
        ends it (exit code 1, the report says why)."""
        from PyQt6.QtCore import QTimer
        window = self.window
        window.lessons.sigFinished.connect(
            lambda: (window.draw_pending(), QTimer.singleShot(300, window.close)))
        # side by side: the screenshot and report while the runs are still on the page
        window.together.sigFinished.connect(
            lambda: QTimer.singleShot(300, lambda: (self.finish(), window.close())))
        window.sigStopped.connect(lambda reason: reason.why is Why.FAILED
                                  and self._on_stopped(reason))
        together = getattr(self.args, "together", False)
        self.start_when_drawn(start=window.lessons.play_together if together
                              else window.lessons.play_all)

    def start_when_drawn(self, give_up_s: float = 3.0, start=None):
        """--autostart: train once every view has drawn the first snapshot. Starting at
        once made the training process race the window's first layout and paints (about
        a second of work on a small machine). start: what starts it (Train)."""
        from PyQt6.QtCore import QTimer
        deadline = time.perf_counter() + give_up_s

        def check():
            if self.window.last_drawn is not None or time.perf_counter() > deadline:
                timer.stop()
                if not self.window.running:
                    self.start_iteration = self.window.session.iteration
                    (start or self.window.train_pause)()

        timer = QTimer(self.window, interval=20)
        timer.timeout.connect(check)
        timer.start()

    def _on_first_paint(self):
        if self.first_paint_s is None:
            self.first_paint_s = _seconds_since(self.t0)

    def interrupted(self, signum: int) -> None:
        """A stop signal: the report says "interrupted", the exit code 128 + its number."""
        if self.failure is None:
            self.failure = INTERRUPTED
        if not self.exit_code:
            self.exit_code = 128 + signum

    def _on_stopped(self, reason):
        from PyQt6.QtCore import QTimer
        if reason.why is Why.FAILED:
            self.failure = reason
            self.exit_code = 1
        # The exact final frame came before the stop: draw it now, while the views are in
        # sight (a frame held back at --speed max was drawn after the close, on hidden
        # views, and the screenshot showed an earlier iteration)
        self.window.draw_pending()
        QTimer.singleShot(150, self.window.close)

    def finish(self):
        from dnnviz.ui.window.files import save_png
        if self._finished:
            return
        self._finished = True
        window = self.window
        window.draw_pending()
        window.recorder.stop()  # --record's file is complete (closing the window stopped it)
        if getattr(self.args, "record", None) and window.recorder.failure:
            print(f"dnnviz: error: {window.recorder.failure}", file=sys.stderr)
            self.exit_code = 2
        try:
            if self.args.screenshot:
                save_png(window, self.args.screenshot)
            if self.args.report:
                self._write_report()
            if getattr(self.args, "save_config", None):
                from dnnviz.training import save_config
                save_config(self.args.save_config, window.config, window.view_options())
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
            report["stopped_reason"] = str(self.failure)
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
            threads=window.process.threads_used,
            runs=window.together.records() or [r.as_report() for r in window.model.runs.all()],
        )
        if together_hz := window.together.refresh_hz():  # runs side by side: their page's
            report.update(together_refresh_hz=together_hz,
                          together_frame_ms=window.together.frame_ms())
        write_output(self.args.report, json.dumps(report, indent=1) + "\n")
