"""A lesson beside the plots: its title and text, a button per run, and "Play all runs".

LessonController runs a lesson in the window: choosing a run sets its network up (the run
before is kept on the cost plot by the window) and trains it; "Play all runs" trains each
in turn, so the comparison builds up on the cost plot while the class watches.
"""

from __future__ import annotations

from PyQt6.QtCore import QObject, QTimer, pyqtSignal
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout

from dnnviz.lessons import Lesson, load_lesson
from dnnviz.training.config import ConfigError
from dnnviz.training.stops import Stop, Why
from dnnviz.ui import look as looks

CURRENT_MARK = "▶ "  # before the name of the run on screen
NEXT_RUN_DELAY_MS = 800  # a pause between runs, so the class sees one finish


class LessonPanel(QGroupBox):
    sigRun = pyqtSignal(int)
    sigPlayAll = pyqtSignal()
    sigTogether = pyqtSignal()
    sigClose = pyqtSignal()
    sigCheckOwn = pyqtSignal()  # a lesson about the student's own implementation: check it
    sigTrainOwn = pyqtSignal()  # ... and train with it

    def __init__(self, parent=None):
        super().__init__("Lesson", parent)
        self.title = QLabel(wordWrap=True)
        font = QFont()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.note = QLabel(wordWrap=True)
        self.text = QLabel(wordWrap=True)
        self.text.setTextInteractionFlags(self.text.textInteractionFlags().TextSelectableByMouse)
        self.play = QPushButton("Play all runs")
        self.play.setToolTip("Train every run of the lesson in turn; each stays on the cost "
                             "plot, and Compared runs lists their accuracies")
        self.play.clicked.connect(self.sigPlayAll)
        self.together = QPushButton("Play all together")
        self.together.setToolTip("Train every run at once, side by side, each in a process "
                                 "of its own, at one pace (on a small machine up to 4)")
        self.together.clicked.connect(self.sigTogether)
        close = QPushButton("Close lesson")
        close.clicked.connect(self.sigClose)
        self.check_own = QPushButton("Check my implementation…")
        self.check_own.clicked.connect(self.sigCheckOwn)
        self.train_own = QPushButton("Train with my implementation…")
        self.train_own.setToolTip("Your file's functions train the runs below, beside "
                                  "dnnviz's own")
        self.train_own.clicked.connect(self.sigTrainOwn)
        self._layout = QVBoxLayout(self)
        for w in (self.title, self.note, self.check_own, self.train_own):
            self._layout.addWidget(w)
        self._runs_box = QVBoxLayout()  # the runs and Play all before the (long) text
        self._layout.addLayout(self._runs_box)
        self._layout.addWidget(self.play)
        self._layout.addWidget(self.together)
        self._layout.addWidget(self.text)
        self._layout.addWidget(close)
        self.buttons: list[QPushButton] = []
        self.restyle(looks.current())
        self.hide()

    def restyle(self, look: looks.Look) -> None:
        self.note.setStyleSheet(f"color: {look.hex('warning')};")

    def show_lesson(self, lesson: Lesson) -> None:
        self.title.setText(lesson.title)
        self.note.setText(lesson.note)
        self.note.setVisible(bool(lesson.note))
        self.text.setText(lesson.text)
        self.check_own.setVisible(lesson.student)
        self.train_own.setVisible(lesson.student)
        for button in self.buttons:  # gone now, not only when the event loop next runs
            self._runs_box.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = []
        for i, run in enumerate(lesson.runs):
            button = QPushButton(f"{i + 1}. {run.label}", checkable=True)
            button.setToolTip("Set this run's network up and train it")
            button.clicked.connect(lambda _=False, i=i: self.sigRun.emit(i))
            self._runs_box.addWidget(button)
            button.show()  # now, not when the event loop next runs
            self.buttons.append(button)
        self.show()

    def set_current(self, index: int | None) -> None:
        """The run on screen: its button pressed, its name bold and marked (a pressed button
        alone is barely darker than the others on the dark theme)."""
        for i, button in enumerate(self.buttons):
            on = i == index
            button.setChecked(on)
            font = button.font()
            font.setBold(on)
            button.setFont(font)
            text = button.text().removeprefix(CURRENT_MARK)
            button.setText(CURRENT_MARK + text if on else text)


class LessonController(QObject):
    sigFinished = pyqtSignal()  # Play all has trained the lesson's last run

    def __init__(self, window, panel: LessonPanel):
        super().__init__(window)
        self.window, self.panel = window, panel
        self.lesson: Lesson | None = None
        self.current: int | None = None
        self.playing = False
        panel.sigRun.connect(lambda i: self.select(i, start=True))
        panel.sigPlayAll.connect(self.play_all)
        panel.sigTogether.connect(self.play_together)
        panel.sigClose.connect(self.close)
        panel.sigCheckOwn.connect(lambda: window.student_run.check_dialog())
        panel.sigTrainOwn.connect(lambda: window.student_run.use_dialog())
        window.sigStopped.connect(self._on_stopped)

    def open(self, name: str) -> bool:
        """Show lesson `name` and set its first run up (not started); False if it is bad."""
        try:
            lesson = load_lesson(name, self.window.data_dir)
        except ConfigError as exc:
            self.window.show_error(str(exc))
            return False
        self.lesson, self.playing = lesson, False
        self.panel.show_lesson(lesson)
        self.window.presentation.set_lesson(lesson)
        if not self.select(0, start=False):
            return False
        self.window.model.runs.clear()  # a lesson starts a comparison of its own
        return True

    def select(self, index: int, start: bool = True) -> bool:
        if self.lesson is None or not 0 <= index < len(self.lesson.runs):
            return False
        if self.window.running:
            self.window.train_pause()
        if not self.window.apply_config(self.lesson.runs[index].config):
            self.playing = False
            return False
        self.current = index
        run = self.lesson.runs[index]
        self.window.keeper.label = run.label  # its name among the runs
        if run.view:
            # e.g. the log scale that shows α = 2 bounce; the other options as they are
            self.window.apply_view({**self.window.view_options(), **run.view})
        self.panel.set_current(index)
        if start:
            self.window.train_pause()
        return True

    def play_all(self) -> None:
        self.playing = True
        self.select(0, start=True)

    def play_together(self) -> None:
        """Every run at once, side by side (the window's together page)."""
        if self.lesson is not None:
            self.playing = False
            runs = self.lesson.runs
            self.window.show_together(self.lesson.title, [(r.label, r.config) for r in runs],
                                      any((r.view or {}).get("log_scale") for r in runs))

    def close(self) -> None:
        self.lesson, self.current, self.playing = None, None, False
        self.panel.hide()
        self.window.presentation.set_lesson(None)

    def _on_stopped(self, reason: Stop) -> None:
        if not self.playing or self.lesson is None or self.current is None:
            return
        if reason.why not in (Why.COMPLETED, Why.DIVERGED):
            self.playing = False  # paused or failed: the teacher takes over
            return
        following = self.current + 1
        if following >= len(self.lesson.runs):
            self.playing = False
            self.window.keeper.show_runs()  # every run side by side, the last one too
            self.sigFinished.emit()
            return
        QTimer.singleShot(NEXT_RUN_DELAY_MS, lambda: self.playing and self.select(following))
