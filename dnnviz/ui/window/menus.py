"""The main window's menus and keyboard shortcuts: File, Run, View, Teach, Help."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QAction, QActionGroup, QKeySequence
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
)

from dnnviz.data.digits import CREDIT as DIGITS_CREDIT
from dnnviz.lessons import list_lessons
from dnnviz.training.pacing import SPEEDS
from dnnviz.training.threads import AUTO, threads_text
from dnnviz.ui.dialogs import fit_dialog
from dnnviz.ui.teach.student_run import StudentRun
from dnnviz.ui.teach.teaching import TeachingTools
from dnnviz.ui.views import names
from dnnviz.ui.window.files import FileActions
from dnnviz.ui.window.layout import show_view

# keys that work inside the dialogs, listed with the window's own in Help > Shortcuts
DIALOG_KEYS = [("Right, Left", "step-through: next / previous stage"),
               ("Home, End", "step-through: first / last stage"),
               ("Esc", "close a dialog")]


def add_action(window, menu, text, slot, shortcut=None) -> QAction:
    """A menu entry that also works as a window-wide shortcut."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)
    return action


@dataclass
class Menus:
    """What build_menus makes that the window keeps, each under its name."""

    files: FileActions
    record_action: QAction
    student_run: StudentRun
    step_action: QAction
    threads_actions: dict  # threads_text(count) -> its checkable action
    view_actions: dict  # view name -> its View > Show action
    log_action: QAction
    grad_action: QAction
    presentation_action: QAction
    dark_action: QAction
    teaching: TeachingTools


def build_menus(window) -> Menus:
    """The menu bar's menus, in `window`; returns the parts the window keeps."""
    bar = window.menuBar()
    parts = {**_file_menu(window, bar.addMenu("&File")),
             **_run_menu(window, bar.addMenu("&Run")),
             **_view_menu(window, bar.addMenu("&View"))}
    parts["teaching"] = TeachingTools(window, bar.addMenu("&Teach"))
    help_menu = bar.addMenu("&Help")
    add_action(window, help_menu, "&Keyboard shortcuts", lambda: show_shortcuts(window), "F1")
    add_action(window, help_menu, "&About dnnviz", lambda: show_about(window))
    return Menus(**parts)


ABOUT = ("dnnviz: watch the network of the lesson \"building a deep neural network step by "
         "step\" learn, live.\n\n" + DIGITS_CREDIT)


def show_about(window) -> QMessageBox:
    box = QMessageBox(window)
    box.setWindowTitle("About dnnviz")
    box.setText(ABOUT)
    box.open()
    return box


