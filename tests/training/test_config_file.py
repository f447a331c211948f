"""Config files: round trip, defaults by kind of data, one-line errors, atomic writes."""

import errno
import json
import os
import re

import pytest

from dnnviz.files import SaveError
from dnnviz.training.config import IMAGE_SETTINGS, PLANAR_SETTINGS, ConfigError, RunConfig
from dnnviz.training.config_file import config_from_dict, load_config, save_config
from dnnviz.training.settings import ViewOptions

VIEW = {"gradients": True, "log_scale": True, "data_cost": True, "split": "train", "index": 7,
        "hist_log": True, "test_points": False}


def _write(tmp_path, data, name="run.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_round_trip(tmp_path):
    config = RunConfig(dataset="spiral", n_samples=300, noise=0.1, hidden=(9, 3),
                       learning_rate=0.125, iterations=777, init="small", seed=42,
                       dtype="float32", data_dir="/somewhere")
    save_config(tmp_path / "run.json", config, VIEW)
    loaded, view = load_config(tmp_path / "run.json")
    assert loaded == config.with_changes(data_dir=None)  # the data folder is not saved
    assert view == VIEW
    data = json.loads((tmp_path / "run.json").read_text())
    assert data["dnnviz_config"] == 1 and "data_dir" not in data
    assert data["hidden"] == [9, 3] and data["view"]["split"] == "train"


def test_the_documented_example_loads(tmp_path):
    path = _write(tmp_path, """{"dnnviz_config": 1, "dataset": "cat", "train_file": null,
        "test_file": null, "n_samples": null, "noise": null, "hidden": [20,7,5],
        "learning_rate": 0.0075, "iterations": 2500, "init": "scaled", "seed": 1,
        "dtype": "float64",
        "view": {"gradients": false, "log_scale": false, "split": "train", "index": 0}}""")
    config, view = load_config(path)
    assert config == RunConfig(dataset="cat", **IMAGE_SETTINGS)
    assert view == {**ViewOptions().as_dict(), "split": "train"}


@pytest.mark.parametrize("given, expected", [
    ({}, RunConfig(**PLANAR_SETTINGS)),
    ({"dataset": "cat"}, RunConfig(dataset="cat", **IMAGE_SETTINGS)),
    ({"dataset": "shapes", "seed": 5}, RunConfig(dataset="shapes", seed=5, **IMAGE_SETTINGS)),
    ({"dataset": "moons", "hidden": []},
     RunConfig(dataset="moons", **{**PLANAR_SETTINGS, "hidden": ()})),
    ({"train_file": "a.h5", "test_file": "b.h5", "learning_rate": 1},
     RunConfig(train_file="a.h5", test_file="b.h5", **{**IMAGE_SETTINGS, "learning_rate": 1})),
])
def test_omitted_settings_follow_the_kind_of_data(given, expected):
    assert config_from_dict(given) == expected


BAD = [
    ('{"hidden": [20, 7,', r"not valid JSON \(line 1, column \d+"),
    ("", r"not valid JSON"),
    ("[1, 2]", r"expected a JSON object \{\.\.\.\}, not a list"),
    ('{"hiden": [3], "speed": 1}', r"unknown keys 'hiden', 'speed'; known: dataset"),
    ('{"view": {"zoom": 2}}', r"unknown key 'view\.zoom'"),
    ('{"hidden": "abc"}', r"key 'hidden' must be a list of whole numbers"),
    ('{"hidden": [20, 7.5]}', r"key 'hidden' must be a list of whole numbers"),
    ('{"hidden": [20, true]}', r"key 'hidden' must be a list"),
    ('{"hidden": [0]}', r"key 'hidden': hidden layer 1: units must be at least 1"),
    ('{"hidden": [10000000]}', r"key 'hidden': .*too many.*MiB of memory"),
    ('{"learning_rate": "fast"}', r"key 'learning_rate' must be a number, not \"fast\""),
    ('{"learning_rate": true}', r"key 'learning_rate' must be a number, not true"),
    ('{"learning_rate": 0}', r"key 'learning_rate': learning rate must be a positive"),
    ('{"learning_rate": NaN}', r"key 'learning_rate': .*positive finite"),
    ('{"learning_rate": -Infinity}', r"key 'learning_rate': .*positive"),
    ('{"iterations": 0}', r"key 'iterations': iterations must be between"),
    ('{"iterations": 1e3}', r"key 'iterations' must be a whole number, not 1000\.0"),
    ('{"iterations": 100000000000}', r"key 'iterations': iterations must be between"),
    ('{"seed": -1}', r"key 'seed': seed must be between"),
    ('{"seed": 4294967296}', r"key 'seed': seed must be between"),
    ('{"seed": false}', r"key 'seed' must be a whole number"),
    ('{"init": "glorot"}', r"key 'init': init must be one of"),
    ('{"dtype": 64}', r"key 'dtype' must be a non-empty string"),
    ('{"dataset": "mnist"}', r"key 'dataset' must be one of"),
    ('{"n_samples": 2}', r"key 'n_samples' must be a whole number from 4"),
    ('{"noise": -0.5}', r"key 'noise' must be a number from 0 to 10"),
    ('{"train_file": "a.h5"}', r"give both a train file and a test file"),
    ('{"view": []}', r"key 'view' must be an object"),
    ('{"view": {"split": "validation"}}', r"key 'view\.split' must be 'train' or 'test'"),
    ('{"view": {"index": -1}}', r"key 'view\.index' must be a whole number"),
    ('{"view": {"gradients": 1}}', r"key 'view\.gradients' must be true or false"),
    ('{"dnnviz_config": 2}', r"written by a newer dnnviz"),
    ('{"dnnviz_config": "1"}', r"key 'dnnviz_config' must be 1"),
    ('{"iterations": 1' + "0" * 5000 + "}", r"not valid JSON"),
    ("[" * 100000 + "]" * 100000, r"not valid JSON|nested too deeply"),
]


@pytest.mark.parametrize("text, problem", BAD)
def test_a_bad_config_file_is_one_clear_error(tmp_path, text, problem):
    path = _write(tmp_path, text)
    assert_config_error(path, problem)


def test_a_missing_file_a_folder_and_binary(tmp_path):
    assert_config_error(tmp_path / "none.json", r"no such file")
    assert_config_error(tmp_path, r"is a folder, not a config file")
    path = tmp_path / "bin.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert_config_error(path, r"not a text file")


def test_config_from_dict_names_where_the_dict_came_from():
    with pytest.raises(ConfigError, match=r"^lesson 3: key 'seed' must be a whole number"):
        config_from_dict({"seed": "one"}, where="lesson 3")
    with pytest.raises(ConfigError, match=r"^config: expected a JSON object"):
        config_from_dict(None)


def assert_config_error(path, problem):
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: "), message
    assert re.search(problem, message), message


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch,
                                                                   where):
    path = tmp_path / "run.json"
    save_config(path, RunConfig(seed=7))
    old = path.read_bytes()
    monkeypatch.setattr(os, where, _no_space)
    with pytest.raises(SaveError, match=r"cannot save .*run\.json: the disk is full"):
        save_config(path, RunConfig(seed=8), VIEW)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]
    assert path.read_bytes() == old and load_config(path)[0].seed == 7


def test_saving_bad_view_options_or_into_a_missing_folder_writes_nothing(tmp_path):
    with pytest.raises(ConfigError, match=r"view options: key 'view.split'"):
        save_config(tmp_path / "a.json", RunConfig(), {"split": "both"})
    with pytest.raises(SaveError, match=r"does not exist"):
        save_config(tmp_path / "no" / "a.json", RunConfig())
    assert list(tmp_path.iterdir()) == []
