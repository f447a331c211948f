"""The command line's files: --config, --load-model, --save-model, --export-costs; bad input."""

import errno
import json
import os
import re
import signal
import subprocess
import sys

import h5py
import numpy as np
import pytest

import dnnviz.app
from dnnviz.cli import main
from dnnviz.training import RunConfig, Session, save_model
from dnnviz.training.persist import read_model
from dnnviz.training.stops import INTERRUPTED

TINY = ["--dataset", "xor", "--samples", "40", "--hidden", "3", "--print-every", "0"]


def _costs(path):
    lines = path.read_text().splitlines()
    assert lines[0] == "iteration,cost"
    return [(int(i), float(c)) for i, c in (line.split(",") for line in lines[1:])]


def test_a_saved_run_continues_exactly_as_one_run(tmp_path):
    m, part, whole = tmp_path / "m.h5", tmp_path / "part.csv", tmp_path / "whole.csv"
    assert main(["train", *TINY, "--iterations", "100", "--save-model", str(m)]) == 0
    assert main(["train", "--load-model", str(m), "--iterations", "51", "--print-every", "0",
                 "--export-costs", str(part), "--save-model", str(m)]) == 0
    assert main(["train", *TINY, "--iterations", "151", "--export-costs", str(whole)]) == 0
    assert part.read_bytes() == whole.read_bytes()
    assert [i for i, _ in _costs(whole)] == list(range(151))
    assert read_model(m).iteration == 151


def test_load_model_without_iterations_goes_on_to_the_saved_target(tmp_path, capsys):
    s = Session(RunConfig(dataset="xor", n_samples=40, hidden=(3,), iterations=60))
    s.run(iterations=25)
    save_model(tmp_path / "m.h5", s)
    report = tmp_path / "r.json"
    code = main(["train", "--load-model", str(tmp_path / "m.h5"), "--learning-rate", "0.05",
                 "--report", str(report), "--print-every", "0"])
    assert code == 0 and "from iteration 25" in capsys.readouterr().out
    r = json.loads(report.read_text())
    assert r["iterations"] == 60 and len(r["costs"]) == 60
    assert r["config"]["learning_rate"] == 0.05 and r["config"]["iterations"] == 60


def test_config_file_values_are_overridden_by_options_given(tmp_path):
    cfg = tmp_path / "run.json"
    cfg.write_text(json.dumps({"dataset": "xor", "n_samples": 40, "noise": 0.3, "hidden": [3],
                               "learning_rate": 0.2, "iterations": 5, "seed": 9}))
    report = tmp_path / "r.json"
    args = ["train", "--config", str(cfg), "--report", str(report), "--print-every", "0"]
    assert main([*args, "--learning-rate", "0.1"]) == 0
    c = json.loads(report.read_text())["config"]
    assert (c["dataset"], c["n_samples"], c["hidden"], c["learning_rate"], c["seed"]) == \
        ("xor", 40, [3], 0.1, 9)
    assert main([*args, "--dataset", "moons"]) == 0  # another data set: no n_samples, noise
    c = json.loads(report.read_text())["config"]
    assert (c["dataset"], c["n_samples"], c["noise"], c["hidden"]) == ("moons", None, None, [3])


