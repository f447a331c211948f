"""Every read is bounded and refuses special files: a named pipe, a device, /dev/zero
through a symlink, a file too big, text datasets too big, with one line and never a hang
(a hang fails here by the subprocess's timeout)."""

from __future__ import annotations

import json
import os

import h5py
import numpy as np
import pytest
from fault_helpers import dnnviz, env, one_error_line, python
from test_inputs import small_pair
from test_outputs_apart import small_model

from dnnviz.data import DataError, load_course_h5


def special(tmp_path, kind: str, name: str):
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to({"zero": "/dev/zero", "urandom": "/dev/urandom"}[kind])
    return path


KINDS = ["fifo", "zero", "urandom"]
WORDS = {"fifo": "is a named pipe (FIFO)", "zero": "is a device", "urandom": "is a device"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["s.py", "s.ipynb"])
def test_check_refuses_a_special_student_file(tmp_path, kind, name):
    path = special(tmp_path, kind, name)
    line = one_error_line(dnnviz("check", str(path)))
    assert line.startswith(f"dnnviz check: error: {path}: {WORDS[kind]}"), line


@pytest.mark.parametrize("kind", KINDS)
def test_the_window_refuses_a_special_student_file(tmp_path, kind):
    path = special(tmp_path, kind, "s.py")
    done = dnnviz("--student", str(path), env=env(QT_QPA_PLATFORM="xcb"))
    assert WORDS[kind] in one_error_line(done)


def test_a_student_file_too_big_is_refused_unread(tmp_path):
    path = tmp_path / "s.py"
    with open(path, "wb") as f:
        f.truncate(51 << 20)  # sparse: 51 MiB of nothing (a notebook may hold 50)
    assert "too big for a Python file or notebook" in one_error_line(dnnviz("check", str(path)))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("option", ["--config", "--points-file", "--load-model"])
def test_special_files_as_inputs_are_refused(tmp_path, kind, option):
    path = special(tmp_path, kind, "input")
    line = one_error_line(dnnviz("train", option, str(path)))
    assert f"{path}: {WORDS[kind]}" in line


@pytest.mark.parametrize("kind", KINDS)
def test_special_course_files_are_refused(tmp_path, kind):
    train, _ = small_pair(tmp_path)
    test = special(tmp_path, kind, "test_special.h5")
    done = dnnviz("train", "--train-file", str(train), "--test-file", str(test))
    assert f"{test}: {WORDS[kind]}" in one_error_line(done)


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_file_in_a_picture_folder_is_refused(tmp_path, kind):
    for sub in ("a", "b"):
        (tmp_path / "pics" / sub).mkdir(parents=True)
        (tmp_path / "pics" / sub / "1.png").write_bytes(b"")
    special(tmp_path / "pics" / "a", kind, "0.png")
    done = dnnviz("train", "--image-folder", str(tmp_path / "pics"))
    line = one_error_line(done)
    assert WORDS[kind] in line and "a/0.png" in line


def test_a_picture_too_big_is_refused_unread(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / "pics" / sub).mkdir(parents=True)
        (tmp_path / "pics" / sub / "1.png").write_bytes(b"")
    with open(tmp_path / "pics" / "a" / "0.png", "wb") as f:
        f.truncate(65 << 20)
    line = one_error_line(dnnviz("train", "--image-folder", str(tmp_path / "pics")))
    assert "too big for a picture (over 64 MiB)" in line


MEMORY_CAPPED = (
    "import resource, sys\n"
    "from dnnviz.data import DataError, load_course_h5\n"
    "limit = 1 << 30\n"
    "resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))\n"
    "try: load_course_h5(sys.argv[1], sys.argv[2])\n"
    "except DataError as exc: print(exc)\n")


@pytest.mark.parametrize("key, dtype, shape", [
    ("train_set_x", "S1000000", (3000,)),       # 3 GB of text, 3 MB compressed
    ("list_classes", "S100000000", (2,)),        # two class names of 100 MB each
])
def test_big_text_in_course_data_is_refused_before_it_is_read(tmp_path, key, dtype, shape):
    train, test = small_pair(tmp_path)
    with h5py.File(train, "a") as f:
        if key in f:
            del f[key]
        f.create_dataset(key, shape=shape, dtype=dtype, compression="gzip", chunks=(1,))
    done = python(MEMORY_CAPPED, str(train), str(test))
    assert done.returncode == 0, done.stderr
    assert repr(key) in done.stdout and "Traceback" not in done.stderr, done.stdout


def test_variable_length_pixels_are_refused(tmp_path):
    train, test = small_pair(tmp_path)
    with h5py.File(train, "a") as f:
        del f["train_set_x"]
        f.create_dataset("train_set_x", data=np.array(["a" * 10] * 4, dtype=object),
                         dtype=h5py.string_dtype())
    with pytest.raises(DataError, match="'train_set_x' holds variable-length values"):
        load_course_h5(train, test)


def test_a_model_with_variable_length_text_is_refused(tmp_path):
    model = tmp_path / "m.h5"
    small_model(model)
    with h5py.File(model, "r+") as f:
        f.create_dataset("notes", data=np.array(["x"] * 3, dtype=object),
                         dtype=h5py.string_dtype())
    line = one_error_line(dnnviz("train", "--load-model", str(model)))
    assert "dataset 'notes' holds text or objects" in line


def test_a_config_through_a_symlink_to_a_regular_file_is_fine(tmp_path):
    real = tmp_path / "real.json"
    real.write_text(json.dumps({"dataset": "xor", "hidden": [2], "iterations": 1}))
    (tmp_path / "link.json").symlink_to(real)
    assert dnnviz("train", "--config", str(tmp_path / "link.json")).returncode == 0
