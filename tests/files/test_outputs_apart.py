"""Outputs never touch inputs: an output on any input file (or inside an input folder), by
file identity through symlinks and hard links, is refused in one line before anything runs;
and each output stands on its own when another cannot be written."""

from __future__ import annotations

import json
import os

import h5py
import numpy as np
import pytest
from fault_helpers import TINY, dnnviz, env, one_error_line
from test_inputs import small_pair

from dnnviz.training import RunConfig, Session, save_model
from dnnviz.training.persist import read_model

POINTS = "".join(f"{x},{y},{(x + y) % 2}\n" for x in range(4) for y in range(3))
OUTPUTS = ["--report", "--export-costs", "--save-model"]


def points(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(POINTS)
    return path


def small_model(path, **config) -> None:
    config = RunConfig(**{"dataset": "xor", "n_samples": 40, "hidden": (3,),
                          "iterations": 2, **config})
    session = Session(config)
    session.run()
    save_model(path, session)


def refused(done, *words) -> None:
    line = one_error_line(done)
    assert "an input of this run" in line and all(w in line for w in words), line
    assert done.stdout == ""


def unchanged(path, before: bytes) -> None:
    assert path.read_bytes() == before


@pytest.mark.parametrize("option", OUTPUTS)
def test_an_output_on_the_points_file_is_refused(tmp_path, option):
    csv = points(tmp_path)
    done = dnnviz("train", "--points-file", str(csv), "--iterations", "2", option, str(csv))
    refused(done, option, "the points file")
    unchanged(csv, POINTS.encode())


@pytest.mark.parametrize("option", OUTPUTS)
def test_an_output_on_the_config_is_refused(tmp_path, option):
    config = tmp_path / "c.json"
    text = json.dumps({"dataset": "xor", "n_samples": 40, "hidden": [3], "iterations": 2})
    config.write_text(text)
    refused(dnnviz("train", "--config", str(config), option, str(config)), "--config")
    assert config.read_text() == text


@pytest.mark.parametrize("option", ["--report", "--export-costs"])
def test_an_output_on_the_loaded_model_is_refused(tmp_path, option):
    model = tmp_path / "m.h5"
    small_model(model)
    before = model.read_bytes()
    refused(dnnviz("train", "--load-model", str(model), option, str(model)), "--load-model")
    unchanged(model, before)


def test_a_continued_model_may_be_saved_over_the_one_it_continues(tmp_path):
    model = tmp_path / "m.h5"
    small_model(model)
    done = dnnviz("train", "--load-model", str(model), "--iterations", "3",
                  "--save-model", str(model))
    assert done.returncode == 0, done.stderr
    assert read_model(model).iteration == 5


@pytest.mark.parametrize("which", ["train", "test"])
@pytest.mark.parametrize("option", OUTPUTS)
def test_an_output_on_the_course_data_is_refused(tmp_path, option, which):
    train, test = small_pair(tmp_path)
    target = train if which == "train" else test
    before = target.read_bytes()
    done = dnnviz("train", "--train-file", str(train), "--test-file", str(test),
                  "--hidden", "2", "--iterations", "2", option, str(target))
    refused(done, f"the {which} file")
    unchanged(target, before)


def test_the_course_files_of_a_data_folder_are_inputs_too(tmp_path):
    train, test = small_pair(tmp_path)
    train.rename(tmp_path / "train_catvnoncat.h5")
    test.rename(tmp_path / "test_catvnoncat.h5")
    target = tmp_path / "test_catvnoncat.h5"
    before = target.read_bytes()
    for extra, environ in ((["--data-dir", str(tmp_path)], env()),
                           ([], env(DNNVIZ_DATA_DIR=str(tmp_path)))):
        done = dnnviz("train", "--dataset", "cat", "--iterations", "1", *extra,
                      "--report", str(target), env=environ)
        refused(done, "the course file")
    unchanged(target, before)


def test_the_data_a_loaded_model_names_is_an_input(tmp_path):
    csv = points(tmp_path)
    model = tmp_path / "m.h5"
    small_model(model, dataset="points", points_file=str(csv))
    done = dnnviz("train", "--load-model", str(model), "--export-costs", str(csv))
    refused(done, "the points file")
    unchanged(csv, POINTS.encode())


def test_a_relative_data_file_of_a_config_is_an_input(tmp_path):
    (tmp_path / "sub").mkdir()
    csv = points(tmp_path / "sub")
    (tmp_path / "sub" / "c.json").write_text(json.dumps({"points_file": "p.csv"}))
    done = dnnviz("train", "--config", "sub/c.json", "--report", "sub/./p.csv", cwd=tmp_path)
    refused(done, "the points file")
    unchanged(csv, POINTS.encode())


@pytest.mark.parametrize("spelling", ["symlink", "hardlink", "dotted"])
def test_the_same_file_under_another_name_is_refused(tmp_path, spelling):
    csv = points(tmp_path)
    other = tmp_path / "other.csv"
    if spelling == "symlink":
        other.symlink_to(csv)
    elif spelling == "hardlink":
        os.link(csv, other)
    else:
        (tmp_path / "d").mkdir()
        other = tmp_path / "d" / ".." / "p.csv"
    done = dnnviz("train", "--points-file", str(csv), "--iterations", "2",
                  "--report", str(other))
    refused(done, "the points file")
    unchanged(csv, POINTS.encode())


def test_check_refuses_a_report_on_the_file_checked(tmp_path):
    source = tmp_path / "my.py"
    source.write_text("x = 1\n")
    link = tmp_path / "link.json"
    link.symlink_to(source)
    for report in (source, link):
        done = dnnviz("check", str(source), "--report", str(report))
        refused(done, "the file checked")
    assert source.read_text() == "x = 1\n"


def pictures(tmp_path):
    folder = tmp_path / "pics"
    for name in ("a", "b"):
        (folder / name).mkdir(parents=True)
        for i in range(2):
            (folder / name / f"{i}.png").write_bytes(b"not really a picture")
    return folder


@pytest.mark.parametrize("via", ["direct", "symlinked folder", "new file"])
def test_a_screenshot_into_the_picture_folder_is_refused(tmp_path, via):
    folder = pictures(tmp_path)
    shot = folder / "a" / "0.png"
    if via == "symlinked folder":
        (tmp_path / "view").symlink_to(folder / "a")
        shot = tmp_path / "view" / "0.png"
    elif via == "new file":
        shot = folder / "b" / "new.png"
    # xcb without a display: were the check to let it through, Qt would never open a window
    done = dnnviz("--image-folder", str(folder), "--screenshot", str(shot),
                  env=env(QT_QPA_PLATFORM="xcb"))
    refused(done, "--screenshot", "is inside the picture folder")
    assert (folder / "a" / "0.png").read_bytes() == b"not really a picture"
    assert sorted(os.listdir(folder / "b")) == ["0.png", "1.png"]


def test_the_window_refuses_a_report_on_the_student_file(tmp_path):
    source = tmp_path / "s.py"
    source.write_text("x = 1\n")
    done = dnnviz("--student", str(source), "--report", str(source),
                  env=env(QT_QPA_PLATFORM="xcb"))
    refused(done, "--student")
    assert source.read_text() == "x = 1\n"


def test_outputs_beside_inputs_are_fine(tmp_path):
    csv = points(tmp_path)
    done = dnnviz("train", "--points-file", str(csv), "--iterations", "2",
                  "--report", str(tmp_path / "r.json"), "--save-model", str(tmp_path / "m.h5"))
    assert done.returncode == 0, done.stderr
    assert read_model(tmp_path / "m.h5").iteration == 2


def test_each_output_stands_on_its_own_when_the_disk_is_full(tmp_path, small_disk):
    report, costs = tmp_path / "r.json", tmp_path / "c.csv"
    model = small_disk / "m.h5"
    done = dnnviz("train", *TINY, "--iterations", "3", "--hidden", "100,100",
                  "--save-model", str(model), "--report", str(report),
                  "--export-costs", str(costs))
    assert one_error_line(done) == f"dnnviz train: error: cannot save {model}: the disk is full"
    assert json.loads(report.read_text())["iterations"] == 3
    assert costs.read_text().splitlines()[0] == "iteration,cost"
    assert not model.exists()


def test_h5_written_over_is_unharmed_when_refused(tmp_path):
    train, test = small_pair(tmp_path)
    with h5py.File(train, "r") as f:
        x = np.asarray(f["train_set_x"])
    dnnviz("train", "--train-file", str(train), "--test-file", str(test), "--hidden", "2",
           "--save-model", str(train))
    with h5py.File(train, "r") as f:
        assert np.array_equal(f["train_set_x"], x)
