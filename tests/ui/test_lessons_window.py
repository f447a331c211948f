"""Lessons in the window: opening one sets its first run up; Play all trains each in turn."""

from __future__ import annotations

import numpy as np
from PyQt6.QtWidgets import QLabel, QPushButton
from window_helpers import WAIT_MS, front_tab

from dnnviz.lessons import load_lesson
from dnnviz.training import Session
from dnnviz.training.snapshot import GRID_SIZE
from dnnviz.ui.views.runs import CURRENT


def test_opening_a_lesson_shows_it_and_sets_its_first_run_up(qtbot, window):
    assert window.lessons.open("learning-rate")
    lesson = load_lesson("learning-rate")
    assert window.config == lesson.runs[0].config
    assert window.session.config == lesson.runs[0].config
    assert window.lesson_panel.isVisible()
    assert window.lesson_panel.title.text() == lesson.title
    assert [b.isChecked() for b in window.lesson_panel.buttons] == [True, False, False, False]
    # the run on screen told apart by more than a pressed button: bold and marked
    assert [b.font().bold() for b in window.lesson_panel.buttons] == [True, False, False, False]
    assert window.lesson_panel.buttons[0].text().startswith("▶ ")
    assert not window.lesson_panel.buttons[1].text().startswith("▶ ")
    assert not window.running
    # on the projector, the lesson's runs on a toolbar row of their own (not behind the
    # controls' overflow arrow), and the lesson's card keeps the text's paragraphs
    window.set_presentation(True)
    bar = window.presentation.lesson_bar
    assert bar.isVisible() and window.presentation.toolbar.isVisible()
    names = [bar.widgetForAction(a).text() for a in bar.actions()]
    assert names == [f"{i + 1}. {run.label}" for i, run in enumerate(lesson.runs)] + [
        "Play all", "Together"]
    window.presentation.toggle_card()
    card = window.stage.card.findChild(QLabel)
    assert card.text().count("<br><br>") == lesson.text.count("\n\n") > 0
    window.set_presentation(False)
    assert not bar.isVisible()
    window.lessons.close()  # no lesson: no runs row in presentation mode
    window.set_presentation(True)
    assert not bar.isVisible() and not bar.actions()
    window.set_presentation(False)


def test_choosing_a_run_trains_it_and_keeps_the_one_before(qtbot, window):
    window.lessons.open("initialisation")
    window.lesson_panel.buttons[2].click()  # run 3: scaled
    assert window.config.init == "scaled" and window.running
    qtbot.waitUntil(lambda: window.newest_snapshot() is not None
                    and window.newest_snapshot().iteration > 0, timeout=WAIT_MS)
    window.lesson_panel.buttons[3].click()  # run 4: He; the scaled run is kept
    assert window.config.init == "he"
    assert window.runs_table.row_count() == 1
    assert window.runs_table.cell_text(0, "run") == "scaled: randn / √n"  # the lesson's name


def test_play_all_runs_trains_every_run_and_keeps_what_each_showed(qtbot, window):
    window.set_speed(None)
    window.lessons.open("learning-rate")
    lesson = load_lesson("learning-rate")
    window.lesson_panel.play.click()
    qtbot.waitUntil(lambda: not window.lessons.playing, timeout=8 * WAIT_MS)
    assert window.lessons.current == 3 and window.config.learning_rate == 10
    assert "diverged at iteration" in window.controls.message.text()
    table = window.runs_table
    assert front_tab(window) == "Runs"  # the comparison in front at the end
    rows = [table.cell_text(i, "run") for i in range(table.row_count())]
    assert rows == [run.label for run in lesson.runs[:3]]
    assert table.current_text("run") == lesson.runs[3].label + CURRENT  # the last run too
    assert [table.cell_text(i, "iterations") for i in range(3)] == ["2,000"] * 3
    for row, run in enumerate(lesson.runs):  # each run's final boundary and weights, kept
        qtbot.waitUntil(lambda row=row: table.pictures(row) == (True, True), timeout=WAIT_MS)
        record = window.model.runs[row] if row < 3 else window.model.runs.current
        headless = Session(run.config)
        headless.run()
        assert record.iterations == headless.iteration
        probs = headless.net.forward(headless.grid).reshape(GRID_SIZE, GRID_SIZE)
        np.testing.assert_allclose(record.pictures.boundary, probs[::2, ::2], atol=1e-6)
        for hist, W in zip(record.pictures.hists, headless.net.Ws):
            np.testing.assert_allclose(hist.values, W.ravel(), atol=1e-12)


def test_a_runs_view_options_are_shown_with_it_and_the_payoff_reaches_the_projector(
        qtbot, window):
    window.lessons.open("learning-rate")  # its runs ask for the log scale: α = 2 bounces
    assert window.cost_plot.log_scale() and window.view_options()["log_scale"]
    window.set_presentation(True)
    window.keeper.show_runs()  # as Play all does at the end
    assert window.holders["runs"] in window.stage.holders
    assert window.runs_table.isVisible()
    window.set_presentation(False)
    assert window.runs_table.parent() is window.holders["runs"]  # given back to its tab


def test_a_bad_lesson_name_keeps_the_session(qtbot, window):
    before = window.session
    assert not window.lessons.open("no-such-lesson")
    assert window.session is before
    assert "no lesson 'no-such-lesson'" in window.controls.message.text()


