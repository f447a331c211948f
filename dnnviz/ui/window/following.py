"""The window follows its model: every connection from a WindowModel signal to what shows
it, made once, when the window has assembled (follow(window)).

Status: the Train buttons (controls and presentation's toolbar) and the frame scheduler.
Speed: the speed controls, the scheduler's pacing and the training process. Compared runs:
the runs table and the cost plot's faint curves (RunComparison). Selection: presentation
mode and the theme, with their menu entries.
"""

from __future__ import annotations

from dnnviz.training import protocol as p
from dnnviz.training.pacing import speed_text
from dnnviz.ui import look as looks
from dnnviz.ui.views.runs import RunComparison
from dnnviz.ui.window.appearance import apply_look
from dnnviz.window_model import Selection, Status


def follow(window) -> None:
    model = window.model
    model.status_changed.connect(lambda status, _stop: _show_status(window, status))
    model.speed_changed.connect(lambda speed: _show_speed(window, speed))
    model.selection_changed.connect(lambda selection: _show_selection(window, selection))
    RunComparison(model.runs, window.runs_table, window.cost_plot)  # the runs' signals keep it


def _show_status(window, status: Status) -> None:
    running = status is Status.RUNNING
    window.controls.set_running(running)
    window.frames.set_running(running)
    window.presentation.sync()


def _show_speed(window, speed: float | None) -> None:
    window.controls.set_speed(speed)
    window.presentation.sync()
    window.process.client.send(p.SetSpeed(speed))
    window.statusBar().showMessage(f"speed: {speed_text(speed)}", 3000)


def _show_selection(window, selection: Selection) -> None:
    window.presentation.set(selection.presentation)
    window.presentation_action.setChecked(selection.presentation)
    if looks.current().theme != selection.theme:
        apply_look(window, looks.Look(selection.theme, looks.current().presentation))
    window.dark_action.setChecked(selection.theme == "dark")
