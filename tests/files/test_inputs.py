"""Inputs that are not regular files, or not what they claim: one line each, never a hang.

Whatever could hang (a named pipe read by mistake) runs in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os

import h5py
import numpy as np
import pytest
from fault_helpers import (
    TINY,
    dnnviz,
    env,
    one_error_line,
    python,
    without_file_permission_override,
)

from dnnviz.data import DataError, load_course_h5
from dnnviz.lessons import MAX_TEXT_CHARS, load_lesson
from dnnviz.training import ConfigError, RunConfig, Session, save_model


def small_pair(folder, x=None, name="train.h5"):
    """A train file holding x (default: tiny RGB pictures) and a valid test file."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (4, 4, 4, 3), dtype=np.uint8) if x is None else x
    train, test = folder / name, folder / "test.h5"
    with h5py.File(train, "w") as f:
        f["train_set_x"], f["train_set_y"] = x, np.arange(len(x)) % 2
    with h5py.File(test, "w") as f:
        f["test_set_x"] = rng.integers(0, 256, (4, *x.shape[1:]), dtype=np.uint8)
        f["test_set_y"] = np.arange(4) % 2
    return train, test


@pytest.fixture
def pipe(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("option, what", [
    ("--config", "a config file"), ("--load-model", "a model file"),
    ("--train-file", "an h5 file")])
def test_a_named_pipe_as_an_input_is_refused_at_once(tmp_path, pipe, option, what):
    _, test = small_pair(tmp_path)
    extra = ["--test-file", str(test)] if option == "--train-file" else []
    line = one_error_line(dnnviz("train", "--iterations", "2", option, str(pipe), *extra))
    assert line == f"dnnviz train: error: {pipe}: is a named pipe (FIFO), not {what}"


def test_a_named_pipe_as_a_picture_is_refused_at_once(pipe):
    done = python("import sys; from dnnviz.ui.teach.own_image import image_to_input\n"
                  "try: image_to_input(sys.argv[1], (8, 8, 3))\n"
                  "except ValueError as e: print(e)", str(pipe))
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout == f"{pipe}: is a named pipe (FIFO), not a picture\n"


def test_a_named_pipe_among_the_lessons_is_left_out(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    os.mkfifo(lessons / "2-stuck.json")
    (lessons / "1-fine.json").write_text(json.dumps({"title": "Fine", "text": "t", "runs": [
        {"label": "a", "config": {"dataset": "xor"}}]}))
    done = python("import sys, pathlib; from dnnviz.lessons import list_lessons\n"
                  "print(list_lessons(pathlib.Path(sys.argv[1])))", str(lessons))
    assert done.returncode == 0 and done.stdout == "[('fine', 'Fine')]\n", done.stderr


def test_a_device_as_a_config_is_refused_before_it_is_read():
    line = one_error_line(dnnviz("train", *TINY, "--config", "/dev/zero"))
    assert line.endswith("/dev/zero: is a device, not a config file")


def test_a_config_file_over_the_cap_is_refused(tmp_path):
    big = tmp_path / "big.json"
    big.write_text('{"seed": 1' + " " * (1 << 20) + "}")
    with pytest.raises(ConfigError, match=r"big\.json: too big for a config file \(over 1 MiB\)"):
        from dnnviz.training.config_file import load_config
        load_config(big)


def test_a_lesson_with_too_much_text_is_one_line(tmp_path):
    text = "word " * (MAX_TEXT_CHARS // 5 + 1)
    (tmp_path / "1-long.json").write_text(json.dumps({"title": "Long", "text": text, "runs": [
        {"label": "a", "config": {"dataset": "xor"}}]}))
    with pytest.raises(ConfigError, match=r"1-long\.json: the text has 30,005 characters; "
                                          r"a lesson's text may have at most 30,000"):
        load_lesson("long", folder=tmp_path)


# --- h5 files that lie about their size or hold no pictures -----------------------------------

def test_an_h5_declaring_300000_pictures_is_refused_before_it_is_read(tmp_path):
    train = tmp_path / "huge.h5"
    with h5py.File(train, "w") as f:  # declared, never written: a small file
        f.create_dataset("train_set_x", shape=(300_000, 64, 64, 3), dtype=np.uint8,
                         chunks=(1, 64, 64, 3))
        f.create_dataset("train_set_y", shape=(300_000,), dtype=np.int64)
    assert train.stat().st_size < 100_000
    _, test = small_pair(tmp_path)
    with pytest.raises(DataError, match=r"huge\.h5: 'train_set_x' of shape \(300000, 64, 64, 3\)"
                                        r" would need 27\.5 GiB of memory; dnnviz loads at most"):
        load_course_h5(train, test)


@pytest.mark.parametrize("channels", [2, 5, 12])
def test_pictures_of_other_than_1_3_or_4_channels_are_refused(tmp_path, channels):
    x = np.zeros((4, 4, 4, channels), np.uint8)
    train, test = small_pair(tmp_path, x)
    with pytest.raises(DataError, match=rf"holds pictures of {channels} channels; "
                                        r"expected 1 \(grey\), 3 \(RGB\) or 4 \(RGBA\)"):
        load_course_h5(train, test)


@pytest.mark.parametrize("value, dtype", [(1e300, np.float64), (-2e7, np.float32),
                                          (2**62, np.int64)])
def test_absurd_pixel_values_are_refused_naming_the_file(tmp_path, value, dtype):
    x = np.zeros((4, 4, 4, 3), dtype)
    x[2, 1, 1, 0] = value
    train, test = small_pair(tmp_path, x)
    with pytest.raises(DataError, match=rf"^{train}: 'train_set_x' holds pixel values as "
                                        r"large as \d\.\d\de\+\d+; pictures hold 0 to 255"):
        load_course_h5(train, test)


@pytest.mark.skipif(np.finfo(np.longdouble).max <= np.finfo(np.float64).max,
                    reason="no extended precision here")
def test_pixels_that_overflow_float64_are_refused_not_blamed_on_the_learning_rate(tmp_path):
    x = np.zeros((4, 4, 4, 3), np.longdouble)
    x[0, 0, 0, 0] = np.longdouble(10) ** 400
    train, test = small_pair(tmp_path, x)
    with pytest.raises(DataError, match=r"as large as 1\.00e\+400"):
        load_course_h5(train, test)


def test_pixels_of_up_to_a_million_still_load(tmp_path):
    x = np.full((4, 4, 4, 3), 1e6)
    train, test = small_pair(tmp_path, x)
    assert load_course_h5(train, test).X_train.max() == pytest.approx(1e6 / 255)


# --- ~user and permissions ----------------------------------------------------------------------

@pytest.mark.parametrize("command", [["train", *TINY], []])
def test_a_home_folder_of_nobody_is_one_line_in_option_and_environment(command):
    # platform xcb without a display aborts if a window is made: plain dnnviz must not get there
    line = one_error_line(dnnviz(*command, "--data-dir", "~nosuchuser/x",
                                 env=env(QT_QPA_PLATFORM="xcb")))
    assert line.endswith("error: --data-dir '~nosuchuser/x': there is no user 'nosuchuser'")
    line = one_error_line(dnnviz(*command, env=env(QT_QPA_PLATFORM="xcb",
                                                   DNNVIZ_DATA_DIR="~nosuchuser/x")))
    assert line.endswith("error: DNNVIZ_DATA_DIR '~nosuchuser/x': there is no user "
                         "'nosuchuser'")


def test_a_file_we_may_not_read_says_permission_denied(tmp_path):
    prefix = without_file_permission_override()
    s = Session(RunConfig(dataset="xor", n_samples=40, hidden=(3,), iterations=4))
    save_model(tmp_path / "m.h5", s)
    (tmp_path / "run.json").write_text("{}")
    (tmp_path / "cat.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    train, test = small_pair(tmp_path)
    for name in ("m.h5", "run.json", "cat.png", "train.h5"):
        (tmp_path / name).chmod(0)
    for args, path in ((["--load-model", "m.h5"], "m.h5"), (["--config", "run.json"], "run.json"),
                       (["--train-file", "train.h5", "--test-file", "test.h5"], "train.h5")):
        line = one_error_line(dnnviz("train", "--iterations", "2", *args, prefix=prefix,
                                     cwd=tmp_path))
        assert line == f"dnnviz train: error: {path}: cannot read it (permission denied)"
    done = python("import sys; from dnnviz.ui.teach.own_image import image_to_input\n"
                  "try: image_to_input(sys.argv[1], (8, 8, 3))\n"
                  "except ValueError as e: print(e)", "cat.png", prefix=prefix, cwd=tmp_path)
    assert done.stdout == "cat.png: cannot read it (permission denied)\n", done.stderr
