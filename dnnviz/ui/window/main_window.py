"""MainWindow: the controller. Controls -> session (through the worker), snapshots -> views.

The training process owns the running Session; this window builds each new Session (in
the GUI thread, so a bad setting is refused before anything is replaced) and hands a copy
over; `self.session` stays the window's copy for its data and dims, `fetch_session()`
gets the live one. Snapshots arrive by queued signal; only the latest is kept and drawn
by a QTimer, which asks for the next when it has drawn the last.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace

from PyQt6.QtCore import Qt, QThread, QTimer
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dnnviz.data import BUILTIN_DATASETS, DataError, course_files, default_data_dir
from dnnviz.lessons import list_lessons
from dnnviz.training import ConfigError, RunConfig, Session, load_data
from dnnviz.training.snapshot import ViewOptions
from dnnviz.ui import theme
from dnnviz.ui.teach.lesson_panel import LessonController, LessonPanel
from dnnviz.ui.teach.teaching import TeachingTools
from dnnviz.ui.views.activations import ActivationView
from dnnviz.ui.views.boundary import BoundaryView
from dnnviz.ui.views.cost_plot import CostPlot
from dnnviz.ui.views.histograms import HistogramGrid
from dnnviz.ui.views.runs import RunsTable, connect_runs
from dnnviz.ui.views.thumbnails import ThumbnailStrip
from dnnviz.ui.window.controls import ControlPanel
from dnnviz.ui.window.engine_client import TrainingWorker
from dnnviz.ui.window.files import FileActions
from dnnviz.ui.window.status import status_text

REDRAW_MS = 33  # the fastest redraw; slower when drawing is slow (see _on_redraw)
MAX_REDRAW_MS = 500
# The share of one core that drawing may take while training. With 2 cores or fewer the
# training process uses them all and the window draws a group of views about twice a
# second (benchmarks/bench_window.py on the cat net, 2 cores: 0.92x headless speed and
# p99 latency 23 ms at 0.04; 0.82-0.90x at 0.08); with more, a core is the window's.
GUI_SHARE = 0.04 if (os.cpu_count() or 2) <= 2 else 0.5


# keys that work inside the dialogs, listed with the window's own in Help > Shortcuts
DIALOG_KEYS = [("Right, Left", "step-through: next / previous stage"),
               ("Home, End", "step-through: first / last stage"),
               ("Esc", "close a dialog")]


class MainWindow(QMainWindow):
    def __init__(self, config: RunConfig, data_dir: str | None = None):
        super().__init__()
        self.setWindowTitle("dnnviz — watch a deep network learn")
        self.data_dir = data_dir
        self.config = config
        self.session: Session | None = None
        self.running = False
        self.latest = None  # the newest snapshot not yet drawn
        self._cycle = None  # (snapshot, view groups still to show it)
        self._asked = False  # a snapshot has been asked for and not yet received
        self._pace_mark = (time.perf_counter(), time.thread_time())
        self.last_drawn = None
        self._tags = 0  # one tag per session handed to the worker
        self.options = ViewOptions()
        self._opened: dict[str, tuple[str, tuple[str, str]]] = {}  # key -> (label, files)
        self._build_views()
        self._build_menus()
        self._start_worker()
        self.lessons = LessonController(self, self.lesson_panel)
        self._timer = QTimer(self, interval=REDRAW_MS)
        self._timer.timeout.connect(self._on_redraw)
        self._timer.start()

    # --- construction -----------------------------------------------------------------
    def _build_views(self) -> None:
        self.controls = ControlPanel(self._dataset_entries())
        dock = QDockWidget("Controls", self)
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.lesson_panel = LessonPanel()
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.controls)
        column.addWidget(self.lesson_panel)
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(side)
        dock.setWidget(scroll)
        # wide enough for the widest row (three layer boxes and the buttons) without clipping
        scroll.setMinimumWidth(max(440, self.controls.sizeHint().width() + 30))
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.cost_plot = CostPlot()
        self.histograms = HistogramGrid()
        self.thumbnails = ThumbnailStrip()
        self.activations = ActivationView()
        self.boundary = BoundaryView()
        self.runs_table = RunsTable()
        self.runs = connect_runs(self.runs_table, self.cost_plot)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.histograms, "Weights")
        self.lower_tabs.addTab(self.runs_table, "Compared runs")
        self.lower_tabs.setTabToolTip(1, "Earlier runs of this session: their cost curves stay "
                                      "on the cost plot; tick a run to show or hide it")
        self.controls_dock = dock
        left = self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.cost_plot)
        left.addWidget(self.lower_tabs)
        image_page = QSplitter(Qt.Orientation.Vertical)
        image_page.addWidget(self.thumbnails)
        image_page.addWidget(self.activations)
        image_page.setSizes([200, 600])
        self.pages = QStackedWidget()
        self.pages.addWidget(image_page)
        self.pages.addWidget(self.boundary)
        center = QSplitter()
        center.addWidget(left)
        center.addWidget(self.pages)
        center.setSizes([600, 700])
        self.setCentralWidget(center)
        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)
        c = self.controls
        c.sigDatasetChanged.connect(self._on_dataset)
        c.sigRebuild.connect(self._on_rebuild)
        c.sigLearningRate.connect(self._on_learning_rate)
        c.sigIterations.connect(self._on_iterations)
        c.sigTrainPause.connect(self.train_pause)
        c.sigStep.connect(self.step)
        c.sigReset.connect(self.reset)
        self.histograms.sigKindChanged.connect(self._on_hist_kind)
        self.cost_plot.sigLogScaleChanged.connect(self._on_log_changed)
        self.thumbnails.sigSampleSelected.connect(self._on_sample)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open course h5 files…", self.open_files,
                     QKeySequence.StandardKey.Open)
        self.files = FileActions(self, file_menu)
        file_menu.addSeparator()
        lessons = file_menu.addMenu("&Lessons")
        for name, title in list_lessons():
            lessons.addAction(title, lambda name=name: self.lessons.open(name))
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        run = self.menuBar().addMenu("&Run")
        self._action(run, "&Train / Pause", self.train_pause, "Space")
        self.step_action = self._action(run, "&Step one iteration", self.step, "S")
        self.step_action.setShortcuts([QKeySequence("S"), QKeySequence("Right")])
        self._action(run, "&Reset", self.reset, "R")
        view = self.menuBar().addMenu("&View")
        self.log_action = self._action(view, "&Log-scale cost", self._on_log, "L")
        self.log_action.setCheckable(True)
        self.grad_action = self._action(view, "&Gradient histograms", self._on_grad_action, "G")
        self.grad_action.setCheckable(True)
        view.addSeparator()
        self.presentation_action = self._action(view, "&Presentation", self.set_presentation,
                                                "F11")
        self.presentation_action.setCheckable(True)
        self.presentation_action.setToolTip("Large text and thick lines for a projector, "
                                            "advanced controls hidden, full screen")
        self.dark_action = self._action(
            view, "&Dark theme", lambda on: self.set_theme("dark" if on else "light"), "Ctrl+D")
        self.dark_action.setCheckable(True)
        panel = self._action(view, "&Controls panel", self.controls_dock.setVisible, "Ctrl+B")
        panel.setCheckable(True)
        panel.setChecked(True)
        panel.setToolTip("Show or hide the controls: more room for the plots on a projector")
        self.teaching = TeachingTools(self, self.menuBar().addMenu("&Teach"))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1")

    def set_presentation(self, on: bool) -> None:
        was = theme.current(self)[1]
        theme.set_presentation(self, bool(on))
        self.presentation_action.setChecked(bool(on))
        if bool(on) != was:  # on a projector the cost plot gets the larger share
            sizes = self.left_splitter.sizes()
            if on:
                self._normal_split = sizes
                self.left_splitter.setSizes([int(sum(sizes) * 0.6), int(sum(sizes) * 0.4)])
            elif getattr(self, "_normal_split", None):
                self.left_splitter.setSizes(self._normal_split)

    def set_theme(self, name: str) -> None:
        theme.set_theme(self, name)
        self.dark_action.setChecked(name == "dark")

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _start_worker(self) -> None:
        self.thread_ = QThread()
        self.worker = TrainingWorker()
        self.worker.moveToThread(self.thread_)
        self.thread_.started.connect(self.worker.loop)
        self.worker.sigSnapshot.connect(self._on_snapshot)
        self.worker.sigStopped.connect(self._on_stopped)
        self.worker.sigError.connect(self._on_worker_error)
        self.worker.sigFinished.connect(self.thread_.quit)
        self.thread_.start()

    def _dataset_entries(self):
        entries = [(name, name) for name in BUILTIN_DATASETS]
        if self._cat_dir() is not None:
            entries.append(("cat", "cat vs non-cat (course)"))
        entries += [(key, label) for key, (label, _) in self._opened.items()]
        return entries

    def _cat_dir(self):
        folder = self.data_dir or default_data_dir()
        return folder if folder is not None and course_files(folder) else None

    # --- sessions -----------------------------------------------------------------------
    def apply_config(self, config: RunConfig, suggest: bool = False) -> bool:
        """Build a session for config; on a bad setting show why and keep the old one.

        With suggest, a switch between image and 2-D data also brings the network settings
        that suit the new kind (the course's L-layer net for images).
        """
        try:
            reuse = self.session is not None and _same_data(self.session.config, config)
            data = self.session.data if reuse else load_data(config)
            if suggest and self.session is not None and data.is_image != self.session.data.is_image:
                config = config.with_suggested(data.is_image)
            session = Session(config, data)
        except (ConfigError, DataError, MemoryError) as exc:
            self.show_error(str(exc))
            self.controls.set_config(self.config, self.dataset_key(self.config))
            return False
        return self.apply_session(session)

    def apply_session(self, session: Session) -> bool:
        """Show and train `session` from here on (a new one, or one loaded from a file).
        The run it replaces, if it trained at all, stays on the cost plot."""
        previous, previous_config = self.newest_snapshot(), self.config
        config = session.config
        self.config, self.session = config, session
        key = self.dataset_key(config)
        if config.train_file and key not in self._opened:
            self._opened[key] = (session.data.name, (config.train_file, config.test_file))
            self.controls.set_datasets(self._dataset_entries())
        if previous is not None and previous.iteration > 0:
            self.runs.keep_run(previous, previous_config.init, previous_config.dataset,
                               previous_config.seed)
        self.latest = self.last_drawn = self._cycle = None
        self.running = False
        self.controls.set_running(False)
        self.controls.set_config(config, self.dataset_key(config))
        self.controls.show_message("")
        self.statusBar().clearMessage()  # an old run's error is not this one's
        data = session.data
        self.cost_plot.clear()
        self.histograms.set_layers(session.layer_dims)
        if data.is_image:
            self.thumbnails.set_dataset(data)
            self.activations.set_layers(session.layer_dims, data)
            self.pages.setCurrentIndex(0)
        else:
            self.boundary.set_dataset(data, session.layer_dims)
            self.pages.setCurrentIndex(1)
        self.options = ViewOptions(gradients=self.options.gradients, split="test", index=0)
        self.worker.set_options(self.options)
        self._tags += 1
        session.tag = self._tags  # travels with the session; its snapshots carry it back
        self.worker.set_session(session)
        theme.refresh(self)  # new plots get the current theme and text size
        return True

    def apply_view(self, view: dict) -> None:
        """View options as a config file keeps them: gradients, log_scale, split, index."""
        self.histograms.set_gradients(bool(view.get("gradients", False)))
        self.cost_plot.set_log_scale(bool(view.get("log_scale", False)))
        self._set_options(split=view.get("split", "test"), index=int(view.get("index", 0)))

    def newest_snapshot(self):
        """The newest snapshot of the current session, drawn or not (None before any)."""
        snaps = [self.latest, self._cycle[0] if self._cycle else None, self.last_drawn]
        snaps = [s for s in snaps if s is not None]
        return max(snaps, key=lambda s: s.iteration) if snaps else None

    def dataset_key(self, config: RunConfig) -> str:
        if config.train_file:
            return f"file:{config.train_file}"
        return config.dataset

    def _on_dataset(self, key: str) -> None:
        if key.startswith("file:"):
            train, test = self._opened[key][1]
            config = self.config.with_changes(dataset="file", train_file=train, test_file=test)
        else:
            config = self.config.with_changes(dataset=key, train_file=None, test_file=None,
                                              data_dir=str(self._cat_dir() or "") or None)
        self.apply_config(config, suggest=True)

    def _on_rebuild(self) -> None:
        try:
            config = self.config.with_changes(**self.controls.network_changes())
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        self.apply_config(config)

    def _on_learning_rate(self, value: float) -> None:
        try:
            self.config = self.config.with_changes(learning_rate=value)
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        self.worker.set_learning_rate(value)

    def _on_iterations(self, value: int) -> None:
        self.config = self.config.with_changes(iterations=value)
        self.worker.set_target(value)

    # --- run control --------------------------------------------------------------------
    def train_pause(self) -> None:
        if self.running:
            self.worker.pause()
        else:
            self.worker.start_training()
        self.running = not self.running
        self.controls.set_running(self.running)

    def step(self) -> None:
        self.running = False
        self.controls.set_running(False)
        self.worker.step_once()

    def reset(self) -> None:
        self.apply_config(self.config)

    def _on_stopped(self, reason: str) -> None:
        self.running = False
        self.controls.set_running(False)
        if reason.startswith("diverged"):
            self.show_error(reason)

    def _on_worker_error(self, text: str) -> None:
        self.running = False
        self.controls.set_running(False)
        self.show_error(f"training stopped: {text}")

    def show_error(self, text: str) -> None:
        self.controls.show_message(text)
        self.statusBar().showMessage(text, 10000)

    # --- drawing ------------------------------------------------------------------------
    def _on_snapshot(self, snap) -> None:
        if self.session is None or snap.session_tag != self.session.tag:
            return  # sent before the last session change: not this run's
        self.latest = snap
        self._asked = False

    def _on_redraw(self) -> None:
        """Draw the newest snapshot, then ask for the next one when a cycle is done.

        The GUI thread's CPU time (drawing and painting) is measured between ticks, and the
        interval stretches so that it stays under GUI_SHARE of one core while training: on
        a small machine the training process keeps the cores and the window stays responsive.
        """
        self._draw_latest()
        self._pace()
        if self._cycle is None and not self._asked:  # the next tick starts a new cycle
            self._asked = True
            self.worker.request_snapshot()

    def _pace(self) -> None:
        """The next interval, from the GUI thread's CPU time since the last tick: longer at
        once when drawing took more than GUI_SHARE, shorter only gradually. (Adapting over
        a second or more let the first second of a run draw at full speed and take the
        training process's cores.)"""
        now, cpu = time.perf_counter(), time.thread_time()
        wall, used = now - self._pace_mark[0], cpu - self._pace_mark[1]
        self._pace_mark = (now, cpu)
        current = self._timer.interval()
        if not self.running or wall <= 0:
            interval = REDRAW_MS
        else:
            target = current * (used / wall) / GUI_SHARE
            interval = target if target > current else 0.8 * current + 0.2 * target
        self._timer.setInterval(int(min(MAX_REDRAW_MS, max(REDRAW_MS, interval))))

    def _draw_latest(self, everything: bool = False) -> None:
        """Show the newest snapshot, one group of views per tick.

        Painting every view at once takes ~30 ms of GUI time on a small machine, and the
        window cannot answer meanwhile; a group per tick keeps each pause short. A snapshot
        counts as drawn (last_drawn) once every group shows it. everything: all groups now,
        up to the newest snapshot (for a screenshot on the way out).
        """
        while True:
            if self._cycle is None and not self._start_cycle():
                return
            snap, groups = self._cycle
            for view in groups.pop(0):
                view.show_snapshot(snap)
            if not groups:
                self._cycle = None
                self.status.setText(status_text(snap, self.session))
                self.last_drawn = snap
                if not (everything and self.latest is not None):
                    return
            elif not everything:
                return

    def _start_cycle(self) -> bool:
        snap, self.latest = self.latest, None
        if snap is None or self.session is None or snap.layer_dims != self.session.layer_dims:
            return False
        pages = [self.thumbnails, self.activations] if self.session.data.is_image \
            else [self.boundary]
        self._cycle = (snap, [[self.cost_plot], [self.histograms], pages])
        return True

    def _on_log(self, checked: bool) -> None:
        self.cost_plot.set_log_scale(checked)

    def _on_log_changed(self, checked: bool) -> None:
        self.log_action.setChecked(checked)

    def _on_grad_action(self, checked: bool) -> None:
        self.histograms.set_gradients(checked)

    def _on_hist_kind(self, gradients: bool) -> None:
        self.grad_action.setChecked(gradients)
        self._set_options(gradients=gradients)

    def _on_sample(self, split: str, index: int) -> None:
        self._set_options(split=split, index=index)

    def _set_options(self, **changes) -> None:
        self.options = replace(self.options, **changes)
        self.worker.set_options(self.options)

    # --- files and help -----------------------------------------------------------------
    def open_files(self) -> None:
        train, _ = QFileDialog.getOpenFileName(self, "Training set (h5)", "", "HDF5 (*.h5 *.hdf5)")
        if not train:
            return
        test, _ = QFileDialog.getOpenFileName(self, "Test set (h5)", "", "HDF5 (*.h5 *.hdf5)")
        if test:
            self.open_pair(train, test)

    def open_pair(self, train: str, test: str) -> bool:
        config = self.config.with_changes(dataset="file", train_file=train, test_file=test)
        key = f"file:{train}"
        if not self.apply_config(config, suggest=True):
            return False
        self._opened[key] = (self.session.data.name, (train, test))
        self.controls.set_datasets(self._dataset_entries())
        self.controls.set_config(self.config, key)
        return True

    def shortcuts_text(self) -> str:
        """Every keyboard shortcut of the window and its dialogs, one per line."""
        rows = [(", ".join(k.toString() for k in a.shortcuts()), a.text().replace("&", ""))
                for a in self.actions() if a.shortcuts()]
        rows += DIALOG_KEYS
        width = max(len(keys) for keys, _ in rows)
        return "\n".join(f"{keys:>{width}}   {text}" for keys, text in rows)

    def show_shortcuts(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", self.shortcuts_text(),
                          parent=self)
        box.setStyleSheet("QLabel { font-family: monospace; }")
        box.open()

    def fetch_session(self, timeout: float = 30.0):
        """The session as the training process has it now: a copy, for reading or saving."""
        return self.worker.fetch_session(timeout)

    def live_session(self, doing: str):
        """fetch_session(), or None with a message saying what could not be done."""
        session = self.fetch_session()
        if session is None:
            self.show_error(f"cannot {doing}: the training process did not answer")
        return session

    # --- shutdown -----------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the training process and join the relay thread: no 'QThread: Destroyed'."""
        if self.thread_.isRunning():
            self.worker.quit()
            self.thread_.quit()
            self.thread_.wait()

    def closeEvent(self, event) -> None:
        self._timer.stop()
        self.shutdown()
        super().closeEvent(event)


def _same_data(a: RunConfig, b: RunConfig) -> bool:
    keys = ("dataset", "train_file", "test_file", "data_dir", "n_samples", "noise")
    return all(getattr(a, k) == getattr(b, k) for k in keys)
