"""Every message is one line: names the system cannot spell, Ctrl+C while starting, wrong
dtypes, pictures with any file name or of any kind Qt reads (and Qt's own stderr kept
quiet), a CSV's byte order mark, absurd coordinates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pytest
from fault_helpers import TIMEOUT, dnnviz, env, one_error_line, python
from test_outputs_apart import small_model

from dnnviz.data import DataError
from dnnviz.data.own import read_points_csv
from dnnviz.training import ConfigError
from dnnviz.training.config_file import load_config
from dnnviz.training.persist import ModelFileError, read_model

POINTS = "".join(f"{x},{y},{(x + y) % 2}\n" for x in range(4) for y in range(3))


@pytest.mark.parametrize("key", ["points_file", "train_file", "image_folder"])
@pytest.mark.parametrize("name", ["a\u0000b.csv", "a\ud800b.csv", "\udfff"])
def test_an_unspellable_name_in_a_config_is_one_line(tmp_path, key, name):
    config = tmp_path / "c.json"
    value = {key: name, "test_file": "t.h5"} if key == "train_file" else {key: name}
    config.write_text(json.dumps(value))
    line = one_error_line(dnnviz("train", "--config", str(config)))
    assert f"key {key!r} must be a" in line and "without NUL characters or lone " in line
    with pytest.raises(ConfigError) as caught:  # File > Open config says the same
        load_config(config)
    assert "\n" not in str(caught.value)


def test_a_nul_in_a_models_file_name_is_one_line(tmp_path):
    model = tmp_path / "m.h5"
    small_model(model)
    with h5py.File(model, "r+") as f:
        f.attrs["points_file"] = np.bytes_(b"a\x00b.csv")
    with pytest.raises(ModelFileError, match="key 'points_file' must be a file name without"):
        read_model(model)
    line = one_error_line(dnnviz("train", "--load-model", str(model)))
    assert "'points_file' must be a file name without NUL" in line


INTERRUPT_AT = """
import os, runpy, signal, sys
target = sys.argv[1]
class Interrupt:
    def find_spec(self, name, path=None, target_=None):
        if name == target:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C, just as this module loads
        return None
sys.meta_path.insert(0, Interrupt())
sys.argv = ["dnnviz", *sys.argv[2:]]
runpy.run_module("dnnviz", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("module, command", [
    ("numpy", ["train"]), ("h5py", ["train"]), ("dnnviz.training.persist", ["train"]),
    ("dnnviz.train_cli", ["train", "--dataset", "xor", "--iterations", "1"]),
    ("dnnviz.student.cli", ["check", "x.py"]), ("dnnviz.desktop", ["install-desktop"]),
])
def test_ctrl_c_while_a_command_starts_is_one_line(module, command):
    done = python(INTERRUPT_AT, module, *command)
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and "interrupted" in done.stderr


def test_a_wrong_dtype_says_the_dtype(tmp_path):
    model = tmp_path / "m.h5"
    small_model(model)
    with h5py.File(model, "r+") as f:
        value = np.asarray(f["distributions/W_pct"])
        del f["distributions/W_pct"]
        f["distributions/W_pct"] = value.astype(bool)
    with pytest.raises(ModelFileError, match=r"'W_pct' holds bool values, expected numbers"):
        read_model(model)


def write_picture(path, fmt="PNG", quality=-1, size=(40, 30)) -> None:
    """A picture Qt writes, copied to path (bytes: any name, UTF-8 or not)."""
    handle, made = tempfile.mkstemp(suffix="." + fmt.lower())
    os.close(handle)
    done = python("import sys\nfrom PyQt6.QtGui import QImage, QColor\n"
                  "im = QImage(int(sys.argv[3]), int(sys.argv[4]), QImage.Format.Format_ARGB32)\n"
                  "im.fill(QColor(200, 30, 40, 200))\n"
                  "sys.exit(0 if im.save(sys.argv[1], sys.argv[2], int(sys.argv[5])) else 1)",
                  made, fmt, str(size[0]), str(size[1]), str(quality))
    if done.returncode != 0:
        pytest.skip(f"this Qt cannot write {fmt}")
    os.replace(made, path)


def picture_folder(tmp_path, names=(b"a", b"b"), files=(b"0.png", b"1.png")) -> bytes:
    folder = os.fsencode(tmp_path / "pics")
    for sub in names:
        os.makedirs(os.path.join(folder, sub))
        for name in files:
            write_picture(os.path.join(folder, sub, name))
    return folder


def train_on(folder) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dnnviz", "train", "--image-folder", folder,
                           "--hidden", "2", "--iterations", "1", "--print-every", "0"],
                          capture_output=True, timeout=TIMEOUT, env=env(), check=False)