def _file_menu(window, menu) -> dict:
    add_action(window, menu, "&Open course h5 files…", window.own_data.choose_course_files,
               QKeySequence.StandardKey.Open)
    add_action(window, menu, "Open your &points (CSV)…", window.own_data.choose_points)
    add_action(window, menu, "Open a folder of your &pictures…", window.own_data.choose_pictures)
    files = FileActions(window, menu)
    record = add_action(window, menu, "&Record…", window.recorder.toggle, "Ctrl+Shift+R")
    record.setCheckable(True)
    record.setToolTip("Record the window as a GIF, MP4 or WebM: a frame every "
                      "few iterations, the same ones on any machine")
    window.recorder.sigChanged.connect(record.setChecked)
    student_run = StudentRun(window, menu)
    menu.addSeparator()
    lessons = menu.addMenu("&Lessons")
    for name, title in list_lessons():
        lessons.addAction(title, lambda name=name: window.lessons.open(name))
    menu.addSeparator()
    add_action(window, menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    return dict(files=files, record_action=record, student_run=student_run)


def _run_menu(window, menu) -> dict:
    add_action(window, menu, "&Train / Pause", window.train_pause, "Space")
    step = add_action(window, menu, "&Step one iteration", window.step, "S")
    step.setShortcuts([QKeySequence("S"), QKeySequence("Right")])
    add_action(window, menu, "&Reset", window.reset, "R")
    menu.addSeparator()
    add_action(window, menu, "&Faster", lambda: _step_speed(window, +1), "]")
    add_action(window, menu, "S&lower", lambda: _step_speed(window, -1), "[")
    menu.addSeparator()
    threads = _threads_menu(window, menu.addMenu("BLAS &threads"))
    return dict(step_action=step, threads_actions=threads)


def _threads_menu(window, menu) -> dict:
    """Auto (measured while training), or a fixed count: 1 repeats a run to the last bit."""
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    counts = [AUTO, *range(1, max(2, os.cpu_count() or 1) + 1)]
    if window.threads not in counts:
        counts.append(window.threads)
    actions = {}
    for count in counts:
        text = "&Auto (measured while training)" if count is AUTO else f"&{count}"
        action = QAction(text, window, checkable=True)
        action.setChecked(count == window.threads)
        action.setToolTip("how many threads the training process's matrix products use: "
                          "auto takes one on a busy machine and more where they pay")
        action.triggered.connect(lambda _on, count=count: window.set_threads(count))
        group.addAction(action)
        menu.addAction(action)
        actions[threads_text(count)] = action
    return actions


def _step_speed(window, direction: int) -> None:
    """The next speed step up or down from the current speed (max is the top step)."""
    finite = [s for s in SPEEDS if s is not None]
    current = window.speed
    if direction > 0:
        if current is None:
            return
        higher = [s for s in finite if s > current]
        window.set_speed(float(higher[0]) if higher else None)
    else:
        lower = [s for s in finite if current is None or s < current]
        if lower:
            window.set_speed(float(lower[-1]))


def _view_menu(window, menu) -> dict:
    show = menu.addMenu("&Show")
    views = {}
    for name in names.view_names():  # the registered views, in the order of their keys
        info = names.view(name)
        views[name] = add_action(window, show, info.menu,
                                 lambda _=False, name=name: show_view(window, name),
                                 f"Ctrl+{info.key}" if info.key else None)
    log = add_action(window, menu, "&Log-scale cost", window.cost_plot.set_log_scale, "L")
    log.setCheckable(True)
    window.cost_plot.sigLogScaleChanged.connect(log.setChecked)
    grad = add_action(window, menu, "&Gradient histograms", window.histograms.set_gradients,
                      "G")
    grad.setCheckable(True)
    menu.addSeparator()
    presentation = add_action(window, menu, "&Presentation", window.set_presentation, "F11")
    presentation.setCheckable(True)
    presentation.setToolTip("For a projector: large text and thick lines, a slim toolbar, "
                            "one or two large views at a time, the whole screen")
    add_action(window, menu, "&Next view (presentation)",
               lambda: window.presentation.next_scene(1), "V")
    add_action(window, menu, "P&revious view (presentation)",
               lambda: window.presentation.next_scene(-1), "Shift+V")
    add_action(window, menu, "Lesson &text (presentation)",
               lambda: window.presentation.toggle_card(), "T")
    dark = add_action(window, menu, "&Dark theme",
                      lambda on: window.set_theme("dark" if on else "light"), "Ctrl+D")
    dark.setCheckable(True)
    panel = add_action(window, menu, "&Controls panel", window.controls_dock.setVisible,
                       "Ctrl+B")
    panel.setCheckable(True)
    panel.setChecked(True)
    panel.setToolTip("Show or hide the controls: more room for the plots on a projector")
    return dict(view_actions=views, log_action=log, grad_action=grad,
                presentation_action=presentation, dark_action=dark)


def shortcuts_text(window) -> str:
    """Every keyboard shortcut of the window and its dialogs, one per line."""
    rows = [(", ".join(k.toString() for k in a.shortcuts()), a.text().replace("&", ""))
            for a in window.actions() if a.shortcuts()]
    rows += DIALOG_KEYS
    width = max(len(keys) for keys, _ in rows)
    return "\n".join(f"{keys:>{width}}   {text}" for keys, text in rows)


def show_shortcuts(window) -> QDialog:
    """The shortcuts, one a line, in a box as wide as its longest line and no larger than
    the screen (a message box wrapped them in presentation mode's larger type)."""
    dialog = QDialog(window)
    dialog.setWindowTitle("Keyboard shortcuts")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    label = QLabel(shortcuts_text(window))
    label.setStyleSheet("QLabel { font-family: monospace; }")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setMargin(8)
    scroll = QScrollArea()
    scroll.setWidget(label)
    scroll.setWidgetResizable(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(scroll, 1)
    layout.addWidget(buttons)
    text = label.sizeHint()
    bar = scroll.verticalScrollBar().sizeHint().width()
    fit_dialog(dialog, text.width() + bar + 40, text.height() + buttons.sizeHint().height() + 50,
               grow=False)
    dialog.open()
    return dialog
