"""MainWindow: the controller. Controls -> the training process, frames -> the views.

The training process owns the running Session; this window builds each new Session (in
the GUI thread, so a bad setting is refused before anything is replaced) and hands a copy
over. `self.session` stays the window's copy: its data and dims, and the run's state as the
training process last reported it (a checkpoint every few seconds and at every stop, or a
fetch on demand: requests.session(), answered by signal). If the training process dies, the
window says so, and Train starts a new one from that state.
Frames arrive by signal and are drawn by the FrameScheduler (frames.py), all visible views
at once from one snapshot.
The window assembles itself: build_layout and build_menus return its parts, kept here as
its attributes (and nowhere else); what it shows lives in its WindowModel (self.model:
config, status, speed, compared runs, selection), whose signals its widgets follow
(following.py).
"""

from __future__ import annotations

from dataclasses import fields

from PyQt6.QtCore import QTimer, pyqtSignal
from PyQt6.QtWidgets import QMainWindow

from dnnviz.data import DataError
from dnnviz.training import ConfigError, RunConfig, Session, load_data, stops
from dnnviz.training import protocol as p
from dnnviz.training.config import same_data, watch_speed
from dnnviz.training.settings import ViewOptions
from dnnviz.training.stops import Stop
from dnnviz.training.threads import AUTO, threads_text
from dnnviz.ui import look as looks
from dnnviz.ui.teach.lesson_panel import LessonController
from dnnviz.ui.teach.own_image import image_to_pixels
from dnnviz.ui.views import names
from dnnviz.ui.window import geometry
from dnnviz.ui.window.appearance import apply_look, restyle
from dnnviz.ui.window.compare import RunKeeper
from dnnviz.ui.window.data_list import DataList
from dnnviz.ui.window.engine_link import TrainingProcess
from dnnviz.ui.window.following import follow
from dnnviz.ui.window.frames import FrameScheduler
from dnnviz.ui.window.layout import build_layout, connect_layout, fit_dock, show_session
from dnnviz.ui.window.loading import Loading
from dnnviz.ui.window.menus import add_action, build_menus
from dnnviz.ui.window.own_data import OwnData
from dnnviz.ui.window.presentation import Presentation
from dnnviz.ui.window.record import Recorder
from dnnviz.ui.window.requests import Requests
from dnnviz.ui.window.status import status_text
from dnnviz.ui.window.teardown import delete_at_exit
from dnnviz.ui.window.together import Together
from dnnviz.window_model import Status, WindowModel