def test_pictures_with_names_that_are_not_utf8_are_read(tmp_path):
    folder = picture_folder(tmp_path, names=(b"chat-\xe9", b"chien"),
                            files=(b"\xff\xfe.png", b"ok.png"))
    done = train_on(folder)
    assert done.returncode == 0, done.stderr
    assert b" on pics (2 train, 2 test examples)" in done.stdout


def test_a_lossless_webp_written_by_qt_is_read(tmp_path):
    folder = picture_folder(tmp_path)
    for sub in (b"a", b"b"):
        webp = os.path.join(folder, sub, b"2.webp")
        write_picture(webp, "WEBP", 100, size=(300, 200))
        with open(webp, "rb") as f:
            assert f.read(16)[12:16] == b"VP8L"  # lossless
    done = train_on(folder)
    assert done.returncode == 0, done.stderr
    assert b"(4 train, 2 test examples)" in done.stdout


@pytest.mark.parametrize("damage", ["truncated", "bomb"])
def test_qts_own_complaints_about_a_picture_are_not_printed(tmp_path, damage):
    folder = picture_folder(tmp_path)
    bad = os.path.join(folder, b"a", b"bad.png")
    if damage == "truncated":
        write_picture(bad, size=(600, 600))
        with open(bad, "rb+") as f:
            f.truncate(len(f.read()) // 2)
        words = "not a readable picture"
    else:  # 20000x20000: a 40 KB file that would take 1.6 GB decoded
        done = python("import sys\nfrom PyQt6.QtGui import QImage\n"
                      "im = QImage(20000, 20000, QImage.Format.Format_Mono); im.fill(0)\n"
                      "im.save(sys.argv[1])", os.fsdecode(bad))
        assert done.returncode == 0, done.stderr
        words = "too large a picture (20000x20000 pixels"
    done = train_on(folder)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "a/bad.png" in lines[0] and words in lines[0], lines


def test_a_byte_order_mark_keeps_the_first_row(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xef\xbb\xbf" + POINTS.encode())
    assert len(read_points_csv(path)) == 12
    path.write_bytes(b"\xef\xbb\xbfx1,x2,label\n" + POINTS.encode())  # a header still is one
    assert len(read_points_csv(path)) == 12


def test_a_byte_order_mark_in_a_config_is_fine(tmp_path):
    config = tmp_path / "c.json"
    config.write_bytes(b"\xef\xbb\xbf" + json.dumps({"dataset": "xor", "hidden": [2]}).encode())
    assert load_config(config)[0].hidden == (2,)


@pytest.mark.parametrize("row", ["1e200,2,0", "3,-1e200,1", "1e7,0,0"])
def test_absurd_coordinates_are_refused(tmp_path, row):
    path = tmp_path / "p.csv"
    path.write_text(row + "\n" + POINTS)
    line = one_error_line(dnnviz("train", "--points-file", str(path)))
    assert "line 1: coordinates must lie between -1,000,000 and 1,000,000" in line


def test_absurd_drawn_points_are_refused(tmp_path):
    config = tmp_path / "c.json"
    points = [[1e200, 0, 1], [0, 1, 1], [1, 1, 0], [2, 2, 0]]
    config.write_text(json.dumps({"dataset": "drawn", "drawn_points": points}))
    line = one_error_line(dnnviz("train", "--config", str(config)))
    assert "coordinates must lie between" in line


def test_large_coordinates_within_bounds_train_without_warnings(tmp_path):
    rng = np.random.default_rng(1)
    rows = [f"{x},{y},{i % 2}" for i, (x, y) in enumerate(rng.uniform(-1e6, 1e6, (40, 2)))]
    path = tmp_path / "p.csv"
    path.write_text("\n".join(rows))
    done = dnnviz("train", "--points-file", str(path), "--learning-rate", "10",
                  "--iterations", "50", "--print-every", "0")
    assert done.returncode in (0, 1) and done.stderr == "", done.stderr
    with pytest.raises(DataError):
        read_points_csv(tmp_path / "none.csv")
