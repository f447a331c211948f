"""Presentation mode, made for a projector.

Text 1.5x and lines 2x (the Look), the controls dock replaced by a slim toolbar (Train/Pause,
Step, Reset, speed, learning rate, and the lesson's runs), the readout's headline numbers
large across the top, and one or two views at a time on the stage, large: V shows the next
pair, Shift+V the one before; T shows or hides the lesson's text as a card. The window
covers the whole screen. Leaving presentation mode gives everything back as it was.
"""

from __future__ import annotations

import html

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QDoubleSpinBox, QLabel, QPushButton, QToolBar

from dnnviz.ui import look as looks
from dnnviz.ui.views import names
from dnnviz.ui.window import geometry
from dnnviz.ui.window.appearance import apply_look
from dnnviz.ui.window.controls import SpeedControl
from dnnviz.ui.window.layout import fit_dock


def scenes(window) -> list[tuple[str, tuple[str, ...]]]:
    """(caption, view names) of the stage's scenes for the current kind of data (as the
    views are registered: names.scenes)."""
    data = window.session.data if window.session is not None else None
    return names.scenes(data is not None and data.is_image, data.n_classes if data else 2)


class Presentation:
    def __init__(self, window):
        self.window = window
        self.on = False
        self.scene = 0
        self._saved = None  # (geometry, dock visible) before presentation mode
        self._card_text = ""
        self.toolbar = self._build_toolbar()
        self.toolbar.hide()
        # a lesson's runs on a row of their own: beside the controls, runs 3 and 4 went
        # behind the toolbar's overflow arrow on a 1280x720 projector
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.lesson_bar = QToolBar("Lesson runs")
        self.lesson_bar.setMovable(False)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.lesson_bar)
        self.lesson_bar.hide()

    # --- the toolbar ----------------------------------------------------------------------
    def _build_toolbar(self) -> QToolBar:
        w = self.window
        bar = QToolBar("Presentation")
        bar.setMovable(False)
        self.train_button = QPushButton("Train")
        self.train_button.clicked.connect(w.train_pause)
        step = QPushButton("Step")
        step.clicked.connect(w.step)
        reset = QPushButton("Reset")
        reset.clicked.connect(w.reset)
        for button in (self.train_button, step, reset):
            bar.addWidget(button)
        bar.addSeparator()
        bar.addWidget(QLabel(" speed "))
        self.speed = SpeedControl(w.speed)
        self.speed.setMinimumWidth(220)
        self.speed.sigChanged.connect(w.set_speed)
        bar.addWidget(self.speed)
        bar.addWidget(QLabel("  α "))
        self.lr = QDoubleSpinBox(decimals=5, minimum=1e-5, maximum=10.0, singleStep=0.001)
        self.lr.setKeyboardTracking(False)
        self.lr.setToolTip("The learning rate α: changes take effect at the next iteration")
        self.lr.valueChanged.connect(lambda v: w.controls.lr.set_value(v))
        bar.addWidget(self.lr)
        bar.addSeparator()
        self.record_button = QPushButton("Record")
        self.record_button.setCheckable(True)
        self.record_button.setToolTip("Record the window as a GIF, MP4 or WebM "
                                      "(File > Record, Ctrl+Shift+R)")
        self.record_button.clicked.connect(lambda on: w.recorder.toggle(on))
        w.recorder.sigChanged.connect(self._show_recording)
        bar.addWidget(self.record_button)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        return bar

    def _show_recording(self, on: bool) -> None:
        """The toggle follows the recorder; red with a dot while it records."""
        button = self.record_button
        button.setChecked(on)
        button.setText("● Recording" if on else "Record")
        color = looks.current().hex("error")
        button.setStyleSheet(f"QPushButton {{ color: {color}; font-weight: bold; }}" if on
                             else "")

    def sync(self) -> None:
        """The toolbar shows what the dock's controls say."""
        w = self.window
        self.speed.set_speed(w.speed)
        self.lr.blockSignals(True)
        self.lr.setValue(w.controls.lr.value())
        self.lr.blockSignals(False)
        self.train_button.setText("Pause" if w.running else "Train")

    def set_lesson(self, lesson) -> None:
        """The lesson's run buttons in the toolbar and its text for the card (None: none)."""
        for action in self.lesson_bar.actions():  # gone, buttons and all (clear() keeps them)
            self.lesson_bar.removeAction(action)
            action.deleteLater()
        if lesson is not None:
            if lesson.student:  # build it yourself: their code, first (before an overflow)
                panel = self.window.lesson_panel
                for text, source in (("Check my code", panel.check_own),
                                     ("Train with mine", panel.train_own)):
                    button = QPushButton(text)
                    button.setToolTip(source.toolTip())
                    button.clicked.connect(source.click)
                    self.lesson_bar.addWidget(button)
            for i, run in enumerate(lesson.runs):
                button = QPushButton(f"{i + 1}. {run.label}")
                button.setToolTip("Set this run's network up and train it")
                button.clicked.connect(lambda _=False, i=i: self.window.lessons.select(i))
                self.lesson_bar.addWidget(button)
            play = QPushButton("Play all")
            play.clicked.connect(self.window.lessons.play_all)
            self.lesson_bar.addWidget(play)
            together = QPushButton("Together")
            together.setToolTip(self.window.lesson_panel.together.toolTip())
            together.clicked.connect(self.window.lessons.play_together)
            self.lesson_bar.addWidget(together)
            text = html.escape(lesson.text).replace("\n", "<br>")  # its paragraphs kept
            self._card_text = f"<b>{html.escape(lesson.title)}</b><br>{text}"
        else:
            self._card_text = ""
        self._fill_card()
        self.lesson_bar.setVisible(self.on and bool(self.lesson_bar.actions()))

    # --- on and off -----------------------------------------------------------------------
    def set(self, on: bool) -> None:
        w = self.window
        on = bool(on)
        if on == self.on:
            return
        self.on = on
        apply_look(w, looks.Look(looks.current().theme, on))
        w.controls.set_advanced_visible(not on)
        w.experiment.set_advanced_visible(not on)
        if on:
            self._saved = (w.geometry(), w.controls_dock.isVisible())
            w.controls_dock.hide()
            self.toolbar.show()
            self.lesson_bar.setVisible(bool(self.lesson_bar.actions()))
            self.sync()
            w.central.setCurrentWidget(w.stage)
            self.show_scene(self.scene)
            geometry.cover_screen(w, w.fixed_size)
        else:
            w.stage.release()
            w.central.setCurrentWidget(w.desk)
            self.toolbar.hide()
            self.lesson_bar.hide()
            saved, dock = self._saved or (None, True)
            w.controls_dock.setVisible(dock)
            w.showNormal()
            if saved is not None:
                w.setGeometry(saved)
            geometry.keep_inside(w)
        fit_dock(w)
        w.frames.send_parts()

    def desk_geometry(self):
        """The window's geometry from before presentation mode (None when not in it)."""
        return self._saved[0] if self.on and self._saved else None

    def show_scene(self, index: int) -> None:
        available = scenes(self.window)
        self.scene = index % len(available)
        caption, shown = available[self.scene]
        holders = [self.window.holders[name] for name in shown]
        key = "V: next view, Shift+V: previous" + (", T: lesson text" if self._card_text
                                                   else "")
        self.window.stage.show_views(holders, f"{caption}   ·   {key}")

    def show_view(self, name: str) -> bool:
        """The first scene showing view `name` (False if none does)."""
        for i, (_, shown) in enumerate(scenes(self.window)):
            if name in shown:
                self.show_scene(i)
                return True
        return False

    def next_scene(self, step: int = 1) -> None:
        if self.on:
            self.show_scene(self.scene + step)

    def toggle_card(self) -> None:
        card = self.window.stage.card
        card.setVisible(bool(self._card_text) and not card.isVisible())

    def _fill_card(self) -> None:
        stage = self.window.stage
        label = QLabel(self._card_text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        stage.set_card(label if self._card_text else None)
        if not self._card_text:
            stage.card.hide()