def test_the_window_gets_the_loaded_model_and_the_view_options(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(dnnviz.app, "run_app", lambda config, args: seen.append(
        (config, args)) or 0)
    cfg = tmp_path / "run.json"
    cfg.write_text(json.dumps({"dataset": "moons", "view": {"gradients": True, "index": 3}}))
    assert main(["--config", str(cfg)]) == 0
    config, args = seen.pop()
    assert config.dataset == "moons" and args.loaded_session is None
    assert args.view_options == {"gradients": True, "log_scale": False, "data_cost": False,
                                 "split": "test", "index": 3, "hist_log": False,
                                 "test_points": True}
    s = Session(RunConfig(dataset="xor", n_samples=40, hidden=(3,), iterations=60))
    s.run(iterations=30)
    save_model(tmp_path / "m.h5", s)
    assert main(["--load-model", str(tmp_path / "m.h5"), "--iterations", "5"]) == 0
    config, args = seen.pop()
    session = args.loaded_session
    assert session.iteration == 30 and session.target_iterations == 35
    assert config == session.config and config.iterations == 35 and config.hidden == (3,)
    np.testing.assert_array_equal(session.net.Ws[0], s.net.Ws[0])


def test_a_diverged_run_is_saved_with_the_last_good_parameters(tmp_path):
    m = tmp_path / "m.h5"
    code = main(["train", *TINY, "--learning-rate", "1000", "--iterations", "50",
                 "--save-model", str(m), "--export-costs", str(tmp_path / "c.csv")])
    saved = read_model(m)
    assert code == 1 and str(saved.stopped_reason).startswith("diverged at iteration")
    assert len(_costs(tmp_path / "c.csv")) == saved.iteration
    assert all(np.isfinite(W).all() for W in saved.parameters.values())


def test_ctrl_c_saves_the_model(tmp_path):
    m = tmp_path / "m.h5"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dnnviz", "train", "--dataset", "moons", "--iterations",
         "10000000", "--print-every", "200", "--save-model", str(m)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    for line in proc.stdout:
        if line.startswith("iteration"):
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in out and "Traceback" not in err
    saved = read_model(m)
    assert saved.iteration > 0 and saved.stopped_reason == INTERRUPTED
    assert [p.name for p in tmp_path.iterdir()] == ["m.h5"]


def test_a_failed_csv_export_keeps_the_old_file(tmp_path, monkeypatch, capsys):
    csv = tmp_path / "c.csv"
    csv.write_text("iteration,cost\n0,1.0\n")

    def no_space(*_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", no_space)
    code = main(["train", *TINY, "--iterations", "5", "--export-costs", str(csv)])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert re.match(r"dnnviz train: error: cannot save .*c\.csv: the disk is full$", err)
    assert csv.read_text() == "iteration,cost\n0,1.0\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.csv"]


# --- bad input: one line, exit code 2, nothing written ------------------------------------

def _u8(*shape):
    return np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)


def _h5(path, **arrays):
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            f.create_dataset(key, data=value)
    return path


def _labels(m):
    return np.arange(m) % 2


BAD_TRAIN = {
    "missing": (None, r"no such file"),
    "folder": ("dir", r"is a folder"),
    "text": (b"not an h5 file\n", r"not a readable HDF5 file"),
    "truncated": ("truncated", r"not a readable HDF5 file"),
    "missing key": ({"train_set_x": _u8(4, 4, 4, 3)}, r"missing key 'train_set_y'"),
    "lengths": ({"train_set_x": _u8(5, 4, 4, 3), "train_set_y": _labels(4)},
                r"has 5 examples but 'train_set_y' has 4 labels"),
    "labels": ({"train_set_x": _u8(4, 4, 4, 3), "train_set_y": np.array([0, 1, 3, 1])},
               r"labels skip 2: classes are numbered 0 to 3"),
    "NaN pixels": ({"train_set_x": np.full((4, 4, 4, 3), np.nan), "train_set_y": _labels(4)},
                   r"NaN or infinite pixel values"),
    "zero examples": ({"train_set_x": _u8(0, 4, 4, 3), "train_set_y": _labels(0)},
                      r"zero examples"),
    "sizes differ": ({"train_set_x": _u8(4, 5, 5, 3), "train_set_y": _labels(4)},
                     r"test images are 4x4x3 but the train images in train\.h5 are 5x5x3"),
}


