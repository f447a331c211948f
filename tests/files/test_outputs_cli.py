"""The command line's outputs: checked and tried before training, "-" for stdout, one line."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import h5py
import numpy as np
import pytest
from fault_helpers import TINY, dnnviz, env, one_error_line, without_file_permission_override

from dnnviz.training.persist import read_model

PATH_OPTIONS = ["--config", "--load-model", "--train-file", "--test-file", "--data-dir",
                "--report", "--save-model", "--export-costs"]


@pytest.mark.parametrize("option", PATH_OPTIONS)
def test_an_empty_file_name_is_refused_not_ignored(option):
    line = one_error_line(dnnviz("train", *TINY, option, ""))
    assert line.startswith(f"dnnviz train: error: argument {option}: empty value; give a")


@pytest.mark.parametrize("option", ["--screenshot", "--lesson", "--config", "--report"])
def test_the_window_refuses_empty_values_too(option):
    line = one_error_line(dnnviz(option, " ", env=env(QT_QPA_PLATFORM="xcb")))
    assert line.startswith(f"dnnviz: error: argument {option}: empty value")


def test_a_report_to_stdout_is_clean_json_with_progress_on_stderr():
    done = dnnviz("train", *TINY, "--iterations", "7", "--print-every", "3", "--report", "-")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["iterations"] == 7
    assert [line.split()[1] for line in done.stderr.splitlines()
            if line.startswith("iteration")] == ["0", "3", "6"]


def test_costs_to_stdout_are_csv():
    done = dnnviz("train", *TINY, "--iterations", "4", "--export-costs", "-")
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert done.returncode == 0 and rows[0] == ["iteration", "cost"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1, 2, 3]


@pytest.mark.parametrize("args, words", [
    (["--save-model", "-"], "--save-model: only --report and --export-costs can write to "
                            "standard output ('-')"),
    (["--report", "-", "--export-costs", "-"], "--export-costs and --report would both "
                                               "write to standard output"),
    (["--save-model", "m.h5", "--report", "m.h5"], "--save-model and --report would both "
                                                   "write to m.h5"),
    (["--save-model", "m.h5", "--export-costs", "./m.h5"], "would both write to ./m.h5"),
])
def test_outputs_that_cannot_be_are_refused_before_training(tmp_path, args, words):
    done = dnnviz("train", *TINY, "--iterations", "3", *args, cwd=tmp_path)
    line = one_error_line(done)
    assert line.startswith("dnnviz train: error: --") and words in line
    assert done.stdout == "" and os.listdir(tmp_path) == []


def test_the_window_cannot_put_a_screenshot_on_stdout():
    line = one_error_line(dnnviz("--screenshot", "-", env=env(QT_QPA_PLATFORM="xcb")))
    assert "--screenshot: only --report and --export-costs" in line


def test_a_read_only_model_is_refused_before_training_and_kept(tmp_path):
    model = tmp_path / "keep.h5"
    model.write_bytes(b"an old model")
    model.chmod(0o444)
    done = dnnviz("train", *TINY, "--iterations", "3", "--save-model", str(model))
    assert one_error_line(done) == f"dnnviz train: error: cannot save {model}: it is read-only"
    assert done.stdout == "" and model.read_bytes() == b"an old model"


def test_a_device_is_not_replaced_and_stdout_is_spelled_dash(tmp_path):
    link = tmp_path / "stdout"
    link.symlink_to("/dev/stdout")  # the way a user writes "to the screen"
    for args, words in ((["--report", "/dev/null"], "cannot save /dev/null: it is a device"),
                        (["--export-costs", str(link)], "it is a process's open file")):
        done = dnnviz("train", *TINY, "--iterations", "3", *args)
        assert words in one_error_line(done) and done.stdout == ""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_model_saved_through_a_symlink_updates_the_target(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "latest.h5").symlink_to("models/run1.h5")
    for iterations in ("3", "5"):
        done = dnnviz("train", *TINY, "--iterations", iterations, "--save-model", "latest.h5",
                      cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "latest.h5").is_symlink()
    assert read_model(tmp_path / "models" / "run1.h5").iteration == 5
    assert sorted(os.listdir(tmp_path / "models")) == ["run1.h5"]


@pytest.mark.parametrize("window", [False, True])
def test_a_folder_we_may_not_write_in_is_refused_before_training(tmp_path, window):
    prefix = without_file_permission_override()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    report = str(locked / "r.json")
    if window:  # xcb without a display aborts if a window is made: it must not get there
        done = dnnviz("--report", report, prefix=prefix, env=env(QT_QPA_PLATFORM="xcb"))
        prog = "dnnviz"
    else:
        done = dnnviz("train", *TINY, "--iterations", "3", "--report", report, prefix=prefix)
        prog = "dnnviz train"
    assert one_error_line(done) == (f"{prog}: error: cannot save {report}: cannot write in "
                                    f"the folder {locked} (permission denied)")
    assert done.stdout == "" and os.listdir(locked) == []


def test_a_full_disk_is_said_in_one_line_and_the_old_model_stays(small_disk):
    model = small_disk / "m.h5"
    assert dnnviz("train", *TINY, "--iterations", "3", "--save-model", str(model)).returncode == 0
    done = dnnviz("train", *TINY, "--iterations", "3", "--hidden", "100,100",
                  "--save-model", str(model))
    assert one_error_line(done) == f"dnnviz train: error: cannot save {model}: the disk is full"
    assert read_model(model).iteration == 3 and os.listdir(small_disk) == ["m.h5"]


# --- data folders and config files --------------------------------------------------------------

def test_a_course_data_folder_means_cat_named_either_way(tmp_path):
    empty = str(tmp_path)
    missing = (f"dnnviz train: error: the course files train_catvnoncat.h5 and "
               f"test_catvnoncat.h5 were not found in {empty}")
    for done in (dnnviz("train", "--iterations", "2", "--data-dir", empty),
                 dnnviz("train", "--iterations", "2", env=env(DNNVIZ_DATA_DIR=empty))):
        assert one_error_line(done).startswith(missing)
    done = dnnviz("train", "--iterations", "2", "--dataset", "moons", "--print-every", "0",
                  env=env(DNNVIZ_DATA_DIR=empty))
    assert done.returncode == 0 and " on moons " in done.stdout


def test_the_data_dir_option_wins_over_the_environment(tmp_path, cat_dir):
    report = tmp_path / "r.json"
    done = dnnviz("train", "--iterations", "1", "--data-dir", str(cat_dir), "--report",
                  str(report), env=env(DNNVIZ_DATA_DIR=str(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text())["config"]["dataset"] == "cat"
    done = dnnviz("train", "--iterations", "1", "--data-dir", str(tmp_path),
                  env=env(DNNVIZ_DATA_DIR=str(cat_dir)))
    assert f"were not found in {tmp_path}" in one_error_line(done)


def test_relative_data_files_in_a_config_are_found_beside_it(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for split in ("train", "test"):
        with h5py.File(folder / f"{split}.h5", "w") as f:
            f[f"{split}_set_x"] = rng.integers(0, 256, (6, 4, 4, 3), dtype=np.uint8)
            f[f"{split}_set_y"] = np.arange(6) % 2
    (folder / "run.json").write_text(json.dumps(
        {"train_file": "train.h5", "test_file": "test.h5", "hidden": [2], "iterations": 2}))
    done = dnnviz("train", "--config", "course/run.json", "--report", "r.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    config = json.loads((tmp_path / "r.json").read_text())["config"]
    assert config["train_file"] == str(tmp_path / "course" / "train.h5")  # works anywhere


@pytest.mark.parametrize("option, name", [("--report", "r.json"), ("--export-costs", "c.csv"),
                                          ("--save-model", "m.h5")])
def test_a_leading_tilde_in_an_output_is_the_home_folder(tmp_path, monkeypatch, option, name):
    from dnnviz.cli import main

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--dataset", "moons", "--iterations", "3", "--print-every", "0",
                 option, f"~/{name}"]) == 0
    assert (tmp_path / name).stat().st_size > 0
    assert not (tmp_path / "~").exists()  # not a folder named ~


def test_a_reports_config_and_a_saved_config_give_the_same_run_back(tmp_path):
    from dnnviz.cli import main

    first, again, saved = tmp_path / "first.json", tmp_path / "again.json", tmp_path / "c.json"
    assert main(["train", "--dataset", "xor", "--samples", "60", "--hidden", "3,2",
                 "--learning-rate", "0.2", "--iterations", "7", "--print-every", "0",
                 "--data-dir", str(tmp_path), "--report", str(first),
                 "--save-config", str(saved)]) == 0
    config = json.loads(first.read_text())["config"]
    (tmp_path / "from-report.json").write_text(json.dumps(config))
    for path in (tmp_path / "from-report.json", saved):
        assert main(["train", "--config", str(path), "--print-every", "0",
                     "--report", str(again)]) == 0, path
        assert json.loads(again.read_text())["costs"] == json.loads(first.read_text())["costs"]
