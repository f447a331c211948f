"""The window model without Qt: each change emits its signal once, and only on a change."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from dnnviz.training import RunConfig, stops
from dnnviz.window_model import RunRecord, Runs, Selection, Signal, Status, WindowModel


def record(label: str = "run", visible: bool = True) -> RunRecord:
    return RunRecord(label=label, dataset="flower", layer_dims=(2, 4, 1), learning_rate=0.1,
                     init="he", iterations=3, cost_x=np.arange(3.0),
                     cost_y=np.array([0.7, 0.6, 0.5]), final_cost=0.5, train_accuracy=0.6,
                     test_accuracy=0.5, visible=visible)


class Heard:
    """Every emission of the signals it listens to, as (signal's name, args)."""

    def __init__(self, **signals: Signal):
        self.calls: list[tuple] = []
        for name, signal in signals.items():
            signal.connect(lambda *args, name=name: self.calls.append((name, *args)))


def test_a_status_change_emits_exactly_once_and_a_repeat_emits_nothing():
    model = WindowModel(RunConfig())
    heard = Heard(status=model.status_changed)
    assert model.status is Status.PAUSED and not model.running
    model.set_status(Status.RUNNING)
    model.set_status(Status.RUNNING)
    assert heard.calls == [("status", Status.RUNNING, None)] and model.running


def test_a_stop_comes_with_its_reason_and_only_with_stopped():
    model = WindowModel(RunConfig())
    heard = Heard(status=model.status_changed)
    stop = stops.failed("it broke")
    model.set_status(Status.STOPPED, stop)
    assert heard.calls == [("status", Status.STOPPED, stop)] and model.stop is stop
    model.set_status(Status.PAUSED)
    assert model.stop is None and len(heard.calls) == 2
    with pytest.raises(ValueError):
        model.set_status(Status.RUNNING, stop)


def test_the_config_changes_once_and_an_equal_one_is_no_change():
    model = WindowModel(RunConfig())
    heard = Heard(config=model.config_changed)
    model.set_config(RunConfig())
    changed = RunConfig().with_changes(learning_rate=0.5)
    model.set_config(changed)
    assert heard.calls == [("config", changed)] and model.config is changed


def test_the_speed_changes_once_and_max_is_none():
    model = WindowModel(RunConfig(), speed=20.0)
    heard = Heard(speed=model.speed_changed)
    model.set_speed(20.0)
    model.set_speed(None)
    assert heard.calls == [("speed", None)] and model.speed is None


def test_selecting_changes_only_what_is_named():
    model = WindowModel(RunConfig())
    heard = Heard(selection=model.selection_changed)
    model.select(theme="dark")
    model.select(theme="dark")
    model.select(view="network", presentation=True)
    assert [c[1] for c in heard.calls] == [
        Selection(theme="dark"), Selection(view="network", presentation=True, theme="dark")]
    with pytest.raises(TypeError):
        model.select(colour="red")


def test_keeping_a_run_adds_it_with_a_colour_of_its_own_and_drops_the_oldest():
    runs = Runs(max_runs=3)
    heard = Heard(kept=runs.kept)
    for i in range(4):
        runs.keep(record(f"run {i}"))
    assert [r.label for r in runs.records] == ["run 1", "run 2", "run 3"]
    assert [c[2] for c in heard.calls] == [0, 0, 0, 1]  # how many of the oldest went
    assert len({r.color for r in runs.records}) == 3


def test_a_freed_colour_is_used_again():
    runs = Runs(max_runs=4)
    for i in range(4):
        runs.keep(record(f"run {i}"))
    colors = [r.color for r in runs.records]
    runs.records.pop(1)
    runs.keep(record("again"))
    assert runs[-1].color == colors[1]


def test_hiding_clearing_and_the_current_run():
    runs = Runs()
    heard = Heard(visible=runs.visible_changed, cleared=runs.cleared,
                  current=runs.current_changed)
    runs.keep(record("a"))
    runs.set_visible(0, False)
    runs.set_visible(0, False)
    now = record("now")
    runs.set_current(now)
    assert runs.all() == [runs[0], now]
    runs.clear()
    assert heard.calls == [("visible", 0, False), ("current", now), ("cleared",)]
    assert runs.all() == [now]


def test_pictures_that_come_late_reach_a_kept_run_and_not_a_dropped_one():
    runs = Runs(max_runs=1)
    heard = Heard(pictures=runs.pictures_came)
    first, second = record("first"), record("second")
    runs.keep(first)
    runs.set_pictures(first, "first's pictures")
    runs.keep(second)  # first is dropped
    runs.set_pictures(first, "too late")
    assert heard.calls == [("pictures", first)] and second.pictures is None


def test_a_callback_may_disconnect_itself_while_the_signal_is_emitted():
    signal, heard = Signal(), []

    def once(value):
        heard.append(value)
        signal.disconnect(once)

    signal.connect(once)
    signal.connect(once)  # connected once only
    signal.emit(1)
    signal.emit(2)
    assert heard == [1] and len(signal) == 0


def test_the_window_model_imports_no_qt():
    import subprocess
    code = ("import sys, dnnviz.window_model; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PyQt6', 'pyqtgraph', 'dnnviz') and not m.startswith(('dnnviz.training', "
            "'dnnviz.nn', 'dnnviz.data', 'dnnviz.files', 'dnnviz.window_model'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['dnnviz']"
