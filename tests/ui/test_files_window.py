"""File menu: models, configs, CSV and PNG, from the window; a failed load or save keeps
what was there."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PyQt6.QtGui import QImage
from window_helpers import at_iteration, drawn, live, read, send_steps, written

import dnnviz.training.persist as persist
from dnnviz.training import Session


def trained(qtbot, window, iteration):
    """Step the window's run on to `iteration`."""
    send_steps(window, iteration - live(window).iteration)
    at_iteration(qtbot, window, iteration)
    return window


def test_a_saved_model_reopens_where_it_was_and_trains_on_exactly(qtbot, make_window,
                                                                   tmp_path):
    first = trained(qtbot, make_window(), 30)
    path = tmp_path / "run.h5"
    assert written(qtbot, first, first.files.save_model(path))
    second = make_window(dataset="xor", hidden=(3,))
    assert read(qtbot, second, second.files.open_model(path))
    assert second.config.dataset == "moons" and second.session.layer_dims == (2, 6, 4, 1)
    snap = drawn(qtbot, second, lambda s: s.iteration == 30)
    np.testing.assert_array_equal(snap.cost_y, live(first).costs)
    trained(qtbot, second, 50)  # 30 saved + 20 more
    unbroken = Session(second.config.with_changes(iterations=second.config.iterations))
    unbroken.run(50)
    np.testing.assert_array_equal(live(second).costs, unbroken.costs)


def test_a_bad_model_file_is_one_line_and_keeps_the_session(qtbot, window, tmp_path):
    bad = tmp_path / "notes.h5"
    bad.write_text("not hdf5")
    before = window.session
    assert not read(qtbot, window, window.files.open_model(bad))
    message = window.controls.message.text()
    assert "notes.h5" in message and "\n" not in message
    assert window.session is before


def test_saving_into_a_missing_folder_says_so(qtbot, window, tmp_path):
    assert not written(qtbot, window, window.files.save_model(tmp_path / "nowhere" / "run.h5"))
    assert "does not exist" in window.controls.message.text()


def test_a_save_failing_half_way_leaves_the_old_file(qtbot, window, tmp_path, monkeypatch):
    trained(qtbot, window, 5)
    path = tmp_path / "run.h5"
    assert written(qtbot, window, window.files.save_model(path))
    trained(qtbot, window, 12)

    def write_then_fail(f, session):
        f.create_dataset("partial", data=np.zeros(10))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(persist, "_write", write_then_fail)
    assert not written(qtbot, window, window.files.save_model(path))
    assert "the disk is full" in window.controls.message.text()
    assert persist.load_model(path).iteration == 5  # the old file, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.h5"]  # no temporary left


def test_a_config_round_trips_with_its_view_options(qtbot, window, tmp_path):
    window.histograms.set_gradients(True)
    window.histograms.log_box.click()  # histograms of log10|value|, as a user ticks it
    window.boundary.show_test.click()  # the test points hidden
    window.cost_plot.set_log_scale(True)
    path = tmp_path / "setup.json"
    assert window.files.save_config(path)
    saved = window.config
    window.controls.layers.set_hidden((3,))
    window._on_rebuild()
    window.histograms.set_gradients(False)
    window.histograms.set_log(False)
    window.cost_plot.set_log_scale(False)
    assert window.files.open_config(path)
    assert window.config == saved
    assert window.histograms.gradients() and window.cost_plot.log_scale()
    assert window.histograms.log_box.isChecked() and window.options.hist_log
    assert not window.boundary.show_test.isChecked() and not window.options.test_points


def test_the_saved_view_options_are_those_on_screen_however_they_were_set(qtbot, window,
                                                                          tmp_path):
    window.log_action.trigger()  # the menu, not the plot's own box
    window.grad_action.trigger()
    window.thumbnails.sigSampleSelected.emit("train", 2)  # a click on a sample
    path = tmp_path / "view.json"
    assert window.files.save_config(path)
    saved = json.loads(path.read_text())["view"]
    assert saved == {"gradients": True, "log_scale": True, "data_cost": False, "split": "train",
                     "index": 2, "hist_log": False, "test_points": True}
    window.apply_view({"split": "test"})  # the others: their defaults
    assert window.view_options() == {"gradients": False, "log_scale": False,
                                     "data_cost": False, "split": "test", "index": 0,
                                     "hist_log": False, "test_points": True}
    assert not window.cost_plot.log_scale() and not window.histograms.gradients()


def test_a_malformed_config_keeps_the_session(qtbot, window, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"hidden": [4, -1]}')
    before = window.session
    assert not window.files.open_config(path)
    assert "bad.json" in window.controls.message.text() and window.session is before


def test_the_cost_history_exports_as_csv(qtbot, window, tmp_path):
    trained(qtbot, window, 25)
    path = tmp_path / "costs.csv"
    assert written(qtbot, window, window.files.export_costs(path))
    lines = path.read_text().splitlines()
    assert lines[0] == "iteration,cost" and len(lines) == 26
    values = np.array([float(line.split(",")[1]) for line in lines[1:]])
    np.testing.assert_array_equal(values, live(window).costs)


@pytest.mark.parametrize("what", ["window", "plot"])
def test_pictures_export_as_png(qtbot, window, tmp_path, what):
    path = tmp_path / f"{what}.png"
    assert window.files.export_png(path, what)
    image = QImage(str(path))
    widget = window if what == "window" else window.cost_plot
    assert not image.isNull() and image.width() >= widget.width() > 100
    assert not window.files.export_png(tmp_path / "missing" / "x.png", what)
    assert "does not exist" in window.controls.message.text()


@pytest.mark.parametrize("save", ["save_model", "export_costs", "save_config", "export_png"])
def test_a_save_over_the_data_being_read_is_refused(qtbot, make_window, tmp_path, save):
    points = tmp_path / "p.csv"
    text = "".join(f"{x},{y},{(x + y) % 2}\n" for x in range(4) for y in range(3))
    points.write_text(text)
    window = make_window(dataset="points", points_file=str(points), hidden=(3,))
    link = tmp_path / "link.csv"
    link.symlink_to(points)
    assert not getattr(window.files, save)(link)
    message = window.controls.message.text()
    assert "the points file" in message and "an input of this run" in message
    assert "\n" not in message and points.read_text() == text


def test_a_config_naming_a_file_with_a_nul_is_one_line_in_the_window(qtbot, window, tmp_path):
    config = tmp_path / "c.json"
    config.write_text('{"points_file": "a\\u0000b.csv"}')
    before = window.session
    assert not window.files.open_config(config)
    message = window.controls.message.text()
    assert "key 'points_file' must be a file name without NUL" in message
    assert "\n" not in message and window.session is before