def test_opening_another_lesson_replaces_its_buttons_and_comparison(qtbot, window):
    window.lessons.open("learning-rate")
    window.lesson_panel.buttons[1].click()
    qtbot.waitUntil(lambda: window.newest_snapshot() is not None
                    and window.newest_snapshot().iteration > 0, timeout=WAIT_MS)
    window.lesson_panel.buttons[2].click()  # run 2 is kept for comparison
    assert window.runs_table.row_count() == 1
    window.lessons.open("depth-on-the-spiral")
    names = [b.text().removeprefix("▶ ") for b in window.lesson_panel.findChildren(QPushButton)
             if not b.isHidden()]
    visible = [name for name in names if name[0].isdigit()]
    assert visible == ["1. 1 hidden layer: 2 → 8 → 1", "2. 3 hidden layers: 2 → 16 → 16 → 8 → 1"]
    assert window.runs_table.row_count() == 0


def test_the_build_it_yourself_lesson_checks_and_trains_with_the_students_file(
        qtbot, window, monkeypatch, tmp_path):
    import sys
    from pathlib import Path

    from PyQt6.QtWidgets import QFileDialog
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "student"))
    from student_helpers import broken

    panel = window.lesson_panel
    assert window.lessons.open("learning-rate")
    assert not panel.check_own.isVisible() and not panel.train_own.isVisible()
    assert window.lessons.open("build-it-yourself")
    assert panel.check_own.isVisible() and panel.train_own.isVisible()
    chosen = str(broken(tmp_path, "update_skips_last_layer.py"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen, ""))
    panel.check_own.click()
    dialog = window.student_run.dialogs["check"]
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
    assert not dialog.report.results["update_parameters"].passed
    dialog.close()
    panel.train_own.click()
    assert window.student_run.setup.path == chosen
    panel.buttons[1].click()  # the quick run on the moons, with their functions
    assert window.running and window.config.dataset == "moons"
    qtbot.waitUntil(lambda: window.newest_snapshot() is not None
                    and window.newest_snapshot().reference is not None
                    and window.newest_snapshot().reference.mismatch is not None,
                    timeout=WAIT_MS)
    assert window.newest_snapshot().reference.mismatch.iteration == 0
    window.train_pause()


def test_on_the_projector_no_hover_hint_and_training_points_above_test_points(qtbot, window):
    from dnnviz.ui.views.cost_hover import HOVER_HINT

    hint = window.cost_plot.hover_label
    assert hint.text() == HOVER_HINT
    window.set_presentation(True)
    assert hint.text() == ""  # it was cut at 1024 px, and a class does not hover
    window.set_presentation(False)
    assert hint.text() == HOVER_HINT
    points = window.boundary.points  # the points the network fits, drawn over the others
    assert points["train"].zValue() > points["test"].zValue()
    assert points["test"].opts["pen"].widthF() <= points["train"].opts["pen"].widthF()


def test_build_it_yourself_has_its_buttons_on_the_projector_and_the_card_leaves_room(
        qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(window.student_run, "check_dialog", lambda: asked.append("check"))
    monkeypatch.setattr(window.student_run, "use_dialog", lambda: asked.append("use"))
    window.resize(1024, 768)
    window.lessons.open("build-it-yourself")
    window.set_presentation(True)
    bar = window.presentation.lesson_bar
    buttons = [bar.widgetForAction(a) for a in bar.actions()]
    assert [b.text() for b in buttons[:2]] == ["Check my code", "Train with mine"]
    buttons[0].click()
    buttons[1].click()
    assert asked == ["check", "use"]
    window.presentation.toggle_card()  # the whole lesson text: it scrolls in its card
    stage = window.stage
    qtbot.waitUntil(lambda: stage.card.isVisible() and stage.height() > 0)
    assert stage.card.height() <= 0.35 * stage.height() + 1
    view = stage.holders[-1].view
    assert view.height() >= 0.45 * stage.height()  # not crushed to a strip
    window.set_presentation(False)


def test_play_all_together_trains_every_run_at_once_each_in_a_process_of_its_own(qtbot,
                                                                                window):
    window.set_speed(None)
    window.lessons.open("learning-rate")
    lesson = load_lesson("learning-rate")
    window.lesson_panel.together.click()
    together = window.together
    assert window.central.currentWidget() is together and not window.readout.isVisible()
    pids = {run.client._process.pid for run in together.runs}
    assert len(pids) == 4 and window.process.client._process.pid not in pids
    # every run named above the cost plot, outside it: no name over a curve
    assert together.legend.names() == [run.label for run in lesson.runs]
    qtbot.waitUntil(lambda: together.legend.geometry().bottom()
                    <= together.plot.geometry().top())  # once laid out
    qtbot.waitUntil(lambda: together.finished, timeout=8 * WAIT_MS)
    records = together.records()
    assert [r["name"] for r in records] == [run.label for run in lesson.runs]
    for record, run in zip(records, lesson.runs):  # the numbers of a run on its own
        headless = Session(run.config)
        headless.run()
        assert record["iterations"] == headless.iteration
        assert record["stopped_reason"] == str(headless.stopped_reason)
        if headless.iteration:
            assert record["final_cost"] == headless.costs[-1]
    processes = [run.client._process for run in together.runs]
    together.sigBack.emit()  # Back: the runs' processes end, the window comes back
    assert window.central.currentWidget() is window.desk and window.readout.isVisible()
    assert not any(process.is_alive() for process in processes)
    assert together.records() == records  # kept for a report


def test_the_cost_legend_names_the_live_run_by_its_lesson_name_or_its_settings(window):
    names = window.cost_plot.legend.names
    assert names()[0].startswith("2→6→4→1 · lr 0.5")  # no lesson: its settings
    assert window.lessons.open("learning-rate")
    lesson = load_lesson("learning-rate")
    assert names()[0] == f"{lesson.runs[0].label}: train"
    window.lessons.select(1, start=False)
    assert names()[0] == f"{lesson.runs[1].label}: train"