@pytest.mark.parametrize("case", BAD_TRAIN)
def test_bad_data_files(tmp_path, capsys, case):
    content, problem = BAD_TRAIN[case]
    test = _h5(tmp_path / "test.h5", test_set_x=_u8(4, 4, 4, 3), test_set_y=_labels(4))
    train = tmp_path / "train.h5"
    if content == "dir":
        train.mkdir()
    elif content == "truncated":
        data = test.read_bytes()
        train.write_bytes(data[: len(data) // 2])
    elif isinstance(content, bytes):
        train.write_bytes(content)
    elif content is not None:
        _h5(train, **content)
    assert_refused(tmp_path, capsys, ["--train-file", str(train), "--test-file", str(test)],
                   problem)


def _model(tmp_path, name="m.h5", **changes):
    s = Session(RunConfig(**{"dataset": "xor", "n_samples": 40, "hidden": (3,),
                             "iterations": 10, **changes}))
    s.run(iterations=4)
    save_model(tmp_path / name, s)
    return str(tmp_path / name)


def test_bad_model_inputs(tmp_path, capsys):
    m = _model(tmp_path)
    (tmp_path / "x.json").write_text("{}")
    (tmp_path / "junk.h5").write_text("junk")
    shapes = _model(tmp_path, "img.h5", dataset="shapes", n_samples=8, learning_rate=0.01)
    cases = [
        (["--load-model", str(tmp_path / "none.h5")], r"none\.h5: no such file"),
        (["--load-model", str(tmp_path)], r"is a folder"),
        (["--load-model", str(tmp_path / "junk.h5")], r"junk\.h5: not an HDF5 file"),
        (["--load-model", m, "--dataset", "shapes", "--samples", "8"],
         r"m\.h5 was saved for 2 inputs, but the data set 'shapes' has 12,288"),
        (["--load-model", shapes, "--dataset", "moons"],
         r"img\.h5 was saved for 12,288 inputs, but the data set 'moons' has 2"),
        (["--load-model", m, "--hidden", "4"], r"--hidden cannot be used with --load-model"),
        (["--load-model", m, "--seed", "4"], r"--seed cannot be used with --load-model"),
        (["--load-model", m, "--config", str(tmp_path / "x.json")], r"--config cannot be"),
        (["--load-model", m, "--iterations", "0"], r"iterations must be between"),
        (["--load-model", m, "--learning-rate", "nan"], r"positive finite"),
    ]
    for args, problem in cases:
        assert_refused(tmp_path, capsys, args, problem)


def test_bad_output_paths(tmp_path, capsys):
    for option in ("--save-model", "--export-costs", "--report"):
        assert_refused(tmp_path, capsys, [option, str(tmp_path / "no" / "f")],
                       r"cannot save .*f: the folder .*no does not exist")
        assert_refused(tmp_path, capsys, [option, str(tmp_path)], r"it is a folder")


@pytest.mark.parametrize("text, problem", [
    ('{"hidden": [3,', r"run\.json: not valid JSON"),
    ('{"layers": [3]}', r"run\.json: unknown key 'layers'"),
    ('{"hidden": "abc"}', r"run\.json: key 'hidden' must be a list"),
    ('{"learning_rate": "fast"}', r"run\.json: key 'learning_rate' must be a number"),
    ('{"iterations": true}', r"run\.json: key 'iterations' must be a whole number"),
    ('{"iterations": -3}', r"run\.json: key 'iterations': iterations must be between"),
    ('{"seed": 4294967296}', r"run\.json: key 'seed': seed must be between"),
])
def test_bad_config_files(tmp_path, capsys, text, problem):
    (tmp_path / "run.json").write_text(text)
    assert_refused(tmp_path, capsys, ["--config", str(tmp_path / "run.json")], problem)


@pytest.mark.parametrize("args, problem", [
    (["--hidden", "10000000"], r"too many .* about 229 MiB of memory per example"),
    (["--hidden", "60000,60000"], r"would need about \d+\.\d GiB of memory"),
])
def test_networks_too_big_for_memory(tmp_path, capsys, args, problem):
    assert_refused(tmp_path, capsys, args, problem)


def assert_refused(tmp_path, capsys, args, problem):
    """`dnnviz train` refuses: exit code 2, one line on stderr, nothing printed or written."""
    before = sorted(p.name for p in tmp_path.iterdir())
    out_files = ["--save-model", str(tmp_path / "out.h5"), "--export-costs",
                 str(tmp_path / "out.csv"), "--report", str(tmp_path / "out.json")]
    code = main(["train", "--iterations", "3", *out_files, *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == "", out
    assert err.startswith("dnnviz train: error: ") and err.count("\n") == 1, err
    assert re.search(problem, err), err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def _picture_folder(folder, broken=False):
    """Two classes of small pictures, written by Qt (no window needed)."""
    from PyQt6.QtGui import QColor, QImage

    for name, color in (("day", "yellow"), ("night", "navy")):
        (folder / name).mkdir(parents=True)
        for i in range(3):
            image = QImage(40, 30 + i, QImage.Format.Format_RGB32)
            image.fill(QColor(color))
            image.save(str(folder / name / f"{name}{i}.jpg"))
    if broken:
        (folder / "night" / "half.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def test_a_folder_of_pictures_trains_on_the_command_line(tmp_path, capsys):
    folder = _picture_folder(tmp_path / "sky")
    report = tmp_path / "r.json"
    assert main(["train", "--image-folder", str(folder), "--iterations", "3",
                 "--hidden", "2", "--print-every", "0", "--report", str(report)]) == 0
    out = json.loads(report.read_text())
    assert out["layer_dims"] == [12288, 2, 1] and out["config"]["dataset"] == "sky"
    assert "on sky (4 train, 2 test examples)" in capsys.readouterr().out
    bad = _picture_folder(tmp_path / "torn", broken=True)
    assert main(["train", "--image-folder", str(bad), "--iterations", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "1 picture could not be read: night/half.png" in err