class MainWindow(QMainWindow):
    sigStopped = pyqtSignal(object)  # the current run stopped: a stops.Stop
    sigDrawn = pyqtSignal(object)  # a frame of the current run was drawn (its snapshot)

    def __init__(self, config: RunConfig, data_dir: str | None = None,
                 speed: float | None = None, threads: int | None = AUTO,
                 speed_chosen: bool = False, fixed_size: tuple[int, int] | None = None):
        super().__init__()
        self.setWindowTitle("dnnviz — watch a deep network learn")
        self.data_dir = data_dir
        self.model = WindowModel(config, speed)  # what the window shows: config, status...
        self.session: Session | None = None
        self.speed_chosen = speed_chosen  # by the user: kept when the kind of data changes
        self.threads = threads  # the training process's BLAS threads; AUTO: measured
        self.fixed_size = fixed_size  # --window-size, kept in every mode
        self.stop_at: int | None = None  # pause there (--exit-after), the target unchanged
        self.process = TrainingProcess(self)  # started once the window's parts are made
        self.data_list = DataList(self)
        self._assemble(build_layout(self))
        connect_layout(self)
        self.keeper = RunKeeper(self)  # the compared runs: names and final pictures
        self.frames = FrameScheduler(self.view_list(), self)
        self.frames.sigDrawn.connect(self._on_drawn)
        self.recorder = Recorder(self)  # File > Record, the toolbar's toggle, --record
        self.presentation = Presentation(self)
        self.own_data = OwnData(self)
        self.loading = Loading(self)  # pictures and models read off the GUI thread
        self.requests = Requests(self)  # asked of the training process, answered by signal
        self._assemble(build_menus(self))
        self.model.select(theme=looks.current().theme)
        follow(self)  # the widgets follow the model from here on
        self.cost_plot.sigLogScaleChanged.connect(
            lambda on: self.frames.set_options(log_scale=on))  # the view options: one place
        self.cost_plot.sigDataCostChanged.connect(
            lambda on: self.frames.set_options(data_cost=on))
        self.process.start()
        self.lessons = LessonController(self, self.lesson_panel)
        self.together = Together()  # a lesson's runs side by side: a page of its own
        self.central.addWidget(self.together)
        self.together.sigBack.connect(self.leave_together)
        apply_look(self, looks.current())
        delete_at_exit(self)  # not in PyQt's clean-up at exit, which may crash on it

    def _assemble(self, parts) -> None:
        """Keep the parts that build_layout or build_menus made (a Layout, a Menus), each
        as the window's attribute of its field's name: window.cost_plot, window.files..."""
        for field in fields(parts):
            setattr(self, field.name, getattr(parts, field.name))

    def add_action(self, menu, text, slot, shortcut=None):
        """A menu entry that also works as a window-wide shortcut (menus.add_action)."""
        return add_action(self, menu, text, slot, shortcut)

    @property
    def config(self) -> RunConfig:
        """The current run's settings (the model's)."""
        return self.model.config

    @property
    def running(self) -> bool:
        return self.model.running

    @property
    def speed(self) -> float | None:
        """Iterations per second while training (the model's); None: max."""
        return self.model.speed

    def view_list(self) -> list:
        """Every view a frame is drawn on (when visible): those registered as drawn."""
        return [self.views[info.name] for info in names.VIEWS if info.drawn]

    # --- sessions -----------------------------------------------------------------------
    def apply_config(self, config: RunConfig, suggest: bool = False,
                     keep_run: bool = True) -> bool:
        """Build a session for config; on a bad setting show why and keep the old one.

        With suggest, a switch between image and 2-D data also brings the network settings
        that suit the new kind (the course's L-layer net for images). keep_run: see
        apply_session. A picture folder not read yet is read off the GUI thread: True then
        means the reading has started (own_data.read_pictures).
        """
        reuse = self.session is not None and same_data(self.session.config, config)
        if config.image_folder and not reuse:  # seconds of decoding: off the GUI thread
            return self.own_data.read_pictures(config, suggest, keep_run)
        try:
            data = self.session.data if reuse else load_data(config, image_to_pixels)
        except (ConfigError, DataError, MemoryError) as exc:
            self.show_error(str(exc))
            self._show_config()
            return False
        return self.apply_data(config, data, suggest, keep_run)

    def apply_data(self, config: RunConfig, data, suggest: bool = False,
                   keep_run: bool = True) -> bool:
        """apply_config on data already read (a picture folder read in the background)."""
        try:
            if suggest and self.session is not None and data.is_image != self.session.data.is_image:
                config = config.with_suggested(data.is_image)
            session = Session(config, data)
        except (ConfigError, DataError, MemoryError) as exc:
            self.show_error(str(exc))
            self._show_config()
            return False
        return self.apply_session(session, keep_run)

    def _show_config(self) -> None:
        """The controls show self.config (after a change was refused: the run's own)."""
        self.controls.set_config(self.config, self.data_list.key(self.config))
        self.experiment.set_config(self.config, self.session.data if self.session else None)

    def apply_session(self, session: Session, keep_run: bool = True) -> bool:
        """Show and train `session` from here on (a new one, or one loaded from a file).
        The run it replaces, if it trained at all, stays on the cost plot (keep_run)."""
        if (session := self.student_run.adapt(session)) is None:  # --student: theirs train
            return False
        previous, previous_config = self.frames.last_drawn, self.config
        was_image = self.session.data.is_image if self.session is not None else None
        config = session.config
        self.model.set_config(config)
        self.model.select(dataset=self.data_list.key(config))
        self.session = session
        if self.data_list.remember(config, session.data.name):
            self.controls.set_datasets(self.data_list.entries())
        self.keeper.keep(previous if keep_run else None, previous_config)
        self._set_running(False)
        self._show_config()
        self.presentation.sync()  # the toolbar's learning rate: the new run's
        QTimer.singleShot(0, lambda: fit_dock(self))  # once new layers' controls show
        self.controls.show_message("")
        self.statusBar().clearMessage()  # an old run's error is not this one's
        show_session(self, session)
        if self.process.error:
            self.process.restart()  # hands the new session over
        else:
            self.process.hand_over(session)
        self.frames.set_options(split="test", index=0)
        if was_image is not None and was_image != session.data.is_image \
                and not self.speed_chosen:
            self.set_speed(watch_speed(session.data.is_image), chosen=False)
        if self.presentation.on:
            self.presentation.show_scene(self.presentation.scene)  # this kind's scenes
        restyle(self)
        return True

    def apply_view(self, view: dict) -> None:
        """View options as a config file keeps them (ViewOptions' fields; defaults for
        those left out)."""
        view = ViewOptions(**view)
        self.histograms.set_gradients(view.gradients)
        self.histograms.set_log(view.hist_log)
        self.boundary.show_test.setChecked(view.test_points)
        self.cost_plot.set_log_scale(view.log_scale)
        self.cost_plot.set_data_cost(view.data_cost)
        self.frames.set_options(split=view.split, index=view.index)

    def view_options(self) -> dict:
        """The view options shown, as a config file keeps them."""
        return self.options.as_dict()

    @property
    def options(self):
        """What the views are asked to show (FrameRequest: parts and the view options)."""
        return self.frames.request

    def newest_snapshot(self):
        """The newest snapshot of the current session, drawn or not (None before any)."""
        snaps = [s for s in (self.frames.latest, self.frames.last_drawn) if s is not None]
        return max(snaps, key=lambda s: s.iteration) if snaps else None

    @property
    def last_drawn(self):
        return self.frames.last_drawn

    def _on_dataset(self, key: str) -> None:
        self.apply_config(self.data_list.config_for(key), suggest=True)

    def _on_experiment(self, changes: dict) -> None:
        """Training options or data knobs changed: a new network, on new data if need be."""
        try:
            config = self.config.with_changes(**changes)
        except ConfigError as exc:
            self.show_error(str(exc))
            self._show_config()
            return
        self.apply_config(config)

    def _on_rebuild(self) -> None:
        try:
            config = self.config.with_changes(**self.controls.network_changes())
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        self.apply_config(config)

    def set_live(self, name: str, value) -> bool:
        """Change a live setting (learning_rate, iterations, l2, keep_prob) of the config
        and of the running session, from its next iteration; a bad value is shown, and the
        old one kept."""
        try:
            self.model.set_config(self.config.with_changes(**{name: value}))
        except ConfigError as exc:
            self.show_error(str(exc))
            return False
        self.process.client.send(p.SetLive(name, value))
        self.presentation.sync()
        return True

    def set_speed(self, speed: float | None, chosen: bool = True) -> None:
        """Iterations per second while training (None: max); the numbers stay the same."""
        self.speed_chosen = self.speed_chosen or chosen
        self.model.set_speed(speed)

    def set_threads(self, count: int | None) -> None:
        """The training process's BLAS threads: a count, or AUTO (chosen by measuring)."""
        self.threads = count
        self.threads_actions[threads_text(count)].setChecked(True)
        self.process.client.send(p.SetThreads(count))
        self.statusBar().showMessage(f"BLAS threads: {threads_text(count)}", 3000)

    def set_stop_at(self, iteration: int | None) -> None:
        """Pause when the run reaches `iteration` (scripted runs: --exit-after)."""
        self.stop_at = iteration
        self.process.client.send(p.StopAt(iteration))

    def set_presentation(self, on: bool) -> None:
        self.model.select(presentation=bool(on))

    def set_theme(self, name: str) -> None:
        """ "light" or "dark" (ValueError for another name)."""
        looks.Look(name)  # the check
        self.model.select(theme=name)

    # --- run control --------------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        self.model.set_status(Status.RUNNING if running else Status.PAUSED)

    def train_pause(self) -> None:
        if self.running:
            self.process.client.send(p.Pause())
            self._set_running(False)
            return
        if self.process.error:
            self.process.restart()
        self.process.client.send(p.Run())
        self._set_running(True)

    def step(self) -> None:
        if self.process.error:
            self.process.restart()
        self._set_running(False)
        self.process.client.send(p.Step(1))

    def reset(self) -> None:
        self.apply_config(self.config)

    def _on_stopped(self, tag, reason: Stop) -> None:
        if tag != self.process.tag:
            return
        self.model.set_status(Status.STOPPED, reason)
        if reason.diverged:
            self.show_error(str(reason))
        self.keeper.on_stopped()
        self.sigStopped.emit(reason)

    def _on_failed(self, tag, failed) -> None:
        if tag not in (self.process.tag, None):
            return
        stop = stops.failed(failed.text)
        self.model.set_status(Status.STOPPED, stop)
        self.show_error(f"training stopped: {failed.text}")
        self.student_run.on_failed(failed)  # theirs failed: their message and traceback
        self.sigStopped.emit(stop)

    def show_error(self, text: str) -> None:
        self.controls.show_message(text)
        self.statusBar().showMessage(text, 10000)

    # --- drawing ------------------------------------------------------------------------
    def _on_drawn(self, snap) -> None:
        self.status.setText(status_text(snap, self.session))
        self.summary.show_pace(snap, self.speed)
        self.keeper.on_drawn(snap)
        self.sigDrawn.emit(snap)

    def draw_pending(self) -> None:
        """Draw the frame on its way, if any (before a screenshot on the way out)."""
        self.frames.draw_pending()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_dock(self)  # now that the style has polished the controls

    def shutdown(self) -> None:
        self.loading.wait()  # a picture folder or model being read
        self.student_run.close()  # a check in its own process ends with the window
        self.process.shutdown()  # the run's last state comes back into self.session

    def show_together(self, title: str, runs, log_scale: bool = False) -> None:
        """Train these (label, config) runs side by side, on a page of their own; the
        window's own run pauses."""
        if self.running:
            self.train_pause()
        self.together.start(title, runs, self.speed, log_scale)
        self.central.setCurrentWidget(self.together)
        self.readout.hide()  # the window's own run's figures: each run has its own here

    def leave_together(self) -> None:
        self.together.stop()
        self.central.setCurrentWidget(self.stage if self.presentation.on else self.desk)
        self.readout.show()

    def closeEvent(self, event) -> None:
        geometry.remember(self, self.presentation.desk_geometry())
        self.together.stop()
        self.frames.draw_pending()  # a recording's last frame, if it is on its way
        self.recorder.stop()
        self.shutdown()
        super().closeEvent(event)

