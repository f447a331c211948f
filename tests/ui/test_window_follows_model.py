"""The window follows its model: a change made on the model reaches the widget showing it."""

from __future__ import annotations

import numpy as np
from window_helpers import show_tab

from dnnviz.training import stops
from dnnviz.ui import look as looks
from dnnviz.window_model import RunRecord, Status


def kept_run(label: str) -> RunRecord:
    return RunRecord(label=label, dataset="moons", layer_dims=(2, 6, 4, 1), learning_rate=0.5,
                     init="he", iterations=3, cost_x=np.arange(3.0),
                     cost_y=np.array([0.7, 0.6, 0.5]), final_cost=0.5, train_accuracy=0.6,
                     test_accuracy=0.5)


def test_the_status_on_the_model_reaches_the_train_button_and_the_toolbar(window):
    window.model.set_status(Status.RUNNING)
    assert window.controls.train_button.text() == "Pause"
    assert window.presentation.train_button.text() == "Pause"
    assert window.frames.running
    window.model.set_status(Status.STOPPED, stops.failed("test"))
    assert window.controls.train_button.text() == "Train" and not window.frames.running
    assert not window.running


def test_the_speed_on_the_model_reaches_the_controls_the_toolbar_and_the_training_process(
        window, monkeypatch):
    from dnnviz.training.protocol import SetSpeed
    sent = []
    real = window.process.client.send
    monkeypatch.setattr(window.process.client, "send", lambda m: (sent.append(m), real(m)))
    window.model.set_speed(7.0)
    assert window.controls.speed.speed() == 7.0 == window.presentation.speed.speed()
    window.model.set_speed(None)
    assert window.controls.speed.speed() is None
    assert [m.speed for m in sent if isinstance(m, SetSpeed)] == [7.0, None]


def test_a_run_kept_on_the_model_reaches_the_table_and_the_cost_plot(window):
    window.model.runs.keep(kept_run("kept by the model"))
    assert window.runs_table.cell_text(0, "run") == "kept by the model"
    assert [r.label for r in window.cost_plot.runs()] == ["kept by the model"]
    window.model.runs.set_visible(0, False)
    assert not window.runs_table.row_visible(0) and not window.cost_plot.run_curve(0).isVisible()
    window.model.runs.clear()
    assert window.runs_table.row_count() == 0 and window.cost_plot.runs() == []


def test_the_selection_follows_the_desk_and_the_window_follows_the_selection(window):
    assert window.model.selection.dataset == "moons"
    show_tab(window, window.network)  # a click on the Network tab
    assert window.model.selection.view == "network"
    window.model.select(theme="dark")
    assert looks.current().theme == "dark" and window.dark_action.isChecked()
    window.model.select(presentation=True)
    assert window.presentation.on and window.presentation_action.isChecked()
    assert looks.current().theme == "dark"  # the theme kept in presentation mode
